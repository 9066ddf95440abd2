/**
 * Lines drawn along text rather than around cells: underlines, and strikes through a cell's
 * text (the old figure of a correction, `<del>4480</del>4481`, Word's tracked deletion). Read
 * as printed, 4480 and 4481 ran together into 44804481, and 398 with a struck 7 into 3987; and a
 * line under or through text that started at a cell's rule (left-aligned text, little padding)
 * was taken for a rule of the table, splitting its row in two.
 */
import { type Segment, TOLERANCE } from './pdf-rules.ts';
import { type Item, largest, listAt } from './pdf-text.ts';

/**
 * Where a line along text runs, in font sizes above the baseline: an underline a little below
 * it, a strike through the body of the glyphs (digits and CJK text stand from the baseline to
 * about 0.7 and 0.85 of the size), never over their tops, where the rule of a cell above is.
 */
const UNDERLINE_LOW = -0.35;
const STRIKE_LOW = 0.1;
const STRIKE_HIGH = 0.65;
/** How far, in font sizes, a line along text may run past its ends (an underlined space). */
const ALONG_SLACK = 0.3;
/** How far, in font sizes, a line must run into text to strike it (a digit is about half a size wide). */
const TOUCH = 0.1;

/** Whether a horizontal line runs between `low` and `high` sizes above the item's baseline, along it. */
const crosses = (segment: Segment, item: Item, low: number, high: number) =>
  segment.at > item.y + item.size * low &&
  segment.at < item.y + item.size * high &&
  segment.a < item.x + item.width &&
  segment.b > item.x;

/** The items a horizontal segment runs along, between `low` and `high` sizes above their baseline. */
function itemsAlong(segment: Segment, byHeight: readonly Item[], most: number, low: number, high: number) {
  // byHeight is sorted by baseline: only those within the largest size's band are looked at
  // (down to the baseline itself above a line over the baseline, whatever the size).
  let from = 0;
  let to = byHeight.length;
  const bottom = segment.at - high * most;
  const top = segment.at - Math.min(0, low) * most;
  while (from < to) {
    const mid = (from + to) >> 1;
    if ((byHeight[mid]?.y ?? 0) < bottom) from = mid + 1;
    else to = mid;
  }
  const along: Item[] = [];
  for (let i = from; i < byHeight.length; i++) {
    const item = byHeight[i] as Item;
    if (item.y > top) break;
    if (crosses(segment, item, low, high)) along.push(item);
  }
  return along;
}

const byBaseline = (items: readonly Item[]) => [...items].sort((a, b) => a.y - b.y);

/**
 * The page's horizontal segments apart: the rules cells are drawn with, and the lines drawn along
 * text, under or through it. A line along text is no longer than the text (pieces of it less
 * than a size apart, as words are), give or take a space at each end; a rule of a table runs on
 * past its cells' text, at least by their padding (Word's is about half a size).
 */
export function linesAlongText(
  horizontal: readonly Segment[],
  items: readonly Item[],
  vertical: readonly Segment[] = [],
): { rules: Segment[]; alongText: Segment[] } {
  const sorted = byBaseline(items);
  const most = largest(items, (i) => i.size);
  const rules: Segment[] = [];
  const alongText: Segment[] = [];
  for (const segment of horizontal) {
    const along = itemsAlong(segment, sorted, most, UNDERLINE_LOW, STRIKE_HIGH).sort((a, b) => a.x - b.x);
    let covered = false;
    let start = Number.NaN;
    let end = Number.NEGATIVE_INFINITY;
    for (const item of along) {
      if (item.x - end > item.size) start = item.x;
      end = Math.max(end, item.x + item.width);
      const slack = item.size * ALONG_SLACK;
      covered ||= segment.a >= start - slack && segment.b <= end + slack;
    }
    const struck = covered || strikesAcross(segment, along) || strikesEachCell(segment, along, vertical);
    (struck ? alongText : rules).push(segment);
  }
  return { rules, alongText };
}

/**
 * Whether a line through the middle of text starts and ends on struck text, past the gaps
 * between: one stroke through two cells' figures (41 | 6), or a row's. It crossed the rule
 * between the cells and was taken for a rule of the table, splitting the row in two. A rule
 * of the table runs on past the text at both ends (a figure drawn over one still reads).
 */
function strikesAcross(segment: Segment, along: readonly Item[]): boolean {
  const through = along.filter((i) => crosses(segment, i, STRIKE_LOW, STRIKE_HIGH));
  const holds = (x: number) =>
    through.some((i) => x >= i.x - i.size * ALONG_SLACK && x <= i.x + i.width + i.size * ALONG_SLACK);
  return through.length > 1 && holds(segment.a) && holds(segment.b);
}

/**
 * Whether a line through the middle of text runs through text in each of the cells it spans,
 * parted by the vertical rules that cross it: a strike drawn over a whole cell, from its left
 * rule to its right (over a figure, or over a row's label), was taken for a rule of the table
 * and split the row. A rule of the table that runs through a figure set too low or too high
 * also runs through cells whose text it passes by, and stays a rule.
 */
function strikesEachCell(segment: Segment, along: readonly Item[], vertical: readonly Segment[]): boolean {
  const through = along.filter((i) => crosses(segment, i, STRIKE_LOW, STRIKE_HIGH));
  if (through.length === 0) return false;
  const parts = vertical
    .filter(
      (v) =>
        v.at > segment.a + TOLERANCE &&
        v.at < segment.b - TOLERANCE &&
        segment.at >= v.a - TOLERANCE &&
        segment.at <= v.b + TOLERANCE,
    )
    .map((v) => v.at)
    .sort((a, b) => a - b);
  const edges = [segment.a, ...parts, segment.b];
  for (let k = 1; k < edges.length; k++) {
    const [left, right] = [edges[k - 1] ?? 0, edges[k] ?? 0];
    const struck = through.some((i) => Math.min(right, i.x + i.width) - Math.max(left, i.x) > i.size * TOUCH);
    if (!struck) return false;
  }
  return true;
}

/**
 * The items with the characters a line (no rule of the table) crosses through the middle cut
 * out as items of their own, marked struck. A character's place is estimated by spreading the
 * item's width evenly over its characters, as splitAtRules does; where that is off by one the
 * cell is still marked, and its reading refused.
 */
export function withStrikes(items: readonly Item[], lines: readonly Segment[]): Item[] {
  if (lines.length === 0) return [...items];
  const sorted = byBaseline(items);
  const most = largest(items, (i) => i.size);
  const crossing = new Map<Item, Segment[]>();
  for (const line of lines) {
    for (const item of itemsAlong(line, sorted, most, STRIKE_LOW, STRIKE_HIGH)) {
      // A line that ends a hair into the next figure (a stroke's cap, a rounding) does not cross it.
      const over = Math.min(line.b, item.x + item.width) - Math.max(line.a, item.x);
      if (over > item.size * TOUCH) listAt(crossing, item).push(line);
    }
  }
  if (crossing.size === 0) return [...items];
  return items.flatMap((item) => {
    const strikes = crossing.get(item);
    if (!strikes) return [item];
    const chars = Array.from(item.text);
    const step = item.width / Math.max(1, chars.length);
    const struck = chars.map((c, i) => {
      const middle = item.x + (i + 0.5) * step;
      return c.trim() !== '' && strikes.some((s) => middle >= s.a && middle <= s.b);
    });
    // A line over less than half of one character still crosses the text: its nearest one is marked.
    if (!struck.includes(true)) {
      const s = strikes[0] as Segment;
      const middle = (Math.max(s.a, item.x) + Math.min(s.b, item.x + item.width)) / 2;
      struck[Math.min(chars.length - 1, Math.max(0, Math.floor((middle - item.x) / step)))] = true;
    }
    const parts: Item[] = [];
    for (let start = 0; start < chars.length; ) {
      let end = start;
      while (end < chars.length && struck[end] === struck[start]) end++;
      const text = chars.slice(start, end).join('');
      const part: Item = { ...item, text, x: item.x + start * step, width: (end - start) * step };
      if (text.trim() !== '') parts.push(struck[start] ? { ...part, struck: true } : part);
      start = end;
    }
    return parts;
  });
}

const sizeOf = (item: Item) => item.size;

/** How close, in font sizes, a line of struck text only is set to the line it was printed against. */
const STRUCK_JOIN = 1;

/**
 * Visual lines (top to bottom) where a line of struck text only, set off the baseline of the
 * line beside it, is taken back into that line. A correction printed above or beside the old
 * figure (a raised 41 after a struck 40, Word's tracked change in a cell) lifts the line the
 * figures stand on, and the struck figure came out on a line of its own, between the rows of a
 * table without rules: the row read 41, the struck 40 was dropped with its line. It joins the
 * nearest line it does not run into, or a row of figures (cells apart, `isRow`), whose cell it
 * is then in, struck and refused there.
 */
export function withStruckLinesJoined(
  lines: readonly Item[][],
  isRow: (line: readonly Item[]) => boolean,
): Item[][] {
  const out = lines.map((line) => [...line]);
  const struckOnly = (line: readonly Item[]) => line.length > 0 && line.every((i) => i.struck);
  out.forEach((line, i) => {
    if (!struckOnly(line)) return;
    const size = largest(line, sizeOf);
    const baseline = line[0]?.y ?? 0;
    let best: { to: Item[]; distance: number } | null = null;
    for (const to of [out[i - 1], out[i + 1]]) {
      if (!to || to.length === 0 || struckOnly(to)) continue;
      const distance = Math.abs((to[0]?.y ?? 0) - baseline);
      const near = distance <= STRUCK_JOIN * Math.max(size, largest(to, sizeOf));
      const apart = line.every((s) => to.every((t) => s.x + s.width <= t.x || t.x + t.width <= s.x));
      if (near && (apart || isRow(to)) && (!best || distance < best.distance)) best = { to, distance };
    }
    if (!best) return;
    best.to.push(...line);
    line.length = 0;
  });
  return out.filter((line) => line.length > 0);
}
