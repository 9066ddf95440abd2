/**
 * Whether an inline piece of a page is shown off its line, as a footnote mark is: 441 and a
 * smaller 1 at the line's top (vertical-align: top) or moved up half a line (position: relative;
 * top: -0.5em) is 441 and a mark, never 4411. A browser moves text so by vertical-align super,
 * sub or a length (always a mark: html-hidden.ts), by top, text-top, bottom and text-bottom (which
 * move only text smaller than its line's), and by a relative offset; baseline-shift asks for it
 * though browsers apply it to SVG only. A piece of the line's own size nudged a pixel or two (a
 * CMS aligning a figure) is on its line: it reads.
 */
import type { Declarations } from './html-css.ts';

/** What a browser takes a page's font size to be where nothing sets it, in px. */
export const DEFAULT_FONT_PX = 16;

/** Keyword sizes in px, as browsers compute them from the default 16px. */
const KEYWORD_PX: Readonly<Record<string, number>> = {
  'xx-small': 9,
  'x-small': 10,
  small: 13,
  medium: 16,
  large: 18,
  'x-large': 24,
  'xx-large': 32,
  'xxx-large': 48,
};
/** Absolute units in px. */
const UNIT_PX: Readonly<Record<string, number>> = {
  px: 1,
  pt: 4 / 3,
  pc: 16,
  in: 96,
  cm: 96 / 2.54,
  mm: 96 / 25.4,
  q: 96 / 101.6,
};
/** Units relative to the parent's size (ex and ch taken as half of it, as fonts have them). */
const PARENT_UNIT: Readonly<Record<string, number>> = { em: 1, '%': 0.01, ex: 0.5, ch: 0.5 };

/**
 * How a declared size hides: `zero` (nothing painted), `absolute` (px, pt, rem, a keyword:
 * shown again inside a zero-size parent, the usual way to close gaps between inline blocks) or
 * `relative` (em, %, smaller: a share of the parent's size, so zero inside zero).
 */
export function sizeKind(value: string): 'zero' | 'absolute' | 'relative' {
  if (/^[0.]+[a-z%]*$/.test(value)) return 'zero';
  return /^[\d.]+(?:em|ex|ch|%)$/.test(value) || ['smaller', 'larger', 'inherit'].includes(value)
    ? 'relative'
    : 'absolute';
}

/**
 * A length in px: `of` is what em and % are shares of (the parent's size for a font size, the
 * piece's own for an offset). Null where it cannot be told (calc(), var(), % of a box's height).
 */
function lengthPx(value: string, of: number | null, root: number): number | null {
  const m = /^(-?\d*\.?\d+)([a-z]*|%)$/.exec(value);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  if (unit === '') return n === 0 ? 0 : null;
  if (unit === 'rem') return n * root;
  const absolute = UNIT_PX[unit];
  if (absolute !== undefined) return n * absolute;
  const share = PARENT_UNIT[unit];
  return share !== undefined && of !== null ? n * share * of : null;
}

/** An element's font size in px from its declared one and its parent's; null where unknown. */
export function fontSizePx(declared: string | undefined, parent: number | null, root: number): number | null {
  if (declared === undefined || declared === 'inherit' || declared === 'unset') return parent;
  if (declared === 'initial') return DEFAULT_FONT_PX;
  const keyword = KEYWORD_PX[declared];
  if (keyword !== undefined) return keyword;
  if (declared === 'smaller') return parent === null ? null : parent / 1.2;
  if (declared === 'larger') return parent === null ? null : parent * 1.2;
  return lengthPx(declared, parent, root);
}

/**
 * Font sizes that tags give (a browser's own stylesheet and <font size>), declared as a page
 * would declare them: <small> is smaller than the figure before it.
 */
const TAG_SIZE: Readonly<Record<string, string>> = {
  small: 'smaller',
  big: 'larger',
  sup: 'smaller',
  sub: 'smaller',
  h1: '2em',
  h2: '1.5em',
  h3: '1.17em',
  h5: '.83em',
  h6: '.67em',
};
const FONT_SIZE_ATTRIBUTE = ['x-small', 'small', 'medium', 'large', 'x-large', 'xx-large', 'xxx-large'];

/** The font size a tag gives, or its <font size="1..7" / "+1" / "-2">. */
export function tagFontSize(tag: string, sizeAttribute: string | undefined): string | undefined {
  if (tag !== 'font') return TAG_SIZE[tag];
  const m = /^\s*([+-]?)(\d+)/.exec(sizeAttribute ?? '');
  if (!m) return undefined;
  const n = Number(m[2]);
  const level = m[1] === '+' ? 3 + n : m[1] === '-' ? 3 - n : n;
  return FONT_SIZE_ATTRIBUTE[Math.min(7, Math.max(1, level)) - 1];
}

/** A move of a piece of its line's size within this many px is a nudge: the piece is on its line. */
const NUDGE_PX = 2;
/** Sizes within this many px are one size (rounding of pt and em). */
const SAME_SIZE_PX = 0.25;

export interface Sizes {
  /** The piece's own font size, its parent's and its block's (whose line the piece is on), in px. */
  own: number | null;
  parent: number | null;
  block: number | null;
  root: number;
}

/**
 * Whether an inline piece with these winning declarations is shown off its line. A size that
 * cannot be told is taken as smaller: the piece is refused as a mark rather than read as digits.
 */
export function isRaised(
  winning: (property: keyof Declarations) => string | undefined,
  sizes: Sizes,
): boolean {
  if (winning('raised') === 'yes' || winning('shift') === 'yes') return true;
  const { own, parent, block } = sizes;
  const smaller =
    own === null ||
    parent === null ||
    own < parent - SAME_SIZE_PX ||
    (block !== null && own < block - SAME_SIZE_PX);
  if (winning('raised') === 'edge' && smaller) return true;
  // A transform moves an inline block (a plain inline piece it leaves where it is).
  if (/^inline-(?:block|flex|grid|table)$/.test(winning('display') ?? '')) {
    for (const move of [winning('transform'), winning('translate')]) {
      if (move === undefined || move === '0') continue;
      const px = move === '?' ? null : lengthPx(move, own, sizes.root);
      if (px !== 0 && (px === null || smaller || Math.abs(px) > NUDGE_PX)) return true;
    }
  }
  const position = winning('position');
  const top = winning('top');
  const bottom = winning('bottom');
  const set = (v: string | undefined) => v !== undefined && v !== 'auto' && v !== 'initial' && v !== 'unset';
  if (position === 'absolute' || position === 'fixed') return set(top) || set(bottom);
  if (position !== 'relative') return false;
  // top wins over bottom where both are set.
  const offset = set(top) ? top : set(bottom) ? bottom : undefined;
  if (offset === undefined) return false;
  const px = lengthPx(offset, own, sizes.root);
  if (px === 0) return false;
  return px === null || smaller || Math.abs(px) > NUDGE_PX;
}
