import { withBarsAsPipes } from './column-bars.ts';
import { fold, isIdeograph, isValueLike, ONLY_INVISIBLE, splitUnit } from './text.ts';

/** A line of report text; table rows also carry their cells. */
export interface Line {
  /** 1-based line number in the decoded text. */
  number: number;
  text: string;
  /** Cells when the line is a table row (tab- or pipe-separated), otherwise null. */
  cells: string[] | null;
  /**
   * A web page's line whose report title is a link's text (上一篇：<a>…年度报告</a>, a sidebar's
   * 相关阅读): a link to a report, never this report's title.
   */
  linksTitle?: true;
  /** A bare page number a PDF text extractor printed at a page break ("4" before "\f…"). */
  pageNumber?: true;
  /**
   * A table row of a web page, a Word file or a ruled PDF with a blank cell spanning several of
   * its table's columns (`<td colspan="5"></td>` under five applicant columns, PDF slots with
   * no rule between them): its `cells` with each such blank split into one blank a column.
   * Read in place of `cells` (while they are still `from`) only where the row is short of its
   * columns as printed and exactly as wide as them so (table-reading.ts cellsRead).
   */
  blanksSplit?: { from: string[]; cells: string[] };
}

/** A figure, a figure with its unit, or a mark for "not reported": what a value cell holds, not a label. */
export const isFigureCell = (text: string) => isValueLike(splitUnit(text).text);

/**
 * A table row's Line.blanksSplit from how many of its table's columns each cell spans (`spans`,
 * 1 for a cell not to be split): each blank over several columns becomes a blank under each.
 * Blanks before the row's label fill out its label's columns (a label cell split in two), and
 * stay one cell. Nothing where no blank spans more than one, or where a figure does: which of
 * its columns is its own cannot be told (nor, where the grid is ragged, a Word export's borders
 * not lining up from row to row, the blanks').
 */
export function blanksSplitOf(cells: string[], spans: readonly number[]): Pick<Line, 'blanksSplit'> {
  if (cells.some((text, i) => (spans[i] ?? 1) > 1 && isFigureCell(text))) return {};
  const first = cells.findIndex((text) => text !== '');
  const label = first > 0 && !isFigureCell(cells[first] ?? '') ? first : 0;
  const split: string[] = [];
  cells.forEach((text, i) => {
    for (let n = text === '' && i >= label ? (spans[i] ?? 1) : 1; n > 0; n--) split.push(text);
  });
  return split.length === cells.length ? {} : { blanksSplit: { from: cells, cells: split } };
}

/** A table row's cell as laid out: its text and the grid columns it spans, `from` up to `to`. */
export interface LaidOutCell {
  text: string;
  from: number;
  to: number;
}

/**
 * Which cells of a table's rows are blanks that fill out a label's columns: right after the
 * label (words before the row's first figure), in the labels' columns, where another row prints
 * words from the label's first column to the blank's last or further (a label narrowed to one of
 * its three columns, the rest blank cells). Kept as a figure, such a blank made up for a blank
 * merged over two columns further on, and every figure after it was read a column right.
 *
 * The labels' columns are those before any row's first figure and before the columns of the
 * header above the row: a header row (words over a column that holds a figure in some row, its
 * first cell ending before the figures) names columns from the end of its first cell on
 * (信息内容 | 本年制发件数 | …, or the corner over the labels | 申请人情况). A column blank in
 * every row (Shanghai prints 0 as blank) is a column so named, not a label's, however wide a
 * label of another part of the table is. A table with no figure has no labels' columns.
 *
 * A row with no header row above it (in a table of its own after its header's, or on the page
 * after it) cannot tell a column blank on every row from the labels' own: where it has a blank
 * right after its label before every row's figures, it is `unsure` (readableCells).
 */
export function labelFillers(rows: readonly (readonly LaidOutCell[])[]): RowFillers[] {
  let figuresFrom = Number.POSITIVE_INFINITY;
  const figured = new Set<number>();
  for (const row of rows) {
    for (const { text, from, to } of row) {
      if (!isFigureCell(text)) continue;
      figuresFrom = Math.min(figuresFrom, from);
      for (let c = from; c < to; c++) figured.add(c);
    }
  }
  // Where each row's header (the nearest header row above it) ends the labels' columns; none
  // before the first header row.
  let labelsEnd = figuresFrom;
  let blockEnd: number | null = null;
  const headerEnds = rows.map((row) => {
    const first = row[0];
    const overFigures = row.some(({ text, from, to }) => {
      if (text === '' || isFigureCell(text)) return false;
      for (let c = from; c < to; c++) if (figured.has(c)) return true;
      return false;
    });
    // A row all one cell (a title, a unit note over the whole table) names no columns.
    if (first && overFigures && first.to <= figuresFrom) {
      blockEnd = Math.min(figuresFrom, first.to);
      labelsEnd = Math.min(labelsEnd, blockEnd);
    }
    return blockEnd;
  });
  const reach = new Map<number, number>();
  for (const row of rows) {
    for (const { text, from, to } of row) {
      if (text !== '' && to <= figuresFrom && !isFigureCell(text))
        reach.set(from, Math.max(to, reach.get(from) ?? 0));
    }
  }
  const fillersTo = (row: readonly LaidOutCell[], end: number, spanned: boolean) => {
    let afterFigure = figuresFrom === Number.POSITIVE_INFINITY;
    let label: { from: number; to: number } | null = null;
    return row.map(({ text, from, to }) => {
      if (
        label?.to === from &&
        text === '' &&
        to <= end &&
        (!spanned || to <= (reach.get(label.from) ?? 0))
      ) {
        label.to = to;
        return true;
      }
      afterFigure ||= isFigureCell(text);
      label = !afterFigure && text !== '' ? { from, to } : null;
      return false;
    });
  };
  return rows.map((row, r) => {
    const headerEnd = headerEnds[r];
    if (headerEnd !== null && headerEnd !== undefined)
      return { cells: fillersTo(row, Math.min(labelsEnd, headerEnd), true), unsure: false };
    // With no header above, a blank before every row's figures may be the label's, whether or
    // not another row's words span it here (they may on the page before).
    const cells = fillersTo(row, figuresFrom, false);
    return { cells, unsure: cells.includes(true) };
  });
}

/** Which of a row's cells are blanks filling out its label's columns, and whether that is only likely. */
export interface RowFillers {
  cells: boolean[];
  unsure: boolean;
}

/**
 * A laid-out row's cells as read: without the blanks filling out its label's columns
 * (labelFillers). Where those are `unsure` (no header above the row) and the row also has a blank
 * merged over several columns (Line.blanksSplit of the cells left, with `spansOf` them), the two
 * readings place its figures a column apart: the cells left are returned unsplit (`split`
 * false), one short of the row's columns, and the row is refused. With no such blank, the row is
 * read with the blanks as its cells, as printed.
 */
export function readableCells<T extends LaidOutCell>(
  row: readonly T[],
  fillers: RowFillers | undefined,
  spansOf: (cells: readonly T[]) => readonly number[] | null,
): { cells: T[]; split: boolean } {
  const kept = row.filter((_, i) => !fillers?.cells[i]);
  if (!fillers?.unsure) return { cells: kept, split: true };
  const spans = spansOf(kept);
  const splits =
    spans !== null &&
    blanksSplitOf(
      kept.map((cell) => cell.text),
      spans,
    ).blanksSplit !== undefined;
  return splits ? { cells: kept, split: false } : { cells: [...row], split: true };
}

/** A pipe row: between outer pipes, or with a spaced pipe (a | b). */
const PIPE_ROW = /^\s*\|.*\|\s*$|\s\|\s/;
/**
 * In a text file, also two pipes or more with no spaces (规章|0|0|0, as a spreadsheet saves
 * "|"-separated text), unless the line names the report (a title printed with its site's name,
 * 某局2022年政府信息公开工作年度报告|年度报告|某市人民政府). One bare pipe is prose (标题|网站名);
 * a web page's tables come as tables, so its text never needs this.
 */
const BARE_PIPE_ROW = /^[^|]*\|[^|]*\|/;
const NAMES_REPORT = /年度报告/;
const MARKDOWN_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/**
 * Splits text into lines and table rows. Tables arrive tab-separated (text copied from
 * a web page or Word) or as "a | b | c" rows; merged cells come out as empty cells.
 */
export function toLines(text: string): Line[] {
  // Most texts break lines with \n alone: split on it without running the pattern.
  const split = text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n');
  // Columns between box bars, 丨 and other bars are a pipe table's (column-bars.ts).
  const raws = withBarsAsPipes(split, text);
  const outer = outerPipes(raws);
  const pageNumbers = text.includes('\f') ? pageNumberLines(raws) : new Set<number>();
  // Built with push, not Array#map: map's result is PACKED from the builtin but HOLEY once
  // inlined into optimized code, and the switch deoptimizes every reader of lines and cells.
  const lines: Line[] = [];
  for (let index = 0; index < raws.length; index++) {
    const raw = raws[index] as string;
    const { cells } = classifyLine(raw, { barePipes: true, outerPipes: outer[index] !== false });
    lines.push(
      pageNumbers.has(index)
        ? { number: index + 1, text: raw, cells, pageNumber: true }
        : { number: index + 1, text: raw, cells },
    );
  }
  return lines;
}

const BARE_NUMBER = /^[\s\f]*(\d{1,4})\s*$/;
const PAGE_BREAK = /^[ \t]*\f/;
/**
 * Page furniture a PDF's text layer puts between table rows: "- 4 -", "第 4 页 共 6 页", "4/6",
 * "— 4 / 6 —", "Page 4 of 6". Its first number is its page's.
 */
export const PAGE_FOOTER =
  /^\s*(?:[-—–－]\s*(\d{1,4})\s*[-—–－]|第\s*(\d{1,4})\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|[-—–－]?\s*(\d{1,4})\s*\/\s*\d{1,4}\s*[-—–－]?|(?:page\s*)?(\d{1,4})\s*of\s*\d{1,4})\s*$/i;

/**
 * The lines that are bare page numbers: a number alone on a line that a page break (the form
 * feed a PDF text extractor puts between pages) follows or that starts a page, and that counts
 * the pages as the others do (page 4's "4", or "3" where the cover has none). A figure printed
 * alone on the last line of a page (a table with one cell a line) does not count its page, and
 * stays a figure.
 */
function pageNumberLines(raws: readonly string[]): Set<number> {
  const candidates: { index: number; offset: number; page: number }[] = [];
  // Pages numbered as "- 4 -" is: the offsets of their numbers count with the bare ones', and a
  // bare number on such a page is not its page number (a page prints one).
  const footed = new Map<number, number>();
  let page = 1;
  raws.forEach((raw, index) => {
    page += raw.split('\f').length - 1;
    if (raw.length > 40) return;
    // Folded, so that "４" is a page number as "4" is.
    const folded = fold(raw).replace(/\f/g, '');
    const footer = PAGE_FOOTER.exec(folded);
    if (footer) {
      footed.set(page, Number(footer[1] ?? footer[2] ?? footer[3] ?? footer[4]) - page);
      return;
    }
    const m = BARE_NUMBER.exec(folded);
    if (!m) return;
    if (!PAGE_BREAK.test(raw)) {
      let next = index + 1;
      while (next < raws.length && (raws[next] as string).trim() === '' && !raws[next]?.includes('\f'))
        next++;
      if (next === raws.length || !PAGE_BREAK.test(raws[next] as string)) return;
    }
    const value = Number(m[1]);
    const offset = value - page;
    if (value > 0 && offset <= 0 && offset >= -5) candidates.push({ index, offset, page });
  });
  // The pages count alike: the offset most of them share, at half the page breaks or more (a
  // document that numbers its pages numbers most of them; figures that end pages by chance
  // rarely count them). One number alone proves nothing: a figure may equal its page's.
  const bare = candidates.filter((c) => !footed.has(c.page));
  const counts = new Map<number, number>();
  for (const offset of [...bare.map((c) => c.offset), ...footed.values()])
    counts.set(offset, (counts.get(offset) ?? 0) + 1);
  const [shared, count = 0] = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0] ?? [];
  if (count < 2 || count * 2 < page - 1) return new Set();
  return new Set(bare.filter((c) => c.offset === shared).map((c) => c.index));
}

/** A line that is a row of a pipe table ("| a | b |", "a | b", "a|b|c"). */
const isPipeRow = (raw: string) =>
  raw.includes('|') &&
  !raw.includes('\t') &&
  !MARKDOWN_RULE.test(raw) &&
  (PIPE_ROW.test(raw) || (BARE_PIPE_ROW.test(raw) && !NAMES_REPORT.test(raw)));

/**
 * Per line, whether its table's rows have outer pipes (| a | b |), decided for each run of pipe
 * rows by most of them: rows closed at both ends have them, and a row open at one end is then
 * one that lost a pipe; in a table without them, a pipe at a row's end stands for an empty cell
 * there (" |  | 自然人": a header whose first two cells are a label's merged ones, whose first
 * pipe stripped put 自然人 one column left of the figures under it). Undefined off pipe rows.
 */
function outerPipes(raws: readonly string[]): (boolean | undefined)[] {
  const out: (boolean | undefined)[] = new Array(raws.length);
  for (let at = 0; at < raws.length; ) {
    if (!isPipeRow(raws[at] ?? '')) {
      at++;
      continue;
    }
    let end = at;
    let closed = 0;
    let open = 0;
    while (end < raws.length && isPipeRow(raws[end] ?? '')) {
      const row = (raws[end] ?? '').trim();
      if (row.startsWith('|') && row.endsWith('|')) closed++;
      else if (row.startsWith('|') || row.endsWith('|')) open++;
      end++;
    }
    out.fill(closed >= open, at, end);
    at = end;
  }
  return out;
}

/** One line of text: a table row when tab- or pipe-separated, otherwise plain text. */
/** Longer than any table cell's text (a label, a figure, a short note). */
const MAX_CELL_LENGTH = 300;

export function classifyLine(
  raw: string,
  options: { barePipes?: boolean; outerPipes?: boolean } = {},
): Omit<Line, 'number'> {
  if (raw.includes('\t')) {
    // In place, so the cells keep split's PACKED elements whether or not this runs optimized.
    const cells = raw.split('\t');
    for (let i = 0; i < cells.length; i++) cells[i] = cellText(cells[i] as string);
    // A page dumped as one line with a stray tab in it is prose, read as running text: no table
    // cell is that long, and as a row it hid every table in it (UNKNOWN_TEMPLATE).
    return { text: raw, cells: cells.some((c) => c.length > MAX_CELL_LENGTH) ? null : cells };
  }
  // Most lines are prose: no pipe, so neither pattern below can match.
  if (!raw.includes('|')) return { text: raw, cells: null };
  if (MARKDOWN_RULE.test(raw)) return { text: raw, cells: [] };
  if (PIPE_ROW.test(raw) || (options.barePipes && BARE_PIPE_ROW.test(raw) && !NAMES_REPORT.test(raw))) {
    const trimmed = raw.trim();
    const inner = options.outerPipes === false ? trimmed : trimmed.replace(/^\|/, '').replace(/\|$/, '');
    return { text: raw, cells: inner.split('|').map(cellText) };
  }
  return { text: raw, cells: null };
}

/** A character String#trim never removes: printable ASCII, or a CJK ideograph. */
const bare = (c: number) => (c > 0x20 && c < 0x7f) || isIdeograph(c);

/**
 * A cell's text, trimmed; a cell of invisible characters only (a zero-width space a web editor
 * leaves in an empty cell) is empty: counted as a value, it made the row one cell too wide.
 */
function cellText(cell: string): string {
  // Most cells start and end with a figure, a letter or a Chinese character: nothing to trim.
  const text = bare(cell.charCodeAt(0)) && bare(cell.charCodeAt(cell.length - 1)) ? cell : cell.trim();
  // Figures start with a character below the first invisible one (U+00AD), Chinese words with
  // one between the last before U+FEFF (U+2069) and U+FEFF: neither needs the pattern.
  const first = text.charCodeAt(0);
  return text === '' || first < 0xad || (first > 0x2069 && first < 0xfeff) || !ONLY_INVISIBLE.test(text)
    ? text
    : '';
}
