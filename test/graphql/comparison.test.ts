import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE2_CELLS, TABLE3_CELLS, TABLE4_CELLS } from '../../src/catalogue/cells.ts';
import { METRICS } from '../../src/catalogue/metrics.ts';
import { TABLE3_GROUPS, TABLE3_ROWS } from '../../src/catalogue/template.ts';
import {
  CITY_GOV,
  EDUCATION,
  HAIDIAN_GOV,
  HAIYUAN_GOV,
  HEALTH,
  PROVINCE_GOV,
  SCIENCE,
  SHAPOTOU_GOV,
  seedComparisonData,
  WENCHANG_GOV,
  XINGQING_GOV,
  ZHONGNING_GOV,
} from '../comparison/dataset.ts';
import { testDb } from '../support/db.ts';
import { graphqlClient } from '../support/graphql.ts';

const db = testDb();
const errors: unknown[] = [];
const gql = graphqlClient(db, errors);
afterAll(() => db.$disconnect());
beforeAll(() => seedComparisonData(db), 60_000);

interface Value {
  label: string;
  value: number | null;
  nullReason: string | null;
  numerator: number | null;
  denominator: number | null;
}
interface Row {
  agency: { name: string };
  year: number;
  templateVersion: string;
  values: Value[];
}

const COMPARE = /* GraphQL */ `
  query Compare($metrics: [MetricInput!]!, $filter: ReportFilter, $limit: Int, $offset: Int) {
    compare(metrics: $metrics, filter: $filter, limit: $limit, offset: $offset) {
      __typename
      ... on Comparison {
        columns { metric label unit applicant transform }
        rowCount
        rows { agency { name } year templateVersion values { label value nullReason numerator denominator } }
        totals { year reportCount values { value nullReason pooledReports numerator denominator } }
      }
      ... on InvalidInputError { message argument }
    }
  }
`;

async function compareRows(metrics: object[], filter: object = {}) {
  const { data, errors: gqlErrors } = await gql(COMPARE, { metrics, filter });
  expect(gqlErrors).toBeUndefined();
  expect(data?.compare.__typename).toBe('Comparison');
  return data?.compare as {
    rowCount: number;
    rows: Row[];
    totals: { year: number; reportCount: number; values: Value[] }[];
  };
}

/** [agency, year, value or reason] for each row's metric j: the shape a dashboard draws. */
const cellsOf = (rows: Row[], j = 0) =>
  rows.map((r) => [r.agency.name, r.year, r.values[j]?.value ?? r.values[j]?.nullReason]);

describe('metrics', () => {
  it('are generated from the catalogue: every table-2/4 cell, every table-3 row and group, and five ratios', async () => {
    expect(METRICS).toHaveLength(
      TABLE2_CELLS.length + TABLE3_ROWS.length + TABLE3_GROUPS.length + TABLE4_CELLS.length + 5,
    );
    expect(TABLE3_CELLS.length).toBe(TABLE3_ROWS.length * 7);
    const { data } = await gql(/* GraphQL */ `
      {
        ratios: metrics(kind: RATIO) { metric labelZh unit byApplicant comparableAcrossVersions }
        all: metrics { metric templateVersions }
        __type(name: "Metric") { enumValues { name description } }
      }
    `);
    expect(data?.ratios).toEqual([
      {
        metric: 'DISCLOSURE_RATE',
        labelZh: '公开率',
        unit: 'RATIO',
        byApplicant: true,
        comparableAcrossVersions: true,
      },
      {
        metric: 'REFUSAL_RATE',
        labelZh: '不予公开率',
        unit: 'RATIO',
        byApplicant: true,
        comparableAcrossVersions: true,
      },
      {
        metric: 'REVIEW_CORRECTION_RATE',
        labelZh: '行政复议纠正率',
        unit: 'RATIO',
        byApplicant: false,
        comparableAcrossVersions: true,
      },
      {
        metric: 'LITIGATION_CORRECTION_RATE',
        labelZh: '行政诉讼纠正率',
        unit: 'RATIO',
        byApplicant: false,
        comparableAcrossVersions: true,
      },
      {
        metric: 'BACKLOG_RATE',
        labelZh: '结转率',
        unit: 'RATIO',
        byApplicant: true,
        comparableAcrossVersions: true,
      },
    ]);
    const versions = Object.fromEntries(
      data?.all.map((m: { metric: string; templateVersions: string[] }) => [m.metric, m.templateVersions]),
    );
    expect(versions.T2_FEES_AMOUNT).toEqual(['V2021']);
    expect(versions.T3_OTHER_HANDLING).toEqual(['V2019']);
    expect(versions.T3_OTHER_HANDLING_ALL).toEqual(['V2019', 'V2021']);
    const enumValues = data?.__type.enumValues as { name: string; description: string }[];
    expect(enumValues.map((v) => v.name)).toEqual(METRICS.map((m) => m.name));
    expect(enumValues.find((v) => v.name === 'LITIGATION_CORRECTION_RATE')?.description).toContain(
      'Lawsuits filed directly and lawsuits filed after review are pooled',
    );
  });
});

describe('compare', () => {
  it('draws the disclosure rate of every city-level department of 中卫市, 2019–2024, with pooled totals per year', async () => {
    const result = await compareRows([{ metric: 'DISCLOSURE_RATE' }], {
      agency: { regionCode: '640500', levels: ['CITY'], kinds: ['DEPARTMENT'] },
      fromYear: 2019,
      toYear: 2024,
    });
    expect(result.rowCount).toBe(11);
    expect(cellsOf(result.rows)).toEqual([
      [EDUCATION, 2019, 0.75],
      [EDUCATION, 2020, 0.25],
      [EDUCATION, 2021, 0.4],
      [EDUCATION, 2022, 0],
      [EDUCATION, 2023, 1],
      [EDUCATION, 2024, 'MISSING'],
      [SCIENCE, 2019, 0.5],
      [SCIENCE, 2020, 'DIVISION_BY_ZERO'],
      [SCIENCE, 2021, 0.5],
      [SCIENCE, 2022, 0.9],
      [SCIENCE, 2024, 'NOT_REPORTED'],
    ]);
    expect(result.rows[0]?.values[0]).toMatchObject({
      label: '公开率（总计）',
      numerator: 15,
      denominator: 20,
    });
    expect(
      result.totals.map((t) => [t.year, t.reportCount, t.values[0]?.value ?? t.values[0]?.nullReason]),
    ).toEqual([
      [2019, 2, 19 / 28],
      [2020, 2, 0.25],
      [2021, 2, 4 / 9],
      [2022, 2, 9 / 14],
      [2023, 1, 1],
      [2024, 2, 'NO_VALUES'],
    ]);
    // A pooled ratio gives the sums it divides: 2019 pools 15/20 and 4/8.
    expect(result.totals[0]?.values[0]).toMatchObject({ numerator: 19, denominator: 28, pooledReports: 2 });
    expect(result.totals.at(-1)?.values[0]).toMatchObject({
      numerator: null,
      denominator: null,
      pooledReports: 0,
    });
  });

  it('computes every ratio, with null and DIVISION_BY_ZERO where the denominator is 0', async () => {
    const result = await compareRows(
      [
        'DISCLOSURE_RATE',
        'REFUSAL_RATE',
        'REVIEW_CORRECTION_RATE',
        'LITIGATION_CORRECTION_RATE',
        'BACKLOG_RATE',
      ].map((metric) => ({ metric })),
      { agency: { nameContains: '中卫市' }, years: [2019, 2020, 2022] },
    );
    const table = Object.fromEntries(
      result.rows.map((r) => [
        `${r.agency.name} ${r.year}`,
        r.values.map((v) => (v.value === null ? v.nullReason : `${v.numerator}/${v.denominator}`)),
      ]),
    );
    expect(table).toEqual({
      [`${ZHONGNING_GOV} 2022`]: ['3/4', '0/4', '2/8', 'DIVISION_BY_ZERO', '0/4'],
      [`${CITY_GOV} 2022`]: ['20/25', '0/25', 'DIVISION_BY_ZERO', 'DIVISION_BY_ZERO', '0/25'],
      [`${EDUCATION} 2019`]: ['15/20', '3/20', 'DIVISION_BY_ZERO', 'DIVISION_BY_ZERO', '0/20'],
      [`${EDUCATION} 2020`]: ['4/16', '0/16', 'DIVISION_BY_ZERO', 'DIVISION_BY_ZERO', '0/16'],
      [`${EDUCATION} 2022`]: ['0/4', '0/4', 'DIVISION_BY_ZERO', 'DIVISION_BY_ZERO', '1/5'],
      [`${SCIENCE} 2019`]: ['4/8', '2/8', 'DIVISION_BY_ZERO', 'DIVISION_BY_ZERO', '0/8'],
      [`${SCIENCE} 2020`]: [
        'DIVISION_BY_ZERO',
        'DIVISION_BY_ZERO',
        'DIVISION_BY_ZERO',
        'DIVISION_BY_ZERO',
        'DIVISION_BY_ZERO',
      ],
      [`${SCIENCE} 2022`]: ['9/10', '1/10', 'DIVISION_BY_ZERO', 'DIVISION_BY_ZERO', '0/10'],
      [`${HAIYUAN_GOV} 2022`]: [
        'DIVISION_BY_ZERO',
        'DIVISION_BY_ZERO',
        'DIVISION_BY_ZERO',
        'DIVISION_BY_ZERO',
        'DIVISION_BY_ZERO',
      ],
      [`${SHAPOTOU_GOV} 2022`]: ['8/10', '2/10', '1/4', '2/3', '0/10'],
      [`${WENCHANG_GOV} 2022`]: ['1/1', '0/1', 'DIVISION_BY_ZERO', 'DIVISION_BY_ZERO', '0/1'],
      [`${HEALTH} 2022`]: ['30/50', '5/50', '1/4', '1/3', '3/53'],
    });
    const shapotou = result.rows.find((r) => r.agency.name === SHAPOTOU_GOV);
    expect(shapotou?.values.map((v) => v.value)).toEqual([0.8, 0.2, 0.25, 2 / 3, 0]);
    // The real V2021 fixture: (24 + 6) / 50, 5 / 50, 1 / 4, (0 + 1) / (2 + 1), 3 / (49 + 4).
    const health = await compareRows(
      [
        'DISCLOSURE_RATE',
        'REFUSAL_RATE',
        'REVIEW_CORRECTION_RATE',
        'LITIGATION_CORRECTION_RATE',
        'BACKLOG_RATE',
      ].map((metric) => ({ metric })),
      { agency: { nameContains: '卫生健康局' } },
    );
    expect(health.rows[0]?.values.map((v) => [v.value, v.numerator, v.denominator])).toEqual([
      [0.6, 30, 50],
      [0.1, 5, 50],
      [0.25, 1, 4],
      [1 / 3, 1, 3],
      [3 / 53, 3, 53],
    ]);
  });

  it('takes table-3 metrics for one applicant type', async () => {
    const result = await compareRows(
      [
        { metric: 'DISCLOSURE_RATE', applicant: 'NATURAL_PERSON' },
        { metric: 'DISCLOSURE_RATE', applicant: 'COMMERCIAL_ENTERPRISE' },
        { metric: 'T3_GRANTED', applicant: 'COMMERCIAL_ENTERPRISE' },
        { metric: 'DISCLOSURE_RATE', applicant: 'LEGAL_SERVICE' },
      ],
      { agency: { nameContains: EDUCATION }, years: [2019] },
    );
    expect(result.rows[0]?.values.map((v) => [v.label, v.value ?? v.nullReason])).toEqual([
      ['公开率（自然人）', 13 / 18],
      ['公开率（商业企业）', 1],
      ['（一）予以公开（商业企业）', 2],
      ['公开率（法律服务机构）', 'DIVISION_BY_ZERO'],
    ]);
  });

  it('is honest across template versions: absent cells are null with NOT_IN_TEMPLATE_VERSION, groups map both versions', async () => {
    const result = await compareRows(
      [
        { metric: 'T2_FEES_AMOUNT' },
        { metric: 'T2_LICENSING_DECISIONS' },
        { metric: 'T3_OTHER_HANDLING' },
        { metric: 'T3_OTHER_NO_CORRECTION' },
        { metric: 'T3_OTHER_HANDLING_ALL' },
        { metric: 'T3_GRANTED' },
      ],
      { agency: { nameContains: '中卫市' }, fromYear: 2020, toYear: 2024, where: [] },
    );
    const table = Object.fromEntries(
      result.rows
        .filter((r) => [SCIENCE, EDUCATION].includes(r.agency.name))
        .map((r) => [
          `${r.agency.name} ${r.year} ${r.templateVersion}`,
          r.values.map((v) => v.value ?? v.nullReason),
        ]),
    );
    expect(table).toEqual({
      [`${EDUCATION} 2020 V2019`]: ['NOT_IN_TEMPLATE_VERSION', 40, 3, 'NOT_IN_TEMPLATE_VERSION', 3, 2],
      [`${EDUCATION} 2021 V2021`]: [0, 50, 'NOT_IN_TEMPLATE_VERSION', 1, 3, 1],
      [`${EDUCATION} 2022 V2021`]: [0, 0, 'NOT_IN_TEMPLATE_VERSION', 0, 0, 0],
      [`${EDUCATION} 2023 V2021`]: [0, 0, 'NOT_IN_TEMPLATE_VERSION', 0, 0, 7],
      [`${EDUCATION} 2024 V2021`]: [0, 0, 'NOT_IN_TEMPLATE_VERSION', 0, 0, 'MISSING'],
      [`${SCIENCE} 2020 V2019`]: ['NOT_IN_TEMPLATE_VERSION', 0, 0, 'NOT_IN_TEMPLATE_VERSION', 0, 0],
      [`${SCIENCE} 2021 V2021`]: [0, 0, 'NOT_IN_TEMPLATE_VERSION', 0, 0, 2],
      [`${SCIENCE} 2022 V2021`]: [2.5, 0, 'NOT_IN_TEMPLATE_VERSION', 0, 0, 6],
      [`${SCIENCE} 2024 V2021`]: [0, 0, 'NOT_IN_TEMPLATE_VERSION', 0, 0, 'NOT_REPORTED'],
    });
    // Totals say why when no report has the figure, rather than summing to 0.
    const total2021 = result.totals.find((t) => t.year === 2021);
    expect(total2021?.values[2]).toEqual({
      value: null,
      nullReason: 'NOT_IN_TEMPLATE_VERSION',
      pooledReports: 0,
      numerator: null,
      denominator: null,
    });
  });

  it('gives year-over-year changes, absolute and relative, with the reason when one year is unknown', async () => {
    const result = await compareRows(
      [
        { metric: 'DISCLOSURE_RATE', transform: 'CHANGE' },
        { metric: 'DISCLOSURE_RATE', transform: 'CHANGE_PERCENT' },
        { metric: 'T3_OTHER_HANDLING_ALL', transform: 'CHANGE' },
        { metric: 'T2_LICENSING_DECISIONS', transform: 'CHANGE_PERCENT' },
      ],
      { agency: { levels: ['CITY'], kinds: ['DEPARTMENT'] } },
    );
    const table = Object.fromEntries(
      result.rows.map((r) => [`${r.agency.name} ${r.year}`, r.values.map((v) => v.value ?? v.nullReason)]),
    );
    expect(table).toEqual({
      [`${EDUCATION} 2019`]: ['NO_REPORT', 'NO_REPORT', 'NO_REPORT', 'NO_REPORT'],
      [`${EDUCATION} 2020`]: [-0.5, -2 / 3, 3, 'DIVISION_BY_ZERO'],
      [`${EDUCATION} 2021`]: [0.15, 0.6, 0, 0.25],
      [`${EDUCATION} 2022`]: [-0.4, -1, -3, -1],
      [`${EDUCATION} 2023`]: [1, 'DIVISION_BY_ZERO', 0, 'DIVISION_BY_ZERO'],
      [`${EDUCATION} 2024`]: ['MISSING', 'MISSING', 0, 'DIVISION_BY_ZERO'],
      [`${SCIENCE} 2019`]: ['NO_REPORT', 'NO_REPORT', 'NO_REPORT', 'NO_REPORT'],
      [`${SCIENCE} 2020`]: ['DIVISION_BY_ZERO', 'DIVISION_BY_ZERO', -1, 'DIVISION_BY_ZERO'],
      [`${SCIENCE} 2021`]: ['DIVISION_BY_ZERO', 'DIVISION_BY_ZERO', 0, 'DIVISION_BY_ZERO'],
      [`${SCIENCE} 2022`]: [0.4, 0.8, 0, 'DIVISION_BY_ZERO'],
      // No 2023 report comes first, as in change(): the 2024 rate is also NOT_REPORTED.
      [`${SCIENCE} 2024`]: ['NO_REPORT', 'NO_REPORT', 'NO_REPORT', 'NO_REPORT'],
    });
  });

  it('pages rows in a stable order while totals cover every row', async () => {
    const all = await compareRows([{ metric: 'T3_NEW_REQUESTS' }], { agency: { regionCode: '640000' } });
    const { data } = await gql(COMPARE, {
      metrics: [{ metric: 'T3_NEW_REQUESTS' }],
      filter: { agency: { regionCode: '640000' } },
      limit: 3,
      offset: 2,
    });
    expect(data?.compare.rowCount).toBe(all.rowCount);
    expect(data?.compare.rows).toEqual(all.rows.slice(2, 5));
    expect(data?.compare.totals).toEqual(all.totals);
  });
});

describe('filters', () => {
  const names = async (filter: object) =>
    [
      ...new Set((await compareRows([{ metric: 'T3_GRANTED' }], filter)).rows.map((r) => r.agency.name)),
    ].sort();

  it('take a region of any level with every division under it', async () => {
    expect(await names({ agency: { regionCode: '640000' } })).toEqual(
      [
        SCIENCE,
        EDUCATION,
        CITY_GOV,
        SHAPOTOU_GOV,
        ZHONGNING_GOV,
        HAIYUAN_GOV,
        XINGQING_GOV,
        HEALTH,
        WENCHANG_GOV,
        PROVINCE_GOV,
      ].sort(),
    );
    expect(await names({ agency: { regionCode: '640500' } })).toEqual(
      [SCIENCE, EDUCATION, CITY_GOV, SHAPOTOU_GOV, ZHONGNING_GOV, HAIYUAN_GOV, HEALTH, WENCHANG_GOV].sort(),
    );
    expect(await names({ agency: { regionCode: '640502' } })).toEqual(
      [SHAPOTOU_GOV, HEALTH, WENCHANG_GOV].sort(),
    );
    expect(await names({ agency: { regionCode: '640502101' } })).toEqual([WENCHANG_GOV]);
    expect(await names({ agency: { regionCode: '110000' } })).toEqual([HAIDIAN_GOV]);
  });

  it('take level, kind, name, agency ids, years and template versions', async () => {
    expect(await names({ agency: { levels: ['COUNTY'], kinds: ['DEPARTMENT'] } })).toEqual([HEALTH]);
    expect(await names({ agency: { levels: ['PROVINCE', 'TOWNSHIP'] } })).toEqual(
      [WENCHANG_GOV, PROVINCE_GOV].sort(),
    );
    expect(await names({ agency: { nameContains: '教育' } })).toEqual([EDUCATION]);
    // As the agencies list reads it, so one search box gives both the same agencies.
    expect(await names({ agency: { nameContains: ' 教育 ' } })).toEqual([EDUCATION]);
    expect(await names({ agency: { nameContains: '   ' } })).toEqual(await names({}));
    expect(await names({ years: [2023] })).toEqual([EDUCATION]);
    expect(await names({ templateVersions: ['V2019'] })).toEqual([EDUCATION, SCIENCE].sort());
    const { data } = await gql(
      `{ agencies(filter: { nameContains: "教育局" }) { ... on QueryAgenciesConnection { edges { node { id } } } } }`,
    );
    const id = data?.agencies.edges[0].node.id;
    expect(await names({ agency: { ids: [id] } })).toEqual([EDUCATION]);
  });

  it('take numeric conditions on metrics: greater, less, equal, not reported', async () => {
    const rows = async (where: object[], years = [2022, 2024]) =>
      cellsOf(
        (
          await compareRows([{ metric: 'DISCLOSURE_RATE' }], {
            agency: { regionCode: '640000' },
            years,
            where,
          })
        ).rows,
      );
    expect(await rows([{ metric: { metric: 'DISCLOSURE_RATE' }, gt: 0.75, lt: 1 }])).toEqual([
      [CITY_GOV, 2022, 0.8],
      [SHAPOTOU_GOV, 2022, 0.8],
      [SCIENCE, 2022, 0.9],
      [XINGQING_GOV, 2022, 0.9],
    ]);
    expect(await rows([{ metric: { metric: 'DISCLOSURE_RATE' }, eq: 0 }])).toEqual([[EDUCATION, 2022, 0]]);
    expect(await rows([{ metric: { metric: 'T3_GRANTED' }, notReported: true }])).toEqual([
      [EDUCATION, 2024, 'MISSING'],
      [SCIENCE, 2024, 'NOT_REPORTED'],
    ]);
    expect(
      await rows([
        { metric: { metric: 'REVIEW_CORRECTION_RATE' }, gte: 0.25 },
        { metric: { metric: 'DISCLOSURE_RATE' }, lte: 0.75 },
      ]),
    ).toEqual([
      [ZHONGNING_GOV, 2022, 0.75],
      [HEALTH, 2022, 0.6],
    ]);
  });

  it('refuse conditions no value can meet, naming them, rather than answering that nothing qualifies', async () => {
    const refusal = async (where: object[]) => {
      const { data } = await gql(COMPARE, { metrics: [{ metric: 'DISCLOSURE_RATE' }], filter: { where } });
      return [data?.compare.__typename, data?.compare.argument, data?.compare.message];
    };
    const metric = { metric: 'DISCLOSURE_RATE' };
    expect(await refusal([{ metric, gt: 100, lt: 50 }])).toEqual([
      'InvalidInputError',
      'filter.where[0]',
      'gt 100 and lt 50 can never both hold, so nothing would match; widen or drop one of them.',
    ]);
    expect(
      (
        await refusal([
          { metric, gte: 0.1 },
          { metric, gt: 0.5, lte: 0.5 },
        ])
      ).slice(0, 2),
    ).toEqual(['InvalidInputError', 'filter.where[1]']);
    expect((await refusal([{ metric, eq: 0.5, gt: 0.6 }]))[2]).toContain('gt 0.6 and eq 0.5');
    expect((await refusal([{ metric, lt: 1e9, notReported: true }]))[2]).toContain(
      'notReported: true keeps reports without a value',
    );
    // Bounds that meet at one value are one value, not a contradiction.
    expect((await refusal([{ metric, gte: 0.8, lte: 0.8 }]))[0]).toBe('Comparison');
    const { data } = await gql(/* GraphQL */ `{
      rollup(metrics: [{ metric: T3_GRANTED }], groupBy: [YEAR],
             having: [{ metric: { metric: T3_GRANTED }, aggregate: SUM, gt: 100, lt: 50 }]) {
        ... on InvalidInputError { argument message }
      }
    }`);
    expect(data?.rollup).toEqual({
      argument: 'having[0]',
      message: 'gt 100 and lt 50 can never both hold, so nothing would match; widen or drop one of them.',
    });
  });

  it('extend the agencies list: level, kind, years and region', async () => {
    const { data } = await gql(/* GraphQL */ `
      {
        counties: agencies(filter: { levels: [COUNTY], kinds: [GOVERNMENT], regionCode: "640000" }) {
          ... on QueryAgenciesConnection { totalCount edges { node { name level kind region { code name } } } }
        }
        reported2019: agencies(filter: { years: [2019] }) { ... on QueryAgenciesConnection { edges { node { name } } } }
      }
    `);
    expect(data?.counties.totalCount).toBe(4);
    expect(
      data?.counties.edges.map((e: { node: { name: string; region: { code: string } } }) => [
        e.node.name,
        e.node.region.code,
      ]),
    ).toEqual([
      [SHAPOTOU_GOV, '640502'],
      [ZHONGNING_GOV, '640521'],
      [HAIYUAN_GOV, '640522'],
      [XINGQING_GOV, '640104'],
    ]);
    expect(data?.reported2019.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual([
      SCIENCE,
      EDUCATION,
    ]);
  });

  it('take synthetic: true for generated demo agencies only, false for published ones, in SQL on every path', async () => {
    await db.$executeRaw`UPDATE agency SET synthetic = true WHERE name = ${SHAPOTOU_GOV}`;
    try {
      expect(await names({ agency: { synthetic: true } })).toEqual([SHAPOTOU_GOV]);
      expect(await names({ agency: { regionCode: '640502', synthetic: false } })).toEqual(
        [HEALTH, WENCHANG_GOV].sort(),
      );
      const { data, errors: gqlErrors } = await gql(
        /* GraphQL */ `
        query Synthetic($rollup: ReportFilter, $ranking: ReportFilter) {
          demo: agencies(filter: { synthetic: true }) {
            ... on QueryAgenciesConnection { totalCount edges { node { name synthetic reportCount } } }
          }
          published: agencies(filter: { synthetic: false, regionCode: "640502" }) {
            ... on QueryAgenciesConnection { totalCount }
          }
          all: rollup(groupBy: [], metrics: [{ metric: T3_GRANTED }]) { ... on Rollup { groups { reportCount } } }
          real: rollup(groupBy: [], metrics: [{ metric: T3_GRANTED }], filter: $rollup) {
            ... on Rollup { groups { reportCount } }
          }
          ranking(metric: { metric: REVIEW_CORRECTION_RATE }, year: 2022, filter: $ranking, limit: 10) {
            ... on Ranking { populationSize entries { agency { name } } }
          }
        }
      `,
        {
          rollup: { agency: { synthetic: false } },
          ranking: {
            agency: { regionCode: '640000', levels: ['COUNTY'], kinds: ['GOVERNMENT'], synthetic: false },
          },
        },
      );
      expect(gqlErrors).toBeUndefined();
      expect(data?.demo.totalCount).toBe(1);
      expect(data?.demo.edges[0].node).toMatchObject({ name: SHAPOTOU_GOV, synthetic: true });
      expect(data?.published.totalCount).toBe(2);
      // A rollup over the provinces' aggregates has no synthetic dimension: it takes the row path.
      expect(data?.real.groups[0].reportCount).toBe(
        data?.all.groups[0].reportCount - data?.demo.edges[0].node.reportCount,
      );
      // The county governments of 宁夏 without the demo one (the ranking's limit reads the index).
      expect(data?.ranking.populationSize).toBe(3);
      expect(data?.ranking.entries.map((e: { agency: { name: string } }) => e.agency.name)).not.toContain(
        SHAPOTOU_GOV,
      );
    } finally {
      await db.$executeRaw`UPDATE agency SET synthetic = false WHERE name = ${SHAPOTOU_GOV}`;
    }
  });

  it('reject what they cannot answer with a typed error that says what to do', async () => {
    const bad = async (variables: Record<string, unknown>) => {
      const { data, errors: gqlErrors } = await gql(COMPARE, variables);
      expect(gqlErrors).toBeUndefined();
      return [data?.compare.__typename, data?.compare.argument, data?.compare.message];
    };
    expect(
      await bad({ metrics: [{ metric: 'T3_GRANTED' }], filter: { agency: { regionCode: '中卫市' } } }),
    ).toEqual([
      'InvalidInputError',
      'filter.agency.regionCode',
      expect.stringContaining('is not a GB/T 2260 code'),
    ]);
    expect(
      await bad({ metrics: [{ metric: 'REVIEW_CORRECTION_RATE', applicant: 'NATURAL_PERSON' }] }),
    ).toEqual([
      'InvalidInputError',
      'metrics[0].applicant',
      expect.stringContaining('not counted by applicant type'),
    ]);
    expect(
      await bad({ metrics: [{ metric: 'T3_GRANTED' }], filter: { fromYear: 2024, toYear: 2019 } }),
    ).toEqual(['InvalidInputError', 'filter.fromYear', 'fromYear 2024 is after toYear 2019; swap them.']);
    expect(await bad({ metrics: [] })).toEqual([
      'InvalidInputError',
      'metrics',
      'Ask for 1 to 40 metrics; got 0.',
    ]);
    expect(errors).toEqual([]);
  });
});

describe('series', () => {
  const SERIES = /* GraphQL */ `
    query Series($metric: MetricInput!, $filter: ReportFilter) {
      series(metric: $metric, filter: $filter) {
        ... on Series {
          metric { label }
          years agencyCount
          series { agency { name } points { year value nullReason } }
          totals { year value nullReason pooledReports numerator denominator }
        }
      }
    }
  `;

  it('aligns every agency on the same years, NO_REPORT where a year is missing, with the pooled series', async () => {
    const { data } = await gql(SERIES, {
      metric: { metric: 'DISCLOSURE_RATE' },
      filter: {
        agency: { regionCode: '640500', levels: ['CITY'], kinds: ['DEPARTMENT'] },
        fromYear: 2019,
        toYear: 2024,
      },
    });
    expect(data?.series.years).toEqual([2019, 2020, 2021, 2022, 2023, 2024]);
    expect(data?.series.metric.label).toBe('公开率（总计）');
    const points = (s: { points: { value: number | null; nullReason: string | null }[] }) =>
      s.points.map((p) => p.value ?? p.nullReason);
    expect(
      data?.series.series.map((s: { agency: { name: string } }) => [s.agency.name, points(s as never)]),
    ).toEqual([
      [EDUCATION, [0.75, 0.25, 0.4, 0, 1, 'MISSING']],
      [SCIENCE, [0.5, 'DIVISION_BY_ZERO', 0.5, 0.9, 'NO_REPORT', 'NOT_REPORTED']],
    ]);
    expect(points({ points: data?.series.totals })).toEqual([19 / 28, 0.25, 4 / 9, 9 / 14, 1, 'NO_VALUES']);
    expect(data?.series.totals[0]).toMatchObject({ numerator: 19, denominator: 28 });
  });

  it('defaults its years to the span of the reports in scope', async () => {
    const { data } = await gql(SERIES, {
      metric: { metric: 'T3_GRANTED' },
      filter: { agency: { nameContains: '科学技术局' } },
    });
    expect(data?.series.years).toEqual([2019, 2020, 2021, 2022, 2023, 2024]);
    expect(data?.series.agencyCount).toBe(1);
  });
});

describe('ranking', () => {
  const RANKING = /* GraphQL */ `
    query Rank($metric: MetricInput!, $year: Int!, $filter: ReportFilter, $order: RankOrder, $limit: Int, $withTies: Boolean) {
      ranking(metric: $metric, year: $year, filter: $filter, order: $order, limit: $limit, withTies: $withTies) {
        __typename
        ... on Ranking {
          populationSize rankedCount
          entries { rank tied tieCount agency { name } value { value numerator denominator } }
          unranked { reason count }
          overall { value pooledReports }
        }
        ... on InvalidInputError { message argument }
      }
    }
  `;
  const counties = { agency: { regionCode: '640000', levels: ['COUNTY'], kinds: ['GOVERNMENT'] } };
  const entries = (data: {
    ranking: { entries: { rank: number; agency: { name: string }; value: { value: number } }[] };
  }) => data.ranking.entries.map((e) => [e.rank, e.agency.name, e.value.value]);

  it('ranks the county governments of 宁夏 by review correction rate, ties sharing a rank, with the population size', async () => {
    const { data } = await gql(RANKING, {
      metric: { metric: 'REVIEW_CORRECTION_RATE' },
      year: 2022,
      filter: counties,
    });
    expect(entries(data as never)).toEqual([
      [1, XINGQING_GOV, 0.6],
      [2, ZHONGNING_GOV, 0.25],
      [2, SHAPOTOU_GOV, 0.25],
    ]);
    expect(data?.ranking.entries[1]).toMatchObject({
      tied: true,
      tieCount: 2,
      value: { numerator: 2, denominator: 8 },
    });
    expect(data?.ranking.populationSize).toBe(4);
    expect(data?.ranking.rankedCount).toBe(3);
    expect(data?.ranking.unranked).toEqual([{ reason: 'DIVISION_BY_ZERO', count: 1 }]);
    expect(data?.ranking.overall).toEqual({ value: 6 / 17, pooledReports: 4 });
  });

  it('ranks bottom-up, cuts at limit keeping ties unless told not to', async () => {
    const asc = await gql(RANKING, {
      metric: { metric: 'REVIEW_CORRECTION_RATE' },
      year: 2022,
      filter: counties,
      order: 'ASC',
      limit: 1,
    });
    expect(entries(asc.data as never)).toEqual([
      [1, ZHONGNING_GOV, 0.25],
      [1, SHAPOTOU_GOV, 0.25],
    ]);
    const strict = await gql(RANKING, {
      metric: { metric: 'REVIEW_CORRECTION_RATE' },
      year: 2022,
      filter: counties,
      limit: 2,
      withTies: false,
    });
    expect(entries(strict.data as never)).toEqual([
      [1, XINGQING_GOV, 0.6],
      [2, ZHONGNING_GOV, 0.25],
    ]);
  });

  it('refuses years in the filter: the year is its own argument', async () => {
    const { data } = await gql(RANKING, {
      metric: { metric: 'T3_GRANTED' },
      year: 2022,
      filter: { years: [2021] },
    });
    expect(data?.ranking).toMatchObject({ __typename: 'InvalidInputError', argument: 'filter.years' });
  });
});

describe('rollup', () => {
  const ROLLUP = /* GraphQL */ `
    query Rollup($metrics: [MetricInput!]!, $groupBy: [RollupDimension!]!, $regionLevel: AdministrativeLevel, $filter: ReportFilter, $having: [HavingCondition!]) {
      rollup(metrics: $metrics, groupBy: $groupBy, regionLevel: $regionLevel, filter: $filter, having: $having) {
        __typename
        ... on Rollup {
          groupBy regionLevel
          groups {
            key { regionCode region { name level } level kind year templateVersion }
            reportCount agencyCount
            aggregates { label pooled pooledNullReason sum avg min max median reportingAgencies reportingReports }
          }
        }
        ... on InvalidInputError { message argument }
      }
    }
  `;

  it('refuses regionLevel NATIONAL with advice that fits the groupBy asked', async () => {
    const refusal = async (groupBy: string[]) =>
      (await gql(ROLLUP, { metrics: [{ metric: 'T3_GRANTED' }], groupBy, regionLevel: 'NATIONAL' })).data
        ?.rollup;
    expect(await refusal(['REGION'])).toMatchObject({
      argument: 'regionLevel',
      message: expect.stringContaining('to group everything together leave REGION out of groupBy'),
    });
    expect(await refusal(['KIND'])).toMatchObject({
      argument: 'regionLevel',
      message:
        'regionLevel must be PROVINCE, CITY, COUNTY or TOWNSHIP (it sets the REGION groups; without REGION in groupBy, leave regionLevel out).',
    });
  });

  it('groups 宁夏 by city with sum, avg, min, max, median, reporting agencies and the pooled rate', async () => {
    const { data } = await gql(ROLLUP, {
      metrics: [{ metric: 'DISCLOSURE_RATE' }, { metric: 'T3_GRANTED' }],
      groupBy: ['REGION'],
      regionLevel: 'CITY',
      filter: { agency: { regionCode: '640000' }, years: [2022] },
    });
    const groups = data?.rollup.groups;
    expect(
      groups.map((g: { key: { regionCode: string | null; region: { name: string } | null } }) => [
        g.key.regionCode,
        g.key.region?.name ?? null,
      ]),
    ).toEqual([
      ['640100', '银川市'],
      ['640500', '中卫市'],
      [null, null],
    ]);
    const zhongwei = groups[1];
    expect(zhongwei.reportCount).toBe(8);
    expect(zhongwei.agencyCount).toBe(8);
    // Rates 0.9, 0, 0.8, 0.8, 0.75, 0.6, 1 and 海原县's 0/0; pooled (9+0+20+8+3+0+30+1)/(10+4+25+10+4+0+50+1).
    expect(zhongwei.aggregates[0]).toMatchObject({
      label: '公开率（总计）',
      pooled: 71 / 104,
      min: 0,
      max: 1,
      median: 0.8,
      reportingAgencies: 7,
      reportingReports: 7,
    });
    expect(zhongwei.aggregates[0].sum).toBeCloseTo(4.85, 12);
    expect(zhongwei.aggregates[0].avg).toBeCloseTo(4.85 / 7, 12);
    expect(zhongwei.aggregates[1]).toMatchObject({
      pooled: 6 + 24 + 20 + 6 + 3 + 0 + 0 + 1,
      sum: 60,
      avg: 7.5,
      median: 4.5,
    });
    expect(groups[2].aggregates[0]).toMatchObject({ pooled: 0.5, reportingAgencies: 1 });
    expect(groups[0].aggregates[0]).toMatchObject({ pooled: 0.9, sum: 0.9, reportingAgencies: 1 });
  });

  it('groups by level and kind, by year and template version, or not at all, and filters groups with having', async () => {
    const run = async (variables: object) => {
      const { data, errors: e } = await gql(ROLLUP, {
        metrics: [{ metric: 'T3_OUTCOMES_TOTAL' }],
        ...variables,
      });
      expect(e).toBeUndefined();
      return data?.rollup.groups.map(
        (g: { key: Record<string, unknown>; reportCount: number; aggregates: { sum: number }[] }) => [
          Object.fromEntries(Object.entries(g.key).filter(([k, v]) => v !== null && k !== 'region')),
          g.reportCount,
          g.aggregates[0]?.sum,
        ],
      );
    };
    expect(await run({ groupBy: ['LEVEL', 'KIND'], filter: { years: [2022] } })).toEqual([
      [{ level: 'PROVINCE', kind: 'GOVERNMENT' }, 1, 100],
      [{ level: 'CITY', kind: 'GOVERNMENT' }, 1, 25],
      [{ level: 'CITY', kind: 'DEPARTMENT' }, 2, 14],
      [{ level: 'COUNTY', kind: 'GOVERNMENT' }, 5, 10 + 4 + 0 + 10 + 2],
      [{ level: 'COUNTY', kind: 'DEPARTMENT' }, 1, 50],
      [{ level: 'TOWNSHIP', kind: 'GOVERNMENT' }, 1, 1],
    ]);
    expect(
      await run({
        groupBy: ['YEAR', 'TEMPLATE_VERSION'],
        filter: { agency: { levels: ['CITY'], kinds: ['DEPARTMENT'] } },
      }),
    ).toEqual([
      [{ year: 2019, templateVersion: 'V2019' }, 2, 28],
      [{ year: 2020, templateVersion: 'V2019' }, 2, 16],
      [{ year: 2021, templateVersion: 'V2021' }, 2, 9],
      [{ year: 2022, templateVersion: 'V2021' }, 2, 14],
      [{ year: 2023, templateVersion: 'V2021' }, 1, 8],
      [{ year: 2024, templateVersion: 'V2021' }, 2, 8],
    ]);
    expect(await run({ groupBy: [], filter: { years: [2019, 2020] } })).toEqual([[{}, 4, 28 + 16]]);
    expect(
      await run({
        groupBy: ['REGION'],
        regionLevel: 'COUNTY',
        filter: { years: [2022] },
        having: [{ metric: { metric: 'T3_OUTCOMES_TOTAL' }, aggregate: 'REPORTING_AGENCIES', gte: 2 }],
      }),
    ).toEqual([
      [{ regionCode: '640502' }, 3, 10 + 50 + 1],
      // Agencies above county level sit in no county: one group without a region.
      [{}, 4, 10 + 4 + 25 + 100],
    ]);
  });
});

describe('outcomeBreakdown', () => {
  it('gives every outcome row and group as counts and shares of all outcomes, across template versions', async () => {
    const { data } = await gql(/* GraphQL */ `
      {
        outcomeBreakdown(filter: { agency: { nameContains: "教育局" }, years: [2020, 2021] }) {
          ... on OutcomeBreakdowns {
            perYear { year reportCount total { count } rows { row count share nullReason } }
            allYears { reportCount total { count share } rows { row count share shareBase reportingReports } groups { group label count share } }
          }
        }
      }
    `);
    const all = data?.outcomeBreakdown.allYears;
    expect(all.total).toEqual({ count: 21, share: 1 });
    const row = (list: { row: string }[], code: string) => list.find((r) => r.row === code);
    expect(row(all.rows, 'GRANTED')).toEqual({
      row: 'GRANTED',
      count: 3,
      share: 3 / 21,
      shareBase: 21,
      reportingReports: 2,
    });
    // A row printed by one report only has the share of that report's total: the base says so.
    expect(row(all.rows, 'OTHER_HANDLING')).toEqual({
      row: 'OTHER_HANDLING',
      count: 3,
      share: 3 / 16,
      shareBase: 16,
      reportingReports: 1,
    });
    expect(row(all.rows, 'OTHER_OTHER')).toEqual({
      row: 'OTHER_OTHER',
      count: 2,
      share: 2 / 5,
      shareBase: 5,
      reportingReports: 1,
    });
    expect(all.rows.map((r: { row: string }) => r.row)).toEqual(
      TABLE3_ROWS.filter((r) => r.outcome && !r.isOutcomeTotal).map((r) => r.code),
    );
    expect(all.groups).toEqual([
      { group: 'REFUSED', label: '（三）不予公开 合计（总计）', count: 0, share: 0 },
      { group: 'CANNOT_PROVIDE', label: '（四）无法提供 合计（总计）', count: 9, share: 9 / 21 },
      { group: 'NOT_HANDLED', label: '（五）不予处理 合计（总计）', count: 0, share: 0 },
      { group: 'OTHER_HANDLING', label: '（六）其他处理 合计（总计）', count: 6, share: 6 / 21 },
    ]);
    const [y2020, y2021] = data?.outcomeBreakdown.perYear ?? [];
    expect([y2020.year, y2020.total.count, y2021.year, y2021.total.count]).toEqual([2020, 16, 2021, 5]);
    expect(row(y2021.rows, 'OTHER_HANDLING')).toEqual({
      row: 'OTHER_HANDLING',
      count: null,
      share: null,
      nullReason: 'NOT_IN_TEMPLATE_VERSION',
    });
  });
});
