/** The outcomeBreakdown query: how requests were decided, as counts and shares. */
import { outcomeBreakdown } from '../../../comparison/outcome-breakdown.ts';
import type { OutcomeBreakdown, OutcomeShare } from '../../../comparison/types.ts';
import { builder } from '../../builder.ts';
import { ApplicantTypeEnum, Table3GroupCodeEnum, Table3RowCodeEnum } from '../catalogue.ts';
import { MetricNullReasonEnum, metricIdentityFields } from './metrics.ts';
import { answeredFromSql, invalidInput, reportFilterArg, runnerOf, toFilter, unwrap } from './shared.ts';

const OutcomeShareRef = builder.objectRef<OutcomeShare>('OutcomeShare').implement({
  description: 'One outcome row or group of table 3, summed over the reports, and its share of all outcomes.',
  fields: (t) => {
    // No applicant or transform fields: the breakdown's own arguments name the applicant.
    const { metric, label } = metricIdentityFields(t, (s) => s.value.spec, {
      metric: 'The metric of the row or group.',
      label: 'Chinese label from the catalogue.',
    });
    return {
      metric,
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
      label,
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
      share: t.exposeFloat('share', {
        nullable: true,
        description: 'Σ row / Σ （七）总计 over the reports that printed both; null when that total is 0.',
      }),
      shareBase: t.exposeFloat('shareBase', {
        nullable: true,
        description:
          'Σ （七）总计 over the reports that printed both the row and the total: the denominator of `share`. Less than `total.count` when some reports left the row unprinted (blank, "/") while printing their total, so that share × shareBase is the row\'s Σ over those reports; null when no report printed the row.',
      }),
      reportingReports: t.exposeInt('reportingReports', { description: 'Reports that printed the row.' }),
    };
  },
});

const OutcomeBreakdownRef = builder.objectRef<OutcomeBreakdown>('OutcomeBreakdown').implement({
  description: 'How requests were decided: every outcome row and group of table 3.',
  fields: (t) => ({
    year: t.exposeInt('year', {
      nullable: true,
      description: 'Report year; null for all years in scope.',
    }),
    reportCount: t.exposeInt('reportCount', { description: 'Reports summed.' }),
    total: t.expose('total', { type: OutcomeShareRef, description: '（七）总计.' }),
    rows: t.expose('rows', {
      type: [OutcomeShareRef],
      description: 'Outcome rows of both template versions in printed order (（一） to （六）).',
    }),
    groups: t.expose('groups', {
      type: [OutcomeShareRef],
      description: 'Outcome groups （三）–（六）, each the sum of its sub-rows in every version.',
    }),
  }),
});

const OutcomeBreakdownsRef = builder
  .objectRef<{ perYear: OutcomeBreakdown[]; allYears: OutcomeBreakdown | null }>('OutcomeBreakdowns')
  .implement({
    description: 'The outcome distribution per year and over all years in scope.',
    fields: (t) => ({
      perYear: t.expose('perYear', {
        type: [OutcomeBreakdownRef],
        description: 'One breakdown per year with reports, ascending.',
      }),
      allYears: t.expose('allYears', {
        type: OutcomeBreakdownRef,
        nullable: true,
        description: 'All years together; null when no report is in scope.',
      }),
    }),
  });

builder.queryFields((t) => ({
  outcomeBreakdown: t.field({
    type: OutcomeBreakdownsRef,
    description:
      'The full distribution of request outcomes (every table-3 outcome row and group) as counts and shares, per year and over all years. One SQL statement.',
    ...answeredFromSql,
    errors: invalidInput('OutcomeBreakdownResult', 'The distribution'),
    args: {
      ...reportFilterArg(),
      applicant: t.arg({
        type: ApplicantTypeEnum,
        required: false,
        defaultValue: 'TOTAL',
        description: 'Applicant column (default TOTAL, 总计).',
      }),
    },
    resolve: async (_root, args, context) => {
      const list = unwrap(
        await outcomeBreakdown(runnerOf(context), {
          filter: toFilter(args.filter),
          applicant: args.applicant,
        }),
      );
      return {
        perYear: list.filter((b) => b.year !== null),
        allYears: list.find((b) => b.year === null) ?? null,
      };
    },
  }),
}));
