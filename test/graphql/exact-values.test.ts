/**
 * Amounts the parser stores exactly (up to 14 digits before the point and 8 after) come out of
 * the comparisons exactly too: `exactValue` (MetricValue, DerivedValue) and `exactPooled`
 * (MetricAggregate) carry the decimal text, where the Float `value` rounds a stored
 * 99999999999999.99 万元 to 99999999999999.98. Every expected figure is worked out by hand:
 * 2022: 99999999999999.99 + 0.01 = 100000000000000; the health bureau's change from 2021
 * (0.01) is 99999999999999.98.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricByName } from '../../src/catalogue/metrics.ts';
import { rollup } from '../../src/comparison/rollup.ts';
import { importReport } from '../../src/import/index.ts';
import { createApp } from '../../src/server/app.ts';
import { loadRegions } from '../../src/store/regions.ts';
import { sqlRunner } from '../../src/store/sql-runner.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { EXAMPLE_V2021, fixtureText } from '../support/fixtures.ts';
import { graphqlClient, testConfig } from '../support/graphql.ts';

const db = testDb();
const gql = graphqlClient(db);
const app = createApp({ db, config: testConfig() });
afterAll(() => db.$disconnect());

const HEALTH = '宁夏回族自治区中卫市沙坡头区卫生健康局';
const EDUCATION = '宁夏回族自治区中卫市沙坡头区教育局';
const BIG = '99999999999999.99';
const FEES =
  metricByName('T2_FEES_AMOUNT') ??
  (() => {
    throw new Error('no T2_FEES_AMOUNT');
  })();

/** The V2021 example report with another agency, year and fees collected (万元). */
function report(agency: string, year: number, fees: string) {
  return fixtureText(EXAMPLE_V2021)
    .replaceAll(HEALTH, agency)
    .replaceAll('2022', String(year))
    .replace('行政事业性收费\t12.35', `行政事业性收费\t${fees}`);
}

beforeAll(async () => {
  await resetDatabase(db);
  await loadRegions(db);
  for (const [agency, year, fees] of [
    [HEALTH, 2021, '0.01'],
    [HEALTH, 2022, BIG],
    [EDUCATION, 2022, '0.01'],
  ] as const) {
    const text = report(agency, year, fees);
    const result = await importReport(db, { bytes: new TextEncoder().encode(text), fileName: `${year}.txt` });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
  }
}, 60_000);

describe('exact decimals in comparisons', () => {
  it('compare rows, CHANGE and totals give the exact text; ratios have none', async () => {
    const { data } =
      await gql(`{ compare(metrics: [{ metric: T2_FEES_AMOUNT }, { metric: T2_FEES_AMOUNT, transform: CHANGE }, { metric: DISCLOSURE_RATE }], filter: { years: [2022] }) {
      ... on Comparison { rows { agency { name } values { value exactValue } } totals { year values { value exactValue } } } } }`);
    const rows = data?.compare.rows.map(
      (r: { agency: { name: string }; values: { exactValue: string | null }[] }) => [
        r.agency.name,
        r.values.map((v) => v.exactValue),
      ],
    );
    expect(rows).toEqual([
      [HEALTH, [BIG, '99999999999999.98', null]],
      [EDUCATION, ['0.01', null, null]],
    ]);
    expect(data?.compare.rows[0].values[0].value).toBe(Number(BIG));
    expect(data?.compare.totals[0].values.map((v: { exactValue: string | null }) => v.exactValue)).toEqual([
      '100000000000000',
      '99999999999999.98',
      null,
    ]);
  });

  it('rollup pools exactly (the aggregates path) and ranking, series and change carry the text', async () => {
    const { data, errors } = await gql(`{
      rollup(metrics: [{ metric: T2_FEES_AMOUNT }], groupBy: [YEAR]) { ... on Rollup { groups { key { year } aggregates { exactPooled } } } }
      ranking(metric: { metric: T2_FEES_AMOUNT }, year: 2022, limit: 5) { ... on Ranking { entries { value { exactValue } } } }
      series(metric: { metric: T2_FEES_AMOUNT }) { ... on Series { totals { year exactValue } } }
      change(metric: { metric: T2_FEES_AMOUNT }, fromYear: 2021, toYear: 2022) { ... on Change { entries {
        agency { name } from { exactValue } to { exactValue } difference { value exactValue } ratio { exactValue } } } } }`);
    expect(errors).toBeUndefined();
    expect(
      data?.rollup.groups.map((g: { key: { year: number }; aggregates: { exactPooled: string }[] }) => [
        g.key.year,
        g.aggregates[0]?.exactPooled,
      ]),
    ).toEqual([
      [2021, '0.01'],
      [2022, '100000000000000'],
    ]);
    expect(data?.ranking.entries.map((e: { value: { exactValue: string } }) => e.value.exactValue)).toEqual([
      BIG,
      '0.01',
    ]);
    expect(data?.series.totals).toEqual([
      { year: 2021, exactValue: '0.01' },
      { year: 2022, exactValue: '100000000000000' },
    ]);
    expect(data?.change.entries[0]).toEqual({
      agency: { name: HEALTH },
      from: { exactValue: '0.01' },
      to: { exactValue: BIG },
      difference: { value: 99999999999999.98, exactValue: '99999999999999.98' },
      ratio: { exactValue: null },
    });
  });

  it('rollup sums, extremes and medians give the exact text on both paths', async () => {
    // 2022's two reports: Σ = 100000000000000, median (99999999999999.99 + 0.01) / 2 = 50000000000000.
    const expected = ['100000000000000', '0.01', BIG, '50000000000000'];
    for (const path of ['AUTO', 'ROWS'] as const) {
      const result = await rollup(sqlRunner(db), {
        specs: [{ metric: FEES, applicant: 'TOTAL', transform: 'VALUE' }],
        groupBy: ['YEAR'],
        filter: { years: [2022] },
        statistics: new Set(
          path === 'AUTO' ? (['SUM'] as const) : (['SUM', 'MIN', 'MAX', 'MEDIAN'] as const),
        ),
        path,
      });
      if (!result.ok) throw new Error(result.issue.message);
      const [aggregate] = result.value.groups[0]?.aggregates ?? [];
      const exact = [aggregate?.exactSum, aggregate?.exactMin, aggregate?.exactMax, aggregate?.exactMedian];
      expect(exact, path).toEqual(path === 'AUTO' ? [expected[0], null, null, null] : expected);
    }
    const { data } =
      await gql(`{ rollup(metrics: [{ metric: T2_FEES_AMOUNT }, { metric: DISCLOSURE_RATE }], groupBy: [], filter: { years: [2022] }) {
      ... on Rollup { groups { aggregates { sum exactSum exactMin exactMax exactMedian } } } } }`);
    expect(data?.rollup.groups[0].aggregates).toEqual([
      {
        sum: 100000000000000,
        exactSum: expected[0],
        exactMin: '0.01',
        exactMax: BIG,
        exactMedian: expected[3],
      },
      { sum: expect.any(Number), exactSum: null, exactMin: null, exactMax: null, exactMedian: null },
    ]);
  });

  it('/csv exports the exact text beside the value', async () => {
    const query = `{ compare(metrics: [{ metric: T2_FEES_AMOUNT }], filter: { years: [2022] }) {
      ... on Comparison { rows { agency { name } values { label value exactValue } } } } }`;
    const response = await app.fetch('http://yoga/csv', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const lines = (await response.text()).replace('\uFEFF', '').trimEnd().split('\r\n');
    expect(lines).toEqual([
      'agency.name,行政事业性收费·本年收费金额（单位：万元）,行政事业性收费·本年收费金额（单位：万元）·精确值',
      `${HEALTH},99999999999999.98,${BIG}`,
      `${EDUCATION},0.01,0.01`,
    ]);
  });
});
