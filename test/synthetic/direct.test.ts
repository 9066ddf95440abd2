import { afterAll, beforeEach, expect, it } from 'vitest';
import { bulkImport } from '../../src/import/index.ts';
import { loadRegionIndex, storeBatch } from '../../src/store/bulk-import.ts';
import type { Db } from '../../src/store/db.ts';
import { loadRegions } from '../../src/store/regions.ts';
import { directBatches } from '../../src/synthetic/direct.ts';
import { syntheticReports } from '../../src/synthetic/index.ts';
import { resetDatabase, testDb } from '../support/db.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(async () => {
  await resetDatabase(db);
  await loadRegions(db, { townships: false });
});

const options = { agencies: 8, years: { from: 2019, to: 2024 }, seed: 21, inconsistencyRate: 0.4 };

/** What comparisons read: agencies, reports and every figure with its status. */
const stored = (database: Db) => database.$queryRaw`
  SELECT a.name, a.region_code, a.level::text, a.kind::text, a.synthetic, r.year, f.template_version::text,
         encode(f.statuses, 'escape') AS statuses, f.int_values::text, f.decimal_values::text,
         md5(rv.source_bytes) AS bytes, rv.source_sha256
  FROM report r JOIN agency a ON a.id = r.agency_id
  JOIN report_revision rv ON rv.id = r.current_revision_id
  JOIN revision_figures f ON f.revision_id = rv.id
  ORDER BY a.name, r.year`;

it('stores the figures that importing the rendered reports stores', async () => {
  const encoder = new TextEncoder();
  const imported = await bulkImport(
    db,
    [...syntheticReports(options)].map((r) => ({ bytes: encoder.encode(r.text), fileName: r.fileName })),
    { synthetic: true },
  );
  expect(imported.stored).toBe(48);
  const expected = (await stored(db)) as { statuses: string }[];
  // Decimals (万元 amounts) are stored apart from whole numbers.
  expect(expected.some((r) => r.statuses.includes('D'))).toBe(true);

  await resetDatabase(db);
  await loadRegions(db, { townships: false });
  const finder = await loadRegionIndex(db);
  for (const batch of directBatches(options, 10)) await storeBatch(db, batch, finder, true);
  expect(await stored(db)).toEqual(expected);
}, 120_000);
