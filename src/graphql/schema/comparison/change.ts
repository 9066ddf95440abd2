/** The change query: one metric per agency in two chosen years, with difference and ratio, sorted. */
import type { METRIC_NULL_REASONS, MetricSpec } from '../../../catalogue/metrics.ts';
import { type Change, type ChangeEntry, change, type DerivedValue } from '../../../comparison/change.ts';
import { builder, type Context } from '../../builder.ts';
import { AgencyRef } from '../agency.ts';
import { MetricColumnRef, MetricInput, MetricNullReasonEnum, MetricValueRef } from './metrics.ts';
import {
  agencyField,
  answeredFromSql,
  invalidInput,
  reportFilterArg,
  runnerOf,
  toFilter,
  toSpec,
  unwrap,
} from './shared.ts';
import { RankOrderEnum, TiePolicyEnum } from './sorting.ts';

const ChangeSortKeyEnum = builder.enumType('ChangeSortKey', {
  description: 'What a change is sorted by.',
  values: {
    TO: { description: 'The value in `toYear` (default).' },
    FROM: { description: 'The value in `fromYear`.' },
    DIFFERENCE: { description: 'toYear − fromYear.' },
    RATIO: { description: 'toYear / fromYear.' },
  } as const,
});

const ChangeSortInput = builder.inputType('ChangeSort', {
  description:
    'Order of the agencies of a change. Agencies without the sorted value come last in either direction.',
  fields: (t) => ({
    by: t.field({
      type: ChangeSortKeyEnum,
      required: false,
      defaultValue: 'TO',
      description: 'TO (default), FROM, DIFFERENCE or RATIO.',
    }),
    direction: t.field({
      type: RankOrderEnum,
      required: false,
      defaultValue: 'DESC',
      description: 'DESC (default): highest first; ASC: lowest first.',
    }),
  }),
});

const DerivedValueRef = builder.objectRef<DerivedValue>('DerivedValue').implement({
  description:
    'A figure derived from two values (difference, ratio). `value` is null exactly when `nullReason` says why; never 0 for a missing side.',
  fields: (t) => ({
    value: t.exposeFloat('value', {
      nullable: true,
      description: 'The figure; null when unknown.',
    }),
    exactValue: t.exposeString('exactValue', {
      nullable: true,
      description:
        '`value` as an exact decimal string, for the difference of counts or amounts (万元), which a Float rounds past about 15 significant digits. Null for ratios and when `value` is null.',
    }),
    nullReason: t.field({
      type: MetricNullReasonEnum,
      nullable: true,
      description:
        'Why `value` is null: NO_REPORT when either year has no report, the missing side’s own reason, or DIVISION_BY_ZERO (ratio with a 0 in `fromYear`).',
      resolve: (v) => v.nullReason as keyof typeof METRIC_NULL_REASONS | null,
    }),
  }),
});

/** Reports by id, loaded in one Prisma query per selection for all entries of a response. */
const batches = new WeakMap<
  Context,
  Map<string, { ids: Set<number>; done: Promise<Map<number, unknown>> }>
>();

function loadReport(context: Context, query: object, id: number | null): Promise<unknown> {
  if (id === null) return Promise.resolve(null);
  const key = JSON.stringify(query);
  const perContext: Map<string, { ids: Set<number>; done: Promise<Map<number, unknown>> }> =
    batches.get(context) ?? new Map();
  batches.set(context, perContext);
  let batch = perContext.get(key);
  if (!batch) {
    const ids = new Set<number>();
    // Every entry's field resolves in the same turn; the batch runs after them.
    const done = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      perContext.delete(key);
      const reports = await context.db.report.findMany({ ...query, where: { id: { in: [...ids] } } });
      return new Map(reports.map((r) => [r.id, r as unknown]));
    });
    batch = { ids, done };
    perContext.set(key, batch);
  }
  batch.ids.add(id);
  return batch.done.then((byId: Map<number, unknown>) => byId.get(id) ?? null);
}

const ChangeEntryRef = builder.objectRef<ChangeEntry>('ChangeEntry').implement({
  description: 'One agency: the metric in both years, the difference and the ratio.',
  fields: (t) => ({
    rank: t.exposeInt('rank', {
      description:
        'Rank by the sort value; equal values share it (1, 2, 2, 4). Entries without a sort value come last, sharing the rank after the last value, and are not `tied`.',
    }),
    tied: t.boolean({
      description: 'Whether another agency has the same sort value.',
      resolve: (e) => e.tieCount > 1,
    }),
    agency: t.field({ ...agencyField, type: AgencyRef }),
    from: t.expose('from', {
      type: MetricValueRef,
      description: 'The value in `fromYear` (null with NO_REPORT when there is no report that year).',
    }),
    to: t.expose('to', {
      type: MetricValueRef,
      description: 'The value in `toYear` (null with NO_REPORT when there is no report that year).',
    }),
    difference: t.expose('difference', {
      type: DerivedValueRef,
      description: 'toYear − fromYear.',
    }),
    ratio: t.expose('ratio', {
      type: DerivedValueRef,
      description: 'toYear / fromYear (1.25 means up by a quarter).',
    }),
    fromReport: t.prismaField({
      type: 'Report',
      nullable: true,
      description:
        "The agency's report for `fromYear`, e.g. for its `reconciliation`; null when there is none.",
      resolve: (query, e, _args, context) => loadReport(context, query, e.fromReportId) as never,
    }),
    toReport: t.prismaField({
      type: 'Report',
      nullable: true,
      description:
        "The agency's report for `toYear`, e.g. for its `reconciliation`; null when there is none.",
      resolve: (query, e, _args, context) => loadReport(context, query, e.toReportId) as never,
    }),
  }),
});

const ChangeRef = builder.objectRef<Change & { spec: MetricSpec }>('Change').implement({
  description: 'One metric per agency in two years, sorted and cut like a ranking.',
  fields: (t) => ({
    metric: t.field({ type: MetricColumnRef, description: 'The metric compared.', resolve: (c) => c.spec }),
    fromYear: t.exposeInt('fromYear', { description: 'The first year compared.' }),
    toYear: t.exposeInt('toYear', { description: 'The second year compared.' }),
    populationSize: t.exposeInt('populationSize', {
      description: 'Agencies in scope with a report in either year.',
    }),
    comparedCount: t.exposeInt('comparedCount', {
      description: 'Of those, agencies with a value in both years.',
    }),
    entries: t.expose('entries', {
      type: [ChangeEntryRef],
      description: 'Agencies in sort order; ties by agency name (code-point order), then id.',
    }),
  }),
});

builder.queryFields((t) => ({
  change: t.field({
    type: ChangeRef,
    description:
      "One metric of each agency in two chosen years side by side — both values, the difference and the ratio — sorted and limited like a ranking. A side without a value leaves difference and ratio null with the reason, never 0. Each entry reaches both years' reports (e.g. their `reconciliation`). One SQL statement, plus one query per report selection.",
    ...answeredFromSql,
    errors: invalidInput('ChangeResult', 'The change'),
    args: {
      metric: t.arg({ type: MetricInput, required: true, description: 'The metric (transform VALUE).' }),
      fromYear: t.arg.int({
        required: true,
        description: 'The earlier year, e.g. 2020; a year after `toYear`, or the same year, is refused.',
      }),
      toYear: t.arg.int({ required: true, description: 'The later year, e.g. 2021.' }),
      ...reportFilterArg(
        "Which agencies. Without years: they are `fromYear` and `toYear`, and `years` (an empty list too), `fromYear` or `toYear` here is refused with InvalidInputError naming it. Its templateVersions and where choose agencies whose fromYear or toYear report meets them; both years' values are then given whatever those reports printed (a report not meeting them is not a missing report).",
      ),
      sort: t.arg({
        type: ChangeSortInput,
        required: false,
        description: 'Order; default the `toYear` value, highest first.',
      }),
      limit: t.arg.int({
        required: false,
        description: 'Agencies to return (see `ties`); omit for all. 0 returns no entries, only the counts.',
      }),
      ties: t.arg({
        type: TiePolicyEnum,
        required: false,
        defaultValue: 'INCLUDE',
        description:
          'INCLUDE (default) keeps every agency tied with the last one inside `limit`; CUT returns exactly `limit`, equal values ordered by agency name (code-point order), then id.',
      }),
    },
    resolve: async (_root, args, context) => {
      const spec = toSpec(args.metric, 'metric');
      const result = unwrap(
        await change(runnerOf(context), {
          spec,
          fromYear: args.fromYear,
          toYear: args.toYear,
          filter: toFilter(args.filter),
          sort: args.sort,
          limit: args.limit,
          ties: args.ties,
        }),
      );
      return { ...result, spec };
    },
  }),
}));
