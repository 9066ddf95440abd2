import { ApiError, csvHref, gql, type Json, metricCatalogue, unwrap } from '../api.ts';
import { barList, chart, escapeHtml, MAX_CATEGORIES, OTHER_COLOUR, percentTick } from '../charts.ts';
import { card, empty, figure, fmt, h, syntheticBadge, table } from '../dom.ts';
import { codeLabel, t, tf } from '../i18n.ts';
import { href, update } from '../router.ts';
import {
  agencySearch,
  catchInput,
  controls,
  defaultYear,
  defaultYearNote,
  errorFindingsFlag,
  FLAG,
  metricName,
  metricSelect,
  metricYearCounts,
  refused,
  regionSelect,
  syntheticNote,
  type YearChoice,
} from './common.ts';

const DEFAULT_COUNT = 10;

const SERIES = `query CompareSeries($metric: MetricInput!, $filter: ReportFilter) {
  series(metric: $metric, filter: $filter) {
    ... on Series {
      years
      metric { label unit }
      series { agency { id name synthetic } points { year value nullReason errorFindings } }
      totals { year value }
    }
    ... on Error { message }
  }
}`;

const CSV_QUERY = `query CompareCsv($metrics: [MetricInput!]!, $filter: ReportFilter) {
  compare(metrics: $metrics, filter: $filter) {
    ... on Comparison { rows { agency { name synthetic } year templateVersion errorFindings values { label value nullReason } } }
    ... on Error { message }
  }
}`;

const TOP = `query CompareTop($metric: MetricInput!, $year: Int!, $filter: ReportFilter) {
  ranking(metric: $metric, year: $year, filter: $filter, limit: ${DEFAULT_COUNT}, ties: CUT) {
    ... on Ranking { entries { agency { id } } }
    ... on Error { message }
  }
}`;

/**
 * With no agency chosen, the view compares the region's top agencies by the metric in its
 * latest year well reported (defaultYear) among the years of the templates that have the metric,
 * which it names.
 */
async function topAgencies(
  metric: string,
  region: string,
): Promise<{ ids: string[]; year: YearChoice | null }> {
  const filter = region ? { agency: { regionCode: region } } : {};
  const year = defaultYear(await metricYearCounts(metric, filter));
  if (!year) return { ids: [], year };
  const ranking = unwrap((await gql(TOP, { metric: { metric }, year: year.year, filter })).ranking);
  return { ids: (ranking.entries as Json[]).map((e) => e.agency.id as string), year };
}

export async function compareView(params: URLSearchParams): Promise<HTMLElement> {
  const metric = params.get('metric') ?? 'T3_NEW_REQUESTS';
  const chosen = (params.get('agencies') ?? '').split(',').filter(Boolean);
  const region = params.get('region') ?? '';
  const [top, catalogue, regionControl, metricControl] = await Promise.all([
    chosen.length ? { ids: chosen, year: null } : catchInput(topAgencies(metric, region)),
    metricCatalogue(),
    regionSelect(region),
    metricSelect(metric),
  ]);
  const view = h('div', { class: 'view' }, controls(metricControl, regionControl));
  // A metric or an agency id the API refuses: the controls stay, and the picker with its reset.
  if (top instanceof ApiError) return refused(view, top);
  const { ids } = top;
  if (!ids.length) {
    view.append(card(t('chooseAgencies'), picker([], chosen.length > 0, region)), empty());
    return view;
  }
  const filter = { agency: { ids } };
  const result = await catchInput(gql(SERIES, { metric: { metric }, filter }).then((d) => unwrap(d.series)));
  if (result instanceof ApiError) {
    view.append(card(t('chooseAgencies'), picker([], true, region)));
    return refused(view, result);
  }
  const order = new Map(ids.map((id, i) => [id, i]));
  const rows = (result.series as Json[]).sort(
    (a, b) => (order.get(a.agency.id) ?? 0) - (order.get(b.agency.id) ?? 0),
  );
  view.append(
    card(
      t('chooseAgencies'),
      picker(
        rows.map((s) => s.agency),
        chosen.length > 0,
        region,
      ),
    ),
  );
  if (!rows.length) {
    view.append(empty());
    return view;
  }
  const unit = catalogue.get(metric)?.unit ?? 'COUNT';
  const years = (result.years as number[]).map(String);
  const label = metricName(catalogue.get(metric), metric);
  // The bars show the latest year most of the compared agencies reported for: the default list's
  // year, or, for a list chosen by hand, the latest with at least half as many reports as the best.
  const reported = (result.years as number[]).map((year) => ({
    year,
    reports: rows.filter((s) =>
      (s.points as Json[]).some((p) => p.year === year && p.nullReason !== 'NO_REPORT'),
    ).length,
  }));
  const barYear =
    top.year && (result.years as number[]).includes(top.year.year) ? top.year : defaultYear(reported);
  const lastYear = barYear?.year ?? result.years.at(-1);
  const latest = rows
    .map((s) => ({
      name: s.agency.name as string,
      value: (s.points as Json[]).find((p) => p.year === lastYear)?.value ?? null,
    }))
    .filter((x) => x.value !== null)
    .sort((a, b) => b.value - a.value);
  // Past MAX_CATEGORIES lines the colours repeat; the rest are drawn grey under one "other" entry.
  const coloured = rows.length <= MAX_CATEGORIES ? rows.length : MAX_CATEGORIES - 1;
  const others = new Set(rows.slice(coloured).map((s) => s.agency.name as string));
  // Agencies of the link that are not shown (an id no agency has, or one with no report): said, not dropped.
  const absent = ids.filter((id) => !rows.some((s) => s.agency.id === id)).length;
  view.append(
    syntheticNote(rows.some((s) => s.agency.synthetic)),
    defaultYearNote(barYear),
    absent ? h('p', { class: 'note', 'data-absent-agencies': absent }, tf('absentAgencies', absent)) : '',
    // As the ranking says it: a value of a report whose identities do not hold (a rate above 100 %).
    rows.some((s) => (s.points as Json[]).some((p) => p.errorFindings > 0))
      ? h('p', { class: 'note', 'data-error-findings-note': '' }, `${FLAG} `, t('errorFindingsNote'))
      : '',
    h(
      'div',
      { class: 'grid' },
      card(
        label,
        chart(
          {
            legend: {},
            tooltip: {
              trigger: 'axis',
              confine: true,
              formatter: (params: Json[]) =>
                [
                  `<b>${escapeHtml(params[0]?.axisValueLabel ?? '')}</b>`,
                  ...params.map(
                    (p) =>
                      `${p.marker}${escapeHtml(others.has(p.seriesId) ? `${t('other')} · ${p.seriesId}` : p.seriesName)}: ${fmt(p.value, unit)}`,
                  ),
                ].join('<br/>'),
            },
            xAxis: { type: 'category', data: years },
            yAxis:
              unit === 'RATIO'
                ? { type: 'value', axisLabel: { formatter: percentTick } }
                : { type: 'value', minInterval: 1 },
            series: rows.map((s, i) => ({
              id: s.agency.name,
              name: i < coloured ? s.agency.name : t('other'),
              type: 'line',
              connectNulls: false,
              ...(i < coloured
                ? {}
                : { itemStyle: { color: OTHER_COLOUR }, lineStyle: { color: OTHER_COLOUR, type: 'dashed' } }),
              data: (s.points as Json[]).map((p) => p.value),
            })),
          },
          320,
          'compare-line',
        ),
      ),
      card(
        `${label} · ${lastYear}`,
        barList(
          latest.map((x) => ({ name: x.name, value: x.value })),
          unit,
          'compare-bar',
        ),
      ),
    ),
    card(
      label,
      h(
        'p',
        { class: 'actions' },
        h(
          'a',
          {
            class: 'button',
            href: csvHref(CSV_QUERY, { metrics: [{ metric }], filter }, 'compare.rows'),
            download: 'compare.csv',
            'data-csv': '',
          },
          t('downloadCsv'),
        ),
      ),
      h(
        'div',
        { 'data-table': 'compare' },
        table(
          [t('agency'), ...years],
          [
            ...rows.map((s) => [
              h('span', {}, s.agency.name, s.agency.synthetic ? syntheticBadge() : ''),
              ...(s.points as Json[]).map((p) =>
                p.value === null
                  ? h('span', { class: 'null', title: codeLabel('nullReason', p.nullReason) }, '—')
                  : h(
                      'span',
                      {},
                      h(
                        'a',
                        { href: href('report', { agency: s.agency.name, year: p.year }) },
                        figure(p.value, unit),
                      ),
                      p.errorFindings > 0 ? errorFindingsFlag(p.errorFindings) : '',
                    ),
              ),
            ]),
            [
              h('strong', {}, t('pooled')),
              ...(result.totals as Json[]).map((p) => h('strong', {}, figure(p.value, unit))),
            ],
          ],
        ),
      ),
    ),
  );
  return view;
}

/**
 * The compared agencies as chips (untick to drop one) and a name search within the region
 * that adds one. The first change turns the default top list into an explicit one in the URL.
 */
function picker(compared: Json[], explicit: boolean, region: string): HTMLElement {
  const ids = compared.map((a) => a.id as string);
  const set = (next: string[]) => update({ agencies: next.join(',') || null });
  return h(
    'div',
    { class: 'picker' },
    agencySearch({
      name: 'q',
      regionCode: region,
      onPick: (a) => set(ids.includes(a.id) ? ids : [...ids, a.id]),
    }),
    h(
      'p',
      { class: 'note' },
      explicit
        ? h(
            'a',
            {
              href: '#',
              'data-reset': '',
              onclick: (e: Event) => {
                e.preventDefault();
                update({ agencies: null });
              },
            },
            t('resetSelection'),
          )
        : t('topAgencies'),
    ),
    h(
      'div',
      { class: 'chips' },
      compared.map((a) =>
        h(
          'label',
          { class: 'chip on', title: a.name },
          h('input', {
            type: 'checkbox',
            checked: true,
            'data-agency': a.name,
            onchange: () => set(ids.filter((id) => id !== a.id)),
          }),
          h('span', { class: 'chip-name' }, a.name),
          a.synthetic ? syntheticBadge() : '',
        ),
      ),
    ),
  );
}
