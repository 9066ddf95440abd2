/**
 * Positioned text of a PDF page: the items pdfjs gives, the rows a page becomes, and how
 * items on one visual line, or wrapped inside one cell, are joined into text.
 */

export interface Item {
  text: string;
  /** Left end of the baseline, page coordinates (origin bottom-left). */
  x: number;
  y: number;
  /** Extent along the baseline, and font size. */
  width: number;
  size: number;
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

/** Joins items on one visual line, adding a space only where the gap is word-sized. */
export function joinLine(items: Item[]): string {
  let text = '';
  let end: number | null = null;
  for (const item of [...items].sort((a, b) => a.x - b.x)) {
    if (end !== null && item.x - end > item.size * 0.25 && !text.endsWith(' ')) text += ' ';
    text += item.text;
    end = item.x + item.width;
  }
  return text.replace(/\s+/g, ' ').trim();
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
  return { top: first.top, cells, text: cells.join('\t') };
}
