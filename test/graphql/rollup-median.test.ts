/**
 * A rollup's median is exact, as its sum and average are: the mean of the two middle values in
 * numeric. percentile_cont interpolated in double precision, so the fees 1.25 and 0.07 万元 had
 * the median 0.6599999999999999, and `having` on MEDIAN equal to 0.66 dropped the group.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import { createDb } from '../../src/store/db.ts';
import { databaseUrl, resetDatabase } from '../support/db.ts';
import { EXAMPLE_V2021, fixtureText } from '../support/fixtures.ts';
import { graphqlClient } from '../support/graphql.ts';

const db = createDb(databaseUrl(), { poolSize: 2 });
const gql = graphqlClient(db);
afterAll(() => db.$disconnect());

const AGENCY = '宁夏回族自治区中卫市沙坡头区卫生健康局';
/** The example report (fee 12.35 万元) of four agencies of one kind, with these fees. */
const FEES = { 卫生健康局: '1.25', 审计局: '0.07', 统计局: '12.3456', 民政局: '16.08' };

beforeAll(async () => {
  await resetDatabase(db);
  const text = fixtureText(EXAMPLE_V2021);
  for (const [body, fee] of Object.entries(FEES)) {
    const name = AGENCY.replace('卫生健康局', body);
    const variant = text.replaceAll(AGENCY, name).replace('行政事业性收费\t12.35', `行政事业性收费\t${fee}`);
    const result = await importReport(db, {
      bytes: new TextEncoder().encode(variant),
      fileName: `${body}.txt`,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
  }
});

const ROLLUP = /* GraphQL */ `
  query ($filter: ReportFilter, $having: [HavingCondition!]) {
    rollup(metrics: [{ metric: T2_FEES_AMOUNT }], groupBy: [KIND], filter: $filter, having: $having) {
      ... on Rollup { groups { aggregates { avg median } } }
      ... on InvalidInputError { message }
    }
  }
`;

/** The rollup's groups over the agencies whose fee is in [from, to]. */
const feesBetween = async (from: number, to: number, having?: object[]) => {
  const fee = { metric: 'T2_FEES_AMOUNT' };
  const filter = {
    where: [
      { metric: fee, gte: from },
      { metric: fee, lte: to },
    ],
  };
  const { data, errors } = await gql(ROLLUP, { filter, having });
  expect(errors).toBeUndefined();
  return data?.rollup.groups;
};

describe('rollup median', () => {
  it('is the exact mean of the two middle values, and `having` on it finds the group', async () => {
    // 1.25 and 0.07, and 12.3456 and 16.08: percentile_cont gave 0.6599999999999999 and 14.212799999999998.
    expect(await feesBetween(0, 2)).toEqual([{ aggregates: [{ avg: 0.66, median: 0.66 }] }]);
    expect(await feesBetween(10, 20)).toEqual([{ aggregates: [{ avg: 14.2128, median: 14.2128 }] }]);
    const median = (eq: number) => [{ metric: { metric: 'T2_FEES_AMOUNT' }, aggregate: 'MEDIAN', eq }];
    expect(await feesBetween(0, 2, median(0.66))).toHaveLength(1);
    expect(await feesBetween(10, 20, median(14.2128))).toHaveLength(1);
    // An odd count is the middle value; all four, the mean of 1.25 and 12.3456.
    expect((await feesBetween(0, 13))?.[0].aggregates[0].median).toBe(1.25);
    expect((await feesBetween(0, 20))?.[0].aggregates[0].median).toBe(6.7978);
  });
});
