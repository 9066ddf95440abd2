import { type MetricInfo, metricCatalogue, regionsWithReports } from '../api.ts';
import { field, h, select } from '../dom.ts';
import { pick, t } from '../i18n.ts';
import { update } from '../router.ts';

export async function regionSelect(value: string, param = 'region'): Promise<HTMLElement> {
  const regions = await regionsWithReports();
  return field(
    'region',
    select(
      [
        { value: '', label: t('allRegions') },
        ...regions.map((r) => ({
          value: r.code,
          label: r.level === 'CITY' ? `　${r.parent ?? ''} ${r.name}` : r.name,
        })),
      ],
      value,
      (code) => update({ [param]: code }),
      param,
    ),
  );
}

export const metricName = (m: MetricInfo | undefined, fallback: string) =>
  m ? pick(m.labelZh, m.nameEn) : fallback;

export async function metricSelect(value: string, kinds?: string[]): Promise<HTMLElement> {
  const catalogue = await metricCatalogue();
  const options = [...catalogue.values()]
    .filter((m) => !kinds || kinds.includes(m.kind))
    .sort((a, b) => (a.kind === 'RATIO' ? -1 : 0) - (b.kind === 'RATIO' ? -1 : 0))
    .map((m) => ({ value: m.metric, label: metricName(m, m.metric) }));
  return field(
    'metric',
    select(options, value, (metric) => update({ metric }), 'metric'),
  );
}

export function controls(...children: HTMLElement[]): HTMLElement {
  return h('form', { class: 'controls', onsubmit: (e: Event) => e.preventDefault() }, ...children);
}

// The labels of the AdministrativeLevel enum (src/catalogue/regions.ts), top down; the
// dashboard is built from web/ alone (see the Dockerfile), so it cannot import them.
export const LEVEL_NAMES: Record<string, [string, string]> = {
  NATIONAL: ['国家级', 'National'],
  PROVINCE: ['省级', 'Province'],
  CITY: ['市级', 'City'],
  COUNTY: ['县级', 'County'],
  TOWNSHIP: ['乡镇级', 'Township'],
};
/** Levels of divisions, which region controls offer: every level below NATIONAL. */
export const LEVELS = Object.keys(LEVEL_NAMES).filter((level) => level !== 'NATIONAL');
export const levelName = (level: string) => {
  const names = LEVEL_NAMES[level];
  return names ? pick(...names) : level;
};
