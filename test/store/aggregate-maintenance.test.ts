/**
 * figure_aggregate and report_fact stay exact through every write: after each import path, re-import, new
 * revision, restored revision, `revision use`, delete, region change, changed figures and
 * concurrent imports, the maintained rows equal the rows counted from scratch out of the
 * current revisions; and a transaction that changes reports without counting them again is
 * refused at commit.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import { counted } from '../../src/store/aggregate-maintenance.ts';
import { figureBase } from '../../src/store/aggregates.ts';
import { loadRegionIndex, storeBatch } from '../../src/store/bulk-import.ts';
import { createDb } from '../../src/store/db.ts';
import { useRevision } from '../../src/store/use-revision.ts';
import { batchReport, parsedReport, random, roughCells } from '../comparison/aggregate-dataset.ts';
import { aggregateChecker } from '../support/aggregates.ts';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';

const db = testDb();
afterAll(() => db.$disconnect());
const { snapshot, expectExact } = aggregateChecker(db);
beforeEach(async () => {
  await resetDatabase(db);
  // A few divisions, so agencies are placed in groups by region (the whole list takes long).
  await db.$executeRaw`
    INSERT INTO region (code, name, level, parent_code) VALUES
      ('110000', '北京市', 'PROVINCE', NULL), ('110100', '市辖区', 'CITY', '110000'),
      ('110108', '海淀区', 'COUNTY', '110100'), ('640000', '宁夏回族自治区', 'PROVINCE', NULL),
      ('640500', '中卫市', 'CITY', '640000'), ('640502', '沙坡头区', 'COUNTY', '640500')`;
});

/** SQL by hand, in one transaction that brings the aggregates up to date as the store does. */
const byHand = (...statements: string[]) =>
  db.$transaction((tx) =>
    counted(tx, async () => {
      for (const statement of statements) await tx.$executeRawUnsafe(statement);
    }),
  );

const text = (decisions: number) => fixtureText(REAL_V2019).replace('\t+2\t49', `\t+2\t${decisions}`);
const importText = (t: string, fileName: string) =>
  importReport(db, { bytes: new TextEncoder().encode(t), fileName });

describe('the aggregates stay exact', () => {
  it('through a first import, the same bytes again, a new revision, a restored one and `revision use`', async () => {
    expect((await importText(text(49), 'a.txt')).ok).toBe(true);
    await expectExact(1);
    await importText(text(49), 'a.txt');
    await expectExact(1);
    const revised = await importText(text(60), 'b.txt');
    expect(revised.ok && revised.value.outcome).toBe('NEW_REVISION');
    await expectExact(1);
    const restored = await importText(text(49), 'a.txt');
    expect(restored.ok && restored.value.outcome).toBe('RESTORED');
    await expectExact(1);
    const [agency] = await db.$queryRaw<{ name: string; year: number }[]>`
      SELECT a.name, r.year FROM agency a JOIN report r ON r.agency_id = a.id`;
    if (!agency) throw new Error('no report');
    expect((await useRevision(db, { agencyName: agency.name, year: agency.year, number: 2 })).ok).toBe(true);
    await expectExact(1);
    const [group] = await db.$queryRaw<{ granted: string }[]>`
      SELECT sum_n::text AS granted FROM figure_aggregate
      WHERE base = ${figureBase('T3_GRANTED', 'TOTAL').index} AND report_count = 1`;
    expect(group).toBeDefined();
  });

  it('through bulk imports, re-imports with new figures, region changes and deletes', async () => {
    const next = random(5);
    const finder = await loadRegionIndex(db);
    const names = [
      '北京市海淀区人民政府',
      '北京市海淀区教育委员会',
      '宁夏回族自治区中卫市沙坡头区卫生健康局',
      '某某不知名单位',
    ];
    const batch = (salt: string) =>
      names.flatMap((name) =>
        [2020, 2021, 2022].map((year) => {
          const version = year <= 2020 ? 'V2019' : 'V2021';
          return batchReport(
            parsedReport(name, year, version, roughCells(version, new Map(), next, next() < 0.3)),
            salt,
          );
        }),
      );
    await storeBatch(db, batch('v1'), finder, true);
    await expectExact(12);
    await storeBatch(db, batch('v2'), finder, true);
    await expectExact(12);
    await byHand(`UPDATE agency SET region_code = '640000', level = 'PROVINCE' WHERE name = '${names[1]}'`);
    await expectExact(12);
    // A current revision deleted (its report keeps no current revision), then a whole report.
    await byHand(
      'DELETE FROM finding',
      'DELETE FROM report_revision WHERE id = (SELECT current_revision_id FROM report ORDER BY id LIMIT 1)',
    );
    await expectExact(11);
    const [last] = await db.$queryRaw<{ id: number }[]>`SELECT id FROM report ORDER BY id DESC LIMIT 1`;
    await byHand(
      `UPDATE report SET current_revision_id = NULL WHERE id = ${last?.id}`,
      `DELETE FROM report_revision WHERE report_id = ${last?.id}`,
      `DELETE FROM report WHERE id = ${last?.id}`,
    );
    await expectExact(10);
    // Figures changed under a current revision (revisions are never changed by the store).
    await byHand(
      'UPDATE revision_figures SET int_values[1] = int_values[1] + 5, statuses = set_byte(statuses, 0, 82) WHERE revision_id = (SELECT max(current_revision_id) FROM report)',
    );
    await expectExact(10);
  });

  it('through concurrent imports into the same groups, without deadlocks', async () => {
    // A connection for each of the eight writers at once.
    const wide = createDb(databaseUrl(), { poolSize: 10 });
    const finder = await loadRegionIndex(db);
    // Agencies of one county and level, so every batch adds to the same aggregate rows, in
    // batches whose reports come in different orders.
    const names = Array.from({ length: 12 }, (_, i) => `北京市海淀区第${i + 1}局`);
    const next = random(11);
    const batches = [0, 1, 2, 3].map((k) => {
      const order = k % 2 === 0 ? names : [...names].reverse();
      return order.map((name) => {
        const year = 2021 + (k % 2);
        return batchReport(
          parsedReport(name, year, 'V2021', roughCells('V2021', new Map(), next, false)),
          `c${k}`,
        );
      });
    });
    const single = [50, 51, 52, 53].map((n) =>
      importReport(wide, { bytes: new TextEncoder().encode(text(n)), fileName: `${n}.txt` }),
    );
    const results = await Promise.allSettled([
      ...batches.map((b) => storeBatch(wide, b, finder, true)),
      ...single,
    ]).finally(() => wide.$disconnect());
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    await expectExact(12 * 2 + 1);
  });

  it('refuses to commit a change to reports that left the aggregates behind, naming the report', async () => {
    const finder = await loadRegionIndex(db);
    const next = random(3);
    await storeBatch(
      db,
      [2021, 2022].map((year) =>
        batchReport(
          parsedReport('北京市海淀区人民政府', year, 'V2021', roughCells('V2021', new Map(), next, false)),
          'x',
        ),
      ),
      finder,
      true,
    );
    const [report] = await db.$queryRaw<{ id: number }[]>`SELECT id FROM report ORDER BY id LIMIT 1`;
    const before = await snapshot();
    const error = await db
      .$executeRawUnsafe(`UPDATE report SET current_revision_id = NULL WHERE id = ${report?.id}`)
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(error?.message).toContain(
      `report ${report?.id} changed but figure_aggregate was not brought up to date`,
    );
    // Nothing of the refused change was kept.
    expect(await snapshot()).toEqual(before);
    expect(before.reports).toBe(2);
  });
});
