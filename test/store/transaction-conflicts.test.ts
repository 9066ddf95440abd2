/**
 * A write transaction PostgreSQL aborts for a deadlock (40P01) is run again
 * (retryingConflicts): a report is stored once the other writer is through, not rejected
 * with "deadlock detected"; one that keeps meeting conflicts is given up on whole, with a
 * message that says what happened and what to do.
 */
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import { loadRegionIndex, storeBatch } from '../../src/store/bulk-import.ts';
import {
  databaseFailureMessage,
  isTransactionConflict,
  reportRefusal,
  WRITE_ATTEMPTS,
} from '../../src/store/database-errors.ts';
import { closeDb, createDb } from '../../src/store/db.ts';
import { batchReport, parsedReport, random, roughCells } from '../comparison/aggregate-dataset.ts';
import { databaseUrl, resetDatabase, tableCounts, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { lockWaits } from '../support/lock-waits.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));
const { waiting } = lockWaits(db);

const text = (decisions: number) => fixtureText(REAL_V2019).replace('\t+2\t49', `\t+2\t${decisions}`);
const importText = (decisions: number, into = db) =>
  importReport(into, { bytes: new TextEncoder().encode(text(decisions)), fileName: `${decisions}.txt` });

/** deadlock_timeout for the sessions that start from now on in this database (null: the server's). */
const deadlockTimeoutOfNewSessions = (value: string | null) =>
  db.$executeRawUnsafe(
    `DO $$ BEGIN EXECUTE format(${
      value === null
        ? `'ALTER DATABASE %I RESET deadlock_timeout', current_database()`
        : `'ALTER DATABASE %I SET deadlock_timeout = %L', current_database(), '${value}'`
    }); END $$`,
  );

const deadlocks = async () => {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()`;
  return row?.n ?? 0;
};

/**
 * Makes every INSERT into report_revision fail with 40P01 while `times` (a sequence, which a
 * rollback does not undo) has not run out. Returns the undo.
 */
async function conflictOnRevisions(times: number): Promise<() => Promise<void>> {
  await db.$executeRawUnsafe(
    `CREATE SEQUENCE conflicts_left START ${times} MINVALUE -1000000 MAXVALUE 1000000 INCREMENT -1`,
  );
  await db.$executeRawUnsafe(`
    CREATE FUNCTION conflict_on_revision() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF nextval('conflicts_left') > 0 THEN
        RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01';
      END IF;
      RETURN NEW;
    END $$`);
  await db.$executeRawUnsafe(
    'CREATE TRIGGER conflict_on_revision BEFORE INSERT ON report_revision FOR EACH ROW EXECUTE FUNCTION conflict_on_revision()',
  );
  return async () => {
    await db.$executeRawUnsafe('DROP TRIGGER conflict_on_revision ON report_revision');
    await db.$executeRawUnsafe('DROP FUNCTION conflict_on_revision()');
    await db.$executeRawUnsafe('DROP SEQUENCE conflicts_left');
  };
}

describe('a write transaction aborted for a deadlock', () => {
  it('is run again: an import that PostgreSQL chose as a real deadlock’s victim is stored', async () => {
    const first = await importText(49);
    if (!first.ok) throw new Error('not stored');
    const agencyId = first.value.agencyId;
    const before = await deadlocks();
    // PostgreSQL checks for a deadlock once, deadlock_timeout after a session starts to wait, and
    // the session whose check finds the cycle is its victim. The import's sessions check after
    // 5 s and the other one's after a minute, so the import finds the cycle however long a
    // loaded machine takes to close it (with the default 1 s for both, the other session was
    // sometimes the one to find it).
    await deadlockTimeoutOfNewSessions('5s');
    const importer = testDb();
    // Another session holds the report row; the import takes the agency row, then waits for
    // the report. The other session then asks for the agency: each waits for the other.
    const other = new pg.Client({ connectionString: databaseUrl() });
    let imported: ReturnType<typeof importText> | undefined;
    try {
      await other.connect();
      await other.query(`SET deadlock_timeout = '60s'`);
      await other.query('BEGIN');
      await other.query(`SELECT id FROM report WHERE id = ${first.value.reportId} FOR UPDATE`);
      imported = importText(60, importer);
      await waiting(1);
      await other.query(`SELECT id FROM agency WHERE id = ${agencyId} FOR UPDATE`);
      await other.query('COMMIT');
      const stored = await imported;
      expect(stored.ok && stored.value.revisionNumber).toBe(2);
    } finally {
      await other.end();
      // Nothing of this test may still be writing when the next one empties the tables.
      await imported?.catch(() => {});
      await importer.$disconnect();
      await deadlockTimeoutOfNewSessions(null);
    }
    expect(await deadlocks()).toBe(before + 1);
    expect(await db.reportRevision.count()).toBe(2);
  }, 60_000);

  it('is run again through the bulk path (COPY), the batch stored once', async () => {
    const undo = await conflictOnRevisions(WRITE_ATTEMPTS - 1);
    try {
      const report = parsedReport(
        '宁夏回族自治区中卫市测试局',
        2022,
        'V2021',
        roughCells('V2021', new Map(), random(1), false),
      );
      await storeBatch(db, [batchReport(report, 'a')], await loadRegionIndex(db), true);
    } finally {
      await undo();
    }
    expect(await tableCounts(db)).toMatchObject({
      agency: 1,
      report: 1,
      report_revision: 1,
      revision_figures: 1,
    });
  }, 60_000);

  it(`is given up on after ${WRITE_ATTEMPTS} attempts, nothing of it kept, saying what happened and what to do`, async () => {
    const undo = await conflictOnRevisions(WRITE_ATTEMPTS);
    let error: unknown;
    try {
      await importText(49);
    } catch (thrown) {
      error = thrown;
    } finally {
      await undo();
    }
    expect(isTransactionConflict(error)).toBe(true);
    expect(await tableCounts(db)).toEqual({ agency: 0, report: 0, report_revision: 0, revision_figures: 0 });
    const message = databaseFailureMessage(error, '127.0.0.1:5432/test');
    expect(message).toContain(`aborted the command's transaction ${WRITE_ATTEMPTS} times`);
    expect(message).toContain('deadlock detected');
    expect(message).toContain('Nothing of it was written. Run the command again');
    // The import command rejects the file with this, and goes on with the next.
    expect(reportRefusal(error)).toContain(
      `aborted this report's transaction ${WRITE_ATTEMPTS} times over for other writes running at the same time (deadlock detected)`,
    );
    // One attempt fewer than the limit is stored.
    const again = await conflictOnRevisions(WRITE_ATTEMPTS - 1);
    try {
      expect((await importText(49)).ok).toBe(true);
    } finally {
      await again();
    }
  }, 60_000);
});

describe('a transaction that a busy machine makes slow', () => {
  it("is not rolled back at Prisma's default 5 s, nor refused for waiting 2 s on the pool", async () => {
    // Seen in CI on a loaded machine: a transaction cut at 5,022 ms. createDb gives every
    // interactive transaction 60 s, and 30 s to get a connection from a pool in use.
    const busy = createDb(databaseUrl(), { poolSize: 1 });
    onTestFinished(() => closeDb(busy));
    const slow = busy.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_sleep(5.5)`;
      return 'committed';
    });
    // The pool's one connection is held by the first transaction for 5.5 s.
    const waiting = busy.$transaction(
      async (tx) => (await tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one`)[0]?.one,
    );
    expect(await Promise.all([slow, waiting])).toEqual(['committed', 1]);
  }, 30_000);
});
