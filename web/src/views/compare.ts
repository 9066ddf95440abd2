import { csvHref, gql, type Json, metricCatalogue, unwrap } from '../api.ts';
import { chart } from '../charts.ts';
import { card, empty, fmt, h, syntheticBadge, table } from '../dom.ts';
import { t } from '../i18n.ts';
import { href, update } from '../router.ts';
import { controls, metricName, metricSelect, regionSelect } from './common.ts';

const SERIES = `query CompareSeries($metric: MetricInput!, $filter: ReportFilter) {
  series(metric: $metric, filter: $filter) {
    ... on Series {
      years
      metric { label unit }
      series { agency { id name synthetic } points { year value nullReason } }
      totals { year value }
    }
    ... on Error { message }
  }
}`;

const CSV_QUERY = `query CompareCsv($metrics: [MetricInput!]!, $filter: ReportFilter) {
  compare(metrics: $metrics, filter: $filter) {
    ... on Comparison { rows { agency { name } year templateVersion values { label value nullReason } } }
    ... on Error { message }
  }
}`;

const SEARCH = `query FindAgencies($name: String) {
  agencies(first: 30, filter: { nameContains: $name }) {
    ... on QueryAgenciesConnection { edges { node { id name synthetic } } }
    ... on Error { message }
  }
}`;

export async function compareView(params: URLSearchParams): Promise<HTMLElement> {
  const metric = params.get('metric') ?? 'T3_NEW_REQUESTS';
  const ids = (params.get('agencies') ?? '').split(',').filter(Boolean);
  const region = params.get('region') ?? '';
  const q = params.get('q') ?? '';
  const agencyFilter = ids.length ? { ids } : region ? { regionCode: region } : {};
  const filter = { agency: agencyFilter };
  const [data, found, catalogue, regionControl, metricControl] = await Promise.all([
    gql(SERIES, { metric: { metric }, filter }),
    gql(SEARCH, { name: q || null }),
    metricCatalogue(),
    regionSelect(region),
    metricSelect(metric),
  ]);
  const result = unwrap(data.series);
  const unit = catalogue.get(metric)?.unit ?? 'COUNT';
  const picker = agencyPicker(
    unwrap(found.agencies).edges.map((e: Json) => e.node),
    ids,
    q,
  );
  const view = h(
    'div',
    { class: 'view' },
    controls(metricControl, regionControl),
    card(t('chooseAgencies'), picker),
  );
  const rows = result.series as Json[];
  if (!rows.length) {
    view.append(empty());
    return view;
  }
  const years = (result.years as number[]).map(String);
  const label = metricName(catalogue.get(metric), metric);
  const lastYear = result.years.at(-1);
  const latest = rows
    .map((s) => ({
      name: s.agency.name as string,
      value: (s.points as Json[]).find((p) => p.year === lastYear)?.value ?? null,
    }))
    .filter((x) => x.value !== null)
    .sort((a, b) => a.value - b.value);
  const axis =
    unit === 'RATIO'
      ? { type: 'value', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } }
      : { type: 'value', minInterval: 1 };
  view.append(
    h(
      'div',
      { class: 'grid' },
      card(
        label,
        chart(
          {
            legend: { type: 'scroll' },
            xAxis: { type: 'category', data: years },
            yAxis: axis,
            series: rows.map((s) => ({
              name: s.agency.name,
              type: 'line',
              connectNulls: false,
              data: (s.points as Json[]).map((p) => p.value),
            })),
          },
          320,
          'compare-line',
        ),
      ),
      card(
        `${label} · ${lastYear}`,
        chart(
          {
            tooltip: { trigger: 'item' },
            grid: { left: 150, right: 50, top: 10, bottom: 24, containLabel: false },
            xAxis: axis,
            yAxis: {
              type: 'category',
              data: latest.map((x) => x.name),
              axisLabel: { width: 140, overflow: 'truncate' },
            },
            series: [
              {
                type: 'bar',
                data: latest.map((x) => x.value),
                label: { show: true, position: 'right', formatter: (p: Json) => fmt(p.value, unit) },
              },
            ],
          },
          Math.max(200, latest.length * 36 + 60),
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
                  ? h('span', { class: 'null', title: p.nullReason ?? '' }, '—')
                  : h(
                      'a',
                      { href: href('report', { agency: s.agency.name, year: p.year }) },
                      fmt(p.value, unit),
                    ),
              ),
            ]),
            [
              h('strong', {}, t('pooled')),
              ...(result.totals as Json[]).map((p) => h('strong', {}, fmt(p.value, unit))),
            ],
          ],
        ),
      ),
    ),
  );
  return view;
}

function agencyPicker(found: Json[], ids: string[], q: string): HTMLElement {
  const chosen = new Set(ids);
  const input = h('input', { type: 'search', name: 'q', value: q, placeholder: t('searchAgency') });
  input.addEventListener('change', () => update({ q: input.value }));
  return h(
    'div',
    { class: 'picker' },
    input,
    h(
      'div',
      { class: 'chips' },
      found.map((a) =>
        h(
          'label',
          { class: `chip${chosen.has(a.id) ? ' on' : ''}` },
          h('input', {
            type: 'checkbox',
            checked: chosen.has(a.id),
            'data-agency': a.name,
            onchange: (e: Event) => {
              if ((e.target as HTMLInputElement).checked) chosen.add(a.id);
              else chosen.delete(a.id);
              update({ agencies: [...chosen].join(',') || null, region: null });
            },
          }),
          a.name,
          a.synthetic ? syntheticBadge() : '',
        ),
      ),
    ),
  );
}
