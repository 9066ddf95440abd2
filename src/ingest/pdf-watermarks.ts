/**
 * Text laid over a ruled table that is none of its cells' text: a watermark ("2025", a download
 * date, a document number) set large, faint or on a slant across the page. pdf.js gives it as one
 * item like any other, placed here by where it starts; cut at the table's rules (splitAtRules) it
 * became figures in the cells it crossed: a faint diagonal 20250121 over two blank cells read as
 * 2025 and 121, a large 2025 as 20 and 5, a grey 2 set over a 524 as 2524.
 *
 * Such an item is never a cell's figure. Which cells a reader takes its digits to be in, and
 * whether any, cannot be told exactly, so it is not placed in a cell at all: every cell of
 * figures (or blank) it crosses holds it marked, and is refused naming it (unseen-text.ts), and
 * a cell of words it crosses reads its words as printed (a watermark's digits make no figure of a
 * label). Text of the table's own size that is upright is placed as before, and text without a
 * digit too: a rotated label (a narrow header set on its side) stays its cell's words.
 */
import { isFigureCell } from './lines.ts';
import type { Item } from './pdf-text.ts';
import { markedUnseen } from './unseen-text.ts';

/** Text over this many times the table's usual size is no cell's text (headers run to 1.8 times). */
const LARGER = 2;
const DIGIT = /[0-9０-９]/;

/** Why a cell a watermark crosses is refused (unseen-text.ts gives "… cannot be told, as <why>"). */
const WHY = 'a watermark or rotated text crosses the table over this cell, not printed as one of its figures';

/** The usual size of a table's upright text: the median, so a few large headers do not move it. */
function usualSize(items: readonly Item[]): number {
  const sizes = items
    .filter((i) => i.rotation === undefined)
    .map((i) => Math.abs(i.size))
    .sort((a, b) => a - b);
  return sizes[Math.floor(sizes.length / 2)] ?? Number.POSITIVE_INFINITY;
}

/** Whether an item is laid over the table rather than printed in it: digits, set on a slant or far larger. */
const isLaidOver = (item: Item, usual: number) =>
  DIGIT.test(item.text) && (item.rotation !== undefined || Math.abs(item.size) > usual * LARGER);

/**
 * Points over the item's glyphs, in page coordinates: along its baseline, a quarter of its size
 * apart, at three heights within a line of its text. A slanted item's points follow its slant.
 */
export function pointsOver(item: Item): [number, number][] {
  const size = Math.abs(item.size);
  const angle = item.rotation ?? 0;
  const [ux, uy] = [Math.cos(angle), Math.sin(angle)];
  const step = Math.max(size / 4, 0.5);
  const points: [number, number][] = [];
  // At most 400 points an item: a page's size over a quarter of the least size a table holds.
  const count = Math.min(400, Math.ceil(Math.abs(item.width) / step));
  for (let k = 0; k <= count; k++) {
    const t = (k * Math.abs(item.width)) / Math.max(1, count);
    for (const h of [0.1, 0.4, 0.7]) {
      points.push([item.x + t * ux - h * size * uy, item.y + t * uy + h * size * ux]);
    }
  }
  return points;
}

/** A box around an item's points: left, bottom, right, top. */
function boxOf(item: Item): [number, number, number, number] {
  const points = pointsOver(item);
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

interface Area {
  left: number;
  right: number;
  bottom: number;
  top: number;
}

/**
 * The items laid over each table (by the items placed in it by their centre, and the page's
 * other items whose glyphs reach into it), taken out of the lists they were in: `byTable` and
 * `loose` are changed. An item laid over no table stays where it was (a watermark in a page's
 * margin is read as the text it is, outside any table).
 */
export function takeLaidOver<T extends Area>(
  tables: readonly T[],
  byTable: Map<T, Item[]>,
  loose: Item[],
): Map<T, Item[]> {
  const over = new Map<T, Item[]>();
  const usual = new Map(tables.map((t) => [t, usualSize(byTable.get(t) ?? [])]));
  const add = (table: T, item: Item) => {
    const list = over.get(table) ?? [];
    list.push(item);
    over.set(table, list);
  };
  for (const table of tables) {
    const items = byTable.get(table) ?? [];
    const size = usual.get(table) ?? Number.POSITIVE_INFINITY;
    const kept = items.filter((item) => !isLaidOver(item, size));
    if (kept.length === items.length) continue;
    for (const item of items) if (isLaidOver(item, size)) add(table, item);
    byTable.set(table, kept);
  }
  const stays = loose.filter((item) => {
    if (!DIGIT.test(item.text)) return true;
    const [left, bottom, right, top] = boxOf(item);
    const crossed = tables.filter(
      (t) =>
        isLaidOver(item, usual.get(t) ?? Number.POSITIVE_INFINITY) &&
        left < t.right &&
        right > t.left &&
        bottom < t.top &&
        top > t.bottom,
    );
    for (const table of crossed) add(table, item);
    return crossed.length === 0;
  });
  loose.splice(0, loose.length, ...stays);
  return over;
}

/**
 * The cells' texts with the items laid over the table marked in each cell of figures (or blank)
 * they cross. `cellAt` gives the cell (its root slot) a point of the page is in, or -1.
 */
export function markLaidOver(
  texts: Map<number, string>,
  laidOver: readonly Item[],
  cellAt: (x: number, y: number) => number,
): void {
  for (const item of laidOver) {
    const cells = new Set<number>();
    for (const [x, y] of pointsOver(item)) {
      const cell = cellAt(x, y);
      if (cell >= 0) cells.add(cell);
    }
    for (const cell of cells) {
      const own = texts.get(cell) ?? '';
      if (own !== '' && !isFigureCell(own)) continue;
      texts.set(cell, own + markedUnseen(item.text.trim(), WHY));
    }
  }
}
