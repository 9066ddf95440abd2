/**
 * The metric vocabulary of the comparison API, generated from the catalogue: the Metric
 * enum and its kinds, units, transforms and null reasons, the metric catalogue query, and
 * the types that say which metric a value is of.
 */
import {
  METRIC_NULL_REASONS,
  METRIC_TRANSFORMS,
  METRICS,
  type MetricDefinition,
  type MetricSpec,
  type MetricTransform,
  metricLabel,
  specUnit,
} from '../../../catalogue/metrics.ts';
import { TEMPLATE_VERSIONS } from '../../../catalogue/template.ts';
import type { MetricValue } from '../../../comparison/facts.ts';
import { builder } from '../../builder.ts';
import { ApplicantTypeEnum, TemplateVersionEnum } from '../catalogue.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

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

export const MetricNullReasonEnum = builder.enumType('MetricNullReason', {
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
    kind: t.expose('kind', {
      type: MetricKindEnum,
      description: 'Printed figure, group or ratio.',
    }),
    unit: t.expose('unit', { type: MetricUnitEnum, description: 'Unit of its values.' }),
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

export const MetricInput = builder.inputType('MetricInput', {
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
export type MetricInputArgs = typeof MetricInput.$inferInput;

/**
 * The fields naming the metric a value is of (metric, applicant, transform, label), defined
 * once for every type that carries one; `specOf` finds the metric on the parent. Each type
 * picks the fields it has and may word `metric` and `label` for its own context.
 */
export function metricIdentityFields<Parent>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>,
  specOf: (parent: Parent) => MetricSpec,
  descriptions: { metric?: string; label: string },
) {
  return {
    metric: t.field({
      type: MetricEnum,
      description: descriptions.metric ?? 'The metric.',
      resolve: (p) => specOf(p).metric.name,
    }),
    applicant: t.field({
      type: ApplicantTypeEnum,
      nullable: true,
      description: 'Applicant column; null for metrics not counted by applicant.',
      resolve: (p) => {
        const spec = specOf(p);
        return spec.metric.byApplicant ? spec.applicant : null;
      },
    }),
    transform: t.field({
      type: MetricTransformEnum,
      description: 'Value or change.',
      resolve: (p) => specOf(p).transform,
    }),
    label: t.string({ description: descriptions.label, resolve: (p) => metricLabel(specOf(p)) }),
  };
}

export const MetricColumnRef = builder.objectRef<MetricSpec>('MetricColumn').implement({
  description: 'A requested metric: what each value in the same position of `values` measures.',
  fields: (t) => ({
    ...metricIdentityFields(t, (s) => s, { label: 'Chinese label from the catalogue, e.g. 公开率（总计）.' }),
    unit: t.field({ type: MetricUnitEnum, description: 'Unit of the values.', resolve: specUnit }),
    description: t.string({ description: 'What the metric measures.', resolve: (s) => s.metric.description }),
  }),
});

export const MetricValueRef = builder.objectRef<MetricValue>('MetricValue').implement({
  description:
    'A metric for one report, or pooled over several. `value` is null exactly when `nullReason` says why; never 0 for a missing figure.',
  fields: (t) => ({
    ...metricIdentityFields(t, (v) => v.spec, {
      label: 'Chinese label from the catalogue, e.g. 公开率（总计）; the CSV column header.',
    }),
    value: t.exposeFloat('value', { nullable: true, description: 'The value; null when unknown.' }),
    exactValue: t.exposeString('exactValue', {
      nullable: true,
      description:
        '`value` as an exact decimal string, for counts and amounts (万元), their sums and year-over-year differences (transform VALUE or CHANGE): a Float keeps about 15 significant digits, so a stored 99999999999999.99 comes back as 99999999999999.98 in `value`. Null for ratios and CHANGE_PERCENT (quotients) and when `value` is null.',
    }),
    nullReason: t.expose('nullReason', {
      type: MetricNullReasonEnum,
      nullable: true,
      description: 'Why `value` is null; null when there is a value.',
    }),
    numerator: t.exposeFloat('numerator', {
      nullable: true,
      description:
        "For ratios: this year's numerator (e.g. 予以公开 + 部分公开); for a pooled figure (totals), Σ of the numerators of the reports pooled. With transform VALUE, `value` = numerator / denominator; a change (CHANGE, CHANGE_PERCENT) is between this ratio and the previous year's. For one report, the previous year's parts are that year's own numerator and denominator (ask for that year's VALUE); for a pooled change, they are that year's Σ over the same agencies, those whose figures are known in both years, so the change is not the difference of the two years' VALUE totals, which pool every agency known in its year.",
    }),
    denominator: t.exposeFloat('denominator', {
      nullable: true,
      description:
        "For ratios: this year's denominator (e.g. （七）总计); for a pooled figure (totals), Σ of the denominators of the reports pooled.",
    }),
    pooledReports: t.exposeInt('pooledReports', {
      nullable: true,
      description:
        'For pooled figures (totals, rollups): how many reports had every figure needed and were pooled. Null for one report.',
    }),
  }),
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
}));
