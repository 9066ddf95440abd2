import { afterAll, beforeEach, expect, it } from 'vitest';
import { bulkImport, importReport } from '../../src/import/index.ts';
import { loadRegions } from '../../src/store/regions.ts';
import { syntheticReports } from '../../src/synthetic/index.ts';
import { refuseRevisions, resetDatabase, tableCounts, testDb } from '../support/db.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(async () => {
  await resetDatabase(db);
  await loadRegions(db, { townships: false });
});

const encoder = new TextEncoder();
const generated = () => [
  ...syntheticReports({ agencies: 4, years: { from: 2020, to: 2022 }, seed: 11, inconsistencyRate: 0.5 }),
];

it('names the file of a report PostgreSQL refuses, and keeps nothing of its batch', async () => {
  const reports = generated();
  const bad = reports[6];
  if (!bad) throw new Error('too few reports');
  // The refusal does not name the file itself: the import must find it from the COPY line.
  const undo = await refuseRevisions(
    db,
    `NEW.source_file_name = '${bad.fileName}'`,
    'value refused (simulated)',
  );
  try {
    const sources = reports.map((r) => ({ bytes: encoder.encode(r.text), fileName: r.fileName }));
    const failed = bulkImport(db, sources, { batchSize: 4 });
    await expect(failed).rejects.toThrow(bad.fileName);
    await expect(failed).rejects.toThrow(/value refused \(simulated\)/);
    // The first batch (4 reports) was committed before; nothing of the bad report's batch was.
    expect(await tableCounts(db)).toMatchObject({ report_revision: 4, revision_figures: 4 });
    const [orphans] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM report WHERE current_revision_id IS NULL`;
    expect(orphans?.n).toBe(0);
    const [findings] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM finding f JOIN report_revision rv ON rv.id = f.revision_id
      WHERE rv.source_file_name <> ALL(${reports.slice(0, 4).map((r) => r.fileName)}::text[])`;
    expect(findings?.n).toBe(0);
  } finally {
    await undo();
  }
});

it('stores text with backslashes and line breaks as the one-by-one import does', async () => {
  const [first] = syntheticReports({
    agencies: 1,
    years: { from: 2021, to: 2021 },
    seed: 3,
    inconsistencyRate: 0,
  });
  if (!first) throw new Error('no report');
  const odd = '路径 C:\\报告\\2021 附件\\n（见\\t附表）';
  const text = first.text.replace('本年度未收取信息处理费。', `本年度未收取信息处理费。${odd}`);
  expect(text).toContain(odd);
  const source = { bytes: encoder.encode(text), fileName: 'dir\\报告 2021.txt' };
  const read = () =>
    db.$queryRaw<{ narrative: unknown; file: string; bytes: string }[]>`
      SELECT narrative, source_file_name AS file, md5(source_bytes) AS bytes FROM report_revision`;

  const imported = await importReport(db, source);
  expect(imported, JSON.stringify(imported).slice(0, 1500)).toMatchObject({ ok: true });
  const one = await read();
  await resetDatabase(db);
  await loadRegions(db, { townships: false });
  await bulkImport(db, [source]);
  const bulk = await read();
  expect(JSON.stringify(bulk)).toContain('附件');
  expect(bulk).toEqual(one);
});
