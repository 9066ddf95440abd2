import { inject } from 'vitest';
import { createDb, type Db } from '../../src/store/db.ts';

export const databaseUrl = () => inject('databaseUrl');

export function testDb(): Db {
  return createDb(databaseUrl(), { poolSize: 4 });
}

/** Empties every table; the test database is migrated once per run. */
export async function resetDatabase(db: Db) {
  await db.$executeRawUnsafe(
    'TRUNCATE cell_value, report_revision, report, agency, region RESTART IDENTITY CASCADE',
  );
}

/** Row counts of every table, to prove a failed import wrote nothing. */
export async function tableCounts(db: Db) {
  const [row] = await db.$queryRawUnsafe<Record<string, bigint>[]>(
    `SELECT (SELECT count(*) FROM agency) AS agency, (SELECT count(*) FROM report) AS report,
            (SELECT count(*) FROM report_revision) AS report_revision, (SELECT count(*) FROM cell_value) AS cell_value`,
  );
  return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));
}
