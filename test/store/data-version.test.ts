/**
 * The response cache's data version moves with every commit that changes what queries read, and
 * with no other: a collection run's items, a token's last use and the job queue's upkeep used to
 * move it too (it was the whole snapshot), so no answer stayed cached while a collection ran.
 */
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import { dataVersion } from '../../src/store/data-version.ts';
import { createToken } from '../../src/store/tokens.ts';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
import { fixtureBytes, REAL_V2019 } from '../support/fixtures.ts';

/** Tables no cached query reads: their writes leave the version as it is. */
const UNREAD = [
  'data_commit',
  'api_token',
  'audit_log',
  'collection_run',
  'collection_item',
  'collect_host',
  'collected_document',
];

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));

describe('the data version', () => {
  it('has a recording trigger on every table of the schema but those no cached query reads', async () => {
    const tables = await db.$queryRaw<{ name: string; recorded: boolean }[]>`
      SELECT t.tablename AS name,
             EXISTS (SELECT 1 FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
                     WHERE c.relname = t.tablename AND c.relnamespace = to_regnamespace(current_schema())
                       AND g.tgname = 'data_commit') AS recorded
      FROM pg_tables t WHERE t.schemaname = current_schema() ORDER BY t.tablename`;
    // A table a migration adds after this one needs the trigger (or a place in UNREAD, and in the
    // migration's list, when no cached query reads it).
    expect(tables.filter((t) => !t.recorded).map((t) => t.name)).toEqual([...UNREAD].sort());
    expect(tables.length).toBeGreaterThan(UNREAD.length + 10);
  });

  it('moves with an import, not with token, collection or read-only work', async () => {
    const start = await dataVersion(db);
    expect(await dataVersion(db)).toBe(start);
    await createToken(db, 'dashboard', ['read']);
    await db.$executeRaw`
      INSERT INTO collection_run (seeds, settings, started_by) VALUES (ARRAY['http://x.gov.cn/'], '{}', 'test')`;
    await db.$executeRaw`INSERT INTO collect_host (host, next_start) VALUES ('x.gov.cn', now())`;
    await db.agency.count();
    expect(await dataVersion(db)).toBe(start);
    expect((await importReport(db, { bytes: fixtureBytes(REAL_V2019), fileName: 'r.txt' })).ok).toBe(true);
    const imported = await dataVersion(db);
    expect(imported).not.toBe(start);
    await db.$executeRaw`UPDATE collection_run SET status = 'DONE'`;
    expect(await dataVersion(db)).toBe(imported);
  });

  it('moves when a transaction older than the newest change commits after it', async () => {
    const older = new pg.Client({ connectionString: databaseUrl() });
    await older.connect();
    try {
      await older.query('BEGIN');
      // Its id is taken now, before the newer one's.
      await older.query('SELECT txid_current()');
      expect((await importReport(db, { bytes: fixtureBytes(REAL_V2019), fileName: 'r.txt' })).ok).toBe(true);
      await older.query(`INSERT INTO region (code, name, level) VALUES ('990000', '测试省', 'PROVINCE')`);
      const before = await dataVersion(db);
      await older.query('COMMIT');
      const after = await dataVersion(db);
      // The newest change is still the import's; the older one's commit shows as it leaves the running.
      expect(after.split(':')[0]).toBe(before.split(':')[0]);
      expect(after).not.toBe(before);
    } finally {
      await older.end();
    }
  });
});
