import type { MetricSpec } from '../catalogue/metrics.ts';
import type { TemplateVersion } from '../catalogue/template.ts';
import { type FigureBase, figureBase, narrowValueSql } from '../store/aggregates.ts';
import {
  type AggregateFacts,
  aggregateAnswers,
  aggregatePooledJson,
  aggregateReasonCounts,
  aggregateValueCount,
  buildAggregateFacts,
  type FactsPath,
  reportCount,
} from './aggregates.ts';
import {
  AGENCY_ORDER,
  agencyJson,
  agencyRow,
  decodePooled,
  decodeValues,
  type Facts,
  type Json,
  pooledJson,
  valueJson,
} from './facts.ts';
import {
  agencyCondition,
  checkFilter,
  fail,
  filterYearsIssue,
  type ReportFilter,
  type Result,
  templateCondition,
} from './filter.ts';
import type { TiePolicy } from './order.ts';
import { queryFacts } from './pipeline.ts';
import { empty, raw, type SqlFragment, type SqlRunner, sql } from './sql.ts';
import type { Ranking } from './types.ts';

export type RankOrder = 'DESC' | 'ASC';

/**
 * Agencies ranked by one metric for one year. Equal values share a rank (SQL RANK(): 1, 2, 2, 4);
 * with ties INCLUDE every agency tied with the last one inside `limit` is included, with CUT
 * exactly `limit` (equal values by agency name in code-point order, then id). `withTies` is the
 * older spelling of the policy (false = CUT); `ties` wins when both are given. Agencies
 * without a value are not ranked; they are counted by reason.
 */
export async function ranking(
  runner: SqlRunner,
  input: {
    spec: MetricSpec;
    year: number;
    filter?: ReportFilter | null;
    order?: RankOrder | null;
    limit?: number | null;
    withTies?: boolean | null;
    ties?: TiePolicy | null;
    /** ROWS: read every report's figures even where report_fact holds the metric. */
    path?: FactsPath | null;
    /** The share of the year's reports above which the rank index is walked (walkShareFor); for tests. */
    walkShare?: number | null;
  },
): Promise<Result<Ranking>> {
  const filterYears = filterYearsIssue(input.filter, 'a ranking is for the one year given as `year`');
  if (filterYears) return { ok: false, issue: filterYears };
  const filter: ReportFilter = { ...input.filter, years: [input.year] };
  const issue = checkFilter(filter);
  if (issue)
    return { ok: false, issue: { ...issue, argument: issue.argument.replace('filter.years', 'year') } };
  if (input.limit != null && (!Number.isInteger(input.limit) || input.limit < 0))
    return fail('limit must be a whole number of at least 0; leave it out for all.', 'limit');
  const direction = raw(input.order === 'ASC' ? 'ASC' : 'DESC');
  const withTies = input.ties ? input.ties === 'INCLUDE' : (input.withTies ?? true);

  const cut =
    input.limit == null
      ? empty
      : withTies
        ? sql`WHERE r.rank <= ${input.limit}`
        : sql`ORDER BY r.rank, ${AGENCY_ORDER('r')} LIMIT ${input.limit}`;
  const base = figureBase(input.spec.metric.name, input.spec.applicant);
  // limit 0 (the counts without entries) is answered by the statement that counts, not the index walk.
  const { facts, row } = await (input.limit != null &&
  input.limit > 0 &&
  (input.path ?? 'AUTO') === 'AUTO' &&
  base.narrow !== null &&
  aggregateAnswers([input.spec], filter)
    ? topOfIndex(runner, {
        spec: input.spec,
        base,
        filter,
        year: input.year,
        limit: input.limit,
        ascending: input.order === 'ASC',
        direction,
        cut,
        walkShare: input.walkShare,
      })
    : queryFacts<RankingRow>(
        runner,
        [input.spec],
        filter,
        (facts) => sql`,
      ranked AS (SELECT f.*, ${rankWindows(direction)} FROM facts f WHERE f.v0 IS NOT NULL)
    SELECT
      (SELECT count(*)::int FROM facts) AS population,
      (SELECT count(*)::int FROM ranked) AS ranked,
      ${entriesJson(facts, cut)} AS entries,
      (SELECT COALESCE(json_agg(json_build_object('reason', u.w0, 'count', u.n) ORDER BY u.w0), '[]'::json)
         FROM (SELECT w0, count(*)::int AS n FROM facts WHERE v0 IS NULL GROUP BY w0) u) AS unranked,
      (SELECT ${pooledJson(facts)} FROM facts f) AS overall`,
        input.path ?? 'AUTO',
      ));
  const entries = (row?.entries ?? []) as {
    rank: number;
    tieCount: number;
    agency: Json;
    templateVersion: string;
    values: Json;
  }[];
  const [overall] = decodePooled(facts, row?.overall ?? []);
  if (!overall) throw new Error('ranking without an overall value');
  return {
    ok: true,
    value: {
      year: input.year,
      populationSize: row?.population ?? 0,
      rankedCount: row?.ranked ?? 0,
      unranked: (row?.unranked ?? []) as { reason: string; count: number }[],
      entries: entries.map((e) => {
        const [value] = decodeValues(facts, e.values);
        if (!value) throw new Error('ranking entry without a value');
        return {
          rank: e.rank,
          tieCount: e.tieCount,
          agency: agencyRow(e.agency),
          templateVersion: e.templateVersion as TemplateVersion,
          value,
        };
      }),
      overall,
    },
  };
}

interface RankingRow {
  population: number;
  ranked: number;
  entries: Json;
  unranked: Json;
  overall: Json;
}

/** Rank and tie count of each row of `value` (v0): one sort serves both windows. */
const rankWindows = (direction: SqlFragment) =>
  sql`rank() OVER (ORDER BY v0 ${direction})::int AS rank,
      count(*) OVER (ORDER BY v0 ${direction} RANGE BETWEEN CURRENT ROW AND CURRENT ROW)::int AS tie_count`;

/** The entries of `ranked` that `cut` keeps, as JSON in rank order, then by agency. */
const entriesJson = (facts: Pick<Facts, 'specs'>, cut: SqlFragment) =>
  sql`(SELECT COALESCE(json_agg(json_build_object('rank', f.rank, 'tieCount', f.tie_count, 'agency', ${agencyJson()},
          'templateVersion', f.template_version, 'values', ${valueJson(facts)})
        ORDER BY f.rank, ${AGENCY_ORDER()}), '[]'::json)
      FROM (SELECT * FROM ranked r ${cut}) f)`;

/**
 * The share of the year's reports a filter must keep for the index walk: below it the walk
 * could pass most of the year's values to find a few matches (one provincial government
 * among 170,000 reports took 2.5 s, sorting its matches 0.1 s), and the statement sorts the
 * matches instead. Larger limits walk further, so they need a larger share.
 */
const walkShareFor = (limit: number) => Math.max(0.05, limit / 2000);

/**
 * A ranking with a limit, where the aggregates answer the counts: the entries are the first
 * `limit` reports (and every report tied with the last) walked in value order along the
 * base's rank index (RANK_INDEXES), so nothing sorts the whole year. Every report better than
 * an entry is an entry too, so ranks and tie counts taken among the entries are the ranks among
 * all reports; population, the unranked reasons and the overall value come from
 * figure_aggregate. When the filter keeps too small a share of the year (walkShareFor), the
 * same statement sorts the filter's matches instead: both are planned, one-time filters run
 * one. test/comparison/aggregate-path.test.ts holds both equal to the row path.
 */
async function topOfIndex(
  runner: SqlRunner,
  input: {
    spec: MetricSpec;
    /** The spec's base; it must be in report_fact. */
    base: FigureBase;
    filter: ReportFilter;
    year: number;
    limit: number;
    ascending: boolean;
    /** ASC or DESC, as the rank windows take it. */
    direction: SqlFragment;
    cut: SqlFragment;
    walkShare?: number | null | undefined;
  },
): Promise<{ facts: AggregateFacts; row: RankingRow | undefined }> {
  const { spec, base, filter, year, limit } = input;
  const value = raw(narrowValueSql(base, 'rf'));
  // The index holds nulls last; descending, the walk starts from its end.
  const order = raw(input.ascending ? 'ASC NULLS LAST' : 'DESC NULLS FIRST');
  const aggregate = buildAggregateFacts([spec], filter);
  const share = input.walkShare ?? walkShareFor(limit);
  const position = raw(String(base.narrow));
  const reports = (gate: SqlFragment) => sql`
      SELECT a.id AS agency_id, a.name AS agency_name, a.region_code, a.level::text AS agency_level,
             a.kind::text AS agency_kind, a.synthetic, a.created_at,
             rf.template_version::text AS template_version, ${value} AS v0, NULL::text AS w0,
             rf.n[${position}] AS an0, ${base.ratio ? sql`rf.d[${position}]` : sql`NULL::numeric`} AS ad0
      FROM report_fact rf
      JOIN agency a ON a.id = rf.agency_id
      WHERE ${gate} AND rf.year = ${year} AND ${value} IS NOT NULL AND ${agencyCondition(filter.agency)}
        AND ${templateCondition(sql`rf.template_version::text`, filter)}`;
  // The limit as a literal: a generic plan of a parameter would be made for any limit.
  const first = sql`FETCH FIRST ${raw(String(limit))} ROWS WITH TIES`;
  const [row] = await runner.query<RankingRow>(sql`${aggregate.with},
    walk AS MATERIALIZED (
      SELECT (SELECT ${reportCount} FROM facts f) >= ${share}::numeric * (
        SELECT COALESCE(sum(g.report_count), 0) FROM figure_aggregate g WHERE g.base = ${base.index} AND g.year = ${year}
      ) AS walk),
    -- A narrow filter's matches, found first and then sorted (a sort under the limit would sort
    -- the whole year and walk it); nothing when the walk runs.
    matches AS MATERIALIZED (${reports(sql`NOT (SELECT walk FROM walk)`)}),
    top AS MATERIALIZED (
      (${reports(sql`(SELECT walk FROM walk)`)} ORDER BY ${value} ${order} ${first})
      UNION ALL
      (SELECT * FROM matches ORDER BY v0 ${order} ${first})),
    ranked AS (SELECT t.*, ${rankWindows(input.direction)} FROM top t)
    SELECT
      (SELECT ${reportCount}::int FROM facts f) AS population,
      (SELECT ${aggregateValueCount(0)}::int FROM facts f) AS ranked,
      ${entriesJson(aggregate, input.cut)} AS entries,
      (SELECT ${aggregateReasonCounts(0)} FROM facts f) AS unranked,
      (SELECT ${aggregatePooledJson(aggregate)} FROM facts f) AS overall`);
  return { facts: aggregate, row };
}
