/**
 * Whether a media query applies to the screen a reader views a page on: a browser on a desktop
 * screen, its window taken as 1280×800 CSS pixels at 96 dpi, in light mode. Rules for print,
 * speech or a phone's width are not applied; rules for the screen are, whatever conditions they
 * name that such a screen meets. A condition not evaluated here (a feature not known, a calc())
 * leaves the query `undefined`: its rules may or may not apply, and what they may hide is refused.
 */

import { UNIT_PX } from './html-raised.ts';

const VIEWPORT = { width: 1280, height: 800 };
const ROOT_PX = 16;

/** A length of a media feature in CSS px; null where it cannot be told. */
function px(value: string): number | null {
  const m = /^(-?\d*\.?\d+)(px|em|rem|pt|pc|in|cm|mm|q)?$/.exec(value);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? (n === 0 ? 'px' : '');
  const scale: Record<string, number> = { ...UNIT_PX, em: ROOT_PX, rem: ROOT_PX };
  const s = scale[unit];
  return s === undefined ? null : n * s;
}

/** The value of a feature on the screen assumed, as a number (a length in px, a ratio) or a keyword. */
function featureValue(name: string): number | string | undefined {
  switch (name) {
    case 'width':
    case 'device-width':
      return VIEWPORT.width;
    case 'height':
    case 'device-height':
      return VIEWPORT.height;
    case 'aspect-ratio':
    case 'device-aspect-ratio':
      return VIEWPORT.width / VIEWPORT.height;
    case 'orientation':
      return 'landscape';
    case 'resolution':
      return 1;
    case '-webkit-device-pixel-ratio':
      return 1;
    case 'color':
      return 8;
    case 'color-index':
    case 'monochrome':
    case 'grid':
      return 0;
    case 'prefers-color-scheme':
      return 'light';
    case 'prefers-reduced-motion':
    case 'prefers-reduced-transparency':
    case 'prefers-contrast':
    case 'forced-colors':
    case 'inverted-colors':
      return name === 'prefers-contrast'
        ? 'no-preference'
        : name.startsWith('prefers-reduced')
          ? 'no-preference'
          : 'none';
    case 'hover':
    case 'any-hover':
      return 'hover';
    case 'pointer':
    case 'any-pointer':
      return 'fine';
    case 'scan':
      return 'progressive';
    case 'display-mode':
      return 'browser';
    case 'update':
      return 'fast';
    case 'scripting':
      return 'enabled';
    default:
      return undefined;
  }
}

/** A feature's value as written, as a number comparable with featureValue's. */
function written(name: string, value: string): number | string | null {
  if (/aspect-ratio$/.test(name)) {
    const m = /^(\d*\.?\d+)(?:\/(\d*\.?\d+))?$/.exec(value);
    return m ? Number(m[1]) / Number(m[2] ?? 1) : null;
  }
  if (name.endsWith('resolution')) {
    const m = /^(\d*\.?\d+)(dppx|x|dpi|dpcm)$/.exec(value);
    if (!m) return null;
    const n = Number(m[1]);
    return m[2] === 'dpi' ? n / 96 : m[2] === 'dpcm' ? (n * 2.54) / 96 : n;
  }
  if (typeof featureValue(name) === 'number')
    return /^\d*\.?\d+$/.test(value) && !/width|height/.test(name) ? Number(value) : px(value);
  return value;
}

const compare = (a: number, op: string, b: number) =>
  op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : op === '>=' ? a >= b : a === b;

/** One `(feature: value)`, `(feature)` or `(feature op value)` condition. */
function condition(text: string): boolean | undefined {
  const t = text.replace(/\s+/g, '');
  const range = /^([a-z-]+)(<=|>=|<|>|=)(.+)$/.exec(t) ?? null;
  const reversed = range ? null : /^(.+?)(<=|>=|<|>|=)([a-z-]+)$/.exec(t);
  if (range || reversed) {
    const [name, op, value] = range
      ? [range[1] ?? '', range[2] ?? '', range[3] ?? '']
      : [
          reversed?.[3] ?? '',
          ({ '<': '>', '>': '<', '<=': '>=', '>=': '<=', '=': '=' } as Record<string, string>)[
            reversed?.[2] ?? ''
          ] ?? '',
          reversed?.[1] ?? '',
        ];
    const actual = featureValue(name);
    const wanted = written(name, value);
    return typeof actual === 'number' && typeof wanted === 'number' ? compare(actual, op, wanted) : undefined;
  }
  const m = /^(min-|max-)?([a-z-]+)(?::(.+))?$/.exec(t);
  if (!m) return undefined;
  const [, bound, name = '', value] = m;
  const actual = featureValue(
    bound === undefined && name.startsWith('-webkit-') ? name : name.replace(/^-webkit-(min-|max-)/, '$1'),
  );
  if (actual === undefined) return undefined;
  if (value === undefined) return actual !== 0 && actual !== 'none';
  const wanted = written(name, value);
  if (wanted === null) return undefined;
  if (typeof actual === 'string' || typeof wanted === 'string') return bound ? undefined : actual === wanted;
  return compare(actual, bound === 'min-' ? '>=' : bound === 'max-' ? '<=' : '=', wanted);
}

/** Three-valued and. */
const both = (a: boolean | undefined, b: boolean | undefined) =>
  a === false || b === false ? false : a === undefined || b === undefined ? undefined : true;

/** One media query of a list (`only screen and (min-width: 768px)`). */
function query(text: string): boolean | undefined {
  let t = text.trim().toLowerCase();
  if (t === '') return true;
  const not = /^not\s+/.test(t);
  t = t.replace(/^(?:not|only)\s+/, '');
  let result: boolean | undefined = true;
  for (const piece of t.split(/\s+and\s+/)) {
    const p = piece.trim();
    if (p.startsWith('(') && p.endsWith(')')) {
      const inner = p.slice(1, -1);
      result = both(result, /[()]|\bor\b|\bnot\b/.test(inner) ? undefined : condition(inner));
    } else if (p === 'screen' || p === 'all') result = both(result, true);
    else if (/^[a-z-]+$/.test(p)) result = both(result, false);
    else result = both(result, undefined);
  }
  return not && result !== undefined ? !result : result;
}

/** Whether a media query list applies on the screen assumed; undefined where it cannot be told. */
export function mediaApplies(list: string): boolean | undefined {
  let result: boolean | undefined = false;
  for (const one of list.split(',')) {
    const r = query(one);
    if (r === true) return true;
    if (r === undefined) result = undefined;
  }
  return result;
}
