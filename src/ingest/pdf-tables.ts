/**
 * Ruled tables rebuilt from a page's rules: rules that touch form a table, its boundaries
 * give the grid, a missing rule between two slots means a merged cell, and each text item
 * goes to the cell that contains it.
 */
import { isFigureCell, type LaidOutCell, labelFillers, readableCells } from './lines.ts';
import { type Segment, TOLERANCE } from './pdf-rules.ts';
import { withStrikes } from './pdf-strikes.ts';
import { type CellColumns, cellText, centre, type Item, listAt, type Row } from './pdf-text.ts';
import { markLaidOver } from './pdf-watermarks.ts';
import { markMergedFigure, readCell } from './text.ts';

/** Distinct positions, within the tolerance, in ascending order. */
function cluster(values: number[]): number[] {
  const out: number[] = [];
  for (const v of [...values].sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last === undefined || v - last > TOLERANCE) out.push(v);
  }
  return out;
}

export interface Table {
  left: number;
  right: number;
  bottom: number;
  top: number;
  /** Column boundaries left to right; row boundaries top to bottom. */
  xs: number[];
  ys: number[];
  horizontal: Segment[];
  vertical: Segment[];
  /**
   * Whether the table runs on past the page's edge: its outer vertical rules reach beyond its
   * first (or last) horizontal rule, as where a browser splits a row between two pages and
   * draws no rule at the cut. The slot there is the part of the split row on this page.
   */
  openTop: boolean;
  openBottom: boolean;
  /**
   * Where the page cuts the table at its right edge, or null: every horizontal rule of its
   * height reaches on past its last vertical rule to one place, with no border there (a
   * browser printing a table wider than the paper). What stands past the last rule is cut off.
   */
  cutAt: number | null;
}

/**
 * Where the table's horizontal rules are cut past its last vertical rule at `right`: its top and
 * bottom rules, and every rule that goes on past `right`, end together by more than a rule's
 * wobble and enough to hold a figure further on, while its left side is closed by a rule at
 * `left`. Null otherwise: a rule overhanging its border, or a table drawn open at both sides
 * (左右不封口, its rules running on past its outer vertical rules at the left too).
 */
function cutPastRight(
  horizontal: Segment[],
  left: number,
  right: number,
  top: number,
  bottom: number,
): number | null {
  if (horizontal.some((h) => h.a < left - TOLERANCE * 3)) return null;
  const past = horizontal.filter((h) => h.b > right + TOLERANCE * 3);
  const edge = (at: number) => past.some((h) => Math.abs(h.at - at) <= TOLERANCE);
  if (!edge(top) || !edge(bottom)) return null;
  const ends = past.map((h) => h.b);
  const [lo, hi] = [Math.min(...ends), Math.max(...ends)];
  return hi - lo <= TOLERANCE && lo - right > TOLERANCE * 6 ? lo : null;
}

/**
 * How far past `edge` the table's outer vertical rules (at `left` and `right`) both reach, up
 * (`up`) or down: the nearer of the two ends, or null when either stops at the edge.
 */
function reachPast(
  vertical: Segment[],
  left: number,
  right: number,
  edge: number,
  up: boolean,
): number | null {
  const reach = (x: number) => {
    const ends = vertical.filter((v) => Math.abs(v.at - x) <= TOLERANCE).map((v) => (up ? v.b : v.a));
    return ends.length === 0 ? edge : up ? Math.max(...ends) : Math.min(...ends);
  };
  const [a, b] = [reach(left), reach(right)];
  // Past the edge by more than a rule's wobble and by enough to hold a line of text.
  const beyond = (end: number) => (up ? end - edge : edge - end) > TOLERANCE * 3;
  if (!beyond(a) || !beyond(b)) return null;
  return up ? Math.min(a, b) : Math.max(a, b);
}

/** Groups rules that touch into tables; a lone box or an underline is not a table. */
export function findTables(horizontal: Segment[], vertical: Segment[]): Table[] {
  const all = [...horizontal.map((s) => ({ s, h: true })), ...vertical.map((s) => ({ s, h: false }))];
  const parent = all.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      const up = parent[i] ?? i;
      parent[i] = parent[up] ?? up;
      i = up;
    }
    return i;
  };
  all.forEach((h, i) => {
    if (!h.h) return;
    all.forEach((v, j) => {
      if (v.h) return;
      const touches =
        v.s.at >= h.s.a - TOLERANCE &&
        v.s.at <= h.s.b + TOLERANCE &&
        h.s.at >= v.s.a - TOLERANCE &&
        h.s.at <= v.s.b + TOLERANCE;
      if (touches) parent[find(i)] = find(j);
    });
  });
  const groups = new Map<number, typeof all>();
  all.forEach((entry, i) => {
    const root = find(i);
    listAt(groups, root).push(entry);
  });
  const tables: Table[] = [];
  for (const group of groups.values()) {
    const hs = group.filter((g) => g.h).map((g) => g.s);
    const vs = group.filter((g) => !g.h).map((g) => g.s);
    const xs = cluster(vs.map((v) => v.at));
    const ys = cluster(hs.map((h) => h.at)).reverse();
    if (xs.length < 2 || ys.length < 2 || (xs.length - 1) * (ys.length - 1) < 2) continue;
    const [left, right] = [xs[0] ?? 0, xs.at(-1) ?? 0];
    const above = reachPast(vs, left, right, ys[0] ?? 0, true);
    const below = reachPast(vs, left, right, ys.at(-1) ?? 0, false);
    if (above !== null) ys.unshift(above);
    if (below !== null) ys.push(below);
    const cut = cutPastRight(hs, left, right, ys[0] ?? 0, ys.at(-1) ?? 0);
    tables.push({
      left,
      right,
      top: ys[0] ?? 0,
      bottom: ys.at(-1) ?? 0,
      xs,
      ys,
      horizontal: hs,
      vertical: vs,
      openTop: above !== null,
      openBottom: below !== null,
      cutAt: cut,
    });
  }
  return tables;
}

const covered = (rules: Segment[], at: number, point: number) =>
  rules.some((s) => Math.abs(s.at - at) <= TOLERANCE && point >= s.a - TOLERANCE && point <= s.b + TOLERANCE);

const slotOf = (boundaries: readonly number[], value: number, descending: boolean) => {
  for (let i = 0; i < boundaries.length - 1; i++) {
    const [a, b] = [boundaries[i] ?? 0, boundaries[i + 1] ?? 0];
    if (descending ? value <= a && value > b : value >= a && value < b) return i;
  }
  return -1;
};

/**
 * The table's row boundaries, without those whose rule does not run the table's width and
 * separates nothing: wherever it stands, the slots on both sides are empty. A browser splitting
 * a cell that spans rows at a page break draws such a rule under its part on the next page
 * (across 三、本年度办理结果 alone), which made one row two, its figures in both.
 */
function rowBoundaries(table: Table, items: readonly Item[]): number[] {
  const { xs, ys } = table;
  const filled = new Set<string>();
  for (const item of items) {
    const [cx, cy] = centre(item);
    filled.add(`${slotOf(ys, cy, true)},${slotOf(xs, cx, false)}`);
  }
  const separatesNothing = (r: number) => {
    let partial = false;
    for (let c = 0; c < xs.length - 1; c++) {
      const midX = ((xs[c] ?? 0) + (xs[c + 1] ?? 0)) / 2;
      if (!covered(table.horizontal, ys[r + 1] ?? 0, midX)) partial = true;
      else if (filled.has(`${r},${c}`) || filled.has(`${r + 1},${c}`)) return false;
    }
    return partial;
  };
  return ys.filter((_, i) => i === 0 || i === ys.length - 1 || !separatesNothing(i - 1));
}

/**
 * The table as a grid of slots between its boundaries. Slots with no rule between them
 * belong to one merged cell, whose text goes to its top-left slot.
 */
export function tableRows(
  table: Table,
  items: Item[],
  strikes: readonly Segment[] = [],
  laidOver: readonly Item[] = [],
): Row[] {
  const { xs } = table;
  const ys = rowBoundaries(table, items);
  const rowCount = ys.length - 1;
  const colCount = xs.length - 1;
  const id = (r: number, c: number) => r * colCount + c;
  const parent = Array.from({ length: rowCount * colCount }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] ?? i;
    return i;
  };
  const union = (i: number, j: number) => {
    const [a, b] = [find(i), find(j)];
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  };
  for (let r = 0; r < rowCount; r++) {
    const midY = ((ys[r] ?? 0) + (ys[r + 1] ?? 0)) / 2;
    for (let c = 0; c < colCount; c++) {
      const midX = ((xs[c] ?? 0) + (xs[c + 1] ?? 0)) / 2;
      if (c + 1 < colCount && !covered(table.vertical, xs[c + 1] ?? 0, midY)) union(id(r, c), id(r, c + 1));
      if (r + 1 < rowCount && !covered(table.horizontal, ys[r + 1] ?? 0, midX)) union(id(r, c), id(r + 1, c));
    }
  }
  const contents = new Map<number, Item[]>();
  for (const item of withStrikes(items, strikes).flatMap((i) => splitAtRules(i, xs, table.vertical))) {
    const [cx, cy] = centre(item);
    const r = slotOf(ys, cy, true);
    const c = slotOf(xs, cx, false);
    if (r < 0 || c < 0) continue;
    const cell = find(id(r, c));
    listAt(contents, cell).push(item);
  }
  const texts = new Map<number, string>();
  for (const [cell, list] of contents) texts.set(cell, cellText(list));
  markLaidOver(texts, laidOver, (x, y) => {
    const [r, c] = [slotOf(ys, y, true), slotOf(xs, x, false)];
    return r < 0 || c < 0 ? -1 : find(id(r, c));
  });
  const refused = figuresMergedDown(texts, extents(find, rowCount, colCount));
  // Each row's cells where they stand. As in HTML: a cell spanning several columns is one cell
  // (its other slots are dropped), a cell reaching down from the row above leaves an empty slot,
  // and a figure merged down over rows is in each of them, marked for the value reader to refuse.
  const laidOut: (LaidOutCell & { merged: boolean })[][] = [];
  const rightClosed: boolean[] = [];
  for (let r = 0; r < rowCount; r++) {
    const midY = ((ys[r] ?? 0) + (ys[r + 1] ?? 0)) / 2;
    /** Whether the cell starting at column c is closed by a rule on its right (a slot past a short row's end is not). */
    const closed = (c: number) => {
      let right = c;
      while (right + 1 < colCount && find(id(r, right + 1)) === find(id(r, c))) right++;
      return covered(table.vertical, xs[right + 1] ?? 0, midY);
    };
    const cells: (LaidOutCell & { merged: boolean })[] = [];
    let worded = false;
    for (let c = 0; c < colCount; c++) {
      if (!closed(c)) continue;
      const slot = id(r, c);
      const root = find(slot);
      if (root !== slot && root % colCount !== c) continue;
      const markedDown = refused.has(root);
      const own = texts.get(root) ?? '';
      const text = markedDown ? markMergedFigure(own) : root === slot ? own : '';
      let end = c + 1;
      while (end < colCount && find(id(r, end)) === root) end++;
      // Before the row's first words, a blank a cell of a row above reaches down into is that
      // cell's (a merged label's), not columns of its own.
      cells.push({ text, from: c, to: end, merged: root !== slot && !markedDown && !worded });
      worded ||= text !== '';
    }
    laidOut.push(cells);
    rightClosed.push(covered(table.vertical, xs[colCount] ?? 0, midY));
  }
  const fillers = labelFillers(laidOut);
  const columnsOf = (laid: readonly (LaidOutCell & { merged: boolean })[]): CellColumns => ({
    xs,
    edges: laid.map(({ from, to }): [number, number] => [xs[from] ?? 0, xs[to] ?? 0]),
    merged: laid.map((cell) => cell.merged),
  });
  const rows: Row[] = [];
  for (let r = 0; r < rowCount; r++) {
    const read = readableCells(laidOut[r] ?? [], fillers[r], (laid) => spansIn(columnsOf(laid), xs));
    const kept = read.cells;
    const cells = kept.map((cell) => cell.text);
    if (!cells.some((c) => c !== '')) continue;
    const row: Row = { top: ys[r] ?? 0, cells, text: cells.join('\t') };
    // Only a row closed at the table's right edge: one that stops short may have lost a cell
    // anywhere (a table drawn in a frame closes every row, and a lost cell's slot there is a
    // blank as printed).
    // A row whose blanks may be its label's or a column's is never split (readableCells): it gets
    // no columns, which would let a table going on from the page before split it.
    if (rightClosed[r] && read.split) {
      row.columns = columnsOf(kept);
      const spans = spansIn(row.columns, xs);
      if (spans) row.spans = spans;
    }
    if (r === 0 && table.openTop) row.split = 'continued';
    if (r === rowCount - 1 && table.openBottom) row.split = 'continues';
    rows.push(row);
  }
  return rows;
}

/** The rows and columns a merged cell covers, first to last. */
interface Extent {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Each cell's extent, by its root slot. */
function extents(find: (slot: number) => number, rowCount: number, colCount: number): Map<number, Extent> {
  const out = new Map<number, Extent>();
  for (let slot = 0; slot < rowCount * colCount; slot++) {
    const [r, c] = [Math.floor(slot / colCount), slot % colCount];
    const root = find(slot);
    const e = out.get(root);
    if (!e) out.set(root, { top: r, bottom: r, left: c, right: c });
    else {
      e.bottom = Math.max(e.bottom, r);
      e.left = Math.min(e.left, c);
      e.right = Math.max(e.right, c);
    }
  }
  return out;
}

/**
 * The cells merged down over several rows that hold a figure, or words in a column of figures
 * over rows of figures (not a header's, whose rows hold none): whose figure it is, each row's
 * or their total, cannot be told, and read on the top row it was stored there and the rows
 * below read blank (one 0 over the eight （三）不予公开 rows). A label merged down (三、本年度办理结果)
 * is in no column of figures, and a blank or a blank's mark (—) reads blank on each row as it is.
 */
function figuresMergedDown(
  texts: ReadonlyMap<number, string>,
  cells: ReadonlyMap<number, Extent>,
): Set<number> {
  const figuredColumns = new Set<number>();
  const figuredRows = new Set<number>();
  for (const [root, text] of texts) {
    const e = cells.get(root);
    if (!e || !isFigureCell(text)) continue;
    for (let c = e.left; c <= e.right; c++) figuredColumns.add(c);
    figuredRows.add(e.top);
  }
  const within = (set: Set<number>, from: number, to: number) => {
    for (let i = from; i <= to; i++) if (set.has(i)) return true;
    return false;
  };
  const refused = new Set<number>();
  for (const [root, text] of texts) {
    const e = cells.get(root);
    if (!e || e.bottom === e.top || text === '' || readCell(text).kind === 'not-reported') continue;
    const words = within(figuredColumns, e.left, e.right) && within(figuredRows, e.top, e.bottom);
    if (isFigureCell(text) || words) refused.add(root);
  }
  return refused;
}

/**
 * How many of the column boundaries `xs` each cell of a row spans, for its blank merged cells
 * (Line.blanksSplit): `xs` are its table's, or with those of the same table on the page before
 * (a table going on over a page break, whose rows there may all merge the same blank cells).
 * Null where no cell spans several.
 */
export function spansIn(columns: CellColumns, xs: readonly number[]): number[] | null {
  const inside = cluster([...xs]);
  const spans = columns.edges.map(([left, right], i) =>
    columns.merged[i] ? 1 : 1 + inside.filter((x) => x > left + TOLERANCE && x < right - TOLERANCE).length,
  );
  return spans.some((n) => n > 1) ? spans : null;
}

/**
 * Some PDF writers (Chromium's, for one) put neighbouring cells of a row in one text run:
 * "本年废止件数 现行有效件数" across a vertical rule. Such a run is cut where a rule crosses
 * it, at the space nearest the rule, else at the character the rule falls on (characters
 * taken as equally wide), so each cell keeps its own text.
 */
function splitAtRules(item: Item, xs: readonly number[], vertical: readonly Segment[]): Item[] {
  const y = item.y + item.size * 0.3;
  const rule = xs.find(
    (x) =>
      x > item.x + item.size * 0.5 &&
      x < item.x + item.width - item.size * 0.5 &&
      vertical.some((s) => Math.abs(s.at - x) <= TOLERANCE && y >= s.a - TOLERANCE && y <= s.b + TOLERANCE),
  );
  if (rule === undefined || item.text.length < 2) return [item];
  const perChar = item.width / item.text.length;
  const estimate = Math.round((rule - item.x) / perChar);
  const spaces = [...item.text.matchAll(/ +/g)].map((m) => m.index ?? 0);
  const cut =
    spaces.length > 0
      ? spaces.reduce((best, i) => (Math.abs(i - estimate) < Math.abs(best - estimate) ? i : best))
      : Math.min(Math.max(estimate, 1), item.text.length - 1);
  const left = { ...item, text: item.text.slice(0, cut).trimEnd(), width: cut * perChar };
  const rest = item.text.slice(cut);
  const skipped = rest.length - rest.trimStart().length;
  const right = {
    ...item,
    text: rest.trimStart(),
    x: item.x + (cut + skipped) * perChar,
    width: item.width - (cut + skipped) * perChar,
  };
  return [left, ...splitAtRules(right, xs, vertical)].filter((i) => i.text !== '');
}
