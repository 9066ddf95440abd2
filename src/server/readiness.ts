import type { Db } from '../store/db.ts';
import { readMigrations } from '../store/migrations.ts';
import type { ReplicaSet, ReplicaStatus } from '../store/replicas.ts';

export interface Readiness {
  ready: boolean;
  database: 'ok' | 'unreachable';
  pendingMigrations: string[];
  /** Read replicas as last checked; informative only, since the primary answers what they cannot. */
  replicas?: ReplicaStatus[];
}

/** Ready means: PostgreSQL answers and every migration on disk is recorded as applied. */
export async function checkReadiness(db: Db, replicas?: ReplicaSet | null): Promise<Readiness> {
  const readiness = await checkPrimary(db);
  return replicas ? { ...readiness, replicas: replicas.status() } : readiness;
}

async function checkPrimary(db: Db): Promise<Readiness> {
  const expected = (await readMigrations()).map((m) => m.name);
  try {
    const applied = await db.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    const done = new Set(applied.map((r) => r.migration_name));
    const pending = expected.filter((name) => !done.has(name));
    return { ready: pending.length === 0, database: 'ok', pendingMigrations: pending };
  } catch {
    return { ready: false, database: 'unreachable', pendingMigrations: [] };
  }
}
