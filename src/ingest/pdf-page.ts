/**
 * One PDF page as rows, top to bottom: its ruled tables, then its other text by line
 * (unruled tables split at wide gaps, page numbers dropped, wrapped paragraphs joined).
 */
import { firstFew } from './first-few.ts';
import { InputLimitError } from './limits.ts';
import type { Segment } from './pdf-rules.ts';
import { linesAlongText, withStrikes, withStruckLinesJoined } from './pdf-strikes.ts';
import { findTables, type Table, tableRows } from './pdf-tables.ts';
import {
  centre,
  type Item,
  joinLine,
  joinWrapped,
  largest,
  listAt,
  type Row,
  smallest,
  visualLines,
} from './pdf-text.ts';
import { takeLaidOver } from './pdf-watermarks.ts';

const PAGE_NUMBER = /^[-—–\s]*(?:第\s*)?\d{1,4}\s*页?(?:\s*[/／]\s*共?\s*\d{1,4}\s*页?)?[-—–\s]*$/;
/**
 * What a browser prints in a page's margins when a web page is saved as PDF with its headers and
 * footers on: the address (with the page's number and count, `3/6`, `3 of 6`), and the date and
 * time printed, before the page's title. Its number changes from page to page, so it is no running
 * header dropped for repeating; between two parts of a table it was kept as the table's rows
 * (`UNKNOWN_ROW` "https://…", "2023/1/15 10:32").
 */
const BROWSER_MARGIN = new RegExp(
  [
    String.raw`^(?:(?:第\s*)?\d{1,4}\s*(?:[/／]|of|页\s*共)\s*\d{1,4}\s*页?\s+)?(?:https?|file):\/\/\S+(?:\s+(?:(?:page\s+)?\d{1,4}\s*(?:[/／]|of)\s*\d{1,4}))?$`,
    String.raw`^(?:\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|\d{1,2}\/\d{1,2}\/\d{2,4},?)\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?(?:\s.*)?$`,
  ].join('|'),
  'i',
);
const HEADING = /^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])/;
/** Wider gaps than this (in font sizes) split a line of an unruled table into cells. */
const CELL_GAP = 1.5;

/** The page's number and the largest ruled table grid allowed (slots), for the refusal. */
export interface PageLimits {
  page: number;
  maxGridCells: number;
}

/** A ruled table the page cuts at its right edge with text past its last rule: what was cut cannot be read. */
export class TableCutError extends Error {
  constructor(
    readonly page: number,
    readonly texts: readonly string[],
  ) {
    super(
      `Page ${page} of the PDF cuts a table at its right edge: its rules run on to the edge of the page with no border there, so its last column (${firstFew(texts.map((t) => `"${t}"`))}) may have lost what was printed past the cut, a digit of a figure among it. Print the report on wider paper or in landscape, or find its HTML or Word version.`,
    );
    this.name = 'TableCutError';
  }
}

/** Refuses the page when a table it cuts at the right edge printed anything past its last rule. */
function refuseCutTables(tables: readonly Table[], items: readonly Item[], page: number): void {
  for (const table of tables) {
    const cut = table.cutAt;
    if (cut === null) continue;
    const past = items.filter((item) => {
      const [cx, cy] = centre(item);
      return cy <= table.top && cy >= table.bottom && cx > table.right && cx < cut + 1;
    });
    if (past.length > 0) throw new TableCutError(page, past.map((item) => item.text.trim()).filter(Boolean));
  }
}

export function layoutPage(
  items: Item[],
  rules: { horizontal: Segment[]; vertical: Segment[] },
  pageTop: number,
  limits: PageLimits = { page: 1, maxGridCells: Number.POSITIVE_INFINITY },
): Row[] {
  // A line under or through text is no rule of a table, even where it starts at a cell's rule.
  const { rules: ruling, alongText } = linesAlongText(rules.horizontal, items, rules.vertical);
  const tables = findTables(ruling, rules.vertical);
  refuseCutTables(tables, items, limits.page);
  for (const table of tables) {
    // Every slot of the grid is checked for the rules around it: rules a few points apart
    // can make one table of millions of slots from a few kilobytes of drawing.
    const slots = (table.xs.length - 1) * (table.ys.length - 1);
    if (slots > limits.maxGridCells) {
      throw new InputLimitError(
        'maxGridCells',
        `A ruled table on page ${limits.page} of the PDF has ${slots.toLocaleString('en')} cells (${table.ys.length - 1} rows × ${table.xs.length - 1} columns)`,
        limits.maxGridCells,
      );
    }
  }
  const inTable = (item: Item) => {
    const [cx, cy] = centre(item);
    return tables.find((t) => cx >= t.left && cx <= t.right && cy <= t.top && cy >= t.bottom);
  };
  const byTable = new Map<Table, Item[]>();
  const loose: Item[] = [];
  for (const item of items) {
    const table = inTable(item);
    if (table) listAt(byTable, table).push(item);
    else loose.push(item);
  }
  // Digits set large or on a slant across a table are no cell's figure (pdf-watermarks.ts).
  const laidOver = takeLaidOver(tables, byTable, loose);
  // A line that is no table's rule and crosses a cell's text through its middle strikes it out.
  const ruled = new Set(tables.flatMap((t) => t.horizontal));
  const strikes = [...alongText, ...ruling.filter((s) => !ruled.has(s))];
  const rows: Row[] = tables.flatMap((t, table) =>
    tableRows(t, byTable.get(t) ?? [], strikes, laidOver.get(t)).map((row) => ({ ...row, table })),
  );
  // Struck text outside ruled tables too: an unruled table's figures, laid out in columns with
  // no rules, ran a struck 40 and its correction 41 together into 4041.
  const lines = withStruckLinesJoined(
    visualLines(withStrikes(loose, strikes)),
    (line) => cellsOf(line).length > 1,
  );
  for (const line of lines) {
    const size = largest(line, (i) => i.size);
    const top = largest(line, (i) => i.y + i.size);
    const left = smallest(line, (i) => i.x);
    const right = largest(line, (i) => i.x + i.width);
    const text = joinLine(line);
    const margin = top > pageTop * 0.93 || top < pageTop * 0.08;
    if (margin && (PAGE_NUMBER.test(text) || BROWSER_MARGIN.test(text))) continue;
    const sorted = [...line].sort((a, b) => a.x - b.x);
    const groups = cellsOf(sorted);
    if (groups.length > 1) {
      const cells = groups.map(joinLine);
      rows.push({ top, cells, text: cells.join('\t') });
    } else rows.push({ top, cells: null, text, left, right, size, leadingWord: leadingWordWidth(sorted) });
  }
  rows.sort((a, b) => b.top - a.top);
  return joinWrappedLines(rows);
}

/** A line's items in cells: an unruled table's columns show only as wide gaps. */
function cellsOf(line: readonly Item[]): Item[][] {
  const groups: Item[][] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const item of [...line].sort((a, b) => a.x - b.x)) {
    const last = groups.at(-1);
    if (last && item.x - end <= item.size * CELL_GAP) last.push(item);
    else groups.push([item]);
    end = item.x + item.width;
  }
  return groups;
}

/** A Latin word cannot be broken, and takes the character before it along (箱:name@example.com). */
const LEADING_WORD = /^[^\x21-\x7e\s]?[\x21-\x7e]+[)）。，,；;]*/;

function leadingWordWidth(sorted: Item[]): number {
  const first = sorted[0];
  if (!first) return 0;
  const text = joinLine(sorted);
  const word = LEADING_WORD.exec(text)?.[0] ?? '';
  const right = largest(sorted, (i) => i.x + i.width);
  return text.length > 0 ? ((right - first.x) * word.length) / text.length : 0;
}

/**
 * A paragraph wraps into several lines in a PDF. A line that starts at the left margin
 * (or one indent in) and runs to the right edge continues on the next one, unless that
 * one starts a new heading. Right-aligned signature lines are not paragraphs.
 */
function joinWrappedLines(rows: Row[]): Row[] {
  const text = rows.filter((r) => r.cells === null);
  if (text.length === 0) return rows;
  const rightEdge = largest(text, (r) => r.right ?? 0);
  const leftEdge = smallest(text, (r) => r.left ?? 0);
  const out: Row[] = [];
  for (const row of rows) {
    const previous = out.at(-1);
    const size = row.size ?? 10;
    const continues =
      previous !== undefined &&
      previous.cells === null &&
      row.cells === null &&
      (previous.right ?? 0) >= rightEdge - size * 3 - (row.leadingWord ?? 0) &&
      (previous.left ?? 0) <= leftEdge + size * 2.5 &&
      (row.left ?? 0) <= leftEdge + size * 0.5 &&
      Math.abs((previous.size ?? 0) - size) < 0.5 &&
      previous.top - row.top < size * 2.5 &&
      !HEADING.test(row.text);
    if (continues && previous) {
      previous.text = joinWrapped(previous.text, row.text);
      previous.right = row.right;
      previous.top = row.top;
    } else out.push({ ...row });
  }
  return out;
}
