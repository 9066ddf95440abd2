import { type Key, t } from './i18n.ts';

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

const numberFormat = () => new Intl.NumberFormat(document.documentElement.lang || 'zh-CN');

/** A figure as shown: counts with separators, ratios as percentages, null as a dash. */
export function fmt(value: number | null | undefined, unit: string = 'COUNT'): string {
  if (value === null || value === undefined) return '—';
  if (unit === 'RATIO') return `${(value * 100).toFixed(1)}%`;
  return numberFormat().format(value);
}

export function loading(): HTMLElement {
  return h('div', { class: 'state loading', role: 'status' }, h('span', { class: 'spinner' }), t('loading'));
}

export function empty(): HTMLElement {
  return h('div', { class: 'state empty' }, t('empty'));
}

export function errorBox(error: unknown, retry: () => void): HTMLElement {
  const message = error instanceof Error ? error.message : String(error);
  return h(
    'div',
    { class: 'state error', role: 'alert' },
    `${t('error')}${message} `,
    h('button', { type: 'button', onclick: retry }, t('retry')),
  );
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
  const el = h(
    'select',
    { name, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) },
    options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)),
  );
  return el;
}

export function table(headers: string[], rows: Child[][], numericFrom = 1): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
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
