import { BarChart, LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { fmt, h } from './dom.ts';
import { t } from './i18n.ts';
import { distinctLabels } from './labels.ts';

echarts.use([
  BarChart,
  LineChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  SVGRenderer,
]);

const live = new Set<echarts.ECharts>();

/**
 * A ratio axis's tick as a percentage, to the ticks' own precision: ticks 0.5 % apart were
 * rounded to whole percents (0%, 1%, 1%, 2% …), putting 2.8 % above a line labelled 3%.
 */
export const percentTick = (v: number) => `${Number((v * 100).toFixed(2))}%`;

/** Charts of the previous view are disposed before a new view renders. */
export function disposeCharts() {
  for (const chart of live) chart.dispose();
  live.clear();
}

window.addEventListener('resize', () => {
  for (const chart of live) chart.resize();
});

/** Eight colours that stay apart from each other; no chart draws more categories than this. */
export const PALETTE = [
  '#c23531',
  '#2f4554',
  '#61a0a8',
  '#d48265',
  '#749f83',
  '#ca8622',
  '#5470c6',
  '#9a60b4',
];
export const MAX_CATEGORIES = PALETTE.length;
export const OTHER_COLOUR = '#9ca3af';
/** No chart grows past this; longer lists scroll inside the chart (see barList). */
export const MAX_CHART_HEIGHT = 600;

// ECharts measures text on a canvas before drawing it; with `inherit` it measures another font
// than the page shows, and truncated labels came out wider than their room (cut at the left edge).
const FONT = getComputedStyle(document.documentElement).fontFamily || 'sans-serif';

type Option = echarts.EChartsCoreOption;

/**
 * A chart container; the chart is drawn once the element is in the page. The option may depend
 * on the width it gets (label room on a phone). A legend is drawn as HTML under the chart: it
 * wraps instead of paging, and each entry toggles its series.
 */
export function chart(
  option: Option | ((width: number) => Option),
  height = 320,
  name = 'chart',
): HTMLElement {
  const el = h('div', {
    class: 'chart',
    'data-chart': name,
    style: `height:${Math.min(height, MAX_CHART_HEIGHT)}px`,
  });
  const legend = h('ul', { class: 'legend', 'data-legend': name });
  const box = h('div', { class: 'chart-box' }, el, legend);
  let tries = 0;
  const draw = () => {
    if (!el.isConnected) {
      if (++tries < 120) requestAnimationFrame(draw);
      return;
    }
    const own = typeof option === 'function' ? option(el.clientWidth) : option;
    const instance = echarts.init(el, null, { renderer: 'svg' });
    instance.setOption({
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: 'axis', confine: true },
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      ...own,
      ...(own.legend ? { legend: { show: false } } : {}),
    });
    if (own.legend) drawLegend(instance, legend);
    // The full text of a shortened axis label, as the browser's own tooltip.
    instance.on('mouseover', (p: { componentType?: string; value?: unknown }) => {
      if (p.componentType === 'xAxis' || p.componentType === 'yAxis') el.title = String(p.value ?? '');
    });
    instance.on('mouseout', () => el.removeAttribute('title'));
    live.add(instance);
    el.dataset.ready = 'true';
  };
  requestAnimationFrame(draw);
  return box;
}

function drawLegend(instance: echarts.ECharts, list: HTMLElement) {
  const { series = [], color = PALETTE } = instance.getOption() as {
    series?: { name?: string; itemStyle?: { color?: string }; lineStyle?: { color?: string } }[];
    color?: string[];
  };
  const seen = new Set<string>();
  series.forEach((s, i) => {
    const name = s.name ?? '';
    if (seen.has(name)) return;
    seen.add(name);
    const colour = s.itemStyle?.color ?? s.lineStyle?.color ?? color[i % color.length];
    const item = h(
      'li',
      {},
      h(
        'button',
        {
          type: 'button',
          title: name,
          'aria-pressed': 'true',
          onclick: (e: Event) => {
            const button = e.currentTarget as HTMLButtonElement;
            instance.dispatchAction({ type: 'legendToggleSelect', name });
            button.setAttribute('aria-pressed', String(button.getAttribute('aria-pressed') !== 'true'));
          },
        },
        h('span', { class: 'swatch', style: `background:${colour}` }),
        h('span', { class: 'legend-name' }, name),
      ),
    );
    list.append(item);
  });
}

/** How many CJK characters of a label fit beside a bar, for a chart of this width. */
export const labelRoom = (width: number) => Math.max(6, Math.min(16, Math.floor((width - 160) / 24)));

export interface Bar {
  /** The full name, shown in the tooltip. */
  name: string;
  value: number | null;
  /** Drawn before the shortened name, never cut (a rank). */
  prefix?: string;
  colour?: string;
}

const ROW = 26;
const VISIBLE_ROWS = Math.floor((MAX_CHART_HEIGHT - 60) / ROW);

/**
 * Horizontal bars, one per name, in the given order from the top. Labels are shortened to the
 * room the chart has (the full name is in the tooltip); past VISIBLE_ROWS bars the list scrolls
 * inside the chart with a slider instead of the chart growing.
 */
export function barList(bars: Bar[], unit: string, name: string): HTMLElement {
  const scrolls = bars.length > VISIBLE_ROWS;
  const height = Math.min(MAX_CHART_HEIGHT, Math.max(160, bars.length * ROW + 60));
  const categories = bars.map((_, i) => `${i}`);
  const widestValue = Math.max(0, ...bars.map((b) => fmt(b.value, unit).length)) * 7 + 12;
  let labelled: { width: number; labels: string[] } | undefined;
  const labels = (width: number) => {
    if (labelled?.width !== width)
      labelled = {
        width,
        labels: distinctLabels(
          bars.map((b) => b.name),
          labelRoom(width),
        ),
      };
    return labelled.labels;
  };
  return chart(
    (width) => ({
      tooltip: {
        trigger: 'item',
        confine: true,
        formatter: (p: { dataIndex: number }) => {
          const bar = bars[p.dataIndex];
          return bar
            ? `${escapeHtml(`${bar.prefix ?? ''}${bar.name}`)}<br/><b>${fmt(bar.value, unit)}</b>`
            : '';
        },
      },
      // containLabel leaves out the value labels right of the bars: keep room for the widest.
      grid: { left: 8, right: (scrolls ? 32 : 8) + widestValue, top: 8, bottom: 24, containLabel: true },
      xAxis: {
        type: 'value',
        ...(unit === 'RATIO' ? { axisLabel: { formatter: percentTick } } : {}),
        ...(unit === 'COUNT' ? { minInterval: 1 } : {}),
        splitNumber: width < 500 ? 3 : 5,
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: categories,
        triggerEvent: true,
        axisLabel: {
          interval: 0,
          formatter: (i: string) => {
            const bar = bars[Number(i)];
            return bar ? `${bar.prefix ?? ''}${labels(width)[Number(i)]}` : '';
          },
        },
      },
      ...(scrolls
        ? {
            dataZoom: [
              {
                type: 'slider',
                yAxisIndex: 0,
                startValue: 0,
                endValue: VISIBLE_ROWS - 1,
                width: 16,
                right: 8,
                showDetail: false,
                brushSelect: false,
                zoomLock: true,
              },
              { type: 'inside', yAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: true },
            ],
          }
        : {}),
      series: [
        {
          type: 'bar',
          barMaxWidth: 20,
          data: bars.map((b) => (b.colour ? { value: b.value, itemStyle: { color: b.colour } } : b.value)),
          label: { show: true, position: 'right', formatter: (p: { value: number }) => fmt(p.value, unit) },
        },
      ],
    }),
    height,
    name,
  );
}

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

export interface Category {
  name: string;
  values: (number | null)[];
}

/**
 * At most MAX_CATEGORIES categories: the largest (by their sum) keep their own colour, the rest
 * are summed into one grey "other" category whose members are listed in `others`.
 */
export function topCategories(categories: Category[]): { shown: Category[]; others: Category[] } {
  if (categories.length <= MAX_CATEGORIES) return { shown: categories, others: [] };
  const total = (c: Category) => c.values.reduce<number>((n, v) => n + (v ?? 0), 0);
  const ranked = [...categories].sort((a, b) => total(b) - total(a));
  const keep = new Set(ranked.slice(0, MAX_CATEGORIES - 1));
  const others = categories.filter((c) => !keep.has(c));
  const length = Math.max(...categories.map((c) => c.values.length));
  const other: Category = {
    name: t('other'),
    values: Array.from({ length }, (_, i) =>
      others.reduce<number | null>((n, c) => {
        const v = c.values[i];
        return v === null || v === undefined ? n : (n ?? 0) + v;
      }, null),
    ),
  };
  return { shown: [...categories.filter((c) => keep.has(c)), other], others };
}

/** The tooltip of an axis: each series' value, and under "other" the members it sums. */
export function axisTooltip(others: Category[], unit: string) {
  return (
    params: {
      axisValueLabel: string;
      dataIndex: number;
      seriesName: string;
      marker: string;
      value: unknown;
    }[],
  ) => {
    const first = params[0];
    if (!first) return '';
    const lines = [`<b>${escapeHtml(first.axisValueLabel)}</b>`];
    for (const p of params) {
      lines.push(`${p.marker}${escapeHtml(p.seriesName)}: ${fmt(p.value as number | null, unit)}`);
      if (p.seriesName === t('other'))
        for (const c of others) {
          const v = c.values[first.dataIndex];
          if (v) lines.push(`<span class="tip-sub">· ${escapeHtml(c.name)}: ${fmt(v, unit)}</span>`);
        }
    }
    return lines.join('<br/>');
  };
}
