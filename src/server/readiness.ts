import type { Db } from '../store/db.ts';
import { readMigrations } from '../store/migrations.ts';
import type { ReplicaSet, ReplicaStatus } from '../store/replicas.ts';

export interface Readiness {
  ready: boolean;
  /** `unanswered`: connected, but no answer within the check's time (a frozen server, a black hole). */
  database: 'ok' | 'unreachable' | 'unanswered';
  pendingMigrations: string[];
  /** Read replicas as last checked; informative only, since the primary answers what they cannot. */
  replicas?: ReplicaStatus[];
}

/**
 * How long /ready waits for PostgreSQL: a load balancer's probe has its own timeout, and a server
 * that accepts connections but never answers (stopped, frozen) held the probe for minutes.
 */
export const READY_TIMEOUT_MS = 5_000;

/** Ready means: PostgreSQL answers and every migration on disk is recorded as applied. */
export async function checkReadiness(
  db: Db,
  replicas?: ReplicaSet | null,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<Readiness> {
  const readiness = await checkPrimary(db, timeoutMs);
  return replicas ? { ...readiness, replicas: replicas.status() } : readiness;
}

const UNANSWERED = Symbol('unanswered');

async function checkPrimary(db: Db, timeoutMs: number): Promise<Readiness> {
  const expected = (await readMigrations()).map((m) => m.name);
  let timer: NodeJS.Timeout | undefined;
  try {
    const query = db.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    const applied = await Promise.race([
      query,
      new Promise<typeof UNANSWERED>((resolve) => {
        timer = setTimeout(() => resolve(UNANSWERED), timeoutMs);
      }),
    ]);
    if (applied === UNANSWERED) {
      query.catch(() => undefined);
      return { ready: false, database: 'unanswered', pendingMigrations: [] };
    }
    const done = new Set(applied.map((r) => r.migration_name));
    const pending = expected.filter((name) => !done.has(name));
    return { ready: pending.length === 0, database: 'ok', pendingMigrations: pending };
  } catch {
    return { ready: false, database: 'unreachable', pendingMigrations: [] };
  } finally {
    clearTimeout(timer);
  }
}
