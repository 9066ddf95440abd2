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
import {
  type Cut,
  checkCut,
  keptCondition,
  rankColumns,
  type SortDirection,
  type TiePolicy,
} from './order.ts';
import { checkPage, queryFacts } from './pipeline.ts';
import { id, type SqlFragment, type SqlRunner, sql } from './sql.ts';
import type { Comparison } from './types.ts';

/**
 * Order of the matrix by one requested metric (position `metric`): by each row's own value,
 * or, with `year`, by each agency's value in that year (an agency's rows stay together).
 */
export interface CompareSort {
  metric?: number | null;
  year?: number | null;
  direction?: SortDirection | null;
}

/** Whether `year` is one of the years the filter compares. */
const yearInScope = (filter: ReportFilter | null | undefined, year: number) =>
  filter?.years?.length
    ? filter.years.includes(year)
    : (filter?.fromYear == null || year >= filter.fromYear) &&
      (filter?.toYear == null || year <= filter.toYear);

/** The agency × year matrix of the requested metrics, one row per stored report, with pooled totals per year. */
export async function compare(
  runner: SqlRunner,
  input: {
    specs: MetricSpec[];
    filter?: ReportFilter | null;
    limit?: number | null;
    offset?: number | null;
    sort?: CompareSort | null;
    ties?: TiePolicy | null;
    /** Whether to pool the totals per year (default true); false leaves `totals` empty. */
    totals?: boolean;
  },
): Promise<Result<Comparison>> {
  if (input.specs.length === 0 || input.specs.length > MAX_METRICS) {
    return fail(`Ask for 1 to ${MAX_METRICS} metrics; got ${input.specs.length}.`, 'metrics');
  }
  const issue = checkFilter(input.filter);
  if (issue) return { ok: false, issue };
  const page = checkPage(input);
  if (!page.ok) return page;
  const { limit, offset } = page.value;
  const sort = input.sort;
  if (sort) {
    const m = sort.metric ?? 0;
    if (!Number.isInteger(m) || m < 0 || m >= input.specs.length) {
      return fail(
        `sort.metric is a position in metrics: 0 to ${input.specs.length - 1}; got ${m}.`,
        'sort.metric',
      );
    }
    if (sort.year != null && !yearInScope(input.filter, sort.year)) {
      return fail(`sort.year ${sort.year} is not among the years the filter compares.`, 'sort.year');
    }
  }
  const cut = checkCut({
    direction: sort?.direction,
    limit: limit === 0 ? null : limit,
    offset,
    ties: input.ties,
  });
  if (!cut.ok) return cut;
  const pageRows = sort
    ? (facts: Parameters<typeof valueJson>[0]) => sortedRows(facts, sort, cut.value, limit === 0)
    : (facts: Parameters<typeof valueJson>[0]) => sql`
      (SELECT COALESCE(json_agg(json_build_object('agency', ${agencyJson()}, 'year', f.year,
                'templateVersion', f.template_version, 'values', ${valueJson(facts)})
              ORDER BY ${AGENCY_ORDER()}, f.year), '[]'::json)
         FROM (SELECT * FROM facts f ORDER BY ${AGENCY_ORDER()}, f.year LIMIT ${limit} OFFSET ${offset}) f)`;

  const { facts, row } = await queryFacts<{ row_count: number; rows: Json; totals: Json }>(
    runner,
    input.specs,
    input.filter,
    (facts) => sql`
    SELECT
      (SELECT count(*)::int FROM facts) AS row_count,
      ${pageRows(facts)} AS rows,
      ${
        input.totals === false
          ? sql`'[]'::json`
          : sql`(SELECT COALESCE(json_agg(t ORDER BY t.year), '[]'::json)
         FROM (SELECT f.year, count(*)::int AS "reportCount", ${pooledJson(facts)} AS values
               FROM facts f GROUP BY f.year) t)`
      } AS totals`,
  );
  const rows = (row?.rows ?? []) as {
    agency: Json;
    year: number;
    templateVersion: string;
    values: Json;
    rank?: number;
    tieCount?: number;
  }[];
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
        rank: r.rank ?? null,
        tieCount: r.tieCount ?? null,
      })),
      totals: totals.map((t) => ({
        year: t.year,
        reportCount: t.reportCount,
        values: decodePooled(facts, t.values),
      })),
    },
  };
}

/**
 * The rows of the page in sort order. The sort key is the row's value of metric `sort.metric`,
 * or the agency's value in `sort.year`; ties are broken by agency name (code-point order), id
 * and year. `none` (limit 0): no rows, as without a sort.
 */
function sortedRows(
  facts: Parameters<typeof valueJson>[0],
  sort: CompareSort,
  cut: Cut,
  none: boolean,
): SqlFragment {
  if (none) return sql`'[]'::json`;
  const v = id(`v${sort.metric ?? 0}`);
  const byAgency = sort.year != null;
  const key = byAgency
    ? sql`(SELECT k.${v} FROM facts k WHERE k.agency_id = f.agency_id AND k.year = ${sort.year})`
    : sql`f.${v}`;
  const units = byAgency
    ? sql`SELECT DISTINCT ON (f.agency_id) f.agency_id, f.agency_name, NULL::int AS year, ${key} AS sort_key FROM facts f`
    : sql`SELECT f.agency_id, f.agency_name, f.year, ${key} AS sort_key FROM facts f`;
  const ranked = sql`SELECT u.*, ${rankColumns(sql`u.sort_key`, cut, sql`${AGENCY_ORDER('u')}, u.year`)} FROM (${units}) u`;
  const join = byAgency ? sql`r.agency_id = f.agency_id` : sql`r.agency_id = f.agency_id AND r.year = f.year`;
  return sql`(SELECT COALESCE(json_agg(json_build_object('agency', ${agencyJson()}, 'year', f.year,
                'templateVersion', f.template_version, 'values', ${valueJson(facts)},
                'rank', r.rk, 'tieCount', r.tie_count)
              ORDER BY r.pos, f.year), '[]'::json)
         FROM (${ranked}) r JOIN facts f ON ${join}
         WHERE ${keptCondition(cut, sql`r.sort_key`, 'r')})`;
}
