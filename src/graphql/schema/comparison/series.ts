/** The series query: one time series of a metric per agency, for charts. */
import { type MetricNullReason, type MetricSpec, metricLabel } from '../../../catalogue/metrics.ts';
import { series } from '../../../comparison/series.ts';
import type { AgencySeries, Series, SeriesPoint } from '../../../comparison/types.ts';
import { builder } from '../../builder.ts';
import { selectedFieldNames } from '../../selection.ts';
import { AgencyRef } from '../agency.ts';
import { MetricColumnRef, MetricInput, MetricNullReasonEnum } from './metrics.ts';
import {
  agencyField,
  answeredFromSql,
  ERROR_FINDINGS_DESCRIPTION,
  errorFindings,
  invalidInput,
  pageArgs,
  reportFilterArg,
  runnerOf,
  toFilter,
  toSpec,
  unwrap,
} from './shared.ts';

/**
 * A point as the schema reads it: the value's fields on the point itself, so that each is a
 * property read, which graphql-jit compiles inline, rather than a resolver call per field.
 */
interface PointRow {
  year: number;
  spec: MetricSpec;
  value: number | null;
  exactValue: string | null;
  nullReason: MetricNullReason | null;
  numerator: number | null;
  denominator: number | null;
  pooledReports: number | null;
  /** The agency of the point; null in the pooled series. */
  agencyId: number | null;
}

const SeriesPointRef = builder.objectRef<PointRow>('SeriesPoint').implement({
  description: 'The metric in one year; null with NO_REPORT where the agency has no stored report.',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'Report year.' }),
    label: t.string({
      description: 'Column header for CSV: the metric label and the year.',
      resolve: (p) => `${metricLabel(p.spec)} ${p.year}`,
    }),
    value: t.exposeFloat('value', { nullable: true, description: 'The value; null when unknown.' }),
    exactValue: t.exposeString('exactValue', {
      nullable: true,
      description:
        '`value` as an exact decimal string, for counts and amounts (万元), their sums and year-over-year differences (transform VALUE or CHANGE), which a Float rounds past about 15 significant digits. Null for ratios and CHANGE_PERCENT and when `value` is null.',
    }),
    nullReason: t.expose('nullReason', {
      type: MetricNullReasonEnum,
      nullable: true,
      description: 'Why `value` is null.',
    }),
    numerator: t.exposeFloat('numerator', {
      nullable: true,
      description: 'Ratio numerator; in the pooled series, Σ of the numerators of the reports pooled.',
    }),
    denominator: t.exposeFloat('denominator', {
      nullable: true,
      description: 'Ratio denominator; in the pooled series, Σ of the denominators of the reports pooled.',
    }),
    pooledReports: t.exposeInt('pooledReports', {
      nullable: true,
      description: 'For the pooled series: reports pooled in the year.',
    }),
    errorFindings: t.int({
      nullable: true,
      description: `${ERROR_FINDINGS_DESCRIPTION} Null in the pooled series, and where the agency has no report that year (NO_REPORT).`,
      resolve: (p, _args, context) =>
        p.agencyId === null || p.nullReason === 'NO_REPORT'
          ? null
          : errorFindings(context, p.year, p.agencyId),
    }),
  }),
});

const pointsOf = (spec: MetricSpec, points: SeriesPoint[], agencyId: number | null): PointRow[] =>
  points.map(({ year, value: v }) => ({
    agencyId,
    year,
    spec,
    value: v.value,
    exactValue: v.exactValue,
    nullReason: v.nullReason,
    numerator: v.numerator,
    denominator: v.denominator,
    pooledReports: v.pooledReports ?? null,
  }));

const AgencySeriesRef = builder.objectRef<AgencySeries & { spec: MetricSpec }>('AgencySeries').implement({
  description: "One agency's time series.",
  fields: (t) => ({
    agency: t.field({ ...agencyField, type: AgencyRef }),
    points: t.field({
      type: [SeriesPointRef],
      description: 'One point per year of `Series.years`, in year order.',
      resolve: (s) => pointsOf(s.spec, s.points, s.agency.id),
    }),
  }),
});

const SeriesRef = builder.objectRef<Series & { spec: MetricSpec }>('Series').implement({
  description: 'Time series of one metric, one per agency, aligned on the same years; for charts.',
  fields: (t) => ({
    metric: t.field({ type: MetricColumnRef, description: 'The metric charted.', resolve: (s) => s.spec }),
    years: t.exposeIntList('years', { description: 'The years of every series, ascending.' }),
    agencyCount: t.exposeInt('agencyCount', { description: 'Agencies in all, before limit and offset.' }),
    series: t.field({
      type: [AgencySeriesRef],
      description: 'One series per agency, by agency name (code-point order).',
      resolve: (s) => s.series.map((a) => ({ ...a, spec: s.spec })),
    }),
    totals: t.field({
      type: [SeriesPointRef],
      description: 'The pooled series over all agencies (counts summed, ratios Σ/Σ).',
      resolve: (s) => pointsOf(s.spec, s.totals, null),
    }),
  }),
});

builder.queryFields((t) => ({
  series: t.field({
    type: SeriesRef,
    description:
      'Time series of one metric per agency for charts, aligned on the same years, plus the pooled series. Conditions in `filter.where` pick agencies: those with at least one report in the years that meets them. One SQL statement.',
    ...answeredFromSql,
    errors: invalidInput('SeriesResult', 'The series'),
    args: {
      metric: t.arg({ type: MetricInput, required: true, description: 'The metric.' }),
      ...reportFilterArg('Which agencies and years; the years default to the first to the last in scope.'),
      ...pageArgs('Agencies'),
    },
    resolve: async (_root, args, context, info) => {
      const spec = toSpec(args.metric, 'metric');
      const result = unwrap(
        await series(runnerOf(context), {
          spec,
          // Pooling costs a pass over every year's reports; skipped when nobody asked.
          totals: selectedFieldNames(info, []).has('totals'),
          filter: toFilter(args.filter),
          limit: args.limit,
          offset: args.offset,
        }),
      );
      return { ...result, spec };
    },
  }),
}));
