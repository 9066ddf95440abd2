/** The ranking query: agencies ranked by one metric in one year. */
import type { METRIC_NULL_REASONS, MetricSpec } from '../../../catalogue/metrics.ts';
import { ranking } from '../../../comparison/ranking.ts';
import type { Ranking, RankingEntry } from '../../../comparison/types.ts';
import { builder } from '../../builder.ts';
import { AgencyRef } from '../agency.ts';
import { TemplateVersionEnum } from '../catalogue.ts';
import { MetricColumnRef, MetricInput, MetricNullReasonEnum, MetricValueRef } from './metrics.ts';
import {
  agencyField,
  answeredFromSql,
  ERROR_FINDINGS_DESCRIPTION,
  errorFindings,
  invalidInput,
  reportFilterArg,
  runnerOf,
  toFilter,
  toSpec,
  unwrap,
} from './shared.ts';
import { RankOrderEnum, TiePolicyEnum } from './sorting.ts';

/** The year of each entry's report, which the entries leave to their ranking. */
const yearOfEntry = new WeakMap<RankingEntry, number>();

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
    templateVersion: t.expose('templateVersion', {
      type: TemplateVersionEnum,
      description: "Template version of the agency's report.",
    }),
    value: t.expose('value', { type: MetricValueRef, description: 'The value ranked on.' }),
    errorFindings: t.int({
      description: ERROR_FINDINGS_DESCRIPTION,
      resolve: (e, _args, context) => errorFindings(context, yearOfEntry.get(e) ?? 0, e.agency.id),
    }),
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
      resolve: (r) => {
        for (const entry of r.entries) yearOfEntry.set(entry, r.year);
        return r.entries;
      },
    }),
    unranked: t.expose('unranked', {
      type: [UnrankedRef],
      description: 'Agencies without a value, counted by reason.',
    }),
    overall: t.expose('overall', {
      type: MetricValueRef,
      description: 'The metric pooled over the whole population (counts summed, ratios Σ/Σ).',
    }),
  }),
});

builder.queryFields((t) => ({
  ranking: t.field({
    type: RankingRef,
    description:
      'Agencies ranked by one metric for one year, ties sharing a rank, with the population size and the unranked counted by reason. One SQL statement. Fastest at national scale with a `limit`, a metric of the 总计 column or a ratio, and a filter by province, level and kind that keeps at least 5 % of the reports of that year (more for limits past 100): the entries are then read in value order from an index and the counts from pre-aggregated sums (milliseconds over a million reports). Narrower filters sort their own matches; a ranking without a limit sorts the whole year (seconds at that scale).',
    ...answeredFromSql,
    errors: invalidInput('RankingResult', 'The ranking'),
    args: {
      metric: t.arg({ type: MetricInput, required: true, description: 'The metric ranked on.' }),
      year: t.arg.int({ required: true, description: 'Report year.' }),
      ...reportFilterArg(
        'Which agencies (the population). Without years: the year is `year`, and `years` (an empty list too), `fromYear` or `toYear` here is refused with InvalidInputError naming it.',
      ),
      order: t.arg({
        type: RankOrderEnum,
        required: false,
        defaultValue: 'DESC',
        description: 'DESC (default): highest first; ASC: lowest first.',
      }),
      limit: t.arg.int({
        required: false,
        description:
          'Agencies to return (see `ties` for ties at the limit); omit for all. 0 returns no entries, only the counts.',
      }),
      withTies: t.arg.boolean({
        required: false,
        defaultValue: true,
        description:
          'Superseded by `ties` (true = INCLUDE, false = CUT), and ignored when `ties` is given. Include every agency tied with the last one within `limit` (default true).',
      }),
      ties: t.arg({
        type: TiePolicyEnum,
        required: false,
        description:
          'What happens to agencies tied at `limit`: INCLUDE keeps them all (so `limit: 5` may return more), CUT returns exactly `limit`, equal values ordered by agency name (code-point order), then id. Default: `withTies`, i.e. INCLUDE.',
      }),
    },
    resolve: async (_root, args, context) => {
      const spec = toSpec(args.metric, 'metric');
      const result = unwrap(
        await ranking(runnerOf(context), {
          spec,
          year: args.year,
          filter: toFilter(args.filter),
          order: args.order,
          limit: args.limit,
          withTies: args.withTies,
          ties: args.ties,
        }),
      );
      return { ...result, spec };
    },
  }),
}));
