/**
 * Every narrow base's ranking can walk its rank index: the expression the ranking orders by is
 * the one the index (RANK_INDEXES) was built on. With sorting switched off the planner takes the
 * index wherever it can, so a plan without it means the two expressions drifted apart.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { metricByName } from '../../src/catalogue/metrics.ts';
import { ranking } from '../../src/comparison/ranking.ts';
import type { SqlFragment } from '../../src/comparison/sql.ts';
import { RANK_INDEXES } from '../../src/store/aggregates.ts';
import { withPgTransaction } from '../../src/store/db.ts';
import { testDb } from '../support/db.ts';

const db = testDb();
/**
 * A rank index walked in value order: its scan's condition holds the year and the value (the
 * walk's `value IS NOT NULL`). A scan on the year alone only uses the index's year prefix to
 * find the year's reports, which the planner may choose for any statement (seen on a fresh
 * embedded cluster), and the statement still sorts them.
 */
const walked = (plan: string, index = String.raw`report_fact_rank_\d+`) =>
  new RegExp(
    String.raw`Index Scan (Backward )?using ${index} on report_fact \w+ .*\n\s*Index Cond: \(\(year = \d+\) AND `,
  ).test(plan);
afterAll(() => db.$disconnect());

/** The plan PostgreSQL makes for the ranking's statement when it must not sort. */
async function planOf(
  question: Omit<Parameters<typeof ranking>[1], 'spec'> & { name: string; applicant: string },
) {
  const metric = metricByName(question.name);
  if (!metric) throw new Error(`no metric ${question.name}`);
  let statement: SqlFragment | undefined;
  await ranking(
    {
      query: async (s) => {
        statement = s;
        return [];
      },
    },
    { ...question, spec: { metric, applicant: question.applicant, transform: 'VALUE' } },
  ).catch(() => undefined);
  if (!statement) throw new Error('the ranking ran no statement');
  const sql = statement;
  return withPgTransaction(db, async (tx) => {
    await tx.client.query('SET LOCAL enable_sort = off');
    const plan = await tx.client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql.text}`, sql.values);
    return plan.rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

describe('rank indexes', () => {
  it.each(RANK_INDEXES.map((index) => [index.name, index]))('%s serves its ranking', async (_, index) => {
    for (const order of ['DESC', 'ASC'] as const) {
      const plan = await planOf({
        name: index.base.metric.name,
        applicant: index.base.applicant,
        year: 2023,
        filter: { agency: { levels: ['COUNTY'] } },
        order,
        limit: 20,
      });
      expect(plan).toContain(`Index Scan${order === 'DESC' ? ' Backward' : ''} using ${index.name}`);
      expect(walked(plan, index.name), plan).toBe(true);
    }
  });

  it('a ranking of all agencies, or of a metric report_fact does not hold, sorts instead', async () => {
    const all = await planOf({ name: 'T3_NEW_REQUESTS', applicant: 'TOTAL', year: 2023 });
    expect(walked(all), all).toBe(false);
    const wide = await planOf({ name: 'T3_GRANTED', applicant: 'NATURAL_PERSON', year: 2023, limit: 20 });
    expect(walked(wide), wide).toBe(false);
  });
});
