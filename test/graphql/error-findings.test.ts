import { afterAll, beforeAll, expect, it } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import { createDb } from '../../src/store/db.ts';
import { seedComparisonData } from '../comparison/dataset.ts';
import { databaseUrl } from '../support/db.ts';
import { EXAMPLE_V2021, fixtureText } from '../support/fixtures.ts';
import { graphqlClient } from '../support/graphql.ts';
import { replaceOnce } from '../validation/variants.ts';

// Ranking entries and comparison rows say how many ERROR findings their report has, so that a
// dashboard can flag a value from a report that does not add up (a ratio of 1.25 topped a
// national ranking unflagged). Counted against the findings table, one statement per year.
const statements: string[] = [];
const db = createDb(databaseUrl(), { poolSize: 4, onQuery: (sql) => statements.push(sql) });
const gql = graphqlClient(db);
afterAll(() => db.$disconnect());
beforeAll(async () => {
  await seedComparisonData(db);
  // One more 2022 report whose 总计 of new requests is one more than its columns' sum.
  const text = replaceOnce(
    fixtureText(EXAMPLE_V2021).replaceAll('宁夏回族自治区中卫市沙坡头区卫生健康局', '中卫市沙坡头区民政局'),
    '一、本年新收政府信息公开申请数量\t\t41\t6\t0\t0\t2\t0\t49',
    '一、本年新收政府信息公开申请数量\t\t41\t6\t0\t0\t2\t0\t50',
  );
  const result = await importReport(db, {
    bytes: new TextEncoder().encode(text),
    fileName: 'adds-up-wrong.txt',
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
}, 60_000);

/** ERROR findings of each agency's current report in `year`, by agency name, from the table itself. */
async function errorsByName(year: number) {
  const rows = await db.$queryRaw<{ name: string; n: number }[]>`
    SELECT a.name, count(f.id)::int AS n FROM report r JOIN agency a ON a.id = r.agency_id
    LEFT JOIN finding f ON f.revision_id = r.current_revision_id AND f.severity = 'ERROR'
    WHERE r.year = ${year} GROUP BY a.name`;
  return Object.fromEntries(rows.map((r) => [r.name, r.n]));
}

it('ranking entries carry their report’s ERROR findings, read in one statement', async () => {
  const expected = await errorsByName(2022);
  // The dataset has reports that do not add up, or the test would prove nothing.
  expect(Object.values(expected).some((n) => n > 0)).toBe(true);
  statements.length = 0;
  const { data, errors } = await gql(`{
    ranking(metric: { metric: T3_NEW_REQUESTS }, year: 2022) {
      ... on Ranking { entries { agency { name } errorFindings } }
    }
  }`);
  expect(errors).toBeUndefined();
  const entries = data?.ranking.entries as { agency: { name: string }; errorFindings: number }[];
  expect(entries.length).toBeGreaterThan(1);
  for (const e of entries) expect(e.errorFindings, e.agency.name).toBe(expected[e.agency.name]);
  expect(statements.filter((s) => /severity = 'ERROR'/.test(s))).toHaveLength(1);
});

it('comparison rows carry them per year, one statement for each year on the page', async () => {
  const years = [2019, 2022];
  const expected = Object.fromEntries(await Promise.all(years.map(async (y) => [y, await errorsByName(y)])));
  statements.length = 0;
  const { data, errors } = await gql(`{
    compare(metrics: [{ metric: DISCLOSURE_RATE }], filter: { years: [2019, 2022] }) {
      ... on Comparison { rows { agency { name } year errorFindings } }
    }
  }`);
  expect(errors).toBeUndefined();
  const rows = data?.compare.rows as { agency: { name: string }; year: number; errorFindings: number }[];
  expect(new Set(rows.map((r) => r.year))).toEqual(new Set(years));
  for (const r of rows)
    expect(r.errorFindings, `${r.agency.name} ${r.year}`).toBe(expected[r.year][r.agency.name]);
  expect(statements.filter((s) => /severity = 'ERROR'/.test(s))).toHaveLength(2);
});
