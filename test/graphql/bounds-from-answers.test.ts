/**
 * A bound copied from an answer selects the row or group it was copied from. Ratios are exact
 * numerics in PostgreSQL (71/104 to 20 digits) and leave as GraphQL Floats, so a dashboard's
 * "at or below this value" drill-down compares in the answer's precision.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAIDIAN_GOV, seedComparisonData } from '../comparison/dataset.ts';
import { seedReport } from '../comparison/seed.ts';
import { testDb } from '../support/db.ts';
import { graphqlClient } from '../support/graphql.ts';

const db = testDb();
const errors: unknown[] = [];
const gql = graphqlClient(db, errors);
afterAll(() => db.$disconnect());
beforeAll(async () => {
  await seedComparisonData(db);
  // Rates of 1/3 and 2/3: per report, not only pooled, a value no short decimal writes.
  await seedReport(db, {
    agency: HAIDIAN_GOV,
    year: 2025,
    version: 'V2021',
    outcomes: { GRANTED: 1, REFUSED_STATE_SECRET: 2 },
  });
}, 60_000);

/** A value no short decimal writes: the ones a numeric comparison got wrong. */
const longDecimal = (x: number) => !Number.isInteger(x * 1e6);

const COMPARE = /* GraphQL */ `
  query Compare($metrics: [MetricInput!]!, $filter: ReportFilter) {
    compare(metrics: $metrics, filter: $filter) {
      __typename
      ... on Comparison { rows { agency { name } year values { value } } }
      ... on InvalidInputError { message }
    }
  }
`;

const ROLLUP = /* GraphQL */ `
  query Rollup($metrics: [MetricInput!]!, $groupBy: [RollupDimension!]!, $regionLevel: AdministrativeLevel, $filter: ReportFilter, $having: [HavingCondition!]) {
    rollup(metrics: $metrics, groupBy: $groupBy, regionLevel: $regionLevel, filter: $filter, having: $having) {
      __typename
      ... on Rollup { groups { key { regionCode year } aggregates { pooled } } }
      ... on InvalidInputError { message }
    }
  }
`;

type Row = { agency: { name: string }; year: number; values: { value: number | null }[] };

describe.each(['DISCLOSURE_RATE', 'REFUSAL_RATE'])('where on %s', (metric) => {
  it('eq, gte and lte with a value copied from the answer keep its row; gt and lt drop it', async () => {
    const run = async (filter: object) => {
      const { data, errors: e } = await gql(COMPARE, { metrics: [{ metric }], filter });
      expect(e).toBeUndefined();
      expect(data?.compare.__typename).toBe('Comparison');
      return ((data?.compare.rows ?? []) as Row[]).map((r) => `${r.agency.name} ${r.year}`);
    };
    const { data } = await gql(COMPARE, { metrics: [{ metric }] });
    const copied = ((data?.compare.rows ?? []) as Row[]).filter(
      (r) => r.values[0]?.value != null && longDecimal(r.values[0].value),
    );
    expect(copied.length).toBeGreaterThan(0);
    for (const row of copied) {
      const value = row.values[0]?.value as number;
      const where = (bound: object) => ({ where: [{ metric: { metric }, ...bound }] });
      const name = `${row.agency.name} ${row.year}`;
      expect(await run(where({ eq: value })), `eq ${value}`).toContain(name);
      expect(await run(where({ gte: value })), `gte ${value}`).toContain(name);
      expect(await run(where({ lte: value })), `lte ${value}`).toContain(name);
      expect(await run(where({ gt: value })), `gt ${value}`).not.toContain(name);
      expect(await run(where({ lt: value })), `lt ${value}`).not.toContain(name);
    }
  });
});

describe('having on a pooled ratio', () => {
  // By year over every report: the aggregates answer. By city within a province: the rows do.
  it.each([
    ['by year (aggregates)', { groupBy: ['YEAR'] }],
    [
      'by city (rows)',
      { groupBy: ['REGION'], regionLevel: 'CITY', filter: { agency: { regionCode: '640000' } } },
    ],
  ])('keeps the group a copied value came from, %s', async (_, shape) => {
    const metrics = [{ metric: 'DISCLOSURE_RATE' }];
    type Group = {
      key: { regionCode: string | null; year: number | null };
      aggregates: { pooled: number | null }[];
    };
    const groups = async (having?: object) => {
      const { data, errors: e } = await gql(ROLLUP, { metrics, ...shape, having });
      expect(e).toBeUndefined();
      expect(data?.rollup.__typename).toBe('Rollup');
      return data?.rollup.groups as Group[];
    };
    const key = (g: Group) => `${g.key.regionCode} ${g.key.year}`;
    const copied = (await groups()).filter(
      (g) => g.aggregates[0]?.pooled != null && longDecimal(g.aggregates[0].pooled),
    );
    expect(copied.length).toBeGreaterThan(0);
    for (const group of copied) {
      const pooled = group.aggregates[0]?.pooled as number;
      const having = (bound: object) => [
        { metric: { metric: 'DISCLOSURE_RATE' }, aggregate: 'POOLED', ...bound },
      ];
      expect((await groups(having({ eq: pooled }))).map(key), `eq ${pooled}`).toContain(key(group));
      expect((await groups(having({ gte: pooled }))).map(key), `gte ${pooled}`).toContain(key(group));
      expect((await groups(having({ lte: pooled }))).map(key), `lte ${pooled}`).toContain(key(group));
      expect((await groups(having({ gt: pooled }))).map(key), `gt ${pooled}`).not.toContain(key(group));
    }
  });
});
