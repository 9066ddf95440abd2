/**
 * Comparison API: metrics generated from the catalogue, and the compare / series /
 * ranking / rollup / outcomeBreakdown queries over the services in src/comparison.
 */
import type { GraphQLResolveInfo } from 'graphql';
import {
  METRIC_NULL_REASONS,
  METRIC_TRANSFORMS,
  METRICS,
  type MetricDefinition,
  type MetricSpec,
  type MetricTransform,
  metricLabel,
  specUnit,
} from '../../catalogue/metrics.ts';
import { TEMPLATE_VERSIONS, type TemplateVersion } from '../../catalogue/template.ts';
import { compare } from '../../comparison/compare.ts';
import type { MetricValue } from '../../comparison/facts.ts';
import { type MetricCondition, metricSpec, type ReportFilter, type Result } from '../../comparison/filter.ts';
import { outcomeBreakdown } from '../../comparison/outcome-breakdown.ts';
import { ranking } from '../../comparison/ranking.ts';
import {
  type ROLLUP_AGGREGATES,
  ROLLUP_STATISTICS,
  type RollupStatistic,
  rollup,
} from '../../comparison/rollup.ts';
import { series } from '../../comparison/series.ts';
import type {
  AgencyRow,
  AgencySeries,
  Comparison,
  ComparisonRow,
  MetricAggregate,
  OutcomeBreakdown,
  OutcomeShare,
  Ranking,
  RankingEntry,
  Rollup,
  RollupDimension,
  RollupGroup,
  RollupKey,
  Series,
  SeriesPoint,
  YearTotal,
} from '../../comparison/types.ts';
import type { RegionLevel } from '../../store/regions.ts';
import { builder } from '../builder.ts';
import { selectedFieldNames } from '../selection.ts';
import { AgencyFilter, AgencyRef, agencyFilterInput, RegionRef } from './agency.ts';
import {
  AdministrativeLevelEnum,
  AgencyKindEnum,
  ApplicantTypeEnum,
  Table3GroupCodeEnum,
  Table3RowCodeEnum,
  TemplateVersionEnum,
} from './catalogue.ts';
import { InvalidInputError } from './errors.ts';

// ---------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------

const metricDescription = (m: MetricDefinition) =>
  `${m.labelZh} — ${m.en}. ${m.description}${m.byApplicant ? ' Taken for one applicant type (default 总计).' : ''}`;

export const MetricEnum = builder.enumType('Metric', {
  description:
    'Every figure of the report template (table 2 and 4 cells, table 3 rows), the table-3 outcome groups, and the ratios evaluators use. Generated from the template catalogue.',
  values: Object.fromEntries(METRICS.map((m) => [m.name, { description: metricDescription(m) }])),
});

const MetricKindEnum = builder.enumType('MetricKind', {
  description: 'How a metric is obtained from a report.',
  values: {
    CELL: { description: 'A printed figure (for table 3: a row, taken for one applicant column).' },
    GROUP: { description: 'The sum of the numbered sub-rows of a table-3 outcome group.' },
    RATIO: { description: 'A ratio of sums of printed figures.' },
  } as const,
});

const MetricUnitEnum = builder.enumType('MetricUnit', {
  description: 'Unit of a metric value.',
  values: {
    COUNT: { description: 'A number of items, requests or cases.' },
    WAN_YUAN: { description: 'Money in 万元 (10,000 yuan).' },
    RATIO: { description: 'A fraction (0.25 means 25 %).' },
  } as const,
});

const MetricTransformEnum = builder.enumType('MetricTransform', {
  description: 'Whether to take a metric as it is or as its change against the previous year.',
  values: Object.fromEntries(
    Object.entries(METRIC_TRANSFORMS).map(([name, t]) => [name, { description: t.description }]),
  ) as Record<MetricTransform, { description: string }>,
});

const MetricNullReasonEnum = builder.enumType('MetricNullReason', {
  description: 'Why a metric has no value. A figure that is not there is never reported as 0.',
  values: Object.fromEntries(
    Object.entries(METRIC_NULL_REASONS).map(([name, description]) => [name, { description }]),
  ) as Record<keyof typeof METRIC_NULL_REASONS, { description: string }>,
});

const MetricInfoRef = builder.objectRef<MetricDefinition>('MetricInfo').implement({
  description: 'A metric of the catalogue: what it measures and in which template versions it exists.',
  fields: (t) => ({
    metric: t.field({
      type: MetricEnum,
      description: 'Its name in the Metric enum.',
      resolve: (m) => m.name,
    }),
    labelZh: t.exposeString('labelZh', { description: 'Chinese label, as used in CSV headers.' }),
    nameEn: t.exposeString('en', { description: 'English name.' }),
    description: t.exposeString('description', { description: 'What it measures and how it is computed.' }),
    kind: t.field({
      type: MetricKindEnum,
      description: 'Printed figure, group or ratio.',
      resolve: (m) => m.kind,
    }),
    unit: t.field({ type: MetricUnitEnum, description: 'Unit of its values.', resolve: (m) => m.unit }),
    byApplicant: t.exposeBoolean('byApplicant', {
      description: 'Whether it can be taken for one applicant type (table 3 and the ratios built on it).',
    }),
    templateVersions: t.field({
      type: [TemplateVersionEnum],
      description: 'Template versions in which it has a value.',
      resolve: (m) => [...m.versions],
    }),
    comparableAcrossVersions: t.boolean({
      description: 'True when every template version has it, so years of both versions compare.',
      resolve: (m) => m.versions.length === TEMPLATE_VERSIONS.length,
    }),
  }),
});

const MetricInput = builder.inputType('MetricInput', {
  description: 'A metric as asked for: which one, for which applicant type, as a value or a change.',
  fields: (t) => ({
    metric: t.field({ type: MetricEnum, required: true, description: 'The metric.' }),
    applicant: t.field({
      type: ApplicantTypeEnum,
      required: false,
      description: 'Applicant column for table-3 metrics and the ratios built on them; default TOTAL (总计).',
    }),
    transform: t.field({
      type: MetricTransformEnum,
      required: false,
      defaultValue: 'VALUE',
      description: 'VALUE (default), or the year-over-year CHANGE / CHANGE_PERCENT.',
    }),
  }),
});
type MetricInputArgs = typeof MetricInput.$inferInput;

const MetricColumnRef = builder.objectRef<MetricSpec>('MetricColumn').implement({
  description: 'A requested metric: what each value in the same position of `values` measures.',
  fields: (t) => ({
    metric: t.field({ type: MetricEnum, description: 'The metric.', resolve: (s) => s.metric.name }),
    applicant: t.field({
      type: ApplicantTypeEnum,
      nullable: true,
      description: 'Applicant column; null for metrics not counted by applicant.',
      resolve: (s) => (s.metric.byApplicant ? s.applicant : null),
    }),
    transform: t.field({
      type: MetricTransformEnum,
      description: 'Value or change.',
      resolve: (s) => s.transform,
    }),
    label: t.string({
      description: 'Chinese label from the catalogue, e.g. 公开率（总计）.',
      resolve: metricLabel,
    }),
    unit: t.field({ type: MetricUnitEnum, description: 'Unit of the values.', resolve: specUnit }),
    description: t.string({ description: 'What the metric measures.', resolve: (s) => s.metric.description }),
  }),
});

const MetricValueRef = builder.objectRef<MetricValue>('MetricValue').implement({
  description:
    'A metric for one report, or pooled over several. `value` is null exactly when `nullReason` says why; never 0 for a missing figure.',
  fields: (t) => ({
    metric: t.field({ type: MetricEnum, description: 'The metric.', resolve: (v) => v.spec.metric.name }),
    applicant: t.field({
      type: ApplicantTypeEnum,
      nullable: true,
      description: 'Applicant column; null for metrics not counted by applicant.',
      resolve: (v) => (v.spec.metric.byApplicant ? v.spec.applicant : null),
    }),
    transform: t.field({
      type: MetricTransformEnum,
      description: 'Value or change.',
      resolve: (v) => v.spec.transform,
    }),
    label: t.string({
      description: 'Chinese label from the catalogue, e.g. 公开率（总计）; the CSV column header.',
      resolve: (v) => metricLabel(v.spec),
    }),
    value: t.float({ nullable: true, description: 'The value; null when unknown.', resolve: (v) => v.value }),
    nullReason: t.field({
      type: MetricNullReasonEnum,
      nullable: true,
      description: 'Why `value` is null; null when there is a value.',
      resolve: (v) => v.nullReason,
    }),
    numerator: t.float({
      nullable: true,
      description: "For ratios of one report: this year's numerator (e.g. 予以公开 + 部分公开).",
      resolve: (v) => v.numerator,
    }),
    denominator: t.float({
      nullable: true,
      description: "For ratios of one report: this year's denominator (e.g. （七）总计).",
      resolve: (v) => v.denominator,
    }),
    pooledReports: t.int({
      nullable: true,
      description:
        'For pooled figures (totals, rollups): how many reports had every figure needed and were pooled. Null for one report.',
      resolve: (v) => v.pooledReports ?? null,
    }),
  }),
});

const MetricConditionInput = builder.inputType('MetricCondition', {
  description: 'A condition on one metric of each report; every bound given must hold.',
  fields: (t) => ({
    metric: t.field({ type: MetricInput, required: true, description: 'The metric tested.' }),
    gt: t.float({ required: false, description: 'Value greater than this.' }),
    gte: t.float({ required: false, description: 'Value greater than or equal to this.' }),
    lt: t.float({ required: false, description: 'Value less than this.' }),
    lte: t.float({ required: false, description: 'Value less than or equal to this.' }),
    eq: t.float({ required: false, description: 'Value equal to this.' }),
    notReported: t.boolean({
      required: false,
      description:
        'true: only reports that did not report the figure (NOT_REPORTED, UNREADABLE or MISSING); false: only reports with a value.',
    }),
  }),
});

const ReportFilterInput = builder.inputType('ReportFilter', {
  description: 'Which reports a comparison covers: agencies, years, template versions and metric conditions.',
  fields: (t) => ({
    agency: t.field({ type: AgencyFilter, required: false, description: 'Which agencies; omit for all.' }),
    years: t.intList({
      required: false,
      description: 'Report years, e.g. [2019, 2020]. Omit for all years.',
    }),
    fromYear: t.int({ required: false, description: 'First report year (instead of `years`).' }),
    toYear: t.int({ required: false, description: 'Last report year (instead of `years`).' }),
    templateVersions: t.field({
      type: [TemplateVersionEnum],
      required: false,
      description: 'Only reports following these template versions.',
    }),
    where: t.field({
      type: [MetricConditionInput],
      required: false,
      description: 'Numeric conditions on metrics; a report must meet all of them.',
    }),
  }),
});
type ReportFilterArgs = typeof ReportFilterInput.$inferInput;

// ---------------------------------------------------------------------------
// Arguments → service input; an invalid one becomes InvalidInputError.
// ---------------------------------------------------------------------------

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new InvalidInputError(result.issue.message, result.issue.argument);
  return result.value;
}

const toSpec = (input: MetricInputArgs, argument: string) =>
  unwrap(
    metricSpec(
      { metric: input.metric, applicant: input.applicant ?? null, transform: input.transform ?? 'VALUE' },
      argument,
    ),
  );

function toFilter(filter: ReportFilterArgs | null | undefined): ReportFilter | null {
  if (!filter) return null;
  return {
    agency: agencyFilterInput(filter.agency),
    years: filter.years ?? null,
    fromYear: filter.fromYear ?? null,
    toYear: filter.toYear ?? null,
    templateVersions: (filter.templateVersions ?? null) as TemplateVersion[] | null,
    where: (filter.where ?? []).map(
      (c, i): MetricCondition => ({
        spec: toSpec(c.metric, `filter.where[${i}].metric`),
        gt: c.gt,
        gte: c.gte,
        lt: c.lt,
        lte: c.lte,
        eq: c.eq,
        notReported: c.notReported,
      }),
    ),
  };
}

// ---------------------------------------------------------------------------
// Result types
// ---------------------------------------------------------------------------

const agencyField = {
  type: AgencyRef,
  description: 'The agency.',
  // Rows come from one SQL statement with the agency's own columns.
  resolve: (r: { agency: AgencyRow }) => r.agency,
} as const;

const ComparisonRowRef = builder.objectRef<ComparisonRow>('ComparisonRow').implement({
  description: "One agency's report for one year, with one value per requested metric.",
  fields: (t) => ({
    agency: t.field({ ...agencyField, type: AgencyRef }),
    year: t.exposeInt('year', { description: 'Report year.' }),
    templateVersion: t.field({
      type: TemplateVersionEnum,
      description: 'Template version of the report; it decides which figures exist.',
      resolve: (r) => r.templateVersion,
    }),
    values: t.field({
      type: [MetricValueRef],
      description: 'One value per requested metric, in the order asked.',
      resolve: (r) => r.values,
    }),
  }),
});

const YearTotalRef = builder.objectRef<YearTotal>('YearTotal').implement({
  description:
    'All rows of one year pooled: counts summed, ratios as Σnumerator / Σdenominator, changes between pooled figures.',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'Report year.' }),
    reportCount: t.exposeInt('reportCount', { description: 'Reports (rows) of the year.' }),
    values: t.field({
      type: [MetricValueRef],
      description: 'One pooled value per requested metric, in the order asked.',
      resolve: (r) => r.values,
    }),
  }),
});

const ComparisonRef = builder.objectRef<Comparison & { columns: MetricSpec[] }>('Comparison').implement({
  description: 'Agencies × years × metrics, ordered by agency name (code-point order), agency and year.',
  fields: (t) => ({
    columns: t.field({
      type: [MetricColumnRef],
      description: 'The requested metrics, in the order of every `values` list.',
      resolve: (c) => c.columns,
    }),
    rowCount: t.exposeInt('rowCount', { description: 'Rows in all, before limit and offset.' }),
    rows: t.field({
      type: [ComparisonRowRef],
      description: 'One row per stored report in scope.',
      resolve: (c) => c.rows,
    }),
    totals: t.field({
      type: [YearTotalRef],
      description: 'Pooled figures per year over all rows (not only this page).',
      resolve: (c) => c.totals,
    }),
  }),
});

const SeriesPointRef = builder.objectRef<SeriesPoint & { spec: MetricSpec }>('SeriesPoint').implement({
  description: 'The metric in one year; null with NO_REPORT where the agency has no stored report.',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'Report year.' }),
    label: t.string({
      description: 'Column header for CSV: the metric label and the year.',
      resolve: (p) => `${metricLabel(p.spec)} ${p.year}`,
    }),
    value: t.float({
      nullable: true,
      description: 'The value; null when unknown.',
      resolve: (p) => p.value.value,
    }),
    nullReason: t.field({
      type: MetricNullReasonEnum,
      nullable: true,
      description: 'Why `value` is null.',
      resolve: (p) => p.value.nullReason,
    }),
    numerator: t.float({
      nullable: true,
      description: 'Ratio numerator.',
      resolve: (p) => p.value.numerator,
    }),
    denominator: t.float({
      nullable: true,
      description: 'Ratio denominator.',
      resolve: (p) => p.value.denominator,
    }),
    pooledReports: t.int({
      nullable: true,
      description: 'For the pooled series: reports pooled in the year.',
      resolve: (p) => p.value.pooledReports ?? null,
    }),
  }),
});

const withSpec = (spec: MetricSpec) => (p: SeriesPoint) => ({ ...p, spec });

const AgencySeriesRef = builder.objectRef<AgencySeries & { spec: MetricSpec }>('AgencySeries').implement({
  description: "One agency's time series.",
  fields: (t) => ({
    agency: t.field({ ...agencyField, type: AgencyRef }),
    points: t.field({
      type: [SeriesPointRef],
      description: 'One point per year of `Series.years`, in year order.',
      resolve: (s) => s.points.map(withSpec(s.spec)),
    }),
  }),
});

const SeriesRef = builder.objectRef<Series & { spec: MetricSpec }>('Series').implement({
  description: 'Time series of one metric, one per agency, aligned on the same years; for charts.',
  fields: (t) => ({
    metric: t.field({ type: MetricColumnRef, description: 'The metric charted.', resolve: (s) => s.spec }),
    years: t.intList({ description: 'The years of every series, ascending.', resolve: (s) => s.years }),
    agencyCount: t.exposeInt('agencyCount', { description: 'Agencies in all, before limit and offset.' }),
    series: t.field({
      type: [AgencySeriesRef],
      description: 'One series per agency, by agency name (code-point order).',
      resolve: (s) => s.series.map((a) => ({ ...a, spec: s.spec })),
    }),
    totals: t.field({
      type: [SeriesPointRef],
      description: 'The pooled series over all agencies (counts summed, ratios Σ/Σ).',
      resolve: (s) => s.totals.map(withSpec(s.spec)),
    }),
  }),
});

const RankOrderEnum = builder.enumType('RankOrder', {
  description: 'Ranking direction.',
  values: {
    DESC: { description: 'Highest value first (top).' },
    ASC: { description: 'Lowest value first (bottom).' },
  } as const,
});

const RankingEntryRef = builder.objectRef<RankingEntry>('RankingEntry').implement({
  description: 'A ranked agency.',
  fields: (t) => ({
    rank: t.exposeInt('rank', { description: 'Rank; agencies with equal values share it (1, 2, 2, 4).' }),
    tieCount: t.exposeInt('tieCount', { description: 'Agencies sharing this value (1 when not tied).' }),
    tied: t.boolean({
      description: 'Whether another agency has the same value.',
      resolve: (e) => e.tieCount > 1,
    }),
    agency: t.field({ ...agencyField, type: AgencyRef }),
    templateVersion: t.field({
      type: TemplateVersionEnum,
      description: "Template version of the agency's report.",
      resolve: (e) => e.templateVersion,
    }),
    value: t.field({ type: MetricValueRef, description: 'The value ranked on.', resolve: (e) => e.value }),
  }),
});

const UnrankedRef = builder.objectRef<{ reason: string; count: number }>('UnrankedCount').implement({
  description: 'Agencies of the population left out of the ranking for one reason.',
  fields: (t) => ({
    reason: t.field({
      type: MetricNullReasonEnum,
      description: 'Why they have no value.',
      resolve: (u) => u.reason as keyof typeof METRIC_NULL_REASONS,
    }),
    count: t.exposeInt('count', { description: 'How many agencies.' }),
  }),
});

const RankingRef = builder.objectRef<Ranking & { spec: MetricSpec }>('Ranking').implement({
  description: 'Agencies ranked by one metric in one year.',
  fields: (t) => ({
    metric: t.field({ type: MetricColumnRef, description: 'The metric ranked on.', resolve: (r) => r.spec }),
    year: t.exposeInt('year', { description: 'Report year.' }),
    populationSize: t.exposeInt('populationSize', {
      description: 'Agencies in scope with a report for the year, ranked or not.',
    }),
    rankedCount: t.exposeInt('rankedCount', { description: 'Agencies with a value, hence ranked.' }),
    entries: t.field({
      type: [RankingEntryRef],
      description: 'Ranked agencies by rank, then name (code-point order).',
      resolve: (r) => r.entries,
    }),
    unranked: t.field({
      type: [UnrankedRef],
      description: 'Agencies without a value, counted by reason.',
      resolve: (r) => r.unranked,
    }),
    overall: t.field({
      type: MetricValueRef,
      description: 'The metric pooled over the whole population (counts summed, ratios Σ/Σ).',
      resolve: (r) => r.overall,
    }),
  }),
});

const RollupDimensionEnum = builder.enumType('RollupDimension', {
  description: 'What rollup groups reports by.',
  values: {
    REGION: { description: 'The division at `regionLevel` the agency sits in (by GB/T 2260 code prefix).' },
    LEVEL: { description: "The agency's level of government." },
    KIND: { description: 'Government or department.' },
    YEAR: { description: 'Report year.' },
    TEMPLATE_VERSION: { description: "The report's template version." },
  } as const satisfies Record<RollupDimension, { description: string }>,
});

const RollupAggregateEnum = builder.enumType('RollupAggregate', {
  description: 'An aggregate of one metric over a group, for `having`.',
  values: {
    SUM: { description: 'Sum of the per-report values.' },
    AVG: { description: 'Mean of the per-report values.' },
    MIN: { description: 'Smallest per-report value.' },
    MAX: { description: 'Largest per-report value.' },
    MEDIAN: { description: 'Median of the per-report values (continuous percentile 0.5).' },
    REPORTING_AGENCIES: { description: 'Agencies with a value.' },
    POOLED: { description: 'Pooled figure: counts summed, ratios Σnumerator / Σdenominator.' },
  } as const satisfies Record<(typeof ROLLUP_AGGREGATES)[number], { description: string }>,
});

const HavingInput = builder.inputType('HavingCondition', {
  description: "A condition on a group's aggregate of one metric; every bound given must hold.",
  fields: (t) => ({
    metric: t.field({ type: MetricInput, required: true, description: 'The metric aggregated.' }),
    aggregate: t.field({
      type: RollupAggregateEnum,
      required: true,
      description: 'Which aggregate is tested.',
    }),
    gt: t.float({ required: false, description: 'Greater than this.' }),
    gte: t.float({ required: false, description: 'Greater than or equal to this.' }),
    lt: t.float({ required: false, description: 'Less than this.' }),
    lte: t.float({ required: false, description: 'Less than or equal to this.' }),
    eq: t.float({ required: false, description: 'Equal to this.' }),
  }),
});

const RollupKeyRef = builder.objectRef<RollupKey>('RollupKey').implement({
  description: 'What a group has in common; fields of dimensions not grouped by are null.',
  fields: (t) => ({
    regionCode: t.string({
      nullable: true,
      description:
        'GB/T 2260 code of the region (REGION); null for agencies above `regionLevel` or without a region.',
      resolve: (k) => k.region?.code ?? null,
    }),
    region: t.field({
      type: RegionRef,
      nullable: true,
      description: 'The region (REGION), when the region table has it.',
      resolve: (k) =>
        k.region?.name && k.region.level
          ? ({
              code: k.region.code,
              name: k.region.name,
              level: k.region.level,
              parentCode: k.region.parentCode,
            } as never)
          : null,
    }),
    level: t.field({
      type: AdministrativeLevelEnum,
      nullable: true,
      description: 'Level of government (LEVEL); null also for agencies of unknown level.',
      resolve: (k) => k.level,
    }),
    kind: t.field({
      type: AgencyKindEnum,
      nullable: true,
      description: 'Government or department (KIND).',
      resolve: (k) => k.kind,
    }),
    year: t.int({ nullable: true, description: 'Report year (YEAR).', resolve: (k) => k.year }),
    templateVersion: t.field({
      type: TemplateVersionEnum,
      nullable: true,
      description: 'Template version (TEMPLATE_VERSION).',
      resolve: (k) => k.templateVersion,
    }),
  }),
});

/** The statistics a rollup query selects (MetricAggregate fields and RollupGroup.agencyCount). */
function rollupStatistics(info: GraphQLResolveInfo): Set<RollupStatistic> {
  const aggregates = selectedFieldNames(info, ['groups', 'aggregates']);
  const groups = selectedFieldNames(info, ['groups']);
  const field: Record<RollupStatistic, boolean> = {
    SUM: aggregates.has('sum'),
    AVG: aggregates.has('avg'),
    MIN: aggregates.has('min'),
    MAX: aggregates.has('max'),
    MEDIAN: aggregates.has('median'),
    REPORTING_AGENCIES: aggregates.has('reportingAgencies'),
    AGENCY_COUNT: groups.has('agencyCount'),
  };
  return new Set(ROLLUP_STATISTICS.filter((s) => field[s]));
}

const MetricAggregateRef = builder.objectRef<MetricAggregate>('MetricAggregate').implement({
  description:
    'One metric over a group of reports. sum/avg/min/max/median are over the per-report values that exist; `pooled` is the figure of the group as a whole.',
  fields: (t) => ({
    metric: t.field({
      type: MetricEnum,
      description: 'The metric.',
      resolve: (a) => a.value.spec.metric.name,
    }),
    applicant: t.field({
      type: ApplicantTypeEnum,
      nullable: true,
      description: 'Applicant column; null for metrics not counted by applicant.',
      resolve: (a) => (a.value.spec.metric.byApplicant ? a.value.spec.applicant : null),
    }),
    transform: t.field({
      type: MetricTransformEnum,
      description: 'Value or change.',
      resolve: (a) => a.value.spec.transform,
    }),
    label: t.string({
      description: 'Chinese label from the catalogue.',
      resolve: (a) => metricLabel(a.value.spec),
    }),
    pooled: t.float({
      nullable: true,
      description: 'Counts summed; ratios as Σnumerator / Σdenominator over the reports with both.',
      resolve: (a) => a.value.value,
    }),
    pooledNullReason: t.field({
      type: MetricNullReasonEnum,
      nullable: true,
      description: 'Why `pooled` is null.',
      resolve: (a) => a.value.nullReason,
    }),
    sum: t.float({ nullable: true, description: 'Sum of the per-report values.', resolve: (a) => a.sum }),
    avg: t.float({ nullable: true, description: 'Mean of the per-report values.', resolve: (a) => a.avg }),
    min: t.float({ nullable: true, description: 'Smallest per-report value.', resolve: (a) => a.min }),
    max: t.float({ nullable: true, description: 'Largest per-report value.', resolve: (a) => a.max }),
    median: t.float({ nullable: true, description: 'Median per-report value.', resolve: (a) => a.median }),
    reportingAgencies: t.exposeInt('reportingAgencies', { description: 'Agencies with at least one value.' }),
    reportingReports: t.exposeInt('reportingReports', { description: 'Reports with a value.' }),
  }),
});

const RollupGroupRef = builder.objectRef<RollupGroup>('RollupGroup').implement({
  description: 'One group of reports and its aggregates.',
  fields: (t) => ({
    key: t.field({ type: RollupKeyRef, description: 'What the group has in common.', resolve: (g) => g.key }),
    reportCount: t.exposeInt('reportCount', { description: 'Reports in the group.' }),
    agencyCount: t.exposeInt('agencyCount', { description: 'Distinct agencies in the group.' }),
    aggregates: t.field({
      type: [MetricAggregateRef],
      description: 'One per requested metric, in the order asked.',
      resolve: (g) => g.aggregates,
    }),
  }),
});

const RollupRef = builder
  .objectRef<Rollup & { columns: MetricSpec[]; regionLevel: RegionLevel }>('Rollup')
  .implement({
    description: 'Grouped aggregates, ordered by the group keys in `groupBy` order (nulls last).',
    fields: (t) => ({
      columns: t.field({
        type: [MetricColumnRef],
        description: 'The requested metrics, in the order of every `aggregates` list.',
        resolve: (r) => r.columns,
      }),
      groupBy: t.field({
        type: [RollupDimensionEnum],
        description: 'The dimensions grouped by.',
        resolve: (r) => r.groupBy,
      }),
      regionLevel: t.field({
        type: AdministrativeLevelEnum,
        description: 'Level of the REGION groups.',
        resolve: (r) => r.regionLevel,
      }),
      groups: t.field({ type: [RollupGroupRef], description: 'The groups.', resolve: (r) => r.groups }),
    }),
  });

const OutcomeShareRef = builder.objectRef<OutcomeShare>('OutcomeShare').implement({
  description: 'One outcome row or group of table 3, summed over the reports, and its share of all outcomes.',
  fields: (t) => ({
    metric: t.field({
      type: MetricEnum,
      description: 'The metric of the row or group.',
      resolve: (s) => s.value.spec.metric.name,
    }),
    row: t.field({
      type: Table3RowCodeEnum,
      nullable: true,
      description: 'The table-3 row; null for groups.',
      resolve: (s) =>
        s.value.spec.metric.kind === 'CELL' ? s.value.spec.metric.name.replace(/^T3_/, '') : null,
    }),
    group: t.field({
      type: Table3GroupCodeEnum,
      nullable: true,
      description: 'The outcome group; null for rows.',
      resolve: (s) =>
        s.value.spec.metric.kind === 'GROUP'
          ? s.value.spec.metric.name.replace(/^T3_/, '').replace(/_ALL$/, '')
          : null,
    }),
    label: t.string({
      description: 'Chinese label from the catalogue.',
      resolve: (s) => metricLabel(s.value.spec),
    }),
    count: t.float({
      nullable: true,
      description: 'Σ of the row over the reports that printed it; null when none did.',
      resolve: (s) => s.value.value,
    }),
    nullReason: t.field({
      type: MetricNullReasonEnum,
      nullable: true,
      description: 'Why `count` is null, e.g. NOT_IN_TEMPLATE_VERSION for V2019-only rows in V2021 years.',
      resolve: (s) => s.value.nullReason,
    }),
    share: t.float({
      nullable: true,
      description: 'Σ row / Σ （七）总计 over the reports that printed both; null when that total is 0.',
      resolve: (s) => s.share,
    }),
    reportingReports: t.exposeInt('reportingReports', { description: 'Reports that printed the row.' }),
  }),
});

const OutcomeBreakdownRef = builder.objectRef<OutcomeBreakdown>('OutcomeBreakdown').implement({
  description: 'How requests were decided: every outcome row and group of table 3.',
  fields: (t) => ({
    year: t.int({
      nullable: true,
      description: 'Report year; null for all years in scope.',
      resolve: (b) => b.year,
    }),
    reportCount: t.exposeInt('reportCount', { description: 'Reports summed.' }),
    total: t.field({ type: OutcomeShareRef, description: '（七）总计.', resolve: (b) => b.total }),
    rows: t.field({
      type: [OutcomeShareRef],
      description: 'Outcome rows of both template versions in printed order (（一） to （六）).',
      resolve: (b) => b.rows,
    }),
    groups: t.field({
      type: [OutcomeShareRef],
      description: 'Outcome groups （三）–（六）, each the sum of its sub-rows in every version.',
      resolve: (b) => b.groups,
    }),
  }),
});

const OutcomeBreakdownsRef = builder
  .objectRef<{ perYear: OutcomeBreakdown[]; allYears: OutcomeBreakdown | null }>('OutcomeBreakdowns')
  .implement({
    description: 'The outcome distribution per year and over all years in scope.',
    fields: (t) => ({
      perYear: t.field({
        type: [OutcomeBreakdownRef],
        description: 'One breakdown per year with reports, ascending.',
        resolve: (b) => b.perYear,
      }),
      allYears: t.field({
        type: OutcomeBreakdownRef,
        nullable: true,
        description: 'All years together; null when no report is in scope.',
        resolve: (b) => b.allYears,
      }),
    }),
  });

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

const invalidInput = (name: string, what: string) => ({
  types: [InvalidInputError],
  directResult: true,
  union: { name, description: `${what}, or why the arguments cannot be answered.` },
});

builder.queryFields((t) => ({
  metrics: t.field({
    type: [MetricInfoRef],
    description:
      'The metric catalogue: every value of the Metric enum with its label, unit and template versions.',
    args: {
      kind: t.arg({ type: MetricKindEnum, required: false, description: 'Only metrics of this kind.' }),
    },
    resolve: (_root, { kind }) => METRICS.filter((m) => !kind || m.kind === kind),
  }),

  compare: t.field({
    type: ComparisonRef,
    description:
      'A matrix for dashboards and auditors: one row per agency and year (per stored report) with one value per metric, plus pooled totals per year. One SQL statement.',
    errors: invalidInput('CompareResult', 'The matrix'),
    args: {
      metrics: t.arg({ type: [MetricInput], required: true, description: `The metrics, 1 to 40.` }),
      filter: t.arg({
        type: ReportFilterInput,
        required: false,
        description: 'Which reports; omit for all.',
      }),
      limit: t.arg.int({
        required: false,
        defaultValue: 1000,
        description: 'Rows to return (at most 10000).',
      }),
      offset: t.arg.int({ required: false, defaultValue: 0, description: 'Rows to skip.' }),
    },
    resolve: async (_root, args, { db }) => {
      const specs = args.metrics.map((m, i) => toSpec(m, `metrics[${i}]`));
      const result = unwrap(
        await compare(db, { specs, filter: toFilter(args.filter), limit: args.limit, offset: args.offset }),
      );
      return { ...result, columns: specs };
    },
  }),

  series: t.field({
    type: SeriesRef,
    description:
      'Time series of one metric per agency for charts, aligned on the same years, plus the pooled series. Conditions in `filter.where` pick agencies: those with at least one report in the years that meets them. One SQL statement.',
    errors: invalidInput('SeriesResult', 'The series'),
    args: {
      metric: t.arg({ type: MetricInput, required: true, description: 'The metric.' }),
      filter: t.arg({
        type: ReportFilterInput,
        required: false,
        description: 'Which agencies and years; the years default to the first to the last in scope.',
      }),
      limit: t.arg.int({
        required: false,
        defaultValue: 1000,
        description: 'Agencies to return (at most 10000).',
      }),
      offset: t.arg.int({ required: false, defaultValue: 0, description: 'Agencies to skip.' }),
    },
    resolve: async (_root, args, { db }) => {
      const spec = toSpec(args.metric, 'metric');
      const result = unwrap(
        await series(db, { spec, filter: toFilter(args.filter), limit: args.limit, offset: args.offset }),
      );
      return { ...result, spec };
    },
  }),

  ranking: t.field({
    type: RankingRef,
    description:
      'Agencies ranked by one metric for one year, ties sharing a rank, with the population size and the unranked counted by reason. One SQL statement.',
    errors: invalidInput('RankingResult', 'The ranking'),
    args: {
      metric: t.arg({ type: MetricInput, required: true, description: 'The metric ranked on.' }),
      year: t.arg.int({ required: true, description: 'Report year.' }),
      filter: t.arg({
        type: ReportFilterInput,
        required: false,
        description: 'Which agencies (the population); leave its years empty.',
      }),
      order: t.arg({
        type: RankOrderEnum,
        required: false,
        defaultValue: 'DESC',
        description: 'DESC (default): highest first; ASC: lowest first.',
      }),
      limit: t.arg.int({ required: false, description: 'Ranks to return; omit for all.' }),
      withTies: t.arg.boolean({
        required: false,
        defaultValue: true,
        description: 'Include every agency tied with the last one within `limit` (default true).',
      }),
    },
    resolve: async (_root, args, { db }) => {
      const spec = toSpec(args.metric, 'metric');
      const result = unwrap(
        await ranking(db, {
          spec,
          year: args.year,
          filter: toFilter(args.filter),
          order: args.order,
          limit: args.limit,
          withTies: args.withTies,
        }),
      );
      return { ...result, spec };
    },
  }),

  rollup: t.field({
    type: RollupRef,
    description:
      'Aggregates of metrics over groups of reports (by region, level, kind, year, template version): sum, avg, min, max, median, reporting agencies and the pooled figure. One SQL statement.',
    errors: invalidInput('RollupResult', 'The groups'),
    args: {
      metrics: t.arg({ type: [MetricInput], required: true, description: 'The metrics, 1 to 40.' }),
      groupBy: t.arg({
        type: [RollupDimensionEnum],
        required: true,
        description: 'Dimensions to group by, in order; [] for one group of everything.',
      }),
      regionLevel: t.arg({
        type: AdministrativeLevelEnum,
        required: false,
        defaultValue: 'PROVINCE',
        description: 'Level of REGION groups: PROVINCE (default), CITY, COUNTY or TOWNSHIP.',
      }),
      filter: t.arg({
        type: ReportFilterInput,
        required: false,
        description: 'Which reports; omit for all.',
      }),
      having: t.arg({
        type: [HavingInput],
        required: false,
        description: 'Keep only groups whose aggregates meet all of these.',
      }),
    },
    resolve: async (_root, args, { db }, info) => {
      const regionLevel = args.regionLevel ?? 'PROVINCE';
      if (regionLevel === 'NATIONAL') {
        throw new InvalidInputError(
          'regionLevel must be PROVINCE, CITY, COUNTY or TOWNSHIP; to group everything together leave REGION out of groupBy.',
          'regionLevel',
        );
      }
      const specs = args.metrics.map((m, i) => toSpec(m, `metrics[${i}]`));
      const result = unwrap(
        await rollup(db, {
          specs,
          groupBy: args.groupBy,
          regionLevel,
          filter: toFilter(args.filter),
          statistics: rollupStatistics(info),
          having: (args.having ?? []).map((h, i) => ({
            spec: toSpec(h.metric, `having[${i}].metric`),
            aggregate: h.aggregate,
            gt: h.gt,
            gte: h.gte,
            lt: h.lt,
            lte: h.lte,
            eq: h.eq,
          })),
        }),
      );
      return { ...result, columns: specs, regionLevel };
    },
  }),

  outcomeBreakdown: t.field({
    type: OutcomeBreakdownsRef,
    description:
      'The full distribution of request outcomes (every table-3 outcome row and group) as counts and shares, per year and over all years. One SQL statement.',
    errors: invalidInput('OutcomeBreakdownResult', 'The distribution'),
    args: {
      filter: t.arg({
        type: ReportFilterInput,
        required: false,
        description: 'Which reports; omit for all.',
      }),
      applicant: t.arg({
        type: ApplicantTypeEnum,
        required: false,
        defaultValue: 'TOTAL',
        description: 'Applicant column (default TOTAL, 总计).',
      }),
    },
    resolve: async (_root, args, { db }) => {
      const list = unwrap(
        await outcomeBreakdown(db, { filter: toFilter(args.filter), applicant: args.applicant }),
      );
      return {
        perYear: list.filter((b) => b.year !== null),
        allYears: list.find((b) => b.year === null) ?? null,
      };
    },
  }),
}));
