import type { MetricSpec } from '../catalogue/metrics.ts';
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
import { checkFilter, fail, type ReportFilter, type Result } from './filter.ts';
import { checkPage, queryFacts } from './pipeline.ts';
import { type SqlRunner, sql } from './sql.ts';
import type { Series } from './types.ts';

const MAX_YEARS = 50;

/**
 * One time series per agency for charts: a point for every year asked for (default: the
 * first to the last year in scope), null with NO_REPORT where the agency has no report,
 * plus the pooled series over all its agencies. Conditions pick agencies: those with at
 * least one report in the years that meets them.
 */
export async function series(
  runner: SqlRunner,
  input: {
    spec: MetricSpec;
    filter?: ReportFilter | null;
    limit?: number | null;
    offset?: number | null;
    /** Whether to pool the series over all agencies (default true); false leaves `totals` empty. */
    totals?: boolean;
  },
): Promise<Result<Series>> {
  const issue = checkFilter(input.filter);
  if (issue) return { ok: false, issue };
  const { fromYear, toYear, years } = input.filter ?? {};
  if (fromYear != null && toYear != null && toYear - fromYear >= MAX_YEARS) {
    return fail(`A series spans at most ${MAX_YEARS} years.`, 'filter.toYear');
  }
  const page = checkPage(input);
  if (!page.ok) return page;
  const { limit, offset } = page.value;

  const yearList = years?.length
    ? sql`SELECT DISTINCT y FROM unnest(${[...years]}::int[]) AS y`
    : sql`SELECT generate_series(COALESCE(${fromYear ?? null}::int, b.first_year), COALESCE(${toYear ?? null}::int, b.last_year)) AS y
        FROM (SELECT min(year) AS first_year, max(year) AS last_year FROM facts_all
              WHERE agency_id IN (SELECT agency_id FROM agencies)) b`;
  const { facts, row } = await queryFacts<{
    years: number[] | null;
    agency_count: number;
    series: Json;
    totals: Json;
  }>(
    runner,
    [input.spec],
    input.filter,
    (facts) => sql`,
      agencies AS (SELECT DISTINCT agency_id, agency_name, region_code, agency_level, agency_kind, synthetic, created_at FROM facts),
      years AS (${yearList}),
      page AS (SELECT * FROM agencies g ORDER BY ${AGENCY_ORDER('g')} LIMIT ${limit} OFFSET ${offset}),
      -- Every point of the page in one grouped join: a subquery per agency scanned all the
      -- facts once for each.
      points AS (
        SELECT g.agency_id, json_agg(json_build_array(years.y, CASE WHEN f.agency_id IS NULL
                 THEN json_build_array(json_build_array(NULL, 'NO_REPORT', NULL, NULL))
                 ELSE ${valueJson(facts)} END) ORDER BY years.y) AS points
        FROM page g CROSS JOIN years LEFT JOIN facts_all f ON f.agency_id = g.agency_id AND f.year = years.y
        GROUP BY g.agency_id)
    SELECT
      (SELECT array_agg(y ORDER BY y) FROM years) AS years,
      (SELECT count(*)::int FROM agencies) AS agency_count,
      (SELECT COALESCE(json_agg(json_build_object('agency', ${agencyJson('g')}, 'points', p.points)
              ORDER BY ${AGENCY_ORDER('g')}), '[]'::json)
         FROM page g LEFT JOIN points p ON p.agency_id = g.agency_id) AS series,
      ${
        input.totals === false
          ? sql`'[]'::json`
          : sql`(SELECT json_agg(json_build_array(years.y, t.values) ORDER BY years.y)
         FROM years CROSS JOIN LATERAL (
           SELECT ${pooledJson(facts)} AS values FROM facts_all f
           WHERE f.year = years.y AND f.agency_id IN (SELECT agency_id FROM agencies)) t)`
      } AS totals`,
  );
  const point = ([year, values]: [number, Json]) => {
    const [value] = decodeValues(facts, values);
    if (!value) throw new Error('series point without a value');
    return { year, value };
  };
  const pooledPoint = ([year, values]: [number, Json]) => {
    const [value] = decodePooled(facts, values);
    if (!value) throw new Error('series total without a value');
    return { year, value };
  };
  const list = (row?.series ?? []) as { agency: Json; points: [number, Json][] | null }[];
  return {
    ok: true,
    value: {
      years: row?.years ?? [],
      agencyCount: row?.agency_count ?? 0,
      series: list.map((s) => ({ agency: agencyRow(s.agency), points: (s.points ?? []).map(point) })),
      totals: ((row?.totals ?? []) as [number, Json][]).map(pooledPoint),
    },
  };
}
