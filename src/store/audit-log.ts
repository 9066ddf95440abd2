import { userInfo } from 'node:os';
import type { Db } from './db.ts';
import type { Principal } from './tokens.ts';

export interface AuditEntry {
  action: string;
  outcome: string;
  detail: Record<string, unknown>;
}

/** The actor for writes from the command line: the operating-system user. */
export const cliActor = () => `cli:${userInfo().username}`;

/** Records one write attempt. Audit failures are logged by the caller, never hidden as success. */
export async function recordAudit(db: Db, actor: Principal | string, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({ data: auditRow(actor, entry) });
}

/** Records many write attempts of one actor in one statement (a batch of imports). */
export async function recordAudits(db: Db, actor: Principal | string, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.auditLog.createMany({ data: entries.map((entry) => auditRow(actor, entry)) });
}

const auditRow = (actor: Principal | string, entry: AuditEntry) => ({
  actor: typeof actor === 'string' ? actor : `token:${actor.name}`,
  tokenId: typeof actor === 'string' ? null : actor.tokenId,
  action: entry.action,
  outcome: entry.outcome,
  detail: entry.detail as object,
});
