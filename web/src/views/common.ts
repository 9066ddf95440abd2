import {
  type AgencyHit,
  ApiError,
  findAgencies,
  gql,
  type Json,
  type MetricInfo,
  metricCatalogue,
  regionsWithReports,
  unwrap,
} from '../api.ts';
import { errorBox, errorText, field, h, select, syntheticBadge, withUnit } from '../dom.ts';
import { pick, t, tf } from '../i18n.ts';
import { update } from '../router.ts';

/**
 * A view's query whose refusal of the input (a typo in a shared link: a metric no enum has, a
 * stale agency id) is returned rather than thrown, so that the view still shows its controls to
 * correct it, with `refused` under them, instead of a bare server error.
 */
export const catchInput = <T>(query: Promise<T>): Promise<T | ApiError> =>
  query.catch((error) => {
    if (error instanceof ApiError && error.kind === 'INPUT') return error;
    throw error;
  });

/**
 * "（n/m 份）" after a figure that comes from only `known` of the `of` reports it could come from
 * (the others did not report it, or it cannot be computed); `data-basis` holds n/m. A view that
 * shows one says what it means once, with `basisNote`.
 */
export const basisMarker = (known: number, of: number): HTMLElement =>
  h(
    'span',
    { class: 'basis', title: tf('basisTitle', known, of), 'data-basis': `${known}/${of}` },
    tf('basis', known, of),
  );

/** What the "（n/m 份）" markers of a view mean. */
export const basisNote = (): HTMLElement => h('p', { class: 'note', 'data-basis-note': '' }, t('basisNote'));

/** The refusal, under the view's controls (no retry: the same input is refused again). */
export const refused = (view: HTMLElement, error: ApiError): HTMLElement => {
  view.append(errorBox(error));
  return view;
};

/**
 * A whole number from the URL as the API takes it; anything else as typed, for the API to refuse
 * by name ("2O24" is no Int), not turned into NaN and sent as null.
 */
export const intParam = (text: string): number | string => (/^-?\d+$/.test(text) ? Number(text) : text);

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

/** A metric by its label, with its unit (万元) when the label does not say it. */
export const metricName = (m: MetricInfo | undefined, fallback: string) =>
  m ? withUnit(pick(m.labelZh, m.nameEn), m.unit) : fallback;

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

export function controls(...children: (HTMLElement | '')[]): HTMLElement {
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

/**
 * A name box that lists matching agencies as you type (agencies(filter: { nameContains })),
 * within a region when one is chosen. Picking one calls onPick; the view is not re-rendered
 * while typing, so the box keeps its focus.
 */
export function agencySearch(options: {
  value?: string;
  regionCode?: string;
  name: string;
  onPick: (agency: AgencyHit) => void;
  /** Enter with no suggestion picked. */
  onEnter?: (text: string, hits: AgencyHit[]) => void;
}): HTMLElement {
  const input = h('input', {
    type: 'search',
    name: options.name,
    value: options.value ?? '',
    placeholder: t('searchAgency'),
    autocomplete: 'off',
    'aria-autocomplete': 'list',
  });
  const list = h('ul', { class: 'suggestions', role: 'listbox', 'data-suggestions': options.name });
  let hits: AgencyHit[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  const search = async () => {
    const text = input.value.trim();
    const mine = ++asked;
    if (!text) {
      hits = [];
      list.replaceChildren();
      return;
    }
    try {
      const found = await findAgencies(text, options.regionCode);
      if (mine !== asked) return;
      hits = found;
      list.replaceChildren(
        ...(found.length
          ? found.map((a) =>
              h(
                'li',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    role: 'option',
                    'data-agency-hit': a.name,
                    onclick: () => options.onPick(a),
                  },
                  a.name,
                  a.synthetic ? syntheticBadge() : '',
                ),
              ),
            )
          : [h('li', { class: 'note' }, t('noMatches'))]),
      );
    } catch (error) {
      if (mine === asked) list.replaceChildren(h('li', { class: 'note error' }, errorText(error).text));
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    if (options.onEnter) options.onEnter(input.value.trim(), hits);
    else if (hits[0]) options.onPick(hits[0]);
  });
  return h('div', { class: 'agency-search' }, input, list);
}

/** Reports of one year, as a rollup grouped by YEAR counts them. */
export interface YearCount {
  year: number;
  reports: number;
}

/**
 * The years of a rollup grouped by YEAR (the group of no year left out) with their report counts;
 * grouped by TEMPLATE_VERSION too, only the reports of `versions`: a metric of one template's
 * table 2 (政府集中采购, 2019–2020 reports) has no figure in a later year, which opened its
 * ranking on 2024 and said there was no data.
 */
export function yearCounts(groups: Json[], versions?: readonly string[]): YearCount[] {
  const counts = new Map<number, number>();
  for (const g of groups) {
    if (g.key.year === null || g.key.year === undefined) continue;
    if (versions && g.key.templateVersion && !versions.includes(g.key.templateVersion)) continue;
    counts.set(g.key.year, (counts.get(g.key.year) ?? 0) + (g.reportCount as number));
  }
  return [...counts].map(([year, reports]) => ({ year, reports })).sort((a, b) => a.year - b.year);
}

/** Reports per year and template version among the reports `filter` picks. */
const YEARS = `query MetricYears($filter: ReportFilter) {
  rollup(groupBy: [YEAR, TEMPLATE_VERSION], metrics: [{ metric: T3_NEW_REQUESTS }], filter: $filter) {
    ... on Rollup { groups { key { year templateVersion } reportCount } }
    ... on Error { message }
  }
}`;

/** The years with reports `filter` picks of a template version that has `metric`, for a default year. */
export async function metricYearCounts(metric: string, filter: object): Promise<YearCount[]> {
  const [years, catalogue] = await Promise.all([gql(YEARS, { filter }), metricCatalogue()]);
  return yearCounts(unwrap(years.rollup).groups as Json[], catalogue.get(metric)?.templateVersions);
}

export interface YearChoice {
  year: number;
  reports: number;
  /** The later years passed over, each with fewer than half the reports of the best-covered year. */
  skipped: YearCount[];
}

/**
 * The year a view opens on: the latest year with at least half as many reports as the
 * best-covered year. Reports of a year arrive through the next one, so the latest year with any
 * report (one of 2025 while 2024 has 200) would compare, rank and sum a handful of agencies.
 * Null when there is no year.
 */
export function defaultYear(counts: YearCount[]): YearChoice | null {
  const known = [...counts].sort((a, b) => a.year - b.year);
  const most = Math.max(0, ...known.map((c) => c.reports));
  const chosen = [...known].reverse().find((c) => c.reports * 2 >= most);
  if (!chosen) return null;
  return { ...chosen, skipped: known.filter((c) => c.year > chosen.year) };
}

const reportsText = (n: number) => (n === 1 ? t('oneReport') : tf('nReports', n));

/** Says which later years a default year passed over, and why; nothing when none was. */
export function defaultYearNote(choice: YearChoice | null): HTMLElement | '' {
  if (!choice?.skipped.length) return '';
  const few = choice.skipped
    .map((c) => tf('fewReports', c.year, reportsText(c.reports)))
    .join(pick('，', '; '));
  return h(
    'p',
    { class: 'note default-year', 'data-default-year': choice.year },
    few,
    tf('showingYear', choice.year, reportsText(choice.reports)),
  );
}

/**
 * "Showing the first `shown` of `total`" (`key`'s words), under a list a query cut at its limit:
 * the rest are said, not silently missing. Nothing when the list is whole.
 */
export const cutNote = (shown: number, total: number, key: 'findingsCut' | 'rankingCut', marker: string) =>
  shown < total ? h('p', { class: 'note', [marker]: '' }, tf(key, shown, total)) : '';

/** The mark of a value from a report that does not add up (its ERROR findings). */
export const FLAG = '⚠';

/**
 * The mark after an agency whose report has `count` ERROR findings: a value ranked or compared
 * from it may be a misprint (a disclosure rate of 125 %), which the reader is told, not left to find.
 */
export const errorFindingsFlag = (count: number): HTMLElement =>
  h('span', { class: 'flag', title: tf('errorFindingsTitle', count), 'data-error-findings': count }, FLAG);

/** The page's note that some of what it shows is generated demo data (as the overview says). */
export const syntheticNote = (shown: boolean): HTMLElement | '' =>
  shown ? h('p', { class: 'note synthetic-note' }, syntheticBadge(), ' ', t('syntheticNote')) : '';

/**
 * A query field counting the agencies `$demo` matches (an AgencyFilter with synthetic: true,
 * narrowed to what the page shows or pools), answered as `demo`: read it with holdsDemo.
 */
export const DEMO_AGENCIES = `demo: agencies(filter: $demo, first: 1) {
  ... on QueryAgenciesConnection { totalCount } ... on Error { message } }`;

/** Whether DEMO_AGENCIES found any: the page then says it shows demo data (syntheticNote). */
export const holdsDemo = (data: Json): boolean => (unwrap(data.demo).totalCount as number) > 0;
