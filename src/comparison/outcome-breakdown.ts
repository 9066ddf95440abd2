import { type MetricSpec, metricByName } from '../catalogue/metrics.ts';
import { APPLICANT_COLUMNS, TABLE3_GROUPS, TABLE3_ROWS } from '../catalogue/template.ts';
import {
  aggregateAnswers,
  aggregatePooledJson,
  aggregateShare,
  buildAggregateFacts,
  type FactsPath,
  reportCount,
} from './aggregates.ts';
import { decodePooled, type Json, pooledJson } from './facts.ts';
import { checkFilter, fail, type ReportFilter, type Result } from './filter.ts';
import { queryFacts } from './pipeline.ts';
import { id, join, type SqlFragment, type SqlRunner, sql } from './sql.ts';
import type { OutcomeBreakdown, OutcomeShare } from './types.ts';

/** The outcome rows of table 3 in printed order (both versions), then the four outcome groups. */
function outcomeSpecs(applicant: string): { rows: MetricSpec[]; groups: MetricSpec[]; total: MetricSpec } {
  const spec = (name: string): MetricSpec => {
    const metric = metricByName(name);
    if (!metric) throw new Error(`Catalogue has no metric ${name}`);
    return { metric, applicant, transform: 'VALUE' };
  };
  const total = TABLE3_ROWS.find((r) => r.isOutcomeTotal);
  if (!total) throw new Error('Catalogue has no outcome total row');
  return {
    rows: TABLE3_ROWS.filter((r) => r.outcome && !r.isOutcomeTotal).map((r) => spec(`T3_${r.code}`)),
    groups: TABLE3_GROUPS.map((g) => spec(`T3_${g.code}_ALL`)),
    total: spec(`T3_${total.code}`),
  };
}

/**
 * The distribution of request outcomes (every table-3 outcome row and group) per year and
 * over all years in scope: Σ count, and the share of （七）总计 over the reports that printed both.
 */
export async function outcomeBreakdown(
  runner: SqlRunner,
  input: { filter?: ReportFilter | null; applicant?: string | null; path?: FactsPath | null },
): Promise<Result<OutcomeBreakdown[]>> {
  const issue = checkFilter(input.filter);
  if (issue) return { ok: false, issue };
  const applicant = input.applicant ?? 'TOTAL';
  if (!APPLICANT_COLUMNS.some((c) => c.code === applicant))
    return fail(`Unknown applicant type ${applicant}.`, 'applicant');
  const { rows, groups, total } = outcomeSpecs(applicant);
  const specs = [total, ...rows, ...groups];
  const t = 0;
  const shares = specs.map((_, j) => {
    const both = sql`${id(`f.ok${j}`)} AND ${id(`f.ok${t}`)}`;
    return sql`json_build_array(sum(${id(`f.an${j}`)}) FILTER (WHERE ${both})
        / NULLIF(sum(${id(`f.an${t}`)}) FILTER (WHERE ${both}), 0), count(*) FILTER (WHERE ${id(`f.ok${j}`)}),
        CASE WHEN bool_or(${id(`f.ok${j}`)}) THEN COALESCE(sum(${id(`f.an${t}`)}) FILTER (WHERE ${both}), 0) END)`;
  });
  const select = (from: SqlFragment) => sql`
    SELECT COALESCE(json_agg(json_build_object('year', b.year, 'reportCount', b.report_count, 'values', b.values,
             'shares', b.shares) ORDER BY b.year NULLS LAST), '[]'::json) AS breakdown
    FROM (${from}) b`;
  let row: { breakdown: Json } | undefined;
  if ((input.path ?? 'AUTO') === 'AUTO' && aggregateAnswers(specs, input.filter)) {
    const facts = buildAggregateFacts(specs, input.filter);
    [row] = await runner.query<{ breakdown: Json }>(
      sql`${facts.with}${select(
        sql`SELECT f.year, ${reportCount}::int AS report_count, ${aggregatePooledJson(facts)} AS values,
                 json_build_array(${join(specs.map((_, j) => aggregateShare(j)))}) AS shares
          FROM facts f GROUP BY GROUPING SETS ((f.year), ())`,
      )}`,
    );
  } else {
    ({ row } = await queryFacts<{ breakdown: Json }>(
      runner,
      specs,
      input.filter,
      (facts) =>
        select(sql`SELECT f.year, count(*)::int AS report_count, ${pooledJson(facts)} AS values,
                 json_build_array(${join(shares)}) AS shares
          FROM facts f GROUP BY GROUPING SETS ((f.year), ())`),
      input.path ?? 'AUTO',
    ));
  }
  const facts = { specs };
  const list = (row?.breakdown ?? []) as {
    year: number | null;
    reportCount: number;
    values: Json;
    shares: [number | null, number, number | null][];
  }[];
  return {
    ok: true,
    value: list
      .filter((b) => b.reportCount > 0)
      .map((b) => {
        const values = decodePooled(facts, b.values);
        const share = (j: number): OutcomeShare => {
          const value = values[j];
          if (!value) throw new Error(`No outcome value at ${j}`);
          const [ratio, reporting, base] = b.shares[j] ?? [null, 0, null];
          return {
            value,
            share: typeof ratio === 'number' ? ratio : null,
            shareBase: typeof base === 'number' ? base : null,
            reportingReports: reporting,
          };
        };
        return {
          year: b.year,
          reportCount: b.reportCount,
          rows: rows.map((_, i) => share(1 + i)),
          groups: groups.map((_, i) => share(1 + rows.length + i)),
          total: share(0),
        };
      }),
  };
}
