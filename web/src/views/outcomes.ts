import { ApiError, gql, type Json, metricCatalogue, unwrap } from '../api.ts';
import { axisTooltip, chart, OTHER_COLOUR, topCategories } from '../charts.ts';
import { card, empty, field, figure, fmt, h, select, table } from '../dom.ts';
import { pick, t } from '../i18n.ts';
import { update } from '../router.ts';
import {
  basisMarker,
  basisNote,
  catchInput,
  controls,
  DEMO_AGENCIES,
  holdsDemo,
  metricName,
  refused,
  regionSelect,
  syntheticNote,
} from './common.ts';

const QUERY = `query Outcomes($filter: ReportFilter, $applicant: ApplicantType, $demo: AgencyFilter) {
  outcomeBreakdown(filter: $filter, applicant: $applicant) {
    ... on OutcomeBreakdowns {
      perYear { year reportCount rows { metric label count nullReason reportingReports } total { count reportingReports } }
      allYears { reportCount rows { metric label count reportingReports } total { count reportingReports } }
    }
    ... on Error { message }
  }
  ${DEMO_AGENCIES}
}`;

const APPLICANTS: [string, string, string][] = [
  ['TOTAL', '总计', 'Total'],
  ['NATURAL_PERSON', '自然人', 'Natural persons'],
  ['COMMERCIAL_ENTERPRISE', '商业企业', 'Commercial enterprises'],
  ['RESEARCH_INSTITUTION', '科研机构', 'Research institutions'],
  ['SOCIAL_ORGANISATION', '社会公益组织', 'Social organisations'],
  ['LEGAL_SERVICE', '法律服务机构', 'Legal services'],
  ['OTHER_ORGANISATION', '其他', 'Other organisations'],
];

export async function outcomesView(params: URLSearchParams): Promise<HTMLElement> {
  const region = params.get('region') ?? '';
  const applicant = params.get('applicant') ?? 'TOTAL';
  const filter = region ? { agency: { regionCode: region } } : {};
  const [data, catalogue, regionControl] = await Promise.all([
    catchInput(
      // Whether the pooled reports include generated demo agencies'.
      gql(QUERY, { filter, applicant, demo: { ...filter.agency, synthetic: true } }).then((d) => ({
        ...unwrap(d.outcomeBreakdown),
        synthetic: holdsDemo(d),
      })),
    ),
    metricCatalogue(),
    regionSelect(region),
  ]);
  const result = data;
  const view = h(
    'div',
    { class: 'view' },
    controls(
      regionControl,
      field(
        'applicant',
        select(
          APPLICANTS.map(([value, zh, en]) => ({ value, label: pick(zh, en) })),
          applicant,
          (v) => update({ applicant: v }),
          'applicant',
        ),
      ),
    ),
  );
  if (result instanceof ApiError) return refused(view, result);
  const perYear = result.perYear as Json[];
  if (!perYear.length || !result.allYears) {
    view.append(empty());
    return view;
  }
  const name = (row: Json) => metricName(catalogue.get(row.metric), row.label);
  const rowMetrics = (perYear[0].rows as Json[]).map((r) => r.metric as string);
  const byYear = (metric: string) =>
    perYear.map((y) => (y.rows as Json[]).find((r) => r.metric === metric)?.count ?? null);
  // Rows that are 0 or absent in every year only add noise to the legend; the table lists them all.
  const drawn = rowMetrics
    .filter((m) => byYear(m).some((v) => v))
    .map((metric) => ({
      name: name((perYear[0].rows as Json[]).find((r) => r.metric === metric)),
      values: byYear(metric),
    }));
  const { shown, others } = topCategories(drawn);
  const allRows = result.allYears.rows as Json[];
  // Every share against one base, the 总计 row's own count: the API's `share` of each row has the
  // total of the reports that printed that row as its base (a 2019-template row: the 2019-template
  // reports only), so a column of them mixes denominators.
  const base = result.allYears.total.count as number | null;
  /**
   * A sum with, when it covers fewer reports than the column has (the others left the row blank
   * or "/", or their template version has no such row), how many it covers.
   */
  let basisShown = false;
  const sum = (share: Json | undefined, reports: number) => {
    if (share?.count == null || share.reportingReports >= reports) return fmt(share?.count);
    basisShown = true;
    return h('span', {}, fmt(share.count), basisMarker(share.reportingReports, reports));
  };
  const shareOf = (count: number | null | undefined) =>
    count == null || !base
      ? fmt(null)
      : figure(count / base, 'RATIO', { numerator: count, denominator: base });
  view.append(
    syntheticNote(result.synthetic),
    card(
      t('outcomesByYear'),
      chart(
        {
          legend: {},
          tooltip: { trigger: 'axis', confine: true, formatter: axisTooltip(others, 'COUNT') },
          xAxis: { type: 'category', data: perYear.map((y) => String(y.year)) },
          yAxis: { type: 'value', minInterval: 1 },
          series: shown.map((c, i) => ({
            name: c.name,
            type: 'bar',
            stack: 'all',
            ...(others.length && i === shown.length - 1 ? { itemStyle: { color: OTHER_COLOUR } } : {}),
            data: c.values,
          })),
        },
        380,
        'outcomes',
      ),
    ),
    card(
      `${t('outcomeRow')} · ${t('allYears')}`,
      h(
        'div',
        { 'data-table': 'outcomes' },
        table(
          [t('outcomeRow'), ...perYear.map((y) => String(y.year)), t('allYears'), t('shareOfTotal')],
          [
            ...allRows.map((row) => [
              name(row),
              ...perYear.map((y) =>
                sum(
                  (y.rows as Json[]).find((r) => r.metric === row.metric),
                  y.reportCount,
                ),
              ),
              sum(row, result.allYears.reportCount),
              shareOf(row.count),
            ]),
            [
              h('strong', {}, t('outcomesTotal')),
              ...perYear.map((y) => sum(y.total, y.reportCount)),
              sum(result.allYears.total, result.allYears.reportCount),
              shareOf(base),
            ],
          ],
        ),
        h('p', { class: 'note' }, t('shareNote')),
        basisShown ? basisNote() : '',
      ),
    ),
  );
  return view;
}
