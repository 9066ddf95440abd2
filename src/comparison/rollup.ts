import type { MetricSpec } from '../catalogue/metrics.ts';
import {
  type AgencyKind as AgencyKindCode,
  type AgencyLevel as AgencyLevelCode,
  REGION_PREFIX_LENGTH,
  type RegionLevel,
} from '../catalogue/regions.ts';
import type { TemplateVersion } from '../catalogue/template.ts';
import {
  type AggregateFacts,
  aggregateAnswers,
  aggregateAvg,
  aggregatePooled,
  aggregatePooledJson,
  aggregateSum,
  aggregateValueCount,
  buildAggregateFacts,
  type FactsPath,
  onePerAgency,
  reportCount,
} from './aggregates.ts';
import { boundsOn, decodePooled, type Facts, type Json, pooled, pooledJson, valueOut } from './facts.ts';
import {
  checkFilter,
  contradictionMessage,
  contradictoryBounds,
  fail,
  MAX_METRICS,
  type ReportFilter,
  type Result,
} from './filter.ts';
import { queryFacts } from './pipeline.ts';
import { empty, id, join, type SqlFragment, type SqlRunner, sql } from './sql.ts';
import type { Rollup, RollupDimension } from './types.ts';

export const ROLLUP_AGGREGATES = [
  'SUM',
  'AVG',
  'MIN',
  'MAX',
  'MEDIAN',
  'REPORTING_AGENCIES',
  'POOLED',
] as const;
export type RollupAggregate = (typeof ROLLUP_AGGREGATES)[number];
const EXACT_STATISTICS: ReadonlySet<RollupAggregate> = new Set(['SUM', 'MIN', 'MAX', 'MEDIAN']);

/** Per-group statistics a rollup can leave out; the pooled figure and counts of reports are always computed. */
const STATISTIC_ORDER = ['SUM', 'AVG', 'MIN', 'MAX', 'MEDIAN', 'REPORTING_AGENCIES'] as const;
export const ROLLUP_STATISTICS = [...STATISTIC_ORDER, 'AGENCY_COUNT'] as const;
export type RollupStatistic = (typeof ROLLUP_STATISTICS)[number];

/** A condition on a group's aggregate of one metric (SQL HAVING); every given bound must hold. */
export interface HavingCondition {
  spec: MetricSpec;
  aggregate: RollupAggregate;
  gt?: number | null;
  gte?: number | null;
  lt?: number | null;
  lte?: number | null;
  eq?: number | null;
}

function aggregate(facts: Facts, j: number, which: RollupAggregate): SqlFragment {
  const v = id(`f.v${j}`);
  switch (which) {
    case 'SUM':
      return sql`sum(${v})`;
    case 'AVG':
      return sql`avg(${v})`;
    case 'MIN':
      return sql`min(${v})`;
    case 'MAX':
      return sql`max(${v})`;
    case 'MEDIAN':
      // The mean of the two middle values, in numeric: percentile_cont interpolates in double
      // precision (1.25 and 0.07 gave 0.6599999999999999, and `having: MEDIAN eq 0.66` lost the
      // group). percentile_disc keeps the values' type; ascending it is the lower middle value,
      // descending the upper (one value apart only for an even count). Halved by × 0.5: numeric
      // division picks its scale by magnitude, and / 2 gave 300000000.00000001 as the median of
      // 300000000.00000001 and 300000000.
      return sql`(percentile_disc(0.5) WITHIN GROUP (ORDER BY ${v}) + percentile_disc(0.5) WITHIN GROUP (ORDER BY ${v} DESC)) * 0.5`;
    case 'REPORTING_AGENCIES':
      return sql`count(DISTINCT f.agency_id) FILTER (WHERE ${v} IS NOT NULL)`;
    case 'POOLED':
      return pooled(facts, j);
  }
}

/** Group key expression of a dimension over facts rows `f`. */
function keyOf(dimension: RollupDimension, regionLevel: RegionLevel): SqlFragment {
  switch (dimension) {
    case 'REGION': {
      const digits = REGION_PREFIX_LENGTH[regionLevel];
      // An agency above the chosen level (a provincial bureau when grouping by city) sits in no group of it.
      return digits > 6
        ? sql`CASE WHEN length(f.region_prefix) >= ${digits} THEN f.region_prefix END`
        : sql`CASE WHEN length(f.region_prefix) >= ${digits} THEN rpad(left(f.region_prefix, ${digits}), 6, '0') END`;
    }
    case 'LEVEL':
      return sql`f.agency_level`;
    case 'KIND':
      return sql`f.agency_kind`;
    case 'YEAR':
      return sql`f.year`;
    case 'TEMPLATE_VERSION':
      return sql`f.template_version`;
  }
}

const KEY_COLUMN: Record<RollupDimension, string> = {
  REGION: 'k_region',
  LEVEL: 'k_level',
  KIND: 'k_kind',
  YEAR: 'k_year',
  TEMPLATE_VERSION: 'k_version',
};
/** Levels and kinds sort in their enum order (national first), not alphabetically. */
const KEY_ORDER: Record<RollupDimension, SqlFragment> = {
  REGION: sql`g.k_region`,
  LEVEL: sql`g.k_level::"AdministrativeLevel"`,
  KIND: sql`g.k_kind::"AgencyKind"`,
  YEAR: sql`g.k_year`,
  TEMPLATE_VERSION: sql`g.k_version`,
};

/** The groups of the `grouped` CTE as one JSON array, in key order, with each region's name. */
function groupsJson(groupBy: readonly RollupDimension[]): SqlFragment {
  return sql`SELECT COALESCE(json_agg(json_build_object(
        'region', ${
          groupBy.includes('REGION')
            ? // A lookup per group: a join would hash all ~45,000 regions for a few hundred groups.
              sql`CASE WHEN g.k_region IS NOT NULL THEN COALESCE(
                (SELECT json_build_object('code', rg.code, 'name', rg.name, 'level', rg.level, 'parentCode', rg.parent_code)
                 FROM region rg WHERE rg.code = g.k_region),
                json_build_object('code', g.k_region, 'name', NULL, 'level', NULL, 'parentCode', NULL)) END`
            : sql`NULL::json`
        },
        'level', ${groupBy.includes('LEVEL') ? sql`g.k_level` : sql`NULL::text`},
        'kind', ${groupBy.includes('KIND') ? sql`g.k_kind` : sql`NULL::text`},
        'year', ${groupBy.includes('YEAR') ? sql`g.k_year` : sql`NULL::int`},
        'templateVersion', ${groupBy.includes('TEMPLATE_VERSION') ? sql`g.k_version` : sql`NULL::text`},
        'reportCount', g.report_count, 'agencyCount', g.agency_count, 'pooled', g.pooled, 'stats', g.stats)
      ${groupBy.length ? sql`ORDER BY ${join(groupBy.map((d) => sql`${KEY_ORDER[d]} NULLS LAST`))}` : empty}
      ), '[]'::json) AS groups
    FROM grouped g`;
}

/**
 * Grouped aggregates of metrics over reports: per group the sum, average, minimum, maximum
 * and median of the per-report values, the number of agencies reporting a value, and the
 * pooled figure (Σnumerator / Σdenominator for ratios). `having` keeps groups by aggregate.
 */
export async function rollup(
  runner: SqlRunner,
  input: {
    specs: MetricSpec[];
    groupBy: RollupDimension[];
    regionLevel?: RegionLevel | null;
    filter?: ReportFilter | null;
    having?: readonly HavingCondition[] | null;
    /**
     * The per-group statistics to compute (default all). The others come back null: a median
     * or a distinct count sorts every report of the group, which a dashboard showing sums
     * should not pay for.
     */
    statistics?: ReadonlySet<RollupStatistic> | null;
    /** ROWS: compute from every report's figures even where the aggregates would answer. */
    path?: FactsPath | null;
  },
): Promise<Result<Rollup>> {
  if (input.specs.length === 0 || input.specs.length > MAX_METRICS) {
    return fail(`Ask for 1 to ${MAX_METRICS} metrics; got ${input.specs.length}.`, 'metrics');
  }
  const issue = checkFilter(input.filter);
  if (issue) return { ok: false, issue };
  for (const [i, h] of (input.having ?? []).entries()) {
    if ([h.gt, h.gte, h.lt, h.lte, h.eq].every((b) => b == null)) {
      return fail('A having condition needs at least one of gt, gte, lt, lte or eq.', `having[${i}]`);
    }
    const contradiction = contradictoryBounds(h);
    if (contradiction) return fail(contradictionMessage(contradiction), `having[${i}]`);
  }
  const groupBy = [...new Set(input.groupBy)];
  const regionLevel = input.regionLevel ?? 'PROVINCE';
  const having = input.having ?? [];
  const outputs = input.specs.map((_, j) => j);
  const wanted = input.statistics ?? new Set(ROLLUP_STATISTICS);
  const keys = groupBy.map((d) => sql`${keyOf(d, regionLevel)} AS ${id(KEY_COLUMN[d])}`);
  // The having conditions' metrics follow the output metrics in the facts; only outputs are pooled.
  const outputsOf = (facts: Facts): Facts => ({ ...facts, specs: input.specs });

  const allSpecs = [...input.specs, ...having.map((h) => h.spec)];
  // Sums, extremes and medians of exact values (figures, sums, differences) are exact decimals
  // too (a median halves a sum), so they travel as text like the pooled value (valueOut).
  const statOut = (j: number, which: RollupAggregate, expr: SqlFragment): SqlFragment => {
    const spec = input.specs[j];
    return spec && EXACT_STATISTICS.has(which) ? valueOut(spec, expr) : expr;
  };
  const havingOf = (expr: (h: HavingCondition, i: number) => SqlFragment) =>
    having.flatMap((h, i) => boundsOn(expr(h, i), h));

  // Pooled figures, sums, means and counts come from the aggregates where they can answer;
  // per-report minima, maxima, medians and distinct agencies over several years cannot.
  const perAgency = onePerAgency(groupBy.includes('YEAR'), input.filter);
  const fromAggregates = (which: RollupAggregate | 'AGENCY_COUNT', spec: MetricSpec | null) =>
    which === 'POOLED' ||
    ((which === 'SUM' || which === 'AVG') && spec?.metric.kind !== 'RATIO') ||
    ((which === 'REPORTING_AGENCIES' || which === 'AGENCY_COUNT') && perAgency);
  const aggregated =
    (input.path ?? 'AUTO') === 'AUTO' &&
    aggregateAnswers(allSpecs, input.filter, { groupBy, regionLevel: input.regionLevel }) &&
    (!wanted.has('AGENCY_COUNT') || fromAggregates('AGENCY_COUNT', null)) &&
    input.specs.every((spec) => STATISTIC_ORDER.every((a) => !wanted.has(a) || fromAggregates(a, spec))) &&
    having.every((h) => fromAggregates(h.aggregate, h.spec));

  let groups: Json;
  let facts: Facts | AggregateFacts;
  if (aggregated) {
    facts = buildAggregateFacts(allSpecs, input.filter);
    const statistic = (j: number, which: RollupAggregate): SqlFragment => {
      if (which === 'SUM') return aggregateSum(j);
      if (which === 'AVG') return aggregateAvg(j);
      if (which === 'POOLED') return aggregatePooled(facts as AggregateFacts, j);
      if (which === 'REPORTING_AGENCIES') return aggregateValueCount(j);
      throw new Error(`${which} is not kept in the aggregates`);
    };
    const havingSql = havingOf((h, i) => statistic(input.specs.length + i, h.aggregate));
    if (groupBy.length) havingSql.unshift(sql`${reportCount} > 0`);
    const stats = outputs.map(
      (j) =>
        sql`json_build_array(${join(
          STATISTIC_ORDER.map((a) => (wanted.has(a) ? statOut(j, a, statistic(j, a)) : sql`NULL`)),
        )}, ${aggregateValueCount(j)})`,
    );
    const [row] = await runner.query<{ groups: Json }>(sql`${facts.with},
    grouped AS (
      SELECT ${join([...keys, sql`${reportCount}::int AS report_count`], ', ')},
             ${wanted.has('AGENCY_COUNT') ? sql`${reportCount}::int` : sql`NULL::int`} AS agency_count,
             ${aggregatePooledJson({ ...facts, specs: input.specs })} AS pooled,
             json_build_array(${join(stats)}) AS stats
      FROM facts f
      ${groupBy.length ? sql`GROUP BY ${join(groupBy.map((d) => id(KEY_COLUMN[d])))}` : empty}
      ${havingSql.length ? sql`HAVING ${join(havingSql, ' AND ')}` : empty})
    ${groupsJson(groupBy)}`);
    groups = row?.groups ?? [];
  } else {
    const result = await queryFacts<{ groups: Json }>(
      runner,
      allSpecs,
      input.filter,
      (facts) => {
        const havingSql = havingOf((h, i) => aggregate(facts, input.specs.length + i, h.aggregate));
        const stats = outputs.map(
          (j) =>
            sql`json_build_array(${join(
              STATISTIC_ORDER.map((a) => (wanted.has(a) ? statOut(j, a, aggregate(facts, j, a)) : sql`NULL`)),
            )}, count(${id(`f.v${j}`)}))`,
        );
        return sql`,
    grouped AS (
      SELECT ${join([...keys, sql`count(*)::int AS report_count`], ', ')},
             ${wanted.has('AGENCY_COUNT') ? sql`count(DISTINCT f.agency_id)::int` : sql`NULL::int`} AS agency_count,
             ${pooledJson(outputsOf(facts))} AS pooled,
             json_build_array(${join(stats)}) AS stats
      FROM facts f
      ${groupBy.length ? sql`GROUP BY ${join(groupBy.map((d) => id(KEY_COLUMN[d])))}` : empty}
      ${havingSql.length ? sql`HAVING ${join(havingSql, ' AND ')}` : empty})
    ${groupsJson(groupBy)}`;
      },
      input.path ?? 'AUTO',
    );
    facts = result.facts;
    groups = result.row?.groups ?? [];
  }
  const outputFacts = { specs: input.specs };

  type GroupJson = {
    region: { code: string; name: string | null; level: string | null; parentCode: string | null } | null;
    level: AgencyLevelCode | null;
    kind: AgencyKindCode | null;
    year: number | null;
    templateVersion: TemplateVersion | null;
    reportCount: number;
    agencyCount: number;
    pooled: Json;
    stats: (number | string | null)[][];
  };
  const num = (x: number | string | null | undefined) =>
    typeof x === 'number' || typeof x === 'string' ? Number(x) : null;
  const exact = (x: number | string | null | undefined) => (typeof x === 'string' ? x : null);
  return {
    ok: true,
    value: {
      groupBy,
      groups: (groups as GroupJson[]).map((g) => {
        const values = decodePooled(outputFacts, g.pooled);
        return {
          key: {
            region: g.region,
            level: g.level,
            kind: g.kind,
            year: g.year,
            templateVersion: g.templateVersion,
          },
          reportCount: g.reportCount,
          agencyCount: g.agencyCount,
          aggregates: values.map((value, j) => {
            const [sum, avg, min, max, median, reportingAgencies, reportingReports] = g.stats[j] ?? [];
            return {
              value,
              sum: num(sum),
              avg: num(avg),
              min: num(min),
              max: num(max),
              median: num(median),
              exactSum: exact(sum),
              exactMin: exact(min),
              exactMax: exact(max),
              exactMedian: exact(median),
              reportingAgencies: Number(reportingAgencies ?? 0),
              reportingReports: Number(reportingReports ?? 0),
            };
          }),
        };
      }),
    },
  };
}
