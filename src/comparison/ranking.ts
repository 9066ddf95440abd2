import type { MetricSpec } from '../catalogue/metrics.ts';
import type { TemplateVersion } from '../catalogue/template.ts';
import type { FactsPath } from './aggregates.ts';
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
import type { TiePolicy } from './order.ts';
import { queryFacts } from './pipeline.ts';
import { empty, raw, type SqlRunner, sql } from './sql.ts';
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
  },
): Promise<Result<Ranking>> {
  if (input.filter?.years?.length || input.filter?.fromYear != null || input.filter?.toYear != null) {
    return fail(
      'A ranking is for one year: give it as `year` and leave the filter without years.',
      'filter.years',
    );
  }
  const filter: ReportFilter = { ...input.filter, years: [input.year] };
  const issue = checkFilter(filter);
  if (issue)
    return { ok: false, issue: { ...issue, argument: issue.argument.replace('filter.years', 'year') } };
  if (input.limit != null && input.limit < 1)
    return fail('limit must be at least 1; leave it out for all.', 'limit');
  const direction = raw(input.order === 'ASC' ? 'ASC' : 'DESC');
  const withTies = input.ties ? input.ties === 'INCLUDE' : (input.withTies ?? true);

  const cut =
    input.limit == null
      ? empty
      : withTies
        ? sql`WHERE r.rank <= ${input.limit}`
        : sql`ORDER BY r.rank, ${AGENCY_ORDER('r')} LIMIT ${input.limit}`;
  const { facts, row } = await queryFacts<{
    population: number;
    ranked: number;
    entries: Json;
    unranked: Json;
    overall: Json;
  }>(
    runner,
    [input.spec],
    filter,
    (facts) => sql`,
      ranked AS (
        SELECT f.*, rank() OVER (ORDER BY f.v0 ${direction})::int AS rank,
               -- The peers of a row under the rank's own ordering: one sort serves both windows.
               count(*) OVER (ORDER BY f.v0 ${direction} RANGE BETWEEN CURRENT ROW AND CURRENT ROW)::int AS tie_count
        FROM facts f WHERE f.v0 IS NOT NULL)
    SELECT
      (SELECT count(*)::int FROM facts) AS population,
      (SELECT count(*)::int FROM ranked) AS ranked,
      (SELECT COALESCE(json_agg(json_build_object('rank', f.rank, 'tieCount', f.tie_count, 'agency', ${agencyJson()},
                'templateVersion', f.template_version, 'values', ${valueJson(facts)})
              ORDER BY f.rank, ${AGENCY_ORDER()}), '[]'::json)
         FROM (SELECT * FROM ranked r ${cut}) f) AS entries,
      (SELECT COALESCE(json_agg(json_build_object('reason', u.w0, 'count', u.n) ORDER BY u.w0), '[]'::json)
         FROM (SELECT w0, count(*)::int AS n FROM facts WHERE v0 IS NULL GROUP BY w0) u) AS unranked,
      (SELECT ${pooledJson(facts)} FROM facts f) AS overall`,
    input.path ?? 'AUTO',
  );
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
