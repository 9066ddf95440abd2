import { inject } from 'vitest';
import { createDb, type Db } from '../../src/store/db.ts';

export const databaseUrl = () => inject('databaseUrl');

export function testDb(): Db {
  return createDb(databaseUrl(), { poolSize: 4 });
}

/** Empties every table but the migration history; the test database is migrated once per run. */
export async function resetDatabase(db: Db) {
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT quote_ident(tablename) AS name FROM pg_tables
    WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`;
  await db.$executeRawUnsafe(`TRUNCATE ${tables.map((t) => t.name).join(', ')} RESTART IDENTITY CASCADE`);
  // The job queue's jobs too (pg-boss creates its schema on first use): a stopped run's jobs
  // must not reach the next test's run, which restarts at the same id.
  await db.$executeRawUnsafe(`DO $$ BEGIN
    IF to_regclass('pgboss.job') IS NOT NULL THEN TRUNCATE pgboss.job; END IF;
  END $$`);
}

/** Row counts of every table, to prove a failed import wrote nothing. */
export async function tableCounts(db: Db) {
  const [row] = await db.$queryRawUnsafe<Record<string, bigint>[]>(
    `SELECT (SELECT count(*) FROM agency) AS agency, (SELECT count(*) FROM report) AS report,
            (SELECT count(*) FROM report_revision) AS report_revision, (SELECT count(*) FROM revision_figures) AS revision_figures`,
  );
  return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));
}
