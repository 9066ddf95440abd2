import { userInfo } from 'node:os';
import type { SqlTransaction } from './db.ts';
import type { Principal } from './tokens.ts';

export interface AuditEntry {
  action: string;
  outcome: string;
  detail: Record<string, unknown>;
}

/**
 * Who makes a write, and its audit entry once the write knows its outcome. Given to a write
 * (an import, a batch), the entry is written in the write's own transaction: a change is never
 * committed without its entry, and an entry that cannot be written undoes the change.
 */
export interface AuditOf<T> {
  actor: Principal | string;
  entry: (done: T) => AuditEntry;
}

/**
 * The entry of a stored report, however it came (import, generate, collect, the API): what it was
 * stored from (`source`: a file, an address) and as which report and revision.
 */
export const storedReportEntry = (
  action: string,
  source: Record<string, unknown>,
  stored: { outcome: string; reportId: number; revisionNumber: number },
): AuditEntry => ({
  action,
  outcome: stored.outcome,
  detail: { ...source, reportId: stored.reportId, revision: stored.revisionNumber },
});

/** The actor for writes from the command line: the operating-system user. */
export const cliActor = () => `cli:${userInfo().username}`;

/**
 * Records one write attempt: a refusal, which stores nothing, or a write that records its own
 * entry is not given an AuditOf. Audit failures are told by the caller, never hidden as success.
 */
export async function recordAudit(
  db: SqlTransaction,
  actor: Principal | string,
  entry: AuditEntry,
): Promise<void> {
  await recordAudits(db, actor, [entry]);
}

/** Records many write attempts of one actor in one statement, in the transaction `tx` is. */
export async function recordAudits(
  tx: SqlTransaction,
  actor: Principal | string,
  entries: readonly AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const [name, tokenId] = typeof actor === 'string' ? [actor, null] : [`token:${actor.name}`, actor.tokenId];
  await tx.$executeRaw`
    INSERT INTO audit_log (actor, token_id, action, outcome, detail)
    SELECT ${name}, ${tokenId}::int, action, outcome, detail
    FROM unnest(${entries.map((e) => e.action)}::text[], ${entries.map((e) => e.outcome)}::text[],
                ${entries.map((e) => JSON.stringify(e.detail, storable))}::jsonb[]) WITH ORDINALITY AS t(action, outcome, detail, ord)
    ORDER BY ord`;
}

/**
 * Text jsonb keeps: a lone surrogate half or U+0000 (in a file name as a client sent it) made
 * PostgreSQL refuse the entry, and with it the change it records.
 */
const storable = (_key: string, value: unknown) =>
  typeof value === 'string'
    ? value
        .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
        .replaceAll(String.fromCharCode(0), '\uFFFD')
    : value;

/** Records `done`'s audit entry, where one is asked for, in the transaction `tx` is; returns `done`. */
export async function audited<T>(tx: SqlTransaction, audit: AuditOf<T> | undefined, done: T): Promise<T> {
  if (audit) await recordAudit(tx, audit.actor, audit.entry(done));
  return done;
}
