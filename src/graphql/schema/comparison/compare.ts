/** The compare query: agencies × years × metrics, with pooled totals per year. */
import type { MetricSpec } from '../../../catalogue/metrics.ts';
import { compare } from '../../../comparison/compare.ts';
import type { Comparison, ComparisonRow, YearTotal } from '../../../comparison/types.ts';
import { builder } from '../../builder.ts';
import { selectedFieldNames } from '../../selection.ts';
import { AgencyRef } from '../agency.ts';
import { TemplateVersionEnum } from '../catalogue.ts';
import { MetricColumnRef, MetricInput, MetricValueRef } from './metrics.ts';
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
import { RankOrderEnum, TiePolicyEnum } from './sorting.ts';

const CompareSortInput = builder.inputType('CompareSort', {
  description:
    'Order of the matrix by one of the requested metrics, highest first by default. Rows without a value come last in either direction.',
  fields: (t) => ({
    metric: t.int({
      required: false,
      defaultValue: 0,
      description: 'Position of the metric in `metrics` (0 = the first).',
    }),
    year: t.int({
      required: false,
      description:
        "Sort agencies by their value in this year (one of the compared years); each agency's rows then stay together, and `limit`/`offset` count agencies. Omit to sort rows by their own value; `limit`/`offset` count rows.",
    }),
    direction: t.field({
      type: RankOrderEnum,
      required: false,
      defaultValue: 'DESC',
      description: 'DESC (default): highest first; ASC: lowest first.',
    }),
  }),
});

const ComparisonRowRef = builder.objectRef<ComparisonRow>('ComparisonRow').implement({
  description: "One agency's report for one year, with one value per requested metric.",
  fields: (t) => ({
    agency: t.field({ ...agencyField, type: AgencyRef }),
    year: t.exposeInt('year', { description: 'Report year.' }),
    errorFindings: t.int({
      description: ERROR_FINDINGS_DESCRIPTION,
      resolve: (r, _args, context) => errorFindings(context, r.year, r.agency.id),
    }),
    templateVersion: t.expose('templateVersion', {
      type: TemplateVersionEnum,
      description: 'Template version of the report; it decides which figures exist.',
    }),
    values: t.expose('values', {
      type: [MetricValueRef],
      description: 'One value per requested metric, in the order asked.',
    }),
    rank: t.exposeInt('rank', {
      nullable: true,
      description:
        "With `sort`: the row's rank (its agency's, with `sort.year`), equal values sharing it (1, 2, 2, 4); rows without a sort value come last, sharing the rank after the last value, and are not `tied`. Null without a sort.",
    }),
    tied: t.boolean({
      nullable: true,
      description: 'With `sort`: whether another row (agency) has the same sort value; null without a sort.',
      resolve: (r) => (r.tieCount === null ? null : r.tieCount > 1),
    }),
  }),
});

const YearTotalRef = builder.objectRef<YearTotal>('YearTotal').implement({
  description:
    'All rows of one year pooled, over the rows whose figures are all known (`pooledReports` of each value): counts summed, ratios as Σnumerator / Σdenominator (given as `numerator` and `denominator`). A change (CHANGE, CHANGE_PERCENT) is between the pooled figures of both years over the agencies known in both, so an agency without a report the year before adds nothing, rather than its whole figure as growth.',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'Report year.' }),
    reportCount: t.exposeInt('reportCount', { description: 'Reports (rows) of the year.' }),
    values: t.expose('values', {
      type: [MetricValueRef],
      description: 'One pooled value per requested metric, in the order asked.',
    }),
  }),
});

const ComparisonRef = builder.objectRef<Comparison & { columns: MetricSpec[] }>('Comparison').implement({
  description:
    'Agencies × years × metrics, ordered by agency name (code-point order), agency and year; with `sort`, by the sort value.',
  fields: (t) => ({
    columns: t.expose('columns', {
      type: [MetricColumnRef],
      description: 'The requested metrics, in the order of every `values` list.',
    }),
    rowCount: t.exposeInt('rowCount', {
      description:
        'Rows in all, before limit and offset: what `limit` and `offset` count without `sort.year`.',
    }),
    agencyCount: t.exposeInt('agencyCount', {
      description:
        'Agencies with a row in all, before limit and offset: what `limit` and `offset` count with `sort.year` (page on while `offset` is below it).',
    }),
    rows: t.expose('rows', {
      type: [ComparisonRowRef],
      description: 'One row per stored report in scope.',
    }),
    totals: t.expose('totals', {
      type: [YearTotalRef],
      description: 'Pooled figures per year over all rows (not only this page).',
    }),
  }),
});

builder.queryFields((t) => ({
  compare: t.field({
    type: ComparisonRef,
    description:
      'A matrix for dashboards and auditors: one row per agency and year (per stored report) with one value per metric, plus pooled totals per year. One SQL statement.',
    ...answeredFromSql,
    errors: invalidInput('CompareResult', 'The matrix'),
    args: {
      metrics: t.arg({ type: [MetricInput], required: true, description: `The metrics, 1 to 40.` }),
      ...reportFilterArg(),
      ...pageArgs('Rows (agencies, with `sort.year`)'),
      sort: t.arg({
        type: CompareSortInput,
        required: false,
        description:
          'Order by a metric (and year) instead of by agency name; `limit` then takes the top entries.',
      }),
      ties: t.arg({
        type: TiePolicyEnum,
        required: false,
        defaultValue: 'INCLUDE',
        description:
          'With `sort` and `limit`: INCLUDE (default) keeps every entry tied with the last one inside the limit, and a page at an `offset` leaves out those tied with the last entry before it (the page before showed them), so offset pages neither overlap nor skip, though one can be short or empty (see TiePolicy); CUT returns exactly `limit`, equal values ordered by agency name (code-point order), id, then year.',
      }),
    },
    resolve: async (_root, args, context, info) => {
      const specs = args.metrics.map((m, i) => toSpec(m, `metrics[${i}]`));
      const selected = selectedFieldNames(info, []);
      const result = unwrap(
        await compare(runnerOf(context), {
          // Pooling every year costs a second pass over the facts; skipped when nobody asked.
          totals: selected.has('totals'),
          // A second count over the facts, only when asked for.
          agencyCount: selected.has('agencyCount'),
          specs,
          filter: toFilter(args.filter),
          limit: args.limit,
          offset: args.offset,
          sort: args.sort,
          ties: args.ties,
        }),
      );
      return { ...result, columns: specs };
    },
  }),
}));
