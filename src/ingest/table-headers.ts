/**
 * A table's header, read for what it says about the figures under it: the order it prints the
 * template's columns in (figures are placed by position, so another order is refused), and, in
 * a table copied as a full grid, the columns it leaves blank (no column at all).
 */
import {
  APPLICANT_COLUMNS,
  type Label,
  LITIGATION_HEADER,
  ORGANISATION_HEADER,
  TABLE4_PROCEEDINGS,
  TABLE4_RESULTS,
} from '../catalogue/template.ts';
import { headerPositionError, joinedWrap } from './header-positions.ts';
import type { Line } from './lines.ts';
import { matchesLabel, printsFigure, TABLE_NAMES } from './table-reading.ts';
import { isRowNumberHeader } from './table3-row-numbers.ts';
import { readCell, remembered, splitLabel } from './text.ts';
import type { Problem } from './types.ts';

/**
 * Figures are placed in their columns by position, so a header printing the template's
 * columns in another order (商业企业 and 其他 swapped, 复议后起诉 before 未经复议直接起诉, 总计
 * first) would put every figure under another column, and no identity could tell. Returns
 * the column labels a header line prints, in its order, when that is not the template's:
 * taken in runs (table 4 prints its five results once under each proceeding, a label seen
 * again starting the next run), each run must follow the order of `labels`. Cells with an
 * ordinal are row labels (（七）总计, 3.其他), not headers.
 */
export function columnsOutOfOrder(cells: readonly string[], labels: readonly Label[]): string[] | null {
  const printed: { cell: string; at: number }[] = [];
  for (const cell of cells) {
    if (cell === '' || readCell(cell).kind !== 'text') continue;
    const { key, ordinal } = splitLabel(cell);
    if (ordinal !== null) continue;
    const at = labels.findIndex((label) => matchesLabel(key, label));
    if (at >= 0) printed.push({ cell, at });
  }
  let run = new Set<number>();
  let previous = -1;
  for (const { at } of printed) {
    if (run.has(at)) {
      run = new Set();
      previous = -1;
    }
    if (at < previous) return printed.map((p) => p.cell.trim());
    run.add(at);
    previous = at;
  }
  return null;
}

/**
 * The label sets whose order each table's header is checked in, each alone (`unless` a line
 * prints that label too). Not all seven of table 3's columns in one order: a two-row header
 * flattened into one line of text prints 自然人 法人或其他组织 总计 商业企业 … 其他, so 总计 is
 * held to come after the organisations only where 法人或其他组织 is not printed among them.
 * Table 4: 行政复议 before 行政诉讼, the three proceedings, and the five results under each.
 */
const natural = APPLICANT_COLUMNS.filter((c) => !c.organisation && !c.isTotal);
const organisations = APPLICANT_COLUMNS.filter((c) => c.organisation);
const total = APPLICANT_COLUMNS.filter((c) => c.isTotal);
const HEADER_SETS: Readonly<Record<'T3' | 'T4', readonly HeaderSet[]>> = {
  T3: [
    { labels: [...natural, ...organisations] },
    { labels: [...natural, ORGANISATION_HEADER, ...total] },
    { labels: [...organisations, ...total], unless: ORGANISATION_HEADER },
  ],
  T4: [
    { labels: [TABLE4_PROCEEDINGS[0] as Label, LITIGATION_HEADER] },
    { labels: TABLE4_PROCEEDINGS },
    { labels: TABLE4_RESULTS },
  ],
};

interface HeaderSet {
  labels: readonly Label[];
  unless?: Label;
}

interface Disorder {
  labels: readonly Label[];
  printed: string[];
}

const DIGIT = /\d/;

/**
 * Longer than a row of figures in a text layer (a label and seven figures): a line this long
 * with figures in it may be a table, header and all, dumped as one line.
 */
const GLUED_LINE = 80;

/** Every spelling of a table's header labels, normalised as labels are, longest first. */
const HEADER_SPELLINGS = {
  T3: headerSpellings('T3'),
  T4: headerSpellings('T4'),
};
function headerSpellings(table: 'T3' | 'T4'): string[] {
  const labels = HEADER_SETS[table].flatMap((set) => [...set.labels, ...(set.unless ? [set.unless] : [])]);
  const keys = labels.flatMap((label) => [label.zh, ...(label.variants ?? [])].map((s) => splitLabel(s).key));
  return [...new Set(keys)].filter((k) => k.length >= 2).sort((a, b) => b.length - a.length);
}

/**
 * The header labels a line prints run together before its first figure, in order, as cells
 * (…申请人情况自然人法人或其他组织总计商业企业…一、本年新收…1000001, a page dumped as one line):
 * as words, the line was one, so no order was checked, and figures swapped with their columns
 * were read under the template's. Longest spelling first, so 其他 inside 法人或其他组织 is not one.
 * Only the longest run of labels printed one right after another, three or more: a sentence
 * naming columns (以法人或其他组织提出的申请为主，自然人…; 行政诉讼及行政复议案件) is no header.
 */
function gluedHeader(text: string, table: 'T3' | 'T4'): string[] {
  const before = splitLabel(text.slice(0, text.search(DIGIT))).key;
  let longest: string[] = [];
  let run: string[] = [];
  for (let at = 0; at < before.length; ) {
    const found = HEADER_SPELLINGS[table].find((key) => before.startsWith(key, at));
    if (found) run.push(found);
    else if (run.length > 0) run = [];
    if (run.length > longest.length) longest = run;
    at += found ? found.length : 1;
  }
  return longest.length >= 3 ? longest : [];
}

/** U+0001 joins a line's cells into the text they are remembered by (a line whose cells print it is not remembered). */
const CELL_JOIN = '\u0001';

/**
 * The first label set a line prints out of order, and what it prints: for a line of cells,
 * by its cells joined; for a line without, by its text, whose words are its cells.
 * Remembered: every report prints the same few header and group lines, and looking up their
 * cells again in each report cost a twentieth of the parse.
 */
const disorderIn = {
  T3: {
    cells: remembered((joined) => firstDisorder(joined.split(CELL_JOIN), HEADER_SETS.T3)),
    text: remembered((text) => firstDisorder(text.trim().split(/\s+/), HEADER_SETS.T3)),
  },
  T4: {
    cells: remembered((joined) => firstDisorder(joined.split(CELL_JOIN), HEADER_SETS.T4)),
    text: remembered((text) => firstDisorder(text.trim().split(/\s+/), HEADER_SETS.T4)),
  },
};

function firstDisorder(cells: readonly string[], sets: readonly HeaderSet[]): Disorder | null {
  for (const { labels, unless } of sets) {
    if (unless && cells.some((cell) => matchesLabel(splitLabel(cell).key, unless))) continue;
    const printed = columnsOutOfOrder(cells, labels);
    if (printed) return { labels, printed };
  }
  return null;
}

/**
 * The COLUMN_ORDER error for the first line of a table's section whose header labels (of any
 * of the table's label sets) are out of the template's order, or null. A line's cells, or
 * the words of a line without cells (a PDF's text layer prints a header row as one line), with
 * the pieces of labels a narrow header wraps onto a later line joined. Then the first header
 * line printing a label or a column the template lacks where another of its columns stands
 * (headerPositionError).
 */
export function columnOrderError(table: 'T3' | 'T4', lines: readonly Line[]): Problem | null {
  const { disorder, misplaced } = headerOrder(table, lines);
  return disorder ?? misplaced;
}

/**
 * What columnOrderError finds, apart: the labels out of order (`disorder`), else the label or
 * column out of place (`misplaced`). Table 3 says a column left out between the two, and reads
 * its header once for both.
 */
export function headerOrder(
  table: 'T3' | 'T4',
  lines: readonly Line[],
): { disorder: Problem | null; misplaced: Problem | null } {
  const joined = new Map<number, string[]>();
  const passed = new Set<number>();
  let misplaced: Problem | null = null;
  for (const [at, line] of lines.entries()) {
    if (passed.has(at)) continue;
    // A header prints no figures: rows of figures, most of a table, are passed over at once
    // (this runs for every report, and looking up each cell cost a fifth of the parse), unless
    // a page dumped as one line prints its header run together before its figures.
    const figured = DIGIT.test(line.text);
    if (figured && (line.cells || line.text.length < GLUED_LINE)) continue;
    const words = line.cells || figured ? null : (joined.get(at) ?? wrappedWords(table, lines, at, passed));
    if (words) joined.set(at, words);
    const disorder = figured
      ? firstDisorder(gluedHeader(line.text, table), HEADER_SETS[table])
      : line.cells
        ? line.cells.some((c) => c.includes(CELL_JOIN))
          ? firstDisorder(line.cells, HEADER_SETS[table])
          : disorderIn[table].cells(line.cells.join(CELL_JOIN))
        : words
          ? firstDisorder(words, HEADER_SETS[table])
          : disorderIn[table].text(line.text);
    if (disorder) {
      const problem: Problem = {
        code: 'COLUMN_ORDER',
        severity: 'error',
        table,
        line: line.number,
        message: `Line ${line.number}, ${TABLE_NAMES[table]}: the header prints its columns in the order ${disorder.printed.join(', ')}; the template's order is ${disorder.labels.map((l) => l.zh).join(', ')}. Figures are read by their position under the template's columns, so this layout cannot be read without guessing; re-save the table in the template's column order.`,
      };
      return { disorder: problem, misplaced: null };
    }
    if (figured || misplaced) continue;
    // Labels out of order on any line are said first: that message names them all.
    misplaced = line.cells
      ? // Only a header line's cells are ever held against the lines next to it.
        headerPositionError(table, line.number, line.cells, { text: false, around: { lines, at } })
      : headerPositionError(table, line.number, words ?? line.text.trim().split(/\s+/), { text: true });
  }
  return { disorder: null, misplaced };
}

/**
 * A text line's words with the label pieces a narrow header wrapped onto a later line joined to
 * theirs (商业企 … / 业 …), the later line then passed over (`passed`); null where it has none.
 */
function wrappedWords(
  table: 'T3' | 'T4',
  lines: readonly Line[],
  at: number,
  passed: Set<number>,
): string[] | null {
  const next: string[][] = [];
  for (const line of lines.slice(at + 1, at + 4)) {
    if (line.cells || DIGIT.test(line.text)) break;
    next.push(line.text.trim().split(/\s+/));
  }
  const wrap = joinedWrap(table, (lines[at] as Line).text.trim().split(/\s+/), next);
  if (!wrap) return null;
  passed.add(at + 1 + wrap.with);
  return wrap.words;
}

/** A header row's cells (from the same cell its row's values start at) and its line. */
export interface HeaderRow {
  cells: readonly string[];
  line: number;
}

/** Whether a header line names column `i`. */
const namedAt = (headers: readonly HeaderRow[], i: number) => headers.some((h) => (h.cells[i] ?? '') !== '');

/**
 * A row's cells under a header that prints a blank between two columns on every one of its
 * rows (the second half of a merged header cell, as a table copied as a full grid does): where
 * the row is as wide as the header, its cells under those blanks are dropped, and a figure
 * printed there is refused (a string saying so), since it may belong under either neighbour: a
 * value cell merged at another place than the header's (本年制发件数 | 本年废止件数 ×2 | 现行有效件数
 * over 1 ×2 | 0 | blank) otherwise moved every figure after it one column left. Other rows are
 * returned as they are.
 */
export function underHeader(
  values: string[],
  headers: readonly HeaderRow[],
  { corner = false }: { corner?: boolean } = {},
): string[] | string {
  const width = Math.max(0, ...headers.map((h) => h.cells.length));
  let [first, last] = [-1, -1];
  for (let i = 0; i < width; i++) {
    if (!namedAt(headers, i)) continue;
    if (first < 0) first = i;
    last = i;
  }
  // With `corner` (a whole row, header cells and all, as table 4's), a blank corner before the
  // header's first column (a cell left blank over the header's rows, or over the whole table) is
  // no column either: the row's blanks under it are dropped. Left as they were, one of them was
  // read as the first column's figure, and every figure after it moved a column right where a
  // blank merged over two columns further on made up the count. Not for the cells after a
  // label (table 2's): there a header's blank after 信息内容 may stand over the label's own
  // second column, and the row's first cell be a figure's blank.
  let lead = 0;
  while (corner && lead < first && values[lead] === '') lead++;
  if (lead < first) lead = 0;
  const blanks: number[] = [];
  for (let i = first + 1; i < last; i++) if (!namedAt(headers, i)) blanks.push(i);
  if (blanks.length === 0 || values.length <= last || values.slice(last + 1).some((c) => c !== ''))
    return lead > 0 ? values.slice(lead) : values;
  const stray = blanks.find((i) => values[i] !== '');
  if (stray !== undefined) {
    const nearest = (from: number, step: 1 | -1) => {
      for (let i = from; i >= 0 && i < width; i += step) {
        const text = headers
          .map((h) => (h.cells[i] ?? '').trim())
          .filter((c) => c !== '')
          .join(' ');
        if (text) return text;
      }
      return '';
    };
    const [top, bottom] = [headers[0]?.line, headers.at(-1)?.line];
    const lines = top === bottom ? `line ${top}` : `lines ${top}–${bottom}`;
    return `"${values[stray]}" is printed under no column: the header (${lines}) prints a blank cell there, between "${nearest(stray, -1)}" and "${nearest(stray, 1)}" (a merged header cell), so which column it belongs to cannot be told. Check the row against the document.`;
  }
  return values.slice(0, last + 1).filter((_, i) => i >= lead && !blanks.includes(i));
}

/** Table 3's header lines (those before its first figure), and where they print each applicant column. */
export interface ApplicantHeader {
  at: Map<number, { index: number; line: number }>;
  header: (Line & { cells: string[] })[];
}

/**
 * The applicant column a header cell names (its index in APPLICANT_COLUMNS), or -1. Remembered:
 * every report prints the same few header cells.
 */
const applicantColumnOf = remembered((text: string) => {
  if (readCell(text).kind !== 'text') return -1;
  const { key, ordinal } = splitLabel(text);
  return ordinal !== null ? -1 : APPLICANT_COLUMNS.findIndex((c) => matchesLabel(key, c));
});

export function applicantHeaderCells(lines: readonly Line[]): ApplicantHeader {
  const at = new Map<number, { index: number; line: number }>();
  const header: (Line & { cells: string[] })[] = [];
  for (const line of lines) {
    if (!line.cells) continue;
    // The header comes before the first row of figures.
    if (line.cells.some((c) => DIGIT.test(c))) break;
    header.push(line as Line & { cells: string[] });
  }
  const place = (text: string, index: number, line: number) => {
    if (text === '') return;
    const column = applicantColumnOf(text);
    if (column >= 0 && !at.has(column)) at.set(column, { index, line });
  };
  for (const line of header) {
    line.cells.forEach((cell, index) => {
      place(cell, index, line.number);
    });
  }
  if (at.size === APPLICANT_COLUMNS.length) return { at, header };
  // A header cell whose text wraps onto the next line (法律服务 / 机构) is that column's cells joined.
  const width = Math.max(0, ...header.map((l) => l.cells.length));
  for (let index = 0; index < width; index++) {
    const pieces = header.filter((l) => (l.cells[index] ?? '') !== '');
    if (pieces.length > 1) place(pieces.map((l) => l.cells[index]).join(''), index, pieces[0]?.number ?? 0);
  }
  return { at, header };
}

/**
 * Where table 3's header, copied as a full grid (a spreadsheet's tab-separated text, in which
 * a merged cell leaves empty cells), puts the seven applicant columns: the cell index of 自然人
 * when its header lines print all seven at consecutive cells from there (自然人 and 总计 on one
 * line, the five organisations on the next, under 法人或其他组织's merged cells). Then a row's
 * figures are read at those cells, and a blank one is placed by where it was printed: a row
 * alone cannot tell a blank first figure from a label's merged cell, nor a blank 总计 whose cell
 * trimming dropped, where every row agrees with the header (`rowsAgree`). Null where the header
 * is anything else (a web page's table, whose merged cells are one cell; words of a PDF's text
 * layer; a header missing a column).
 */
export function applicantColumnsAt(
  lines: readonly Line[],
  { at }: ApplicantHeader = applicantHeaderCells(lines),
): { start: number; line: number; rowsAgree: boolean } | null {
  const first = at.get(0);
  if (first === undefined) return null;
  if (!APPLICANT_COLUMNS.every((_, column) => at.get(column)?.index === first.index + column)) return null;
  // Whether every row prints its figures within the header's columns. A row printing one before
  // the first column or after the last (sub-rows one cell to the right of the header, as the
  // bundled sample prints them) says the rows are laid out otherwise than the header: read at the
  // header's cells, a row's figures could each move one column.
  const end = first.index + APPLICANT_COLUMNS.length;
  const rowsAgree = !lines.some((l) => {
    const firstFigure = l.cells?.findIndex(printsFigure) ?? -1;
    return (
      firstFigure >= 0 && (firstFigure < first.index || (l.cells?.findLastIndex(printsFigure) ?? -1) >= end)
    );
  });
  return { start: first.index, line: first.line, rowsAgree };
}

/**
 * COLUMN_MISSING for a table 3 whose header, printed as cells, names 自然人 and at least two
 * more of the seven applicant columns but not all of them (法律服务机构 left out, or 总计), in
 * fewer than seven cells, and no row of which prints seven figures: figures are placed by
 * position, so every figure after the missing column would be read under the one before it,
 * and a row's blank label cell taken for a figure. A row of seven figures says the columns are
 * there and the header only words one otherwise or lost a piece of it.
 */
export function missingColumnError(
  lines: readonly Line[],
  { at, header }: ApplicantHeader = applicantHeaderCells(lines),
): Problem | null {
  if (!at.has(0) || at.size < 3 || at.size === APPLICANT_COLUMNS.length) return null;
  // Seven cells that may name a column (words of a column label's length; not the headings
  // 法人或其他组织 and 申请人情况 over them, nor a note) are seven columns, one of them worded
  // otherwise than the catalogue knows (其它, 公益组织): only fewer say one is not printed.
  const mayNameColumn = (cell: string) => {
    if (cell === '' || readCell(cell).kind !== 'text') return false;
    const { key, ordinal } = splitLabel(cell);
    return (
      ordinal === null &&
      key.length >= 2 &&
      key.length <= 8 &&
      !key.includes('申请人') &&
      !matchesLabel(key, ORGANISATION_HEADER) &&
      !isRowNumberHeader(cell)
    );
  };
  if (header.flatMap((l) => l.cells).filter(mayNameColumn).length >= APPLICANT_COLUMNS.length) return null;
  if (lines.some((l) => l.cells && l.cells.filter(printsFigure).length >= APPLICANT_COLUMNS.length))
    return null;
  const missing = APPLICANT_COLUMNS.filter((_, column) => !at.has(column)).map((c) => c.zh);
  const line = at.get(0)?.line;
  return {
    code: 'COLUMN_MISSING',
    severity: 'error',
    table: 'T3',
    line,
    message: `Line ${line}, ${TABLE_NAMES.T3}: the header does not print the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of the template's ${APPLICANT_COLUMNS.map((c) => c.zh).join(', ')}. Figures are read by their position under the template's columns, so a table without ${missing.length > 1 ? 'them' : 'it'} cannot be read without guessing; print the table with every column (a blank or 0 where there is nothing).`,
  };
}
