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
import { checkFilter, fail, MAX_METRICS, type ReportFilter, type Result, yearOutOfRange } from './filter.ts';
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
    /** Whether to count the agencies in scope (default true); false leaves `agencyCount` 0. */
    agencyCount?: boolean;
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
    const sortYearIssue = sort.year == null ? null : yearOutOfRange([sort.year], 'sort.year');
    if (sortYearIssue) return { ok: false, issue: sortYearIssue };
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
  // The page's rows (facts columns, and with a sort its rank columns and position) as a CTE, so
  // the rows and their agencies are read from it: each agency goes out once, not once per year.
  const pageSql = sort
    ? sortedPage(sort, cut.value, limit === 0)
    : sql`SELECT f.*, NULL::int AS rk, NULL::int AS tie_count,
               row_number() OVER (ORDER BY ${AGENCY_ORDER()}, f.year) AS pos
          FROM (SELECT * FROM facts f ORDER BY ${AGENCY_ORDER()}, f.year LIMIT ${limit} OFFSET ${offset}) f`;

  const { facts, row } = await queryFacts<{
    row_count: number;
    agency_count: number | null;
    sort_year_reports: number | null;
    rows: Json;
    agencies: Json;
    totals: Json;
  }>(
    runner,
    input.specs,
    input.filter,
    (facts) => sql`,
    page AS (${pageSql})
    SELECT
      (SELECT count(*)::int FROM facts) AS row_count,
      ${input.agencyCount === false ? sql`NULL::int` : sql`(SELECT count(DISTINCT agency_id)::int FROM facts)`} AS agency_count,
      ${sort?.year == null ? sql`NULL::int` : sql`(SELECT count(*)::int FROM facts WHERE year = ${sort.year})`} AS sort_year_reports,
      (SELECT COALESCE(json_agg(json_build_array(f.agency_id, f.year, f.template_version, ${valueJson(facts)},
                f.rk, f.tie_count) ORDER BY f.pos, f.year), '[]'::json) FROM page f) AS rows,
      (SELECT COALESCE(json_object_agg(f.agency_id, ${agencyJson()}), '{}'::json)
         FROM (SELECT DISTINCT ON (agency_id) * FROM page) f) AS agencies,
      ${
        input.totals === false
          ? sql`'[]'::json`
          : sql`(SELECT COALESCE(json_agg(t ORDER BY t.year), '[]'::json)
         FROM (SELECT f.year, count(*)::int AS "reportCount", ${pooledJson(facts)} AS values
               FROM facts f GROUP BY f.year) t)`
      } AS totals`,
  );
  // Sorting by a year none of the compared reports is of ranks nothing: every agency would tie
  // unranked, in name order, as if sorted.
  if (sort?.year != null && row?.sort_year_reports === 0 && (row?.row_count ?? 0) > 0) {
    return fail(
      `sort.year ${sort.year}: none of the ${row?.row_count} compared reports is of ${sort.year}; sort by a year they have, or leave sort.year out to sort each row by its own value.`,
      'sort.year',
    );
  }
  const agencies = new Map(
    Object.entries((row?.agencies ?? {}) as Record<string, Json>).map(([id, agency]) => [
      id,
      agencyRow(agency),
    ]),
  );
  /** [agency id, year, template version, values, rank, tie count]. */
  const rows = (row?.rows ?? []) as [number, number, string, Json, number | null, number | null][];
  const totals = (row?.totals ?? []) as { year: number; reportCount: number; values: Json }[];
  return {
    ok: true,
    value: {
      rowCount: row?.row_count ?? 0,
      agencyCount: row?.agency_count ?? 0,
      rows: rows.map(([agencyId, year, templateVersion, values, rank, tieCount]) => {
        const agency = agencies.get(String(agencyId));
        if (!agency)
          throw new Error(`compare: agency ${agencyId} of a row is missing from the page's agencies`);
        return {
          agency,
          year,
          templateVersion: templateVersion as TemplateVersion,
          values: decodeValues(facts, values),
          rank,
          tieCount,
        };
      }),
      totals: totals.map((t) => ({
        year: t.year,
        reportCount: t.reportCount,
        values: decodePooled(facts, t.values),
      })),
    },
  };
}

/**
 * The rows of the page in sort order (column `pos`). The sort key is the row's value of metric
 * `sort.metric`, or the agency's value in `sort.year`; ties are broken by agency name (code-point
 * order), id and year. `none` (limit 0): no rows, as without a sort.
 */
function sortedPage(sort: CompareSort, cut: Cut, none: boolean): SqlFragment {
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
  return sql`SELECT f.*, r.rk, r.tie_count, r.pos
         FROM (${ranked}) r JOIN facts f ON ${join}
         WHERE ${none ? sql`false` : keptCondition(cut, sql`r.sort_key`, 'r')}`;
}
