import pg from 'pg';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import { databaseUrl, resetDatabase, tableCounts, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));

const source = (decisions: number) =>
  new TextEncoder().encode(fixtureText(REAL_V2019).replace('\t+2\t49', `\t+2\t${decisions}`));

it('concurrent imports of different sources for the same agency and year keep both, with exactly one current', async () => {
  const results = await Promise.all(
    [50, 51, 52, 53].map((n) => importReport(db, { bytes: source(n), fileName: `${n}.txt` })),
  );
  expect(results.every((r) => r.ok)).toBe(true);
  const outcomes = results.map((r) => (r.ok ? r.value.outcome : 'rejected')).sort();
  expect(outcomes).toEqual(['CREATED', 'NEW_REVISION', 'NEW_REVISION', 'NEW_REVISION']);
  const report = await db.report.findFirstOrThrow({ include: { revisions: { orderBy: { number: 'asc' } } } });
  expect(report.revisions.map((r) => r.number)).toEqual([1, 2, 3, 4]);
  expect(report.currentRevisionId).toBe(report.revisions[3]?.id);
  expect(await tableCounts(db)).toMatchObject({
    agency: 1,
    report: 1,
    report_revision: 4,
    revision_figures: 4,
  });
});

it('concurrent imports of the same source store it once', async () => {
  const results = await Promise.all(
    [1, 2, 3].map(() => importReport(db, { bytes: source(60), fileName: 'same.txt' })),
  );
  const outcomes = results.map((r) => (r.ok ? r.value.outcome : 'rejected')).sort();
  expect(outcomes).toEqual(['CREATED', 'UNCHANGED', 'UNCHANGED']);
  expect(await tableCounts(db)).toMatchObject({ report_revision: 1, revision_figures: 1 });
});

it('a revision whose import waited for the report is dated when it was written, after the one before', async () => {
  const first = await importReport(db, { bytes: source(50), fileName: '50.txt' });
  expect(first.ok).toBe(true);
  // Another writer holds the report for 400 ms while the next revision's import begins.
  const other = new pg.Client({ connectionString: databaseUrl() });
  await other.connect();
  try {
    await other.query('BEGIN');
    await other.query('SELECT id FROM report FOR UPDATE');
    const began = Date.now();
    const second = importReport(db, { bytes: source(51), fileName: '51.txt' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await other.query('COMMIT');
    const stored = await second;
    expect(stored.ok && stored.value.outcome).toBe('NEW_REVISION');
    const revisions = await db.reportRevision.findMany({
      orderBy: { number: 'asc' },
      select: { importedAt: true },
    });
    // Dated at its transaction's start, it was within a few milliseconds of `began`.
    expect((revisions[1]?.importedAt.getTime() ?? 0) - began).toBeGreaterThanOrEqual(350);
  } finally {
    await other.end();
  }
});
