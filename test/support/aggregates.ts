/**
 * The check that figure_aggregate and report_fact are exact: the maintained rows equal the rows
 * counted from scratch out of the current revisions (rebuildAggregates), for every test that
 * writes reports and wants to know the counts survived it.
 */
import { expect } from 'vitest';
import { rebuildAggregates } from '../../src/store/aggregate-maintenance.ts';
import type { Db } from '../../src/store/db.ts';

const NUMERIC = ['sum_v', 'sum_n', 'sum_d', 'share_n', 'share_t'];
const INTEGER = [
  'report_count',
  'cnt_v',
  'cnt_ok',
  'w_absent',
  'w_not_reported',
  'w_missing',
  'w_unreadable',
  'w_division_by_zero',
];

export function aggregateChecker(db: Db) {
  /** figure_aggregate as JSON, numbers without trailing zeros, rows left all zero (groups whose reports left) dropped. */
  async function snapshot() {
    const [row] = await db.$queryRawUnsafe<
      { groups: unknown[]; counted: number; facts: unknown[]; reports: number }[]
    >(`
    SELECT
      (SELECT COALESCE(json_agg(g ORDER BY g.base, g.year, g.template_version, g.province, g.level, g.kind), '[]')
       FROM (SELECT base, year, template_version, province, level, kind, ${INTEGER.join(', ')},
                    ${NUMERIC.map((c) => `trim_scale(${c}) AS ${c}`).join(', ')}
             FROM figure_aggregate
             WHERE ${[...INTEGER, ...NUMERIC].map((c) => `${c} <> 0`).join(' OR ')}) g) AS groups,
      (SELECT COALESCE(sum(report_count), 0)::int FROM figure_aggregate WHERE base = 1) AS counted,
      (SELECT COALESCE(json_agg(f ORDER BY f.report_id), '[]') FROM (
         SELECT report_id, agency_id, revision_id, year, template_version,
                ARRAY(SELECT trim_scale(e) FROM unnest(n) WITH ORDINALITY u(e, i) ORDER BY i) AS n,
                ARRAY(SELECT trim_scale(e) FROM unnest(d) WITH ORDINALITY u(e, i) ORDER BY i) AS d, w
         FROM report_fact) f) AS facts,
      (SELECT count(*)::int FROM report r JOIN revision_figures f ON f.revision_id = r.current_revision_id) AS reports`);
    if (!row) throw new Error('no snapshot');
    return row;
  }

  /** The maintained rows equal the rows counted from scratch out of the current revisions. */
  async function expectExact(reports: number) {
    const maintained = await snapshot();
    await rebuildAggregates(db);
    const rebuilt = await snapshot();
    expect(maintained.groups.length).toBeGreaterThan(0);
    expect(maintained).toEqual(rebuilt);
    expect(maintained.reports).toBe(reports);
    expect(maintained.counted).toBe(reports);
    expect(maintained.facts).toHaveLength(reports);
  }

  return { snapshot, expectExact };
}
