import { inject } from 'vitest';
import { createDb, type Db } from '../../src/store/db.ts';

/**
 * This worker's database: global-setup.ts migrates one per worker of the database project,
 * and VITEST_POOL_ID (1 to maxWorkers) stays the same for a worker's whole life.
 */
export const databaseUrl = () => {
  const urls = inject('databaseUrls');
  const worker = Number(process.env.VITEST_POOL_ID ?? 1);
  const url = urls[worker - 1];
  if (!url) throw new Error(`No test database for worker ${worker} of ${urls.length}`);
  return url;
};

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

/**
 * Makes PostgreSQL refuse the report_revision rows for which `condition` (SQL on NEW) holds,
 * raising `message`, as a constraint or a trigger of a real deployment might. Returns the undo.
 */
export async function refuseRevisions(
  db: Db,
  condition: string,
  message: string,
): Promise<() => Promise<void>> {
  await db.$executeRawUnsafe(`
    CREATE FUNCTION refuse_revision() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF ${condition} THEN RAISE EXCEPTION '${message}'; END IF;
      RETURN NEW;
    END $$`);
  await db.$executeRawUnsafe(
    'CREATE TRIGGER refuse_revision BEFORE INSERT ON report_revision FOR EACH ROW EXECUTE FUNCTION refuse_revision()',
  );
  return async () => {
    await db.$executeRawUnsafe('DROP TRIGGER refuse_revision ON report_revision');
    await db.$executeRawUnsafe('DROP FUNCTION refuse_revision()');
  };
}
