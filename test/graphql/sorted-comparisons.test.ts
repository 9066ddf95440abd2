/**
 * Sorted comparisons (sort, limit and the tie policy on ranking and compare), the change
 * between two years with its null reasons, and each report's reconciliation, on a small
 * seeded set of 宁夏 county governments whose refusal rates tie on purpose.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/store/db.ts';
import { recomputeStoredFindings } from '../../src/store/findings.ts';
import { loadRegions } from '../../src/store/regions.ts';
import { type ReportSeed, seedReport } from '../comparison/seed.ts';
import { databaseUrl, resetDatabase } from '../support/db.ts';
import { graphqlClient } from '../support/graphql.ts';

const statements: string[] = [];
const db = createDb(databaseUrl(), { poolSize: 4, onQuery: (sql) => statements.push(sql) });
const errors: unknown[] = [];
const gql = graphqlClient(db, errors);

const ZHONGNING = '中卫市中宁县人民政府';
const SHAPOTOU = '中卫市沙坡头区人民政府';
const HAIYUAN = '中卫市海原县人民政府';
const XINGQING = '银川市兴庆区人民政府';
const JINFENG = '银川市金凤区人民政府';
const YINCHUAN = '银川市人民政府';
const ZHONGWEI = '中卫市人民政府';

/** Refusal rate `refused`/10 (0/0 when `refused` is null), with the carry-over figures given. */
const seed = (
  agency: string,
  year: number,
  refused: number | null,
  requests: ReportSeed['requests'] = {},
  cells: ReportSeed['cells'] = {},
): ReportSeed => ({
  agency,
  year,
  version: 'V2021',
  outcomes: refused === null ? {} : { GRANTED: 10 - refused, REFUSED_STATE_SECRET: refused },
  requests,
  cells,
});

const SEEDS: ReportSeed[] = [
  // 2021 refusal rates: 中宁 0.3 and 沙坡头 0.3 tie for first, 海原 0.1, 兴庆 0.1, 金凤 0/0.
  seed(ZHONGNING, 2020, 2, { CARRIED_FORWARD: 2 }),
  seed(ZHONGNING, 2021, 3, { CARRIED_OVER: 2 }),
  seed(SHAPOTOU, 2020, 1, { CARRIED_FORWARD: 1 }),
  seed(SHAPOTOU, 2021, 3, { CARRIED_OVER: 3 }),
  seed(HAIYUAN, 2021, 1),
  seed(XINGQING, 2020, 0),
  seed(XINGQING, 2021, 1, {}, { 'T4.REVIEW.TOTAL': 'NOT_REPORTED' }),
  seed(JINFENG, 2020, 1),
  seed(JINFENG, 2021, null, {}, { 'T4.REVIEW.TOTAL': 5 }),
  // City governments, in years no other test reads: a 0/0 rate beside a year without a report.
  seed(YINCHUAN, 2023, null),
  seed(ZHONGWEI, 2024, null),
];

beforeAll(async () => {
  await resetDatabase(db);
  await loadRegions(db);
  for (const s of SEEDS) await seedReport(db, s);
  await recomputeStoredFindings(db);
}, 60_000);
afterAll(() => db.$disconnect());

const COUNTIES = { agency: { regionCode: '640000', levels: ['COUNTY'], kinds: ['GOVERNMENT'] } };

async function query(text: string, variables: Record<string, unknown> = {}) {
  const result = await gql(text, variables);
  expect(result.errors).toBeUndefined();
  expect(errors).toEqual([]);
  return result.data as Record<string, Record<string, unknown>>;
}

describe('ranking ties', () => {
  const RANKING = /* GraphQL */ `
    query ($limit: Int, $ties: TiePolicy, $withTies: Boolean, $filter: ReportFilter) {
      ranking(metric: { metric: REFUSAL_RATE }, year: 2021, filter: $filter, limit: $limit, ties: $ties, withTies: $withTies) {
        ... on Ranking { entries { rank tied agency { name } value { value } } }
      }
    }`;
  const names = (data: Record<string, Record<string, unknown>>) =>
    ((data.ranking?.entries ?? []) as { agency: { name: string } }[]).map((e) => e.agency.name);

  it('INCLUDE (the default) keeps every agency tied at the limit', async () => {
    expect(names(await query(RANKING, { limit: 1, filter: COUNTIES }))).toEqual([ZHONGNING, SHAPOTOU]);
    expect(names(await query(RANKING, { limit: 1, ties: 'INCLUDE', filter: COUNTIES }))).toEqual([
      ZHONGNING,
      SHAPOTOU,
    ]);
  });

  it('CUT returns exactly limit, equal values by agency name in code-point order', async () => {
    expect(names(await query(RANKING, { limit: 1, ties: 'CUT', filter: COUNTIES }))).toEqual([ZHONGNING]);
    expect(names(await query(RANKING, { limit: 3, ties: 'CUT', filter: COUNTIES }))).toEqual([
      ZHONGNING,
      SHAPOTOU,
      HAIYUAN,
    ]);
  });

  it('limit 0 answers the counts without entries, as with no limit, in either path', async () => {
    const COUNTS = /* GraphQL */ `
      query ($limit: Int, $filter: ReportFilter) {
        ranking(metric: { metric: REFUSAL_RATE }, year: 2021, filter: $filter, limit: $limit) {
          ... on Ranking { populationSize rankedCount overall { value } unranked { reason count } entries { rank } }
        }
      }`;
    for (const filter of [COUNTIES, undefined]) {
      const all = (await query(COUNTS, { filter })).ranking;
      const none = (await query(COUNTS, { filter, limit: 0 })).ranking;
      expect(none).toEqual({ ...all, entries: [] });
      expect(((all?.entries ?? []) as unknown[]).length).toBeGreaterThan(0);
    }
  });

  it('withTies: false still means CUT, and ties wins over it', async () => {
    expect(names(await query(RANKING, { limit: 1, withTies: false, filter: COUNTIES }))).toEqual([ZHONGNING]);
    expect(
      names(await query(RANKING, { limit: 1, withTies: false, ties: 'INCLUDE', filter: COUNTIES })),
    ).toEqual([ZHONGNING, SHAPOTOU]);
  });
});

describe('compare with a sort', () => {
  const COMPARE = /* GraphQL */ `
    query ($sort: CompareSort, $limit: Int, $ties: TiePolicy, $filter: ReportFilter) {
      compare(metrics: [{ metric: T3_NEW_REQUESTS }, { metric: REFUSAL_RATE }], filter: $filter, sort: $sort, limit: $limit, ties: $ties) {
        ... on Comparison { rowCount rows { agency { name } year rank tied values { value nullReason } } }
        ... on InvalidInputError { message argument }
      }
    }`;
  const rows = (data: Record<string, Record<string, unknown>>) =>
    (
      (data.compare?.rows ?? []) as { agency: { name: string }; year: number; rank: number; tied: boolean }[]
    ).map((r) => [r.agency.name, r.year, r.rank, r.tied]);
  const filter = { ...COUNTIES, years: [2020, 2021] };

  it('sorts agencies by their value in one year, keeping their rows together', async () => {
    const cut = await query(COMPARE, { sort: { metric: 1, year: 2021 }, limit: 1, ties: 'CUT', filter });
    expect(rows(cut)).toEqual([
      [ZHONGNING, 2020, 1, true],
      [ZHONGNING, 2021, 1, true],
    ]);
    const include = await query(COMPARE, { sort: { metric: 1, year: 2021 }, limit: 1, filter });
    expect(rows(include).map((r) => r[0])).toEqual([ZHONGNING, ZHONGNING, SHAPOTOU, SHAPOTOU]);
    expect(include.compare?.rowCount).toBe(9);
  });

  it('sorts rows by their own value, agencies without one last in either direction', async () => {
    const top = await query(COMPARE, { sort: { metric: 1 }, limit: 3, ties: 'CUT', filter });
    expect(rows(top)).toEqual([
      [ZHONGNING, 2021, 1, true],
      [SHAPOTOU, 2021, 1, true],
      [ZHONGNING, 2020, 3, false],
    ]);
    const bottom = await query(COMPARE, { sort: { metric: 1, direction: 'ASC' }, filter });
    expect(rows(bottom).at(0)).toEqual([XINGQING, 2020, 1, false]);
    expect(rows(bottom).at(-1)).toEqual([JINFENG, 2021, 9, false]);
  });

  it('pages by offset with ties INCLUDE without repeating or skipping a tie group', async () => {
    const PAGE = /* GraphQL */ `
      query ($sort: CompareSort, $limit: Int, $offset: Int, $ties: TiePolicy, $filter: ReportFilter) {
        compare(metrics: [{ metric: T3_NEW_REQUESTS }, { metric: REFUSAL_RATE }], filter: $filter, sort: $sort, limit: $limit, offset: $offset, ties: $ties) {
          ... on Comparison { rowCount agencyCount rows { agency { name } year rank tied values { value nullReason } } }
        }
      }`;
    // Refusal rates by row: 0.3 0.3 | 0.2 | 0.1 0.1 0.1 0.1 | 0 | none, so a tie group of four
    // crosses the pages of two; by agency in 2021: 0.3 0.3 | 0.1 0.1 | none.
    for (const sort of [{ metric: 1 }, { metric: 1, year: 2021 }]) {
      const first = await query(PAGE, { sort, filter, limit: 100 });
      const all = rows(first);
      expect(all).toHaveLength(9);
      expect(first.compare).toMatchObject({ rowCount: 9, agencyCount: 5 });
      // Paged as the API says: while offset is below rowCount, or agencyCount with sort.year
      // (offset counts agencies then: paging up to rowCount asked for empty pages past the end).
      const count = 'year' in sort ? 5 : 9;
      for (const limit of [1, 2, 3]) {
        const pages: unknown[][][] = [];
        for (let offset = 0; offset < count; offset += limit) {
          const page = rows(await query(PAGE, { sort, filter, limit, offset }));
          pages.push(page);
        }
        if ('year' in sort)
          expect(rows(await query(PAGE, { sort, filter, limit, offset: count }))).toEqual([]);
        expect(pages.flat(), `${JSON.stringify(sort)} limit ${limit}`).toEqual(all);
      }
    }
    // The first page is as before: the tie at the limit kept.
    expect(rows(await query(PAGE, { sort: { metric: 1 }, filter, limit: 1 })).map((r) => r[0])).toEqual([
      ZHONGNING,
      SHAPOTOU,
    ]);
    // CUT pages by position alone.
    const cut = rows(await query(PAGE, { sort: { metric: 1 }, filter, limit: 1, offset: 1, ties: 'CUT' }));
    expect(cut).toEqual([[SHAPOTOU, 2021, 1, true]]);
  });

  it('answers InvalidInputError for a sort metric or year outside the comparison', async () => {
    const metric = await query(COMPARE, { sort: { metric: 2 }, filter });
    expect(metric.compare).toMatchObject({ argument: 'sort.metric' });
    const year = await query(COMPARE, { sort: { year: 2019 }, filter });
    expect(year.compare).toMatchObject({ argument: 'sort.year' });
    // Without years in the filter any compared year may sort, but not one out of range.
    const anyYear = { agency: COUNTIES.agency };
    expect((await query(COMPARE, { sort: { year: 1900 }, filter: anyYear })).compare).toEqual({
      message: 'Year 1900 is out of range 2000–2100.',
      argument: 'sort.year',
    });
    expect((await query(COMPARE, { sort: { year: 2021 }, filter: anyYear })).compare).toHaveProperty(
      'rowCount',
    );
    // A year in range that none of the compared reports is of would rank nothing.
    expect((await query(COMPARE, { sort: { year: 2030 }, filter: anyYear })).compare).toEqual({
      message:
        'sort.year 2030: none of the 9 compared reports is of 2030; sort by a year they have, or leave sort.year out to sort each row by its own value.',
      argument: 'sort.year',
    });
    // Nothing compared: nothing to refuse, an empty matrix.
    const none = { agency: { regionCode: '650000' } };
    expect((await query(COMPARE, { sort: { year: 2030 }, filter: none })).compare).toMatchObject({
      rowCount: 0,
      rows: [],
    });
  });

  it('refuses an offset past 1,000,000,000, sorted or not, instead of failing in PostgreSQL', async () => {
    const PAGE = /* GraphQL */ `
      query ($sort: CompareSort, $offset: Int) {
        compare(metrics: [{ metric: REFUSAL_RATE }], sort: $sort, limit: 1, offset: $offset) {
          ... on Comparison { rowCount rows { year } }
          ... on InvalidInputError { message argument }
        }
      }`;
    for (const sort of [null, {}, { year: 2021 }]) {
      for (const offset of [1_000_000_001, 2_147_483_647]) {
        expect((await query(PAGE, { sort, offset })).compare, JSON.stringify(sort)).toEqual({
          message: 'offset must be between 0 and 1,000,000,000.',
          argument: 'offset',
        });
      }
      const last = await query(PAGE, { sort, offset: 1_000_000_000 });
      expect(last.compare).toMatchObject({ rows: [] });
    }
  });

  it('names the argument that holds a wrong year, in every shape', async () => {
    const argument = async (text: string) => {
      const data = await query(text);
      return Object.values(data)[0] as { argument?: string };
    };
    const invalid = '... on InvalidInputError { argument }';
    expect(
      await argument(
        `{ compare(metrics: [{ metric: REFUSAL_RATE }], filter: { toYear: 3000 }) { ${invalid} } }`,
      ),
    ).toEqual({ argument: 'filter.toYear' });
    expect(
      await argument(
        `{ compare(metrics: [{ metric: REFUSAL_RATE }], filter: { fromYear: 1999 }) { ${invalid} } }`,
      ),
    ).toEqual({ argument: 'filter.fromYear' });
    expect(
      await argument(
        `{ compare(metrics: [{ metric: REFUSAL_RATE }], filter: { agency: { years: [3000] } }) { ${invalid} } }`,
      ),
    ).toEqual({ argument: 'filter.agency.years' });
    expect(
      await argument(
        `{ ranking(metric: { metric: REFUSAL_RATE }, year: 2022, filter: { agency: { years: [1900] } }) { ${invalid} } }`,
      ),
    ).toEqual({ argument: 'filter.agency.years' });
    expect(
      await argument(`{ ranking(metric: { metric: REFUSAL_RATE }, year: 1900) { ${invalid} } }`),
    ).toEqual({ argument: 'year' });
    expect(
      await argument(
        `{ ranking(metric: { metric: REFUSAL_RATE }, year: 2022, filter: { toYear: 2024 }) { ${invalid} } }`,
      ),
    ).toEqual({ argument: 'filter.toYear' });
    expect(
      await argument(
        `{ change(metric: { metric: REFUSAL_RATE }, fromYear: 2020, toYear: 99999) { ${invalid} } }`,
      ),
    ).toEqual({ argument: 'toYear' });
    expect(
      await argument(
        `{ change(metric: { metric: REFUSAL_RATE }, fromYear: 1900, toYear: 2021) { ${invalid} } }`,
      ),
    ).toEqual({ argument: 'fromYear' });
    expect(
      await argument(
        `{ change(metric: { metric: REFUSAL_RATE }, fromYear: 2020, toYear: 2021, filter: { toYear: 2024 }) { ${invalid} } }`,
      ),
    ).toEqual({ argument: 'filter.toYear' });
    expect(
      await argument(
        `{ change(metric: { metric: REFUSAL_RATE }, fromYear: 2020, toYear: 2021, filter: { agency: { years: [3000] } }) { ${invalid} } }`,
      ),
    ).toEqual({ argument: 'filter.agency.years' });
  });
});

describe('change between two years', () => {
  const CHANGE = /* GraphQL */ `
    query ($sort: ChangeSort, $limit: Int, $ties: TiePolicy) {
      change(metric: { metric: REFUSAL_RATE }, fromYear: 2020, toYear: 2021,
             filter: { agency: { regionCode: "640000", levels: [COUNTY] } }, sort: $sort, limit: $limit, ties: $ties) {
        ... on Change {
          populationSize comparedCount
          entries {
            rank tied agency { name }
            from { value nullReason } to { value nullReason }
            difference { value nullReason } ratio { value nullReason }
          }
        }
        ... on InvalidInputError { message argument }
      }
    }`;
  type Entry = {
    rank: number;
    agency: { name: string };
    from: { value: number | null; nullReason: string | null };
    to: { value: number | null; nullReason: string | null };
    difference: { value: number | null; nullReason: string | null };
    ratio: { value: number | null; nullReason: string | null };
  };
  const entries = (data: Record<string, Record<string, unknown>>) => data.change?.entries as Entry[];
  const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
  const line = (e: Entry) => [
    e.agency.name,
    round(e.from.value) ?? e.from.nullReason,
    round(e.to.value) ?? e.to.nullReason,
    round(e.difference.value) ?? e.difference.nullReason,
    round(e.ratio.value) ?? e.ratio.nullReason,
  ];

  it('gives both values, the difference and the ratio, and null reasons instead of 0', async () => {
    const data = await query(CHANGE, { sort: { by: 'DIFFERENCE' } });
    expect(data.change).toMatchObject({ populationSize: 5, comparedCount: 3 });
    expect(entries(data).map(line)).toEqual([
      [SHAPOTOU, 0.1, 0.3, 0.2, 3],
      [ZHONGNING, 0.2, 0.3, 0.1, 1.5],
      [XINGQING, 0, 0.1, 0.1, 'DIVISION_BY_ZERO'],
      [HAIYUAN, 'NO_REPORT', 0.1, 'NO_REPORT', 'NO_REPORT'],
      [JINFENG, 0.1, 'DIVISION_BY_ZERO', 'DIVISION_BY_ZERO', 'DIVISION_BY_ZERO'],
    ]);
  });

  it('a side without a report makes the difference NO_REPORT, whatever the other side lacks, as in compare', async () => {
    // 银川 2023 is 0/0 and has no 2024 report; 中卫 has no 2023 report and 2024 is 0/0.
    const data = await query(
      `{ change(metric: { metric: REFUSAL_RATE }, fromYear: 2023, toYear: 2024) {
           ... on Change { entries { agency { name } from { value nullReason } to { value nullReason }
                                     difference { value nullReason } ratio { value nullReason } } } }
         compare(metrics: [{ metric: REFUSAL_RATE, transform: CHANGE }], filter: { years: [2024] }) {
           ... on Comparison { rows { agency { name } values { value nullReason } } } } }`,
    );
    expect(entries(data).map(line)).toEqual([
      [ZHONGWEI, 'NO_REPORT', 'DIVISION_BY_ZERO', 'NO_REPORT', 'NO_REPORT'],
      [YINCHUAN, 'DIVISION_BY_ZERO', 'NO_REPORT', 'NO_REPORT', 'NO_REPORT'],
    ]);
    const rows = (data.compare?.rows ?? []) as {
      agency: { name: string };
      values: { nullReason: string }[];
    }[];
    expect(rows.map((r) => [r.agency.name, r.values[0]?.nullReason])).toEqual([[ZHONGWEI, 'NO_REPORT']]);
  });

  it("the filter's report conditions choose agencies; both years' values are given whatever those reports printed", async () => {
    // Refusal rate above 0.25 in either year: 中宁 and 沙坡头 (0.3 in 2021). Their 2020 reports
    // (0.2, 0.1) do not meet it, and were answered NO_REPORT, as if there were no 2020 report.
    const data = await query(
      `{ change(metric: { metric: REFUSAL_RATE }, fromYear: 2020, toYear: 2021, sort: { by: DIFFERENCE },
                filter: { agency: { regionCode: "640000", levels: [COUNTY] },
                          where: [{ metric: { metric: REFUSAL_RATE }, gt: 0.25 }] }) {
           ... on Change { populationSize comparedCount entries { agency { name } from { value nullReason } to { value nullReason }
                                     difference { value nullReason } ratio { value nullReason } } } } }`,
    );
    expect(data.change).toMatchObject({ populationSize: 2, comparedCount: 2 });
    expect(entries(data).map(line)).toEqual([
      [SHAPOTOU, 0.1, 0.3, 0.2, 3],
      [ZHONGNING, 0.2, 0.3, 0.1, 1.5],
    ]);
    // A template version filter likewise: every report here is V2021; V2019 chooses none.
    const v2019 = await query(
      `{ change(metric: { metric: REFUSAL_RATE }, fromYear: 2020, toYear: 2021,
                filter: { agency: { regionCode: "640000", levels: [COUNTY] }, templateVersions: [V2019] }) {
           ... on Change { populationSize entries { agency { name } } } } }`,
    );
    expect(v2019.change).toMatchObject({ populationSize: 0, entries: [] });
  });

  it('sorts by the toYear value by default and cuts ties at the limit as asked', async () => {
    const cut = await query(CHANGE, { limit: 1, ties: 'CUT' });
    expect(entries(cut).map((e) => [e.rank, e.agency.name])).toEqual([[1, ZHONGNING]]);
    const include = await query(CHANGE, { limit: 1 });
    expect(entries(include).map((e) => [e.rank, e.agency.name])).toEqual([
      [1, ZHONGNING],
      [1, SHAPOTOU],
    ]);
    const ascending = await query(CHANGE, { sort: { by: 'FROM', direction: 'ASC' }, limit: 2, ties: 'CUT' });
    expect(entries(ascending).map((e) => e.agency.name)).toEqual([XINGQING, SHAPOTOU]);
    // 0: the counts without entries, as in ranking and compare.
    const none = (await query(CHANGE, { limit: 0 })).change;
    const all = (await query(CHANGE, {})).change;
    expect(none).toEqual({ ...all, entries: [] });
  });

  it("reaches both years' reports and their reconciliation in a constant number of statements", async () => {
    const REPORTS = /* GraphQL */ `
      query ($limit: Int) {
        change(metric: { metric: REFUSAL_RATE }, fromYear: 2020, toYear: 2021, limit: $limit, ties: CUT) {
          ... on Change {
            entries {
              agency { name }
              fromReport { year }
              toReport { year reconciliation(rules: [T3_CARRY_OVER]) { status } }
            }
          }
        }
      }`;
    const count = async (limit: number) => {
      statements.length = 0;
      const data = await query(REPORTS, { limit });
      expect((data.change?.entries ?? []) as unknown[]).toHaveLength(limit);
      return statements.filter((sql) => !/^(BEGIN|COMMIT|DEALLOCATE)/i.test(sql.trim())).length;
    };
    expect(await count(5)).toBe(await count(1));
    const data = await query(REPORTS, { limit: 5 });
    expect(
      (
        (data.change?.entries ?? []) as { agency: { name: string }; fromReport: unknown; toReport: unknown }[]
      ).map((e) => [e.agency.name, e.fromReport, e.toReport]),
    ).toEqual([
      [ZHONGNING, { year: 2020 }, { year: 2021, reconciliation: { status: 'HOLDS' } }],
      [SHAPOTOU, { year: 2020 }, { year: 2021, reconciliation: { status: 'VIOLATED' } }],
      [HAIYUAN, null, { year: 2021, reconciliation: { status: 'UNKNOWN' } }],
      [XINGQING, { year: 2020 }, { year: 2021, reconciliation: { status: 'HOLDS' } }],
      [JINFENG, { year: 2020 }, { year: 2021, reconciliation: { status: 'HOLDS' } }],
    ]);
  });

  it('answers InvalidInputError for equal years', async () => {
    const result = await gql(/* GraphQL */ `{
      change(metric: { metric: REFUSAL_RATE }, fromYear: 2021, toYear: 2021) {
        ... on InvalidInputError { argument }
      }
    }`);
    expect(result.data?.change).toEqual({ argument: 'toYear' });
  });

  it('answers InvalidInputError naming both years when fromYear is after toYear, not a change read backwards', async () => {
    const result = await gql(/* GraphQL */ `{
      change(metric: { metric: REFUSAL_RATE }, fromYear: 2021, toYear: 2020) {
        __typename
        ... on InvalidInputError { message argument }
        ... on Change { entries { agency { name } } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data?.change).toEqual({
      __typename: 'InvalidInputError',
      message:
        'fromYear (2021) is after toYear (2020): give the earlier year as fromYear and the later as toYear.',
      argument: 'fromYear',
    });
    expect(errors).toEqual([]);
  });
});

describe('reconciliation', () => {
  const RECONCILIATION = /* GraphQL */ `
    query ($name: String!, $year: Int!, $rules: [FindingRule!]) {
      report(agencyName: $name, year: $year) {
        reconciliation(rules: $rules) {
          status holds violated unknown
          checks { rule scope status unknownReason otherYear expected actual difference
                   cells { code year side status value } }
        }
      }
    }`;
  type Check = {
    rule: string;
    scope: string;
    status: string;
    unknownReason: string | null;
    expected: number | null;
    actual: number | null;
    difference: number | null;
    cells: { code: string; year: number; status: string; value: number | null }[];
  };
  async function reconciliation(name: string, year: number, rules?: string[]) {
    const data = await query(RECONCILIATION, { name, year, rules });
    return data.report?.reconciliation as {
      status: string;
      holds: number;
      violated: number;
      unknown: number;
      checks: Check[];
    };
  }
  const carry = (r: { checks: Check[] }, scope = 'TOTAL') => r.checks.find((c) => c.scope === scope);

  it('HOLDS: the carry-over matches the stored year before, with both cells', async () => {
    const r = await reconciliation(ZHONGNING, 2021, ['T3_CARRY_OVER']);
    expect(r).toMatchObject({ status: 'HOLDS', holds: 7, violated: 0, unknown: 0 });
    expect(carry(r)).toMatchObject({ status: 'HOLDS', expected: 2, actual: 2, difference: 0 });
    expect(carry(r)?.cells).toEqual([
      { code: 'T3.CARRIED_FORWARD.TOTAL', year: 2020, side: 'EXPECTED', status: 'REPORTED', value: 2 },
      { code: 'T3.CARRIED_OVER.TOTAL', year: 2021, side: 'ACTUAL', status: 'REPORTED', value: 2 },
    ]);
  });

  it('VIOLATED: the carry-over differs from the year before, with expected, actual and difference', async () => {
    const r = await reconciliation(SHAPOTOU, 2021, ['T3_CARRY_OVER']);
    expect(r).toMatchObject({ status: 'VIOLATED', violated: 2, holds: 5 });
    expect(carry(r)).toMatchObject({ status: 'VIOLATED', expected: 1, actual: 3, difference: 2 });
  });

  it('UNKNOWN: no stored year before, never HOLDS', async () => {
    const r = await reconciliation(HAIYUAN, 2021, ['T3_CARRY_OVER']);
    expect(r).toMatchObject({ status: 'UNKNOWN', unknown: 7, holds: 0 });
    expect(carry(r)).toMatchObject({ status: 'UNKNOWN', unknownReason: 'NO_PREVIOUS_YEAR', expected: null });
  });

  it('within-report identities: HOLDS, VIOLATED and UNKNOWN (a figure not printed)', async () => {
    const clean = await reconciliation(ZHONGNING, 2021);
    expect(clean.status).toBe('HOLDS');
    expect(new Set(clean.checks.map((c) => c.rule))).toEqual(
      new Set(['T3_BALANCE', 'T3_OUTCOMES_SUM', 'T3_TOTAL_COLUMN', 'T4_TOTAL', 'T3_CARRY_OVER']),
    );
    const review = (r: { checks: Check[] }) =>
      r.checks.find((c) => c.rule === 'T4_TOTAL' && c.scope === 'REVIEW');
    expect(review(clean)).toMatchObject({ status: 'HOLDS', expected: 0, actual: 0 });
    const violated = await reconciliation(JINFENG, 2021, ['T4_TOTAL']);
    expect(review(violated)).toMatchObject({ status: 'VIOLATED', expected: 0, actual: 5, difference: 5 });
    const nothing = await reconciliation(XINGQING, 2021, ['NARRATIVE_NO_REQUESTS']);
    expect(nothing).toMatchObject({ status: 'UNKNOWN', checks: [] });
    const unknown = await reconciliation(XINGQING, 2021, ['T4_TOTAL']);
    expect(review(unknown)).toMatchObject({
      status: 'UNKNOWN',
      unknownReason: 'NOT_PRINTED',
      difference: null,
    });
  });
});
