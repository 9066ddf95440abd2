/**
 * CHANGE_PERCENT of a signed figure (V2019's table 2 本年增/减, which may be negative): relative to the
 * size of the year before, so a rise reads as a rise. Dividing by the signed figure answered
 * −2 → +1 as −150 % and −1 → −2 as +100 %.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegions } from '../../src/store/regions.ts';
import { seedReport } from '../comparison/seed.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { graphqlClient } from '../support/graphql.ts';

const db = testDb();
const errors: unknown[] = [];
const gql = graphqlClient(db, errors);
const RISING = '中卫市教育局';
const FALLING = '中卫市科学技术局';

beforeAll(async () => {
  await resetDatabase(db);
  await loadRegions(db);
  const change = (agency: string, year: number, value: number) =>
    seedReport(db, { agency, year, version: 'V2019', cells: { 'T2.LICENSING.CHANGE': value } });
  await change(RISING, 2020, -2);
  await change(RISING, 2021, 1);
  await change(RISING, 2022, -1);
  await change(FALLING, 2020, -1);
  await change(FALLING, 2021, -2);
}, 60_000);
afterAll(() => db.$disconnect());

const COMPARE = /* GraphQL */ `
  query {
    compare(
      metrics: [{ metric: T2_LICENSING_CHANGE, transform: CHANGE }, { metric: T2_LICENSING_CHANGE, transform: CHANGE_PERCENT }]
    ) {
      ... on Comparison {
        rows { agency { name } year values { value nullReason } }
        totals { year values { value nullReason } }
      }
    }
  }
`;

describe('CHANGE_PERCENT of a figure that may be negative', () => {
  it('is the change over the size of the year before: a rise is positive, a fall negative', async () => {
    const { data, errors: gqlErrors } = await gql(COMPARE);
    expect(gqlErrors).toBeUndefined();
    const compare = data?.compare as {
      rows: { agency: { name: string }; year: number; values: { value: number | null }[] }[];
      totals: { year: number; values: { value: number | null }[] }[];
    };
    const rows = Object.fromEntries(
      compare.rows.map((r) => [`${r.agency.name} ${r.year}`, r.values.map((v) => v.value)]),
    );
    expect(rows).toMatchObject({
      [`${RISING} 2021`]: [3, 1.5],
      [`${RISING} 2022`]: [-2, -2],
      [`${FALLING} 2021`]: [-1, -1],
    });
    // Pooled: 2021 over 2020 is −1 against −3, a rise of 2 over a base of size 3.
    const total2021 = compare.totals.find((t) => t.year === 2021);
    expect(total2021?.values[0]?.value).toBe(2);
    expect(total2021?.values[1]?.value).toBeCloseTo(2 / 3, 12);
  });
});
