/**
 * Whether an inline piece of a page is shown off its line, as a footnote mark is: 441 and a
 * smaller 1 at the line's top (vertical-align: top) or moved up half a line (position: relative;
 * top: -0.5em) is 441 and a mark, never 4411. A browser moves text so by vertical-align super,
 * sub or a length (always a mark: html-hidden.ts), by top, text-top, bottom and text-bottom (which
 * move only text smaller than its line's), and by a relative offset; baseline-shift asks for it
 * though browsers apply it to SVG only, and Word's mso-text-raise though only Word applies it.
 * The piece is compared with the text just before it on its line, the figure a mark follows,
 * never with its paragraph's size: Word sets every run 9pt in 10.5pt paragraphs and raises
 * every run of a cell alike, and 12 and 68 so set read 1268. A piece of that text's size moved
 * with it or a pixel or two off it (a CMS aligning a figure) is on its line: it reads.
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
/** CSS px in each absolute unit of length. */
export const UNIT_PX: Readonly<Record<string, number>> = {
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

/** A move of a piece within this many px of the text before it is a nudge: the piece is on its line. */
const NUDGE_PX = 2;
/** Sizes within this many px are one size (rounding of pt and em). */
const SAME_SIZE_PX = 0.25;
/** Moves within this many px are one (the rounding of pt to px: 10.5pt less 9pt is 2px). */
const SAME_MOVE_PX = 0.01;

/** Where shown text sits: its font size, and how far its baseline is raised above its line's (px; null where unknown). */
export interface Placement {
  size: number | null;
  rise: number | null;
}

export interface Sizes {
  /** The piece's own font size, its parent's and its block's (whose line the piece is on), in px. */
  own: number | null;
  parent: number | null;
  block: number | null;
  root: number;
  /** How far the parent's baseline is raised above the line's, in px (null where unknown). */
  parentRise: number | null;
  /** The shown text just before the piece on its line (the figure a mark follows); null where the piece opens its line. */
  before: Placement | null;
}

/**
 * How an inline piece with these winning declarations is placed: its baseline's rise above its
 * line's, and whether it is shown off its line, as a mark is. A piece is off its line only where
 * it is moved relative to the text just before it (the figure it follows): by more than a nudge,
 * or at all where it is smaller than that text. A piece raised the same as the figure before it
 * and of its size is more of the figure (Word raises every run of a cell half a point), whatever
 * the paragraph's size; a piece opening its line is compared with the line itself. A piece at
 * the line's top or bottom is taken to move by the whole difference of its size and the line's,
 * the most a font moves it; a size or move that cannot be told is taken as a move.
 */
export function placePiece(
  winning: (property: keyof Declarations) => string | undefined,
  sizes: Sizes,
): { rise: number | null; raised: boolean } {
  if (winning('raised') === 'yes' || winning('shift') === 'yes') return { rise: null, raised: true };
  const { own, parent, block, root } = sizes;
  const position = winning('position');
  const set = (v: string | undefined) => v !== undefined && v !== 'auto' && v !== 'initial' && v !== 'unset';
  // top wins over bottom where both are set.
  const offset = set(winning('top')) ? 'top' : set(winning('bottom')) ? 'bottom' : undefined;
  if ((position === 'absolute' || position === 'fixed') && offset) return { rise: null, raised: true };
  const before: Placement = sizes.before ?? {
    size: parent === null ? null : Math.max(parent, block ?? 0),
    rise: sizes.parentRise,
  };
  let moved = false;
  let rise = sizes.parentRise;
  const move = (px: number | null) => {
    if (px === 0) return;
    moved = true;
    rise = rise === null || px === null ? null : rise + px;
  };
  // At an edge: the line's (the tallest text on it, at least the block's size) or the parent's.
  const edge = winning('raised');
  if (edge !== undefined && edge !== 'no') {
    const line = edge.startsWith('text-')
      ? parent
      : before.size === null || block === null
        ? null
        : Math.max(block, before.size);
    const gap = line === null || own === null ? null : Math.max(0, line - own);
    moved = true;
    if (!edge.startsWith('text-')) rise = 0;
    move(gap === null ? null : edge.endsWith('top') ? gap : -gap);
  }
  if (position === 'relative' && offset) {
    const px = lengthPx(winning(offset) ?? '', own, root);
    move(px === null ? null : offset === 'top' ? -px : px);
  } else if (winning('textRaise') !== undefined) move(lengthPx(winning('textRaise') ?? '', own, root));
  // A transform moves an inline block (a plain inline piece it leaves where it is).
  if (/^inline-(?:block|flex|grid|table)$/.test(winning('display') ?? '')) {
    for (const shift of [winning('transform'), winning('translate')]) {
      if (shift === undefined || shift === '0') continue;
      const px = shift === '?' ? null : lengthPx(shift, own, root);
      move(px === null ? null : -px);
    }
  }
  if (!moved) return { rise, raised: false };
  if (rise === null || before.rise === null) return { rise, raised: true };
  const apart = Math.abs(rise - before.rise);
  const smaller = own === null || before.size === null || own < before.size - SAME_SIZE_PX;
  return { rise, raised: apart > NUDGE_PX + SAME_MOVE_PX || (smaller && apart > SAME_MOVE_PX) };
}
