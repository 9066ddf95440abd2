/** The rollup query: aggregates of metrics over groups of reports. */
import type { GraphQLResolveInfo } from 'graphql';
import type { MetricSpec } from '../../../catalogue/metrics.ts';
import type { RegionLevel } from '../../../catalogue/regions.ts';
import {
  type ROLLUP_AGGREGATES,
  ROLLUP_STATISTICS,
  type RollupStatistic,
  rollup,
} from '../../../comparison/rollup.ts';
import type {
  MetricAggregate,
  Rollup,
  RollupDimension,
  RollupGroup,
  RollupKey,
} from '../../../comparison/types.ts';
import { builder } from '../../builder.ts';
import { selectedFieldNames } from '../../selection.ts';
import { RegionRef } from '../agency.ts';
import { AdministrativeLevelEnum, AgencyKindEnum, TemplateVersionEnum } from '../catalogue.ts';
import { InvalidInputError } from '../errors.ts';
import { MetricColumnRef, MetricInput, MetricNullReasonEnum, metricIdentityFields } from './metrics.ts';
import {
  answeredFromSql,
  invalidInput,
  reportFilterArg,
  runnerOf,
  toFilter,
  toSpec,
  unwrap,
} from './shared.ts';

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
  description:
    "A condition on a group's aggregate of one metric; every bound given must hold. Bounds no value can meet together (gt 100 with lt 50) are refused. Aggregates are compared as the answers give them (double precision), so a pooled ratio copied from an answer selects its group.",
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
    level: t.expose('level', {
      type: AdministrativeLevelEnum,
      nullable: true,
      description: 'Level of government (LEVEL); null also for agencies of unknown level.',
    }),
    kind: t.expose('kind', {
      type: AgencyKindEnum,
      nullable: true,
      description: 'Government or department (KIND).',
    }),
    year: t.exposeInt('year', { nullable: true, description: 'Report year (YEAR).' }),
    templateVersion: t.expose('templateVersion', {
      type: TemplateVersionEnum,
      nullable: true,
      description: 'Template version (TEMPLATE_VERSION).',
    }),
  }),
});

/** The statistics a rollup query selects (MetricAggregate fields and RollupGroup.agencyCount). */
function rollupStatistics(info: GraphQLResolveInfo): Set<RollupStatistic> {
  const aggregates = selectedFieldNames(info, ['groups', 'aggregates']);
  const groups = selectedFieldNames(info, ['groups']);
  const field: Record<RollupStatistic, boolean> = {
    SUM: aggregates.has('sum') || aggregates.has('exactSum'),
    AVG: aggregates.has('avg'),
    MIN: aggregates.has('min') || aggregates.has('exactMin'),
    MAX: aggregates.has('max') || aggregates.has('exactMax'),
    MEDIAN: aggregates.has('median') || aggregates.has('exactMedian'),
    REPORTING_AGENCIES: aggregates.has('reportingAgencies'),
    AGENCY_COUNT: groups.has('agencyCount'),
  };
  return new Set(ROLLUP_STATISTICS.filter((s) => field[s]));
}

const exactStatistic = (field: string) =>
  `\`${field}\` as an exact decimal string, for counts and amounts (万元) and their year-over-year differences, which a Float rounds past about 15 significant digits. Null for ratios and percentages and when \`${field}\` is null.`;

const MetricAggregateRef = builder.objectRef<MetricAggregate>('MetricAggregate').implement({
  description:
    'One metric over a group of reports. sum/avg/min/max/median are over the per-report values that exist; `pooled` is the figure of the group as a whole.',
  fields: (t) => ({
    ...metricIdentityFields(t, (a) => a.value.spec, { label: 'Chinese label from the catalogue.' }),
    pooled: t.float({
      nullable: true,
      description: 'Counts summed; ratios as Σnumerator / Σdenominator over the reports with both.',
      resolve: (a) => a.value.value,
    }),
    exactPooled: t.string({
      nullable: true,
      description:
        '`pooled` as an exact decimal string, for counts and amounts (万元) and their year-over-year differences: a Float keeps about 15 significant digits, so 99999999999999.99 comes back as 99999999999999.98 in `pooled`. Null for ratios and percentages (quotients) and when `pooled` is null.',
      resolve: (a) => a.value.exactValue,
    }),
    pooledNumerator: t.float({
      nullable: true,
      description:
        "Ratios: Σ of the numerators of the reports pooled (this year's). With transform VALUE, `pooled` = pooledNumerator / pooledDenominator; a pooled change is between the two years' pooled ratios over the same agencies, those whose figures are known in both years (pooledNumerator and pooledDenominator are this year's over them), so it is not the difference of the two years' VALUE pools, which take every agency known in its year. Null for counts.",
      resolve: (a) => a.value.numerator,
    }),
    pooledDenominator: t.float({
      nullable: true,
      description: "Ratios: Σ of the denominators of the reports pooled (this year's). Null for counts.",
      resolve: (a) => a.value.denominator,
    }),
    pooledNullReason: t.field({
      type: MetricNullReasonEnum,
      nullable: true,
      description: 'Why `pooled` is null.',
      resolve: (a) => a.value.nullReason,
    }),
    sum: t.exposeFloat('sum', { nullable: true, description: 'Sum of the per-report values.' }),
    avg: t.exposeFloat('avg', { nullable: true, description: 'Mean of the per-report values.' }),
    min: t.exposeFloat('min', { nullable: true, description: 'Smallest per-report value.' }),
    max: t.exposeFloat('max', { nullable: true, description: 'Largest per-report value.' }),
    median: t.exposeFloat('median', { nullable: true, description: 'Median per-report value.' }),
    exactSum: t.exposeString('exactSum', { nullable: true, description: exactStatistic('sum') }),
    exactMin: t.exposeString('exactMin', { nullable: true, description: exactStatistic('min') }),
    exactMax: t.exposeString('exactMax', { nullable: true, description: exactStatistic('max') }),
    exactMedian: t.exposeString('exactMedian', { nullable: true, description: exactStatistic('median') }),
    reportingAgencies: t.exposeInt('reportingAgencies', { description: 'Agencies with at least one value.' }),
    reportingReports: t.exposeInt('reportingReports', { description: 'Reports with a value.' }),
  }),
});

const RollupGroupRef = builder.objectRef<RollupGroup>('RollupGroup').implement({
  description: 'One group of reports and its aggregates.',
  fields: (t) => ({
    key: t.expose('key', { type: RollupKeyRef, description: 'What the group has in common.' }),
    reportCount: t.exposeInt('reportCount', { description: 'Reports in the group.' }),
    agencyCount: t.exposeInt('agencyCount', { description: 'Distinct agencies in the group.' }),
    aggregates: t.expose('aggregates', {
      type: [MetricAggregateRef],
      description: 'One per requested metric, in the order asked.',
    }),
  }),
});

const RollupRef = builder
  .objectRef<Rollup & { columns: MetricSpec[]; regionLevel: RegionLevel }>('Rollup')
  .implement({
    description: 'Grouped aggregates, ordered by the group keys in `groupBy` order (nulls last).',
    fields: (t) => ({
      columns: t.expose('columns', {
        type: [MetricColumnRef],
        description: 'The requested metrics, in the order of every `aggregates` list.',
      }),
      groupBy: t.expose('groupBy', {
        type: [RollupDimensionEnum],
        description: 'The dimensions grouped by.',
      }),
      regionLevel: t.expose('regionLevel', {
        type: AdministrativeLevelEnum,
        description: 'Level of the REGION groups.',
      }),
      groups: t.expose('groups', { type: [RollupGroupRef], description: 'The groups.' }),
    }),
  });

builder.queryFields((t) => ({
  rollup: t.field({
    type: RollupRef,
    description:
      'Aggregates of metrics over groups of reports (by region, level, kind, year, template version): sum, avg, min, max, median, reporting agencies and the pooled figure. One SQL statement.',
    ...answeredFromSql,
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
      ...reportFilterArg(),
      having: t.arg({
        type: [HavingInput],
        required: false,
        description: 'Keep only groups whose aggregates meet all of these.',
      }),
    },
    resolve: async (_root, args, context, info) => {
      const regionLevel = args.regionLevel ?? 'PROVINCE';
      if (regionLevel === 'NATIONAL') {
        throw new InvalidInputError(
          args.groupBy.includes('REGION')
            ? 'regionLevel must be PROVINCE, CITY, COUNTY or TOWNSHIP; to group everything together leave REGION out of groupBy.'
            : 'regionLevel must be PROVINCE, CITY, COUNTY or TOWNSHIP (it sets the REGION groups; without REGION in groupBy, leave regionLevel out).',
          'regionLevel',
        );
      }
      const specs = args.metrics.map((m, i) => toSpec(m, `metrics[${i}]`));
      const result = unwrap(
        await rollup(runnerOf(context), {
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
}));
