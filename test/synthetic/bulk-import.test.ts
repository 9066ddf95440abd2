import { afterAll, beforeEach, expect, it } from 'vitest';
import { bulkImport, importReport } from '../../src/import/index.ts';
import type { Db } from '../../src/store/db.ts';
import { loadRegions } from '../../src/store/regions.ts';
import { syntheticReports } from '../../src/synthetic/index.ts';
import { resetDatabase, tableCounts, testDb } from '../support/db.ts';
import { EXAMPLE_V2021, fixtureBytes, REAL_V2019 } from '../support/fixtures.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(async () => {
  await resetDatabase(db);
  await loadRegions(db, { townships: false });
});

/** Generated reports (some inconsistent) plus the two fixtures, years out of order so next-year findings are refreshed. */
function sources() {
  const generated = [
    ...syntheticReports({ agencies: 6, years: { from: 2019, to: 2024 }, seed: 5, inconsistencyRate: 0.3 }),
  ];
  const shuffled = [...generated.filter((_, i) => i % 3 === 2), ...generated.filter((_, i) => i % 3 !== 2)];
  return [
    ...shuffled.map((r) => ({ bytes: new TextEncoder().encode(r.text), fileName: r.fileName })),
    { bytes: fixtureBytes(REAL_V2019), fileName: REAL_V2019 },
    { bytes: fixtureBytes(EXAMPLE_V2021), fileName: EXAMPLE_V2021 },
  ];
}

/** Every stored row, keyed by names and years instead of generated ids. */
async function snapshot(database: Db) {
  const agencies = await database.$queryRaw`
    SELECT name, kind::text, region_code, level::text FROM agency ORDER BY name`;
  const revisions = await database.$queryRaw`
    SELECT a.name, r.year, rv.number, rv.template_version::text, rv.agency_name_as_printed, rv.title,
           rv.published_on::text, rv.contact, rv.narrative, rv.gaps, md5(rv.source_bytes) AS bytes, rv.source_sha256,
           rv.source_encoding, rv.source_format, rv.source_file_name, rv.source_url, r.current_revision_id = rv.id AS current
    FROM report_revision rv JOIN report r ON r.id = rv.report_id JOIN agency a ON a.id = r.agency_id
    ORDER BY a.name, r.year, rv.number`;
  const cells = await database.$queryRaw<{ digest: string; n: number }[]>`
    SELECT md5(string_agg(concat_ws('|', a.name, r.year, rv.number, f.statuses, f.int_values::text,
                                    f.decimal_values::text, rv.cell_sources::text), ','
                          ORDER BY a.name, r.year, rv.number)) AS digest, count(*)::int AS n
    FROM revision_figures f JOIN report_revision rv ON rv.id = f.revision_id JOIN report r ON r.id = rv.report_id
    JOIN agency a ON a.id = r.agency_id`;
  const findings = await database.$queryRaw`
    SELECT a.name, r.year, f.rule_id, f.severity::text, f.status::text, f.scope, f.cells, f.expected::text,
           f.actual::text, f.difference::text, f.message_zh, f.message_en, f.evidence, orr.year AS other_year
    FROM finding f JOIN report_revision rv ON rv.id = f.revision_id JOIN report r ON r.id = rv.report_id
    JOIN agency a ON a.id = r.agency_id
    LEFT JOIN report_revision orv ON orv.id = f.other_revision_id LEFT JOIN report orr ON orr.id = orv.report_id
    ORDER BY a.name, r.year, f.rule_id, f.scope`;
  return { agencies, revisions, cells, findings };
}

it('stores the same rows as importing the reports one by one', async () => {
  for (const source of sources()) {
    const result = await importReport(db, source);
    expect(result.ok).toBe(true);
  }
  const expected = await snapshot(db);
  expect((expected.findings as unknown[]).length).toBeGreaterThan(0);

  await resetDatabase(db);
  await loadRegions(db, { townships: false });
  const result = await bulkImport(db, sources(), { batchSize: 7 });
  expect(result).toMatchObject({ stored: 38, unchanged: 0, rejected: 0 });
  expect(await snapshot(db)).toEqual(expected);
  // 38 one-by-one imports, each maintaining the pre-aggregations: seconds on a loaded machine.
}, 120_000);

it('skips stored sources, adds revisions for changed ones and marks synthetic agencies', async () => {
  await bulkImport(db, sources(), { synthetic: true, batchSize: 10, jobs: 1 });
  const counts = await tableCounts(db);
  const again = await bulkImport(db, sources(), { synthetic: true });
  expect(again).toMatchObject({ stored: 0, unchanged: 38 });
  expect(await tableCounts(db)).toEqual(counts);

  const changed = new TextEncoder().encode(
    new TextDecoder().decode(fixtureBytes(REAL_V2019)).replace('\t+2\t49', '\t+2\t50'),
  );
  // Of the same kind: a published report is never filed under a generated agency.
  const revised = await bulkImport(db, [{ bytes: changed, fileName: 'changed.txt' }], { synthetic: true });
  expect(revised.outcomes).toMatchObject([{ outcome: 'NEW_REVISION' }]);
  const synthetic = await db.agency.count({ where: { synthetic: true } });
  expect(synthetic).toBe(8);
});

it('rejects a file that does not parse without storing anything of it', async () => {
  const result = await bulkImport(db, [
    { bytes: new TextEncoder().encode('not a report'), fileName: 'x.txt' },
  ]);
  expect(result.rejected).toBe(1);
  expect(result.rejections[0]?.fileName).toBe('x.txt');
  expect(await tableCounts(db)).toMatchObject({ agency: 0, report: 0 });
});

it('keeps nothing of a batch whose writing fails half-way, says why, and leaves the pool usable', async () => {
  // A trigger fails the insert of one revision after others of the same batch were written.
  const reports = [
    ...syntheticReports({ agencies: 3, years: { from: 2021, to: 2022 }, seed: 9, inconsistencyRate: 0 }),
  ];
  const failing = reports[3]?.fileName ?? '';
  await db.$executeRawUnsafe(`
    CREATE FUNCTION fail_one_revision() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.source_file_name = '${failing.replace(/'/g, "''")}' THEN
        RAISE EXCEPTION 'disk full (simulated) while writing %', NEW.source_file_name;
      END IF;
      RETURN NEW;
    END $$`);
  await db.$executeRawUnsafe(
    `CREATE TRIGGER fail_one_revision BEFORE INSERT ON report_revision FOR EACH ROW EXECUTE FUNCTION fail_one_revision()`,
  );
  try {
    const encoder = new TextEncoder();
    const batch = reports.map((r) => ({ bytes: encoder.encode(r.text), fileName: r.fileName }));
    await expect(bulkImport(db, batch, { batchSize: 100 })).rejects.toThrow(/disk full \(simulated\)/);
    expect(await tableCounts(db)).toEqual({ agency: 0, report: 0, report_revision: 0, revision_figures: 0 });
  } finally {
    await db.$executeRawUnsafe('DROP TRIGGER fail_one_revision ON report_revision');
    await db.$executeRawUnsafe('DROP FUNCTION fail_one_revision()');
  }
  // The connection that failed went back to the pool usable: the same batch now goes through.
  const encoder = new TextEncoder();
  const again = await bulkImport(
    db,
    reports.map((r) => ({ bytes: encoder.encode(r.text), fileName: r.fileName })),
    { batchSize: 100 },
  );
  expect(again.stored).toBe(reports.length);
});
