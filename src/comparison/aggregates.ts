/**
 * The aggregate path: rollups and outcome breakdowns pooled from figure_aggregate (sums and
 * counts per base × year × template version × province × level × kind, kept exact in the
 * writing transaction; src/store/aggregates.ts) instead of from every report's figures.
 *
 * It answers exactly what the row path (facts.ts) answers, so it is taken only where the
 * aggregate's dimensions can express the question: values (no year-over-year changes), no
 * metric conditions, regions no finer than a province (groups and filter), and an agency
 * filter by region, level and kind only. Everything else (agency ids or names, synthetic or
 * not, cities and counties, minimum, maximum, median, distinct agencies across years, sums of
 * per-report ratios) takes the row path. test/comparison/aggregate-path.test.ts compares the two paths.
 *
 * Why provinces and narrow rows: a national dataset has tens of thousands of county-level
 * groups a year, and one wide row per group (an array of every base) cost seconds to read;
 * one row per group and base lets a question of a few metrics read a few thousand rows.
 */
import type { MetricSpec } from '../catalogue/metrics.ts';
import { REGION_PREFIX_LENGTH, type RegionLevel, regionCodePrefix } from '../catalogue/regions.ts';
import { figureBase } from '../store/aggregates.ts';
import { valueOut } from './facts.ts';
import { allOf, type ReportFilter, templateCondition, yearCondition } from './filter.ts';
import { id, join, type SqlFragment, sql } from './sql.ts';
import type { RollupDimension } from './types.ts';

/**
 * AUTO reads figure_aggregate where it answers; ROWS always computes from every report's
 * figures, the reference the aggregate path is tested against.
 */
export type FactsPath = 'AUTO' | 'ROWS';

/** The aggregate facts: `WITH facts AS (…)`, one row per aggregate group in scope. */
export interface AggregateFacts {
  with: SqlFragment;
  specs: readonly MetricSpec[];
}

const REASONS = [
  ['wa', 'w_absent', 'NOT_IN_TEMPLATE_VERSION'],
  ['wn', 'w_not_reported', 'NOT_REPORTED'],
  ['wm', 'w_missing', 'MISSING'],
  ['wu', 'w_unreadable', 'UNREADABLE'],
  ['wz', 'w_division_by_zero', 'DIVISION_BY_ZERO'],
] as const;

const PROVINCE_DIGITS = REGION_PREFIX_LENGTH.PROVINCE;

/** Whether the aggregates can answer a question over these metrics with this filter and grouping. */
export function aggregateAnswers(
  specs: readonly MetricSpec[],
  filter: ReportFilter | null | undefined,
  grouping: { groupBy?: readonly RollupDimension[]; regionLevel?: RegionLevel | null } = {},
): boolean {
  const agency = filter?.agency;
  const regionPrefix = agency?.regionCode ? regionCodePrefix(agency.regionCode) : null;
  return (
    specs.every((s) => s.transform === 'VALUE') &&
    !filter?.where?.length &&
    agency?.ids == null &&
    agency?.nameContains == null &&
    agency?.years == null &&
    agency?.synthetic == null &&
    (agency?.regionCode == null || regionPrefix?.length === PROVINCE_DIGITS) &&
    (!grouping.groupBy?.includes('REGION') || (grouping.regionLevel ?? 'PROVINCE') === 'PROVINCE')
  );
}

/** Whether every report in scope of a group is of one year, so reports and agencies count alike. */
export function onePerAgency(groupedByYear: boolean, filter: ReportFilter | null | undefined): boolean {
  if (groupedByYear) return true;
  if (filter?.years?.length) return new Set(filter.years).size === 1;
  return filter?.fromYear != null && filter.fromYear === filter.toYear;
}

/** Builds the aggregate facts of the specs; aggregateAnswers must hold. */
export function buildAggregateFacts(
  specs: readonly MetricSpec[],
  filter: ReportFilter | null | undefined,
): AggregateFacts {
  const agency = filter?.agency;
  const bases = specs.map((spec) => figureBase(spec.metric.name, spec.applicant).index);
  const conditions: SqlFragment[] = [
    sql`g.base = ANY(${[...new Set(bases)]}::int[])`,
    yearCondition(sql`g.year`, filter, false),
    templateCondition(sql`g.template_version::text`, filter),
  ];
  const province = agency?.regionCode ? regionCodePrefix(agency.regionCode) : null;
  if (province) conditions.push(sql`g.province = ${province}`);
  if (agency?.levels) conditions.push(sql`g.level = ANY(${[...agency.levels]}::text[])`);
  if (agency?.kinds) conditions.push(sql`g.kind = ANY(${[...agency.kinds]}::text[])`);
  // One row per group: each metric's columns picked from its base's row.
  const columns = specs.map((_, j) => {
    const pick = (column: string, as: string) =>
      sql`max(g.${id(column)}) FILTER (WHERE g.base = ${bases[j]}) AS ${id(`${as}${j}`)}`;
    return join(
      [
        pick('cnt_ok', 'ok'),
        pick('sum_n', 'n'),
        pick('sum_d', 'd'),
        pick('cnt_v', 'cv'),
        pick('sum_v', 'sv'),
        pick('share_n', 'sn'),
        pick('share_t', 'st'),
        ...REASONS.map(([as, column]) => pick(column, as)),
      ],
      ', ',
    );
  });
  return {
    specs,
    with: sql`WITH facts AS (
      SELECT g.year, g.template_version::text AS template_version, max(g.report_count) AS report_count,
             NULLIF(g.province, '') AS region_prefix, NULLIF(g.level, '') AS agency_level,
             NULLIF(g.kind, '') AS agency_kind, ${join(columns, ',\n')}
      FROM figure_aggregate g
      WHERE ${allOf(conditions)}
      GROUP BY g.year, g.template_version, g.province, g.level, g.kind)`,
  };
}

const total = (column: string, j: number) => sql`COALESCE(sum(${id(`f.${column}${j}`)}), 0)`;

/** Aggregate: reports in the group. */
export const reportCount = sql`COALESCE(sum(f.report_count), 0)`;

/** Aggregate: metric j pooled over the group, as facts.ts `pooled` computes it from reports. */
export function aggregatePooled(facts: AggregateFacts, j: number): SqlFragment {
  const spec = facts.specs[j];
  if (!spec) throw new Error(`No metric at position ${j}`);
  const known = sql`${total('ok', j)} > 0`;
  return spec.metric.kind === 'RATIO'
    ? sql`(CASE WHEN ${known} THEN ${total('n', j)} / NULLIF(${total('d', j)}, 0) END)`
    : sql`(CASE WHEN ${known} THEN ${total('n', j)} END)`;
}

/** Aggregate: why the pooled figure is null, as facts.ts `pooledReason` says it. */
export function aggregatePooledReason(facts: AggregateFacts, j: number): SqlFragment {
  return sql`CASE WHEN ${aggregatePooled(facts, j)} IS NULL THEN
      CASE WHEN ${total('ok', j)} > 0 THEN 'DIVISION_BY_ZERO'
           WHEN ${reportCount} = 0 THEN 'NO_REPORT'
           ${join(
             REASONS.map(([as, , reason]) => sql`WHEN ${total(as, j)} = ${reportCount} THEN ${reason}`),
             ' ',
           )}
           ELSE 'NO_VALUES' END END`;
}

/** Aggregate: [pooled value, null reason, reports pooled, and a ratio's Σnumerator and Σdenominator] of every metric, as facts.ts `pooledJson`. */
export function aggregatePooledJson(facts: AggregateFacts): SqlFragment {
  return sql`json_build_array(${join(
    facts.specs.map((spec, j) => {
      const known = sql`${total('ok', j)} > 0`;
      const parts =
        spec.metric.kind === 'RATIO'
          ? sql`, (CASE WHEN ${known} THEN ${total('n', j)} END), (CASE WHEN ${known} THEN ${total('d', j)} END)`
          : sql``;
      return sql`json_build_array(${valueOut(spec, aggregatePooled(facts, j))}, ${aggregatePooledReason(facts, j)}, ${total('ok', j)}${parts})`;
    }),
  )})`;
}

/** Aggregate: Σ per-report values (null without any), their count and their mean. */
export const aggregateSum = (j: number) => sql`(CASE WHEN ${total('cv', j)} > 0 THEN ${total('sv', j)} END)`;
export const aggregateValueCount = (j: number) => total('cv', j);
/** avg(numeric) is Σ / count as numeric division, so this is the row path's avg to the digit. */
export const aggregateAvg = (j: number) =>
  sql`(CASE WHEN ${total('cv', j)} > 0 THEN ${total('sv', j)} / ${total('cv', j)}::numeric END)`;

/** Aggregate: metric j's share of metric t over the reports that printed both (outcome breakdowns). */
export const aggregateShare = (j: number) =>
  sql`json_build_array(${total('sn', j)} / NULLIF(${total('st', j)}, 0), ${total('ok', j)},
    CASE WHEN ${total('ok', j)} > 0 THEN ${total('st', j)} END)`;

/** Aggregate: the group's reports without a value of metric j, counted by null reason (those seen, by reason). */
export const aggregateReasonCounts = (j: number) =>
  sql`(SELECT COALESCE(json_agg(json_build_object('reason', u.reason, 'count', u.n) ORDER BY u.reason), '[]'::json)
      FROM (VALUES ${join(
        REASONS.map(([as, , reason]) => sql`(${reason}::text, ${total(as, j)}::int)`),
        ', ',
      )}) AS u(reason, n) WHERE u.n > 0)`;
