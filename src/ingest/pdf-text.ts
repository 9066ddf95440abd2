/**
 * Positioned text of a PDF page: the items pdfjs gives, the rows a page becomes, and how
 * items on one visual line, or wrapped inside one cell, are joined into text.
 */

import { lineOverlaps, overlapWhy } from './pdf-overlaps.ts';
import { markedUnseen } from './unseen-text.ts';

/** Where a ruled table row's cells stand among its table's column boundaries. */
export interface CellColumns {
  /** The table's column boundaries, left to right. */
  xs: readonly number[];
  /** Each cell's left and right boundary. */
  edges: [number, number][];
  /** Each cell: the slot of a merged label reaching down from a row above, never split. */
  merged: boolean[];
}

export interface Item {
  text: string;
  /** Left end of the baseline, page coordinates (origin bottom-left). */
  x: number;
  y: number;
  /** Extent along the baseline, and font size. */
  width: number;
  size: number;
  /** Crossed by a line through its middle (pdf-strikes.ts). */
  struck?: true;
  /** Drawn so that whether a reader sees it cannot be told (pdf-unseen.ts). */
  unsure?: true;
  /** Why, where it is not its colour: what is drawn over it (pdf-covers.ts). */
  why?: string;
  /** Its baseline's slant (radians, counter-clockwise); none where it runs left to right. */
  rotation?: number;
}

export interface Row {
  /** Top edge, for ordering with the rest of the page. */
  top: number;
  cells: string[] | null;
  text: string;
  /** Text lines only: where the line starts and ends, and its font size. */
  left?: number;
  right?: number;
  size?: number;
  /**
   * A table row a page break cut in two: the part at the foot of a page (`continues`) or at
   * the head of the next (`continued`); joined back into one by TablesAcrossPages.
   */
  split?: 'continues' | 'continued';
  /**
   * Table rows only: how many ruled columns each cell spans, where the row's blank merged cells
   * may be read one per column (Line.blanksSplit).
   */
  spans?: number[];
  /** Ruled table rows closed at the table's right edge: where its cells stand (pdf-tables.ts spansIn). */
  columns?: CellColumns;
  /** Table rows only: which of the page's ruled tables the row is in. */
  table?: number;
  /** Width of a Latin word (a URL, an e-mail address) that starts the line and did not fit on the previous one. */
  leadingWord?: number;
}

/** Centre of an item's box; the baseline sits about a quarter of the size below it. */
/** The largest of `value` over `list` (Math.max(...list) overflows the stack past about 100,000 values). */
export const largest = <T>(list: readonly T[], value: (x: T) => number): number =>
  list.reduce((most, x) => Math.max(most, value(x)), Number.NEGATIVE_INFINITY);

/** The smallest of `value` over `list`. */
export const smallest = <T>(list: readonly T[], value: (x: T) => number): number =>
  list.reduce((least, x) => Math.min(least, value(x)), Number.POSITIVE_INFINITY);

/** The list kept under `key`, made on first use (copying it on every addition is quadratic). */
export function listAt<K, V>(map: Map<K, V[]>, key: K): V[] {
  const list = map.get(key);
  if (list) return list;
  const made: V[] = [];
  map.set(key, made);
  return made;
}

export const centre = (item: Item): [number, number] => [item.x + item.width / 2, item.y + item.size * 0.3];

export const isCjk = (c: string | undefined) =>
  c !== undefined && /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(c);

/** Why text is marked unseen (unseen-text.ts) on a PDF page: its cell is refused saying so. */
const UNSURE_WHY =
  'it is drawn in a colour barely apart from what is behind it, or in white where a picture may be behind it';

/**
 * Joins items on one visual line, adding a space only where the gap is word-sized. A footnote
 * mark set as a smaller or raised (lowered) digit right after a figure (4481¹, Word's
 * superscript) is kept apart in brackets, 4481[1], as the web-page reader keeps a <sup>, so that
 * it is refused with its cell, never read as one more digit of the figure.
 */
export function joinLine(items: Item[]): string {
  // Text drawn over other text is refused, never joined on as if it followed (pdf-overlaps.ts).
  const { items: sorted, over } = lineOverlaps([...items].sort((a, b) => a.x - b.x));
  const overlaid: string[] = [];
  const marks = marksBetweenDigits(sorted);
  let text = '';
  let end: number | null = null;
  for (const item of sorted) {
    if (end !== null && item.x - end > item.size * 0.25 && !text.endsWith(' ')) text += ' ';
    const under = over.get(item);
    if (under !== undefined) {
      text += `\uE000${overlaid.length}\uE000`;
      overlaid.push(markedUnseen(item.text.trim(), overlapWhy(under)));
    } else if (marks.has(item)) text += `[${item.text.trim()}]`;
    // Pieces one after the other are one marked run: ⟦2⟧⟦3⟧ is ⟦23⟧, given its reason below.
    else if (item.unsure && item.why) text = withMarked(text, item.text.trim(), item.why);
    else if (item.unsure) text += `⟦${item.text.trim()}⟧`;
    else text += item.struck ? `~~${item.text.trim()}~~` : item.text;
    end = item.x + item.width;
  }
  // Struck text is shown as Markdown shows it (~~4480~~4481), which no cell reads as a figure;
  // pieces struck one after the other are one struck run.
  return text
    .replace(/~~~~/g, '')
    .replaceAll('⟧⟦', '')
    .replace(/⟦([^⟧‖]*)⟧/g, (_, piece: string) => markedUnseen(piece, UNSURE_WHY))
    .replace(/\uE000(\d+)\uE000/g, (_, n: string) => overlaid[Number(n)] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `text` with `piece` marked unseen for `why` after it, one run with a piece just before marked for the same. */
function withMarked(text: string, piece: string, why: string): string {
  const tail = markedUnseen('', why).slice(1);
  return text.endsWith(tail)
    ? `${text.slice(0, -tail.length)}${piece}${tail}`
    : text + markedUnseen(piece, why);
}

/**
 * A smaller size than its neighbour's (Word sets a superscript at about 2/3 of the size), or a
 * baseline shifted by more than this share of the size (a raised digit of the same size), is not
 * the same run of text. pdf.js cuts one run into several items at the same size and baseline,
 * give or take a rounding; a figure and its label may differ in size, but never join digit to digit.
 */
const MARK_SIZE = 0.85;
const MARK_SHIFT = 0.15;
const ENDS_IN_DIGIT = /[0-9０-９]\s*$/;
const STARTS_WITH_DIGIT = /^\s*[0-9０-９]/;

/** Items, in order along the line, that are set off from a neighbour they would join digit to digit. */
function marksBetweenDigits(sorted: readonly Item[]): Set<Item> {
  const marks = new Set<Item>();
  // The line's own baseline: that of its largest, then longest, text.
  let main: Item | undefined;
  for (const item of sorted) {
    if (!main || item.size > main.size || (item.size === main.size && item.text.length > main.text.length))
      main = item;
  }
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    if (!a || !b || !main || !ENDS_IN_DIGIT.test(a.text) || !STARTS_WITH_DIGIT.test(b.text)) continue;
    const size = Math.max(a.size, b.size);
    if (Math.min(a.size, b.size) < size * MARK_SIZE) marks.add(a.size < b.size ? a : b);
    else if (Math.abs(a.y - b.y) > size * MARK_SHIFT)
      marks.add(Math.abs(a.y - main.y) > Math.abs(b.y - main.y) ? a : b);
  }
  return marks;
}

/** Items grouped into visual lines, top to bottom. */
export function visualLines(items: Item[]): Item[][] {
  const lines: { y: number; size: number; items: Item[] }[] = [];
  for (const item of [...items].sort((a, b) => b.y - a.y || a.x - b.x)) {
    const line = lines.find((l) => Math.abs(l.y - item.y) <= Math.max(l.size, item.size) * 0.4);
    if (line) line.items.push(item);
    else lines.push({ y: item.y, size: item.size, items: [item] });
  }
  return lines.sort((a, b) => b.y - a.y).map((l) => l.items);
}

/** Text wrapped onto a second line, joined to the first: no space between CJK text. */
export const joinWrapped = (text: string, next: string) =>
  text && next && !(isCjk(text.at(-1)) || isCjk(next[0])) ? `${text} ${next}` : text + next;

/** Text of one cell: its visual lines joined, without a space between wrapped CJK text. */
export function cellText(items: Item[]): string {
  let text = '';
  for (const line of visualLines(items)) text = joinWrapped(text, joinLine(line));
  return text;
}

/**
 * The two parts of a table row that a page break cut, as one row: each cell's text on the
 * second page is the continuation of the same cell's on the first, joined as a cell's wrapped
 * lines are (so two numbers never run together into one). Null where the rows have other
 * cells, or where a column has digits in both parts (two figures, not one cut).
 */
export function joinSplitRow(first: Row, second: Row): Row | null {
  if (!first.cells || !second.cells || first.cells.length !== second.cells.length) return null;
  const digit = /[0-9０-９]/;
  if (first.cells.some((text, i) => digit.test(text) && digit.test(second.cells?.[i] ?? ''))) return null;
  const cells = first.cells.map((text, i) => joinWrapped(text, second.cells?.[i] ?? ''));
  const row: Row = { top: first.top, cells, text: cells.join('\t') };
  // Both parts are the one row's cells: their merged blanks are the same, if both could tell.
  if (first.spans && second.spans?.every((n, i) => n === first.spans?.[i])) row.spans = first.spans;
  return row;
}

/**
 * How close, in font sizes, a glyph drawn again must be to the first to be the same glyph seen
 * once. Tools embolden a font that has no bold face ("fake bold") by drawing the text again
 * 0.3 to 1 pt to the right (and sometimes up): 0.02 to 0.1 of a 10–16 pt size; overprinting
 * draws it at the very same spot. A figure in the next column is tens of points away, and the
 * next digit of a number half a size (a digit is about half a size wide in the fonts reports use).
 */
const OVERPRINT = 0.2;
/** Sizes within 2% are one size (fake bold draws again in the same font at the same size). */
const SAME_SIZE = 0.02;

interface Glyph {
  x: number;
  y: number;
  size: number;
  item: number;
}

const sameSpot = (a: Glyph, b: Glyph) => {
  const size = Math.max(a.size, b.size);
  return (
    Math.abs(a.size - b.size) <= size * SAME_SIZE &&
    Math.abs(a.x - b.x) <= OVERPRINT * size &&
    Math.abs(a.y - b.y) <= OVERPRINT * size
  );
};

/** Size classes are 25% apart (of the least size in each). */
const SIZE_CLASS = Math.log(1.25);
const classOf = (size: number) => Math.floor(Math.log(size) / SIZE_CLASS);

/**
 * Glyphs kept so far, by character and size class, then by square, so a glyph is looked for
 * in the few squares around it, never against the whole page. A square is 0.6 of its class's
 * least size across, more than twice OVERPRINT of any size in the class: the glyphs close
 * enough to one are in at most two classes, two squares across and two up.
 */
class GlyphGrid {
  private readonly classes = new Map<string, Map<number, Glyph[]>>();

  /** Whether a glyph of another item is already drawn where `glyph` (character `c`) is. */
  drawnOver(c: string, glyph: Glyph): boolean {
    // The sizes that are the same as the glyph's, and how far a glyph of the largest reaches.
    const high = glyph.size / (1 - SAME_SIZE);
    const reach = OVERPRINT * high;
    const last = classOf(high);
    for (let sizeClass = classOf(glyph.size * (1 - SAME_SIZE)); sizeClass <= last; sizeClass++) {
      const squares = this.classes.get(`${c} ${sizeClass}`);
      if (!squares) continue;
      const unit = squareOf(sizeClass);
      const i0 = Math.floor((glyph.x - reach) / unit);
      const i1 = Math.floor((glyph.x + reach) / unit);
      const j0 = Math.floor((glyph.y - reach) / unit);
      const j1 = Math.floor((glyph.y + reach) / unit);
      // One square or the next across and up; none where coordinates are not numbers.
      for (let di = 0; di <= Math.min(1, i1 - i0); di++) {
        for (let dj = 0; dj <= Math.min(1, j1 - j0); dj++) {
          const near = squares.get(squareKey(i0 + di, j0 + dj));
          if (near?.some((g) => g.item !== glyph.item && sameSpot(g, glyph))) return true;
        }
      }
    }
    return false;
  }

  add(c: string, glyph: Glyph): void {
    const sizeClass = classOf(glyph.size);
    const unit = squareOf(sizeClass);
    const key = squareKey(Math.floor(glyph.x / unit), Math.floor(glyph.y / unit));
    const name = `${c} ${sizeClass}`;
    const squares = this.classes.get(name) ?? new Map<number, Glyph[]>();
    this.classes.set(name, squares);
    const list = listAt(squares, key);
    // Glyphs of different items this close are drawn over each other, and only the first is
    // kept: a square fills only with one item's glyphs squeezed together, and a few of those
    // suffice. This also bounds the work where squares share a key (a page made to fill one).
    if (list.length < 8) list.push(glyph);
  }
}

/**
 * One number for a square. Squares 65,536 apart (a page is a few thousand across), or at
 * coordinates too large to count squares in, can share one: glyphs there are still compared
 * by position, so only the work grows, and the cap of 8 above bounds it.
 */
const squareKey = (i: number, j: number) => (i % 65536) * 65536 + (j % 65536);

const squareOf = (sizeClass: number) => 0.6 * Math.exp(sizeClass * SIZE_CLASS);

/**
 * The page's text as a reader sees it: a glyph drawn again over the same glyph (the same
 * character, the same size, within OVERPRINT of a size across and up) is read once. Without
 * this a bold 26, drawn as 26 and again as 26 0.3 pt to the right, is read as 2626.
 *
 * Compared glyph by glyph, not item by item, because pdf.js cuts text drawn twice character by
 * character (2 at x, 2 at x+0.3, 6 at x+7, 6 at x+7.3) into overlapping items: "2", "26", "6".
 * A glyph's position in an item is estimated by spreading the item's width evenly: exact for
 * CJK text and digits, whose glyphs have one width. Glyphs of one item are never compared
 * with each other: pdf.js starts a new item when the pen moves back more than 0.2 of a size,
 * so one item's glyphs follow each other. Only identical characters are merged, so two
 * different figures never become one. The first drawing is kept; an item some of whose glyphs
 * were drawn over others is cut into the runs of glyphs left. Other items are returned as
 * they are.
 */
export function withoutOverprints(items: Item[]): Item[] {
  const grid = new GlyphGrid();
  const out: Item[] = [];
  items.forEach((item, index) => {
    const chars = Array.from(item.text);
    const step = item.width / Math.max(1, chars.length);
    const size = Math.abs(item.size);
    if (!(size > 0 && Number.isFinite(size))) {
      out.push(item);
      return;
    }
    const dropped = chars.map((c, i) => {
      if (c.trim() === '') return false;
      const glyph = { x: item.x + i * step, y: item.y, size, item: index };
      if (grid.drawnOver(c, glyph)) return true;
      grid.add(c, glyph);
      return false;
    });
    if (!dropped.includes(true)) {
      out.push(item);
      return;
    }
    for (let start = 0; start < chars.length; ) {
      let end = start;
      while (end < chars.length && !dropped[end]) end++;
      const text = chars.slice(start, end).join('');
      if (text.trim() !== '')
        out.push({ ...item, text, x: item.x + start * step, width: (end - start) * step });
      start = end + 1;
    }
  });
  return out;
}
