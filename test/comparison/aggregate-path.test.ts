/**
 * The aggregate path equals the row path, to the last digit: rollups and outcome breakdowns
 * pooled from figure_aggregate and rankings read from report_fact give exactly what the same
 * questions give when every report's figures are read (path ROWS), over a generated dataset
 * with blanks, "/", absent and unreadable cells, decimals, figures past int4, zero
 * denominators and both template versions — and again after the dataset is re-imported,
 * revised and partly deleted, so the aggregates' maintenance is what is compared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS, type MetricSpec, metricByName } from '../../src/catalogue/metrics.ts';
import { outcomeBreakdown } from '../../src/comparison/outcome-breakdown.ts';
import { ranking } from '../../src/comparison/ranking.ts';
import { type RollupStatistic, rollup } from '../../src/comparison/rollup.ts';
import type { SqlRunner } from '../../src/comparison/sql.ts';
import type { RollupDimension } from '../../src/comparison/types.ts';
import { counted } from '../../src/store/aggregate-maintenance.ts';
import { loadRegionIndex, storeBatch } from '../../src/store/bulk-import.ts';
import { loadRegions } from '../../src/store/regions.ts';
import { sqlRunner } from '../../src/store/sql-runner.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { batchReport, parsedReport, random, roughCells, seedRoughDataset } from './aggregate-dataset.ts';

const db = testDb();
const statements: string[] = [];
/** The null reasons of pooled figures the comparisons gave, to show the dataset reaches them all. */
const reasonsSeen = new Set<string | null>();
const runner: SqlRunner = {
  query: (statement) => {
    statements.push(statement.text);
    return sqlRunner(db).query(statement);
  },
};

const spec = (
  name: string,
  applicant = 'TOTAL',
  transform: MetricSpec['transform'] = 'VALUE',
): MetricSpec => {
  const metric = metricByName(name);
  if (!metric) throw new Error(`no metric ${name}`);
  return { metric, applicant, transform };
};
const V2019_ONLY = METRICS.find((m) => m.versions.length === 1 && m.versions[0] === 'V2019');
const V2021_ONLY = METRICS.find((m) => m.versions.length === 1 && m.versions[0] === 'V2021');
const COUNTS = [
  spec('T3_NEW_REQUESTS'),
  spec('T3_GRANTED'),
  spec('T3_GRANTED', 'NATURAL_PERSON'),
  spec('T3_REFUSED_ALL'),
  spec('T3_OTHER_HANDLING_ALL', 'LEGAL_SERVICE'),
  spec('T2_PROCUREMENT_AMOUNT'),
  spec('T4_REVIEW_TOTAL'),
  ...[V2019_ONLY, V2021_ONLY].flatMap((m) => (m ? [spec(m.name)] : [])),
];
const RATIOS = [
  spec('DISCLOSURE_RATE'),
  spec('REFUSAL_RATE', 'COMMERCIAL_ENTERPRISE'),
  spec('REVIEW_CORRECTION_RATE'),
  spec('LITIGATION_CORRECTION_RATE'),
  spec('BACKLOG_RATE'),
];

function answered<T>(result: { ok: true; value: T } | { ok: false; issue: { message: string } }): T {
  if (!result.ok) throw new Error(result.issue.message);
  return result.value;
}

const pooledRatiosSeen = { count: 0 };

/** Runs a question on both paths; checks the AUTO path read `table` and both answers agree. */
async function samePaths<T>(
  table: 'figure_aggregate' | 'report_fact' | null,
  ask: (path: 'AUTO' | 'ROWS') => Promise<{ ok: true; value: T } | { ok: false; issue: { message: string } }>,
): Promise<T> {
  const rows = answered(await ask('ROWS'));
  statements.length = 0;
  const auto = answered(await ask('AUTO'));
  const read = statements.join('\n');
  if (table) expect(read).toContain(table);
  else expect(read).not.toContain('figure_aggregate');
  expect(auto).toEqual(rows);
  type Pooled = { spec: MetricSpec; value: number | null; nullReason: string | null } & {
    numerator: number | null;
    denominator: number | null;
  };
  for (const group of (auto as { groups?: { aggregates: { value: Pooled }[] }[] }).groups ?? []) {
    for (const a of group.aggregates) {
      reasonsSeen.add(a.value.nullReason);
      // A pooled ratio gives the sums it divides, and they divide to it.
      const { spec, value, numerator, denominator } = a.value;
      if (spec.metric.kind !== 'RATIO') expect([numerator, denominator]).toEqual([null, null]);
      else if (value !== null) {
        const divided = Number(numerator) / Number(denominator);
        expect(Math.abs(value - divided)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(value)));
      } else if (a.value.nullReason === 'DIVISION_BY_ZERO') expect(denominator).toBe(0);
      if (spec.metric.kind === 'RATIO' && value !== null) pooledRatiosSeen.count++;
    }
  }
  return auto;
}

const ROLLUPS: {
  groupBy: RollupDimension[];
  regionLevel?: 'PROVINCE' | 'CITY' | 'COUNTY';
  statistics: RollupStatistic[];
  filter?: Parameters<typeof rollup>[1]['filter'];
  specs: MetricSpec[];
  having?: Parameters<typeof rollup>[1]['having'];
}[] = [
  { groupBy: ['REGION', 'YEAR'], statistics: ['SUM'], specs: COUNTS },
  // Groups of one or two reports, whose pooled figures keep the reports' own null reasons.
  {
    groupBy: ['REGION', 'YEAR', 'LEVEL', 'KIND'],
    regionLevel: 'PROVINCE',
    statistics: ['SUM', 'AVG', 'REPORTING_AGENCIES', 'AGENCY_COUNT'],
    specs: COUNTS,
    filter: {},
  },
  { groupBy: ['REGION', 'YEAR', 'KIND'], regionLevel: 'PROVINCE', statistics: [], specs: RATIOS, filter: {} },
  // Cities and counties are finer than the aggregates: these read every report.
  { groupBy: ['REGION', 'YEAR', 'KIND'], regionLevel: 'COUNTY', statistics: [], specs: RATIOS, filter: {} },
  { groupBy: ['REGION', 'YEAR'], regionLevel: 'CITY', statistics: ['SUM', 'AVG'], specs: COUNTS },
  { groupBy: ['REGION'], regionLevel: 'COUNTY', statistics: [], specs: [...COUNTS, ...RATIOS] },
  { groupBy: ['LEVEL', 'KIND', 'TEMPLATE_VERSION'], statistics: ['SUM', 'AVG'], specs: COUNTS },
  {
    groupBy: ['YEAR', 'LEVEL'],
    statistics: ['SUM', 'AVG', 'REPORTING_AGENCIES', 'AGENCY_COUNT'],
    specs: COUNTS,
  },
  { groupBy: [], statistics: [], specs: RATIOS },
  { groupBy: [], statistics: ['SUM', 'AVG'], specs: COUNTS, filter: { years: [2030] } },
  {
    groupBy: ['YEAR'],
    statistics: [],
    specs: RATIOS,
    filter: { agency: { levels: ['COUNTY'], kinds: ['DEPARTMENT'] } },
  },
  {
    groupBy: ['REGION', 'TEMPLATE_VERSION'],
    statistics: ['SUM'],
    specs: [...COUNTS, ...RATIOS].filter((s) => s.metric.kind !== 'RATIO'),
    filter: { fromYear: 2020, toYear: 2022, templateVersions: ['V2021'] },
  },
  {
    groupBy: ['REGION'],
    regionLevel: 'CITY',
    statistics: ['AGENCY_COUNT', 'REPORTING_AGENCIES', 'SUM'],
    specs: COUNTS,
    filter: { years: [2023] },
    having: [{ spec: spec('DISCLOSURE_RATE'), aggregate: 'POOLED', gte: 0.5 }],
  },
  {
    groupBy: ['REGION', 'YEAR'],
    statistics: ['SUM'],
    specs: COUNTS,
    having: [{ spec: spec('T3_GRANTED'), aggregate: 'SUM', gt: 40 }],
  },
];

/** Every comparison the aggregates serve, asked on both paths. */
async function compareEverything(regionCode: string, city: string) {
  for (const q of ROLLUPS) {
    const filter = q.filter ?? { agency: { regionCode } };
    const finer = q.groupBy.includes('REGION') && (q.regionLevel ?? 'PROVINCE') !== 'PROVINCE';
    await samePaths(finer ? null : 'figure_aggregate', (path) =>
      rollup(runner, { ...q, filter, statistics: new Set(q.statistics), path }),
    );
  }
  // Minimum, maximum and median cannot come from sums: those rollups keep reading reports.
  await samePaths(null, (path) => rollup(runner, { groupBy: ['YEAR'], specs: RATIOS, path }));
  // A city's agencies: finer than a province.
  await samePaths(null, (path) =>
    rollup(runner, { groupBy: ['YEAR'], specs: COUNTS, filter: { agency: { regionCode: city } }, path }),
  );
  for (const applicant of ['TOTAL', 'NATURAL_PERSON']) {
    for (const filter of [null, { agency: { regionCode } }, { templateVersions: ['V2019' as const] }]) {
      await samePaths('figure_aggregate', (path) => outcomeBreakdown(runner, { filter, applicant, path }));
    }
  }
  for (const s of [
    spec('T3_NEW_REQUESTS'),
    spec('DISCLOSURE_RATE'),
    spec('T3_REFUSED_ALL', 'TOTAL', 'CHANGE_PERCENT'),
  ]) {
    for (const year of [2020, 2023]) {
      await samePaths('report_fact', (path) =>
        ranking(runner, { spec: s, year, filter: { agency: { levels: ['COUNTY'] } }, limit: 25, path }),
      );
    }
  }
  // With a limit, values only and a filter the aggregates answer, the entries are walked along
  // the rank index (FETCH … WITH TIES) and the counts pooled from figure_aggregate.
  const ranks: { top: boolean; question: Omit<Parameters<typeof ranking>[1], 'path'> }[] = [];
  for (const s of [
    spec('T3_NEW_REQUESTS'),
    spec('DISCLOSURE_RATE'),
    spec('REFUSAL_RATE'),
    spec('T3_GRANTED'),
  ]) {
    for (const limit of [1, 3, 25, 500]) {
      for (const order of ['DESC', 'ASC'] as const) {
        for (const ties of ['INCLUDE', 'CUT'] as const) {
          ranks.push({ top: true, question: { spec: s, year: 2022, order, ties, limit } });
        }
      }
    }
    for (const filter of [
      { agency: { levels: ['COUNTY' as const] } },
      { agency: { regionCode, kinds: ['DEPARTMENT' as const] } },
      { templateVersions: ['V2019' as const] },
    ]) {
      ranks.push({ top: true, question: { spec: s, year: 2023, filter, limit: 4, ties: 'CUT' } });
    }
    // A year without reports: no entries, nobody unranked, the overall value NO_REPORT.
    ranks.push({ top: true, question: { spec: s, year: 2030, limit: 5 } });
    // Finer than a province, or no limit: the narrow rows, sorted.
    ranks.push({
      top: false,
      question: { spec: s, year: 2021, filter: { agency: { regionCode: city } }, limit: 5 },
    });
    ranks.push({ top: false, question: { spec: s, year: 2021 } });
  }
  for (const { top, question } of ranks) {
    // Both branches of the index statement: the walk (any share) and the sort of the matches.
    for (const walkShare of top ? [undefined, 0, 2] : [undefined]) {
      await samePaths('report_fact', (path) => ranking(runner, { ...question, path, walkShare }));
      expect(statements.join('\n').includes('WITH TIES'), JSON.stringify(question)).toBe(top);
    }
  }
  // Not every metric is in report_fact: these read the figures.
  await samePaths(null, (path) =>
    ranking(runner, { spec: spec('T3_GRANTED', 'NATURAL_PERSON'), year: 2021, limit: 25, path }),
  );
}

let province = '';
let city = '';
beforeAll(async () => {
  await resetDatabase(db);
  await loadRegions(db);
  await seedRoughDataset(db, 120);
  const [top] = await db.$queryRaw<{ code: string }[]>`
    SELECT left(region_code, 2) || '0000' AS code FROM agency GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`;
  province = top?.code ?? '110000';
  const [busiest] = await db.$queryRaw<{ code: string }[]>`
    SELECT left(region_code, 4) || '00' AS code FROM agency WHERE region_code NOT LIKE '__0000'
    GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`;
  city = busiest?.code ?? '110100';
}, 180_000);
afterAll(() => db.$disconnect());

describe('the aggregate path equals the row path', () => {
  it('over the generated dataset', async () => {
    const [counts] = await db.$queryRaw<{ reports: number; decimals: number; versions: number }[]>`
      SELECT count(*)::int AS reports, count(*) FILTER (WHERE f.decimal_values <> '{}')::int AS decimals,
             count(DISTINCT f.template_version)::int AS versions
      FROM report r JOIN revision_figures f ON f.revision_id = r.current_revision_id`;
    expect(counts).toMatchObject({ reports: 720, versions: 2 });
    expect(counts?.decimals).toBeGreaterThan(300);
    await compareEverything(province, city);
    // The dataset reaches every null reason a pooled figure can give.
    expect(reasonsSeen).toEqual(
      new Set([
        null,
        'NOT_IN_TEMPLATE_VERSION',
        'NOT_REPORTED',
        'MISSING',
        'UNREADABLE',
        'DIVISION_BY_ZERO',
        'NO_VALUES',
        'NO_REPORT',
      ]),
    );
    expect(pooledRatiosSeen.count).toBeGreaterThan(50);
  }, 120_000);

  it('after re-imports, new revisions, `revision use`, region changes and deletes', async () => {
    const next = random(99);
    const reports = await db.$queryRaw<{ name: string; year: number; version: 'V2019' | 'V2021' }[]>`
      SELECT a.name, r.year, rv.template_version::text AS version FROM report r JOIN agency a ON a.id = r.agency_id
      JOIN report_revision rv ON rv.id = r.current_revision_id ORDER BY a.name, r.year`;
    const finder = await loadRegionIndex(db);
    const revise = reports.filter(() => next() < 0.3);
    // New revisions (with other figures), then half of them imported once more unchanged.
    const revised = revise.map((r) =>
      batchReport(
        parsedReport(r.name, r.year, r.version, roughCells(r.version, new Map(), next, next() < 0.2)),
        'v2',
      ),
    );
    await storeBatch(db, revised, finder, true);
    await storeBatch(db, revised.slice(0, revised.length / 2), finder, true);
    // `revision use` back to the first revision for some, agencies moved to another region,
    // level and kind, a current revision deleted (the report then has none) and whole reports
    // deleted: by hand, in a transaction that counts them again as the store's writes do.
    await db.$transaction((tx) =>
      counted(tx, async () => {
        await tx.$executeRaw`
          UPDATE report r SET current_revision_id = rv.id FROM report_revision rv
          WHERE rv.report_id = r.id AND rv.number = 1 AND r.id % 3 = 0`;
        await tx.$executeRaw`UPDATE agency SET region_code = NULL, level = NULL WHERE id % 11 = 0`;
        await tx.$executeRaw`UPDATE agency SET kind = 'OTHER' WHERE id % 13 = 0`;
        await tx.$executeRaw`DELETE FROM finding WHERE revision_id IN (SELECT current_revision_id FROM report WHERE id % 17 = 0)
          OR other_revision_id IN (SELECT current_revision_id FROM report WHERE id % 17 = 0)`;
        await tx.$executeRaw`
          DELETE FROM report_revision WHERE id IN (SELECT current_revision_id FROM report WHERE id % 17 = 0)`;
        await tx.$executeRaw`UPDATE report SET current_revision_id = NULL WHERE id % 19 = 0`;
        await tx.$executeRaw`DELETE FROM finding WHERE revision_id IN (SELECT id FROM report_revision WHERE report_id % 19 = 0)
          OR other_revision_id IN (SELECT id FROM report_revision WHERE report_id % 19 = 0)`;
        await tx.$executeRaw`DELETE FROM report_revision WHERE report_id % 19 = 0`;
        await tx.$executeRaw`DELETE FROM report WHERE id % 19 = 0`;
      }),
    );
    await compareEverything(province, city);
  }, 180_000);
});
