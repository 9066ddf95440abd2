import type { MetricSpec } from '../catalogue/metrics.ts';
import type { TemplateVersion } from '../catalogue/template.ts';
import {
  AGENCY_ORDER,
  agencyJson,
  agencyRow,
  decodePooled,
  decodeValues,
  type Json,
  pooledJson,
  valueJson,
} from './facts.ts';
import { checkFilter, fail, MAX_METRICS, type ReportFilter, type Result } from './filter.ts';
import { checkPage, queryFacts } from './pipeline.ts';
import { type SqlRunner, sql } from './sql.ts';
import type { Comparison } from './types.ts';

/** The agency × year matrix of the requested metrics, one row per stored report, with pooled totals per year. */
export async function compare(
  runner: SqlRunner,
  input: { specs: MetricSpec[]; filter?: ReportFilter | null; limit?: number | null; offset?: number | null },
): Promise<Result<Comparison>> {
  if (input.specs.length === 0 || input.specs.length > MAX_METRICS) {
    return fail(`Ask for 1 to ${MAX_METRICS} metrics; got ${input.specs.length}.`, 'metrics');
  }
  const issue = checkFilter(input.filter);
  if (issue) return { ok: false, issue };
  const page = checkPage(input);
  if (!page.ok) return page;
  const { limit, offset } = page.value;

  const { facts, row } = await queryFacts<{ row_count: number; rows: Json; totals: Json }>(
    runner,
    input.specs,
    input.filter,
    (facts) => sql`
    SELECT
      (SELECT count(*)::int FROM facts) AS row_count,
      (SELECT COALESCE(json_agg(json_build_object('agency', ${agencyJson()}, 'year', f.year,
                'templateVersion', f.template_version, 'values', ${valueJson(facts)})
              ORDER BY ${AGENCY_ORDER()}, f.year), '[]'::json)
         FROM (SELECT * FROM facts f ORDER BY ${AGENCY_ORDER()}, f.year LIMIT ${limit} OFFSET ${offset}) f) AS rows,
      (SELECT COALESCE(json_agg(t ORDER BY t.year), '[]'::json)
         FROM (SELECT f.year, count(*)::int AS "reportCount", ${pooledJson(facts)} AS values
               FROM facts f GROUP BY f.year) t) AS totals`,
  );
  const rows = (row?.rows ?? []) as { agency: Json; year: number; templateVersion: string; values: Json }[];
  const totals = (row?.totals ?? []) as { year: number; reportCount: number; values: Json }[];
  return {
    ok: true,
    value: {
      rowCount: row?.row_count ?? 0,
      rows: rows.map((r) => ({
        agency: agencyRow(r.agency),
        year: r.year,
        templateVersion: r.templateVersion as TemplateVersion,
        values: decodeValues(facts, r.values),
      })),
      totals: totals.map((t) => ({
        year: t.year,
        reportCount: t.reportCount,
        values: decodePooled(facts, t.values),
      })),
    },
  };
}
