import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { h } from './dom.ts';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const live = new Set<echarts.ECharts>();

/** Charts of the previous view are disposed before a new view renders. */
export function disposeCharts() {
  for (const chart of live) chart.dispose();
  live.clear();
}

window.addEventListener('resize', () => {
  for (const chart of live) chart.resize();
});

export const PALETTE = [
  '#c23531',
  '#2f4554',
  '#61a0a8',
  '#d48265',
  '#91c7ae',
  '#749f83',
  '#ca8622',
  '#bda29a',
  '#6e7074',
  '#546570',
  '#c4ccd3',
  '#5470c6',
  '#fac858',
  '#73c0de',
  '#3ba272',
  '#fc8452',
  '#9a60b4',
  '#ea7ccc',
];

/** A chart container; the chart is drawn once the element is in the page. */
export function chart(option: echarts.EChartsCoreOption, height = 320, name = 'chart'): HTMLElement {
  const el = h('div', { class: 'chart', 'data-chart': name, style: `height:${height}px` });
  let tries = 0;
  const draw = () => {
    if (!el.isConnected) {
      if (++tries < 120) requestAnimationFrame(draw);
      return;
    }
    const instance = echarts.init(el, null, { renderer: 'svg' });
    instance.setOption({
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: 'inherit' },
      tooltip: { trigger: 'axis', confine: true },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      ...option,
      // ECharts 6 puts legends at the bottom by default, over the axis labels; keep them on top.
      ...(option.legend
        ? {
            legend: {
              ...('bottom' in (option.legend as object) ? {} : { top: 0 }),
              type: 'scroll',
              ...(option.legend as object),
            },
          }
        : {}),
    });
    live.add(instance);
    el.dataset.ready = 'true';
  };
  requestAnimationFrame(draw);
  return el;
}
