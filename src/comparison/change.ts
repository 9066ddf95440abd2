/**
 * One metric of each agency in two chosen years side by side: both values, their difference
 * and ratio, sorted and cut like a ranking. A side without a value leaves the difference and
 * ratio null with the reason, never 0.
 */
import type { MetricNullReason, MetricSpec } from '../catalogue/metrics.ts';
import {
  AGENCY_ORDER,
  agencyJson,
  agencyRow,
  decodeValues,
  type Json,
  type MetricValue,
  valueOut,
} from './facts.ts';
import {
  checkFilter,
  fail,
  filterYearsIssue,
  type ReportFilter,
  type Result,
  yearOutOfRange,
} from './filter.ts';
import { checkCut, keptCondition, rankColumns, type SortDirection, type TiePolicy } from './order.ts';
import { queryFacts } from './pipeline.ts';
import { id, type SqlFragment, type SqlRunner, sql } from './sql.ts';
import type { AgencyRow } from './types.ts';

/** What a change is sorted by: either year's value, the difference or the ratio. */
export type ChangeSortKey = 'FROM' | 'TO' | 'DIFFERENCE' | 'RATIO';

/** A derived figure (difference, ratio): null exactly when `nullReason` says why. */
export interface DerivedValue {
  value: number | null;
  /** The difference of two exactable values as exact decimal text (valueOut); null otherwise. */
  exactValue: string | null;
  nullReason: MetricNullReason | null;
}

export interface ChangeEntry {
  rank: number;
  tieCount: number;
  agency: AgencyRow;
  /** Stored report ids of both years; null when the agency has no report that year. */
  fromReportId: number | null;
  toReportId: number | null;
  from: MetricValue;
  to: MetricValue;
  difference: DerivedValue;
  ratio: DerivedValue;
}

export interface Change {
  fromYear: number;
  toYear: number;
  /** Agencies in scope with a report in either year. */
  populationSize: number;
  /** Of those, agencies with a value in both years. */
  comparedCount: number;
  entries: ChangeEntry[];
}

export interface ChangeInput {
  spec: MetricSpec;
  fromYear: number;
  toYear: number;
  filter?: ReportFilter | null;
  sort?: { by?: ChangeSortKey | null; direction?: SortDirection | null } | null;
  limit?: number | null;
  ties?: TiePolicy | null;
}

const NO_REPORT: MetricNullReason = 'NO_REPORT';

/** One metric between two years per agency, sorted (default: the `toYear` value, highest first). */
export async function change(runner: SqlRunner, input: ChangeInput): Promise<Result<Change>> {
  if (input.spec.transform !== 'VALUE') {
    return fail('change compares values of two years; leave the metric transform VALUE.', 'metric.transform');
  }
  const filterYears = filterYearsIssue(
    input.filter,
    'a change compares the two years given as `fromYear` and `toYear`',
  );
  if (filterYears) return { ok: false, issue: filterYears };
  const yearIssue = yearOutOfRange([input.fromYear], 'fromYear') ?? yearOutOfRange([input.toYear], 'toYear');
  if (yearIssue) return { ok: false, issue: yearIssue };
  // Reversed years are refused, not compared as given: difference and ratio are toYear against
  // fromYear, so 2021 → 2020 would answer a fall as a rise (and sorting by DIFFERENCE upside down).
  if (input.fromYear > input.toYear) {
    return fail(
      `fromYear (${input.fromYear}) is after toYear (${input.toYear}): give the earlier year as fromYear and the later as toYear.`,
      'fromYear',
    );
  }
  // Equal years are refused too: every difference would be 0 and every ratio 1, which reads as
  // "nothing changed" when nothing was compared (typically two year pickers left on one year).
  if (input.fromYear === input.toYear) {
    return fail(
      `fromYear and toYear are both ${input.toYear}: give two different years, the earlier as fromYear.`,
      'toYear',
    );
  }
  const filter: ReportFilter = { ...input.filter, years: [input.fromYear, input.toYear] };
  const issue = checkFilter(filter);
  if (issue) return { ok: false, issue };
  const cut = checkCut({ direction: input.sort?.direction, limit: input.limit, ties: input.ties });
  if (!cut.ok) return cut;

  const keys: Record<ChangeSortKey, SqlFragment> = {
    FROM: sql`p.fv`,
    TO: sql`p.tv`,
    DIFFERENCE: sql`(p.tv - p.fv)`,
    RATIO: sql`(p.tv / NULLIF(p.fv, 0))`,
  };
  const key = keys[input.sort?.by ?? 'TO'];
  const sideReason = (present: string, reason: string) =>
    sql`CASE WHEN NOT ${id(`p.${present}`)} THEN ${NO_REPORT} ELSE ${id(`p.${reason}`)} END`;
  // Why a difference is null, in the order compare's CHANGE gives it: no report in either year,
  // then toYear's own reason (compare's current year), then fromYear's.
  const eitherReason = sql`CASE WHEN NOT (p.has_from AND p.has_to) THEN ${NO_REPORT} ELSE COALESCE(p.tw, p.fw) END`;
  const { facts, row } = await queryFacts<{ population: number; compared: number; entries: Json }>(
    runner,
    [input.spec],
    filter,
    () => sql`,
      agencies AS (
        SELECT DISTINCT ON (agency_id) agency_id, agency_name, region_code, agency_level, agency_kind, synthetic, created_at
        FROM facts WHERE passes),
      pairs AS (
        SELECT g.*, a.agency_id IS NOT NULL AS has_from, b.agency_id IS NOT NULL AS has_to,
               a.report_id AS from_report, b.report_id AS to_report,
               a.v0 AS fv, a.w0 AS fw, a.an0 AS fan, a.ad0 AS fad, b.v0 AS tv, b.w0 AS tw, b.an0 AS tan, b.ad0 AS tad
        FROM agencies g
        LEFT JOIN facts a ON a.agency_id = g.agency_id AND a.year = ${input.fromYear}
        LEFT JOIN facts b ON b.agency_id = g.agency_id AND b.year = ${input.toYear}),
      ranked AS (SELECT p.*, ${rankColumns(key, cut.value, AGENCY_ORDER('p'))} FROM pairs p)
    SELECT
      (SELECT count(*)::int FROM pairs) AS population,
      (SELECT count(*)::int FROM pairs WHERE fv IS NOT NULL AND tv IS NOT NULL) AS compared,
      (SELECT COALESCE(json_agg(json_build_object(
                'rank', p.rk, 'tieCount', p.tie_count, 'agency', ${agencyJson('p')},
                'fromReportId', p.from_report, 'toReportId', p.to_report,
                'from', ${sideJson(input.spec, 'fv', sideReason('has_from', 'fw'), 'fan', 'fad')},
                'to', ${sideJson(input.spec, 'tv', sideReason('has_to', 'tw'), 'tan', 'tad')},
                'difference', json_build_array(${valueOut(input.spec, sql`p.tv - p.fv`)},
                   CASE WHEN p.tv IS NULL OR p.fv IS NULL THEN ${eitherReason} END),
                'ratio', json_build_array(p.tv / NULLIF(p.fv, 0),
                   CASE WHEN p.tv IS NULL OR p.fv IS NULL THEN ${eitherReason}
                        WHEN p.fv = 0 THEN 'DIVISION_BY_ZERO' END))
              ORDER BY p.pos), '[]'::json)
         FROM ranked p WHERE ${keptCondition(cut.value, key)}) AS entries`,
    'AUTO',
    // The filter's report conditions choose the agencies (by either year's report); both years'
    // values are read whatever those reports printed: a report left out by them is no missing report.
    { conditionsAsColumn: true },
  );
  const entries = (row?.entries ?? []) as {
    rank: number;
    tieCount: number;
    agency: Json;
    fromReportId: number | null;
    toReportId: number | null;
    from: Json;
    to: Json;
    difference: [number | string | null, string | null];
    ratio: [number | null, string | null];
  }[];
  const value = (json: Json) => {
    const [decoded] = decodeValues(facts, json);
    if (!decoded) throw new Error('change entry without a value');
    return decoded;
  };
  // A difference of exactable values comes as exact decimal text (valueOut), a ratio as a number.
  const derived = ([v, reason]: [number | string | null, string | null]): DerivedValue =>
    typeof v === 'number' || typeof v === 'string'
      ? { value: Number(v), exactValue: typeof v === 'string' ? v : null, nullReason: null }
      : { value: null, exactValue: null, nullReason: (reason as MetricNullReason | null) ?? 'MISSING' };
  return {
    ok: true,
    value: {
      fromYear: input.fromYear,
      toYear: input.toYear,
      populationSize: row?.population ?? 0,
      comparedCount: row?.compared ?? 0,
      entries: entries.map((e) => ({
        rank: e.rank,
        tieCount: e.tieCount,
        agency: agencyRow(e.agency),
        fromReportId: e.fromReportId,
        toReportId: e.toReportId,
        from: value(e.from),
        to: value(e.to),
        difference: derived(e.difference),
        ratio: derived(e.ratio),
      })),
    },
  };
}

/** One year's side of row `p` as the [[value, reason, numerator, denominator]] array `decodeValues` reads. */
function sideJson(spec: MetricSpec, v: string, reason: SqlFragment, n: string, d: string): SqlFragment {
  const col = (name: string) => id(`p.${name}`);
  return sql`json_build_array(json_build_array(${valueOut(spec, col(v))}, ${reason}, ${col(n)}, ${col(d)}))`;
}
