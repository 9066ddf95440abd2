import { ApiError, gql, type Json, unwrap } from '../api.ts';
import { chart } from '../charts.ts';
import { card, empty, figure, fmt, h, table } from '../dom.ts';
import { type Key, t, tf } from '../i18n.ts';
import {
  basisMarker,
  basisNote,
  catchInput,
  controls,
  DEMO_AGENCIES,
  defaultYear,
  defaultYearNote,
  holdsDemo,
  refused,
  regionSelect,
  syntheticNote,
  yearCounts,
} from './common.ts';

const OUTCOMES: [string, Key][] = [
  ['T3_GRANTED', 'granted'],
  ['T3_PARTLY_GRANTED', 'partlyGranted'],
  ['T3_REFUSED_ALL', 'refused'],
  ['T3_CANNOT_PROVIDE_ALL', 'cannotProvide'],
  ['T3_NOT_HANDLED_ALL', 'notHandled'],
  ['T3_OTHER_HANDLING_ALL', 'otherHandling'],
];
const METRICS = [
  'T3_NEW_REQUESTS',
  'T3_OUTCOMES_TOTAL',
  'DISCLOSURE_RATE',
  'T4_REVIEW_TOTAL',
  'T4_LITIGATION_DIRECT_TOTAL',
  'T4_LITIGATION_AFTER_REVIEW_TOTAL',
  ...OUTCOMES.map(([m]) => m),
];

const QUERY = `query Overview($filter: ReportFilter, $demo: AgencyFilter, $metrics: [MetricInput!]!) {
  rollup(groupBy: [YEAR], filter: $filter, metrics: $metrics) {
    ... on Rollup { groups { key { year } reportCount agencyCount aggregates { metric sum pooled reportingReports } } }
    ... on Error { message }
  }
  ${DEMO_AGENCIES}
}`;

export async function overviewView(params: URLSearchParams): Promise<HTMLElement> {
  const region = params.get('region') ?? '';
  const agencies = region ? { regionCode: region } : {};
  const [data, regionControl] = await Promise.all([
    catchInput(
      gql(QUERY, {
        filter: { agency: agencies },
        // Whether any agency in scope is generated demo data, however many agencies there are.
        demo: { ...agencies, synthetic: true },
        metrics: METRICS.map((metric) => ({ metric })),
      }).then((d) => ({
        groups: unwrap(d.rollup).groups as Json[],
        synthetic: holdsDemo(d),
      })),
    ),
    regionSelect(region),
  ]);
  const view = h('div', { class: 'view' }, controls(regionControl));
  if (data instanceof ApiError) return refused(view, data);
  const groups = data.groups.filter((g) => g.key.year !== null);
  if (!groups.length) {
    view.append(empty());
    return view;
  }
  // A year's sums fall with its reports: a year of few (one just begun, the first one collected)
  // says how many under its label, so that its drop is not read as fewer requests.
  const most = Math.max(...groups.map((g) => g.reportCount as number));
  const years = groups.map((g) =>
    g.reportCount * 2 < most ? tf('yearOfFew', g.key.year, g.reportCount) : String(g.key.year),
  );
  const aggregate = (g: Json, metric: string) => (g.aggregates as Json[]).find((x) => x.metric === metric);
  const value = (g: Json, metric: string) => {
    const a = aggregate(g, metric);
    return metric === 'DISCLOSURE_RATE' ? a?.pooled : a?.sum;
  };
  /**
   * How many of the year's reports a figure comes from, when not all of them (the others did
   * not report it, or a rate's denominator was 0): the rows count every report.
   */
  const from = (g: Json, ...metrics: string[]): number | null => {
    const known = Math.min(...metrics.map((m) => aggregate(g, m)?.reportingReports ?? 0));
    return metrics.every((m) => value(g, m) != null) && known < g.reportCount ? known : null;
  };
  let basisShown = false;
  const basis = (g: Json, ...metrics: string[]): HTMLElement | '' => {
    const known = from(g, ...metrics);
    if (known === null) return '';
    basisShown = true;
    return basisMarker(known, g.reportCount);
  };
  const cell = (g: Json, metric: string, unit = 'COUNT') =>
    h('span', {}, figure(value(g, metric), unit), basis(g, metric));
  const series = (metric: string) => groups.map((g) => value(g, metric) ?? null);
  // 行政诉讼 is shown as its two halves, each over the reports that printed it: added here, the
  // year's sums paired one report's direct lawsuits with another's after review (a report that
  // left one half blank still gave the other), and no basis could say which reports a sum is of.
  const LAWSUITS: [string, Key][] = [
    ['T4_LITIGATION_DIRECT_TOTAL', 'lawsuitsDirect'],
    ['T4_LITIGATION_AFTER_REVIEW_TOTAL', 'lawsuitsAfterReview'],
  ];
  // The key figures are those of the latest year well reported, not of a year just begun.
  const shown = defaultYear(yearCounts(groups));
  const latest = (groups.find((g) => g.key.year === shown?.year) ?? groups.at(-1)) as Json;
  view.append(
    syntheticNote(data.synthetic),
    defaultYearNote(shown),
    h(
      'div',
      { class: 'kpis' },
      kpi(shown?.skipped.length ? t('year') : t('latestYear'), String(latest.key.year), 'kpi-year'),
      kpi(t('reports'), fmt(latest.reportCount)),
      kpi(
        t('newRequests'),
        fmt(value(latest, 'T3_NEW_REQUESTS')),
        'kpi-new-requests',
        basis(latest, 'T3_NEW_REQUESTS'),
      ),
      kpi(
        t('disclosureRate'),
        fmt(value(latest, 'DISCLOSURE_RATE'), 'RATIO'),
        'kpi-disclosure-rate',
        basis(latest, 'DISCLOSURE_RATE'),
      ),
      kpi(
        t('reviews'),
        fmt(value(latest, 'T4_REVIEW_TOTAL')),
        'kpi-reviews',
        basis(latest, 'T4_REVIEW_TOTAL'),
      ),
    ),
    h(
      'div',
      { class: 'grid' },
      card(
        t('requestsByYear'),
        chart(
          {
            xAxis: { type: 'category', data: years },
            yAxis: { type: 'value', minInterval: 1 },
            series: [
              {
                name: t('newRequests'),
                type: 'line',
                data: series('T3_NEW_REQUESTS'),
                label: { show: true },
              },
              { name: t('outcomesTotal'), type: 'line', data: series('T3_OUTCOMES_TOTAL') },
            ],
            legend: {},
          },
          280,
          'requests',
        ),
      ),
      card(
        t('outcomesByYear'),
        chart(
          {
            xAxis: { type: 'category', data: years },
            yAxis: { type: 'value', minInterval: 1 },
            legend: { type: 'scroll' },
            series: OUTCOMES.map(([metric, key]) => ({
              name: t(key),
              type: 'bar',
              stack: 'outcomes',
              data: series(metric),
            })),
          },
          280,
          'outcomes',
        ),
      ),
      card(
        t('reviewsByYear'),
        chart(
          {
            xAxis: { type: 'category', data: years },
            yAxis: { type: 'value', minInterval: 1 },
            legend: {},
            series: [
              {
                name: t('reviews'),
                type: 'bar',
                data: series('T4_REVIEW_TOTAL'),
                label: { show: true, position: 'top' },
              },
              ...LAWSUITS.map(([metric, key]) => ({ name: t(key), type: 'bar', data: series(metric) })),
            ],
          },
          280,
          'reviews',
        ),
      ),
    ),
    card(
      t('overview'),
      h(
        'div',
        { 'data-table': 'overview' },
        table(
          [
            t('year'),
            t('reports'),
            t('newRequests'),
            ...OUTCOMES.map(([, k]) => t(k)),
            t('outcomesTotal'),
            t('disclosureRate'),
            t('reviews'),
            ...LAWSUITS.map(([, key]) => t(key)),
          ],
          groups.map((g) => [
            g.key.year,
            fmt(g.reportCount),
            cell(g, 'T3_NEW_REQUESTS'),
            ...OUTCOMES.map(([m]) => cell(g, m)),
            cell(g, 'T3_OUTCOMES_TOTAL'),
            cell(g, 'DISCLOSURE_RATE', 'RATIO'),
            cell(g, 'T4_REVIEW_TOTAL'),
            ...LAWSUITS.map(([metric]) => cell(g, metric)),
          ]),
        ),
      ),
      basisShown ? basisNote() : '',
    ),
  );
  return view;
}

function kpi(label: string, value: string, id?: string, basis: HTMLElement | '' = ''): HTMLElement {
  return h(
    'div',
    { class: 'kpi', 'data-kpi': id },
    h('div', { class: 'kpi-value' }, value),
    h('div', { class: 'kpi-label' }, label, basis),
  );
}
