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
  await db.auditLog.create({
    data: {
      actor: typeof actor === 'string' ? actor : `token:${actor.name}`,
      tokenId: typeof actor === 'string' ? null : actor.tokenId,
      action: entry.action,
      outcome: entry.outcome,
      detail: entry.detail as object,
    },
  });
}
