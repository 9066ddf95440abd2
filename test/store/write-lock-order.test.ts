/**
 * Writers of agencies and reports that meet at the same rows (src/store/write-locks.ts): each
 * race is played step by step, a second connection holding a lock so that one writer is
 * stopped mid-transaction where the other overtook it, then let go once both wait.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import { loadRegionIndex, storeBatch } from '../../src/store/bulk-import.ts';
import { mergeAgencies } from '../../src/store/merge-agencies.ts';
import { loadRegions } from '../../src/store/regions.ts';
import { useRevision } from '../../src/store/use-revision.ts';
import { batchReport, parsedReport, random, roughCells } from '../comparison/aggregate-dataset.ts';
import { aggregateChecker } from '../support/aggregates.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { lockWaits } from '../support/lock-waits.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));
const { expectExact } = aggregateChecker(db);
const { holding, waiting } = lockWaits(db);

const agencyIdOf = async (name: string) => {
  const [row] = await db.$queryRaw<{ id: number }[]>`SELECT id FROM agency WHERE name = ${name}`;
  if (!row) throw new Error(`no agency ${name}`);
  return row.id;
};

/** A generated report of `name` and `year` in a batch of its own, `salt` telling revisions apart. */
const storeGenerated = async (name: string, year: number, salt: string) => {
  const next = random(year);
  const report = parsedReport(name, year, 'V2021', roughCells('V2021', new Map(), next, false));
  // No regions loaded: the agency stays unplaced until `regions load`.
  await storeBatch(db, [batchReport(report, salt)], await loadRegionIndex(db), true);
};

describe('`regions load` placing an agency while a report of it changes', () => {
  const AGENCY = '四川省内江市人力资源和社会保障局';

  it('counts the report once, in its new group, when `revision use` was in flight', async () => {
    await storeGenerated(AGENCY, 2019, 'v1');
    await storeGenerated(AGENCY, 2020, 'v1');
    await storeGenerated(AGENCY, 2020, 'v2');
    // `revision use` stops before its commit, in refreshFindings, its report changed.
    const release = await holding(
      `SELECT pg_advisory_xact_lock(hashtext('finding'), ${await agencyIdOf(AGENCY)})`,
    );
    const use = useRevision(db, { agencyName: AGENCY, year: 2020, number: 1 });
    await waiting(1, use);
    const load = loadRegions(db, { townships: false });
    await waiting(2, load);
    await release();
    expect(await use).toMatchObject({ ok: true, changed: true, previousNumber: 2 });
    expect((await load).agenciesPlaced).toBe(1);
    await expectExact(2);
  }, 60_000);

  it('counts the report once when an import reached the agency through the key of one merged into it', async () => {
    const MERGED = '四川省内江市人社局测试处';
    await storeGenerated(AGENCY, 2019, 'v1');
    await storeGenerated(MERGED, 2020, 'v1');
    expect((await mergeAgencies(db, { from: MERGED, into: AGENCY })).ok).toBe(true);
    const release = await holding(
      `SELECT pg_advisory_xact_lock(hashtext('finding'), ${await agencyIdOf(AGENCY)})`,
    );
    // Filed under AGENCY by MERGED's key (agency_alias), a new revision of its 2020 report.
    const imported = storeGenerated(MERGED, 2020, 'v2');
    await waiting(1, imported);
    const load = loadRegions(db, { townships: false });
    await waiting(2, load);
    await release();
    await imported;
    expect((await load).agenciesPlaced).toBe(1);
    expect(await db.report.count()).toBe(2);
    await expectExact(2);
  }, 60_000);
});

describe('`revision use` after waiting behind another writer of its report', () => {
  const text = (decisions: number) => fixtureText(REAL_V2019).replace('\t+2\t49', `\t+2\t${decisions}`);
  const importText = (decisions: number) =>
    importReport(db, { bytes: new TextEncoder().encode(text(decisions)), fileName: `${decisions}.txt` });

  for (const number of [3, 1]) {
    it(`sees the revision the import committed meanwhile (revision ${number})`, async () => {
      const first = await importText(49);
      if (!first.ok) throw new Error('not stored');
      await importText(60);
      const { agencyName, year } = first.value.parsed;
      // The import, then `revision use`, queue behind a holder of the report row.
      const release = await holding(`SELECT id FROM report WHERE id = ${first.value.reportId} FOR UPDATE`);
      const imported = importText(70);
      await waiting(1, imported);
      const use = useRevision(db, { agencyName, year, number });
      await waiting(2, use);
      await release();
      const stored = await imported;
      expect(stored.ok && stored.value.revisionNumber).toBe(3);
      expect(await use).toMatchObject({ ok: true, previousNumber: 3, changed: number !== 3 });
      await expectExact(1);
    }, 60_000);
  }
});

describe('`agencies merge` and `revision use` of the agency kept', () => {
  it('take their locks in one order: neither is aborted as a deadlock', async () => {
    const INTO = '河北省承德市兴隆县交通运输局';
    const FROM = '河北省测试合并三局';
    for (const year of [2021, 2022]) await storeGenerated(INTO, year, 'v1');
    await storeGenerated(INTO, 2022, 'v2');
    await storeGenerated(FROM, 2021, 'v1');
    const [low] = await db.$queryRaw<{ id: number }[]>`
      SELECT min(id)::int AS id FROM report WHERE agency_id = ${await agencyIdOf(INTO)}`;
    // The merge stops at the report rows, `revision use` then comes for a report of it.
    const release = await holding(`SELECT id FROM report WHERE id = ${low?.id} FOR UPDATE`);
    const merged = mergeAgencies(db, { from: FROM, into: INTO });
    await waiting(1, merged);
    const use = useRevision(db, { agencyName: INTO, year: 2022, number: 1 });
    await waiting(2, use);
    await release();
    const results = await Promise.allSettled([merged, use]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.ok : String(r.reason)))).toEqual([
      true,
      true,
    ]);
    await expectExact(2);
  }, 60_000);
});
