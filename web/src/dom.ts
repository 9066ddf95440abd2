import { ApiError } from './api.ts';
import { currentLang, type Key, t, tf } from './i18n.ts';

type Child = Node | string | number | null | undefined | false;

/** A tiny element builder: h('td', { class: 'num' }, 12). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | ((event: Event) => void) | undefined> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// 20 fraction digits (the most every engine accepts) rather than the default 3: a stored figure
// is never rounded (24252.311082 万元 is not 24,252.311).
const numberFormat = () =>
  new Intl.NumberFormat(document.documentElement.lang || 'zh-CN', { maximumFractionDigits: 20 });

/**
 * A figure as shown: counts and amounts exactly as stored, digits grouped (from an exact decimal
 * string such as a cell's `exactValue`, or from the API's number, which prints as the shortest
 * decimal that is it, i.e. the stored decimal: never rounded); ratios as percentages to one
 * decimal (`figure` adds the exact value); null as a dash.
 */
export function fmt(value: number | string | null | undefined, unit: string = 'COUNT'): string {
  if (value === null || value === undefined) return '—';
  if (unit === 'RATIO') return `${(Number(value) * 100).toFixed(1)}%`;
  return numberFormat().format(String(value) as Intl.StringNumericLiteral);
}

/**
 * A figure for a table cell: as `fmt`, and a ratio, shown rounded, carries its exact value in a
 * tooltip (with its numerator and denominator when known).
 */
export function figure(
  value: number | null | undefined,
  unit: string = 'COUNT',
  parts?: { numerator?: number | null; denominator?: number | null },
): HTMLElement | string {
  if (unit !== 'RATIO' || value === null || value === undefined) return fmt(value, unit);
  const fraction =
    parts?.numerator != null && parts?.denominator != null
      ? ` = ${fmt(parts.numerator)} / ${fmt(parts.denominator)}`
      : '';
  return h(
    'span',
    { class: 'ratio', title: `${String(value)}${fraction}`, 'data-exact': String(value) },
    fmt(value, unit),
  );
}

export function loading(): HTMLElement {
  return h('div', { class: 'state loading', role: 'status' }, h('span', { class: 'spinner' }), t('loading'));
}

export function empty(): HTMLElement {
  return h('div', { class: 'state empty' }, t('empty'));
}

/**
 * What went wrong, in the page's language. The server's own text is English: it is shown as it
 * is in the English view, and folded away under "details" in the Chinese one.
 */
export function errorText(error: unknown): { text: string; original: string } {
  const original = error instanceof Error ? error.message : String(error);
  if (currentLang() === 'en' && !(error instanceof ApiError && error.kind === 'HTTP'))
    return { text: original, original: '' };
  if (error instanceof ApiError && error.kind === 'INPUT')
    return { text: `${t('badInput')}${error.detail ? tf('badInputAt', error.detail) : ''}`, original };
  if (error instanceof ApiError && error.kind === 'HTTP') {
    const text =
      error.detail === 'offline'
        ? t('offline')
        : error.detail === 'timeout'
          ? t('timedOut')
          : error.detail === '429'
            ? tf('rateLimited', error.retryAfter ?? 60)
            : tf('networkError', error.detail);
    return { text, original };
  }
  return { text: t('serverError'), original };
}

/** What went wrong, with a retry button (none for input to correct: the same query fails again). */
export function errorBox(error: unknown, retry?: () => void): HTMLElement {
  const { text, original } = errorText(error);
  return h(
    'div',
    { class: 'state error', role: 'alert' },
    `${t('error')}${text} `,
    retry ? h('button', { type: 'button', onclick: retry }, t('retry')) : '',
    original ? h('details', {}, h('summary', {}, t('details')), h('pre', {}, original)) : '',
  );
}

/**
 * A label with the unit of its figures when it does not say it: the 2019 template prints
 * 采购总金额 without one, though its figures are 万元 (251000元 is stored as 25.1).
 */
export function withUnit(label: string, unit: string | undefined): string {
  if (unit !== 'WAN_YUAN' || /万元|10,000 yuan/.test(label)) return label;
  return `${label}${currentLang() === 'en' ? ' (10,000 yuan)' : '（万元）'}`;
}

export function card(title: string, ...children: (Child | Child[])[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

export function field(label: Key, control: HTMLElement): HTMLElement {
  return h('label', { class: 'field' }, h('span', {}, t(label)), control);
}

export function select(
  options: { value: string; label: string }[],
  value: string,
  onChange: (value: string) => void,
  name?: string,
): HTMLSelectElement {
  // A link may name a value with no data (a region without reports, a year before the first):
  // the control shows that value, not the first option, so it says what was queried.
  const known = options.some((o) => o.value === value);
  const all = known ? options : [...options, { value, label: `${value}${t('noDataForChoice')}` }];
  return h(
    'select',
    { name, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) },
    all.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)),
  );
}

/** A table; past `scrollAfter` rows it scrolls inside its own box instead of lengthening the page. */
export function table(headers: string[], rows: Child[][], numericFrom = 1, scrollAfter = 25): HTMLElement {
  return h(
    'div',
    { class: rows.length > scrollAfter ? 'table-wrap scroll' : 'table-wrap' },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map((x, i) => h('th', { class: i >= numericFrom ? 'num' : '' }, x)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            {},
            row.map((c, i) => h('td', { class: i >= numericFrom ? 'num' : '' }, c)),
          ),
        ),
      ),
    ),
  );
}

export function syntheticBadge(): HTMLElement {
  return h('span', { class: 'badge synthetic', title: t('syntheticNote') }, t('synthetic'));
}
