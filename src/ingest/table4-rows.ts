/**
 * Table 4 from separated rows: one row of fifteen values (three proceedings × five
 * results), or, from text without its layout, fifteen values standing one per line.
 */
import { table4CellCode } from '../catalogue/cells.ts';
import { LITIGATION_HEADER, TABLE4_PROCEEDINGS, TABLE4_RESULTS } from '../catalogue/template.ts';
import { isFigureCell, type Line } from './lines.ts';
import { columnOrderError, underHeader } from './table-headers.ts';
import {
  alignValues,
  cellsRead,
  emptyReading,
  mayBeFigure,
  missingCells,
  readValue,
  shortRow,
  type TableReading,
} from './table-reading.ts';
import { isValueLike } from './text.ts';

const TABLE4_COLUMNS = TABLE4_PROCEEDINGS.flatMap((p) =>
  TABLE4_RESULTS.map((r) => ({ code: table4CellCode(p.code, r.code), label: `${p.zh} ${r.zh}` })),
);

/** A line of at least this many figures is a row of table 4's figures (a page number is one). */
const FIGURE_ROW = 5;
const figuresIn = (line: Line) => (line.cells ?? []).filter(mayBeFigure).length;

export function readTable4(lines: readonly Line[]): TableReading {
  const reading = emptyReading();
  const disordered = columnOrderError('T4', lines);
  if (disordered) return { ...reading, found: true, errors: [disordered] };
  const row = '行政复议、行政诉讼';
  for (const [at, line] of lines.entries()) {
    if (!line.cells) continue;
    const first = line.cells.findIndex(mayBeFigure);
    if (first < 0) {
      if (line.cells.some((c) => /行政复议|行政诉讼|结果维持/.test(c))) reading.found = true;
      continue;
    }
    reading.found = true;
    const split = proceedingRows(lines, at);
    if (split) return readProceedingRows(reading, split, row);
    // The table has one row of figures, or one per proceeding (read above). Another row (a
    // draft row left in, last year's row) would make the first a guess, whichever it is, also
    // when either is sparse: a stray row of one 7 above the real row (zeros printed blank) was
    // read as the table, 7 stored and the real figures dropped. A row of another table's cells
    // holding words with digits (注：2019年…) is none; a page number is no row.
    const second = lines.slice(at + 1).find((l) => !l.pageNumber && l.cells?.some(isFigureCell));
    if (second) {
      reading.errors.push({
        code: 'DUPLICATE_ROW',
        severity: 'error',
        table: 'T4',
        row,
        line: second.number,
        message: `Line ${second.number}, table 4: a second row of figures (the first is on line ${line.number}). The table has one row of ${TABLE4_COLUMNS.length} figures, or one row of five for each proceeding (${TABLE4_PROCEEDINGS.map((p) => p.zh).join(', ')}) in that order, each named by its label or a header above it; these rows are neither, so which figure belongs where cannot be told. Check the table against the document.`,
      });
      return reading;
    }
    // The header's rows (a copy's trailing blanks may be trimmed): in a grid, a column blank in
    // every one of them is no column.
    const headers = lines
      .slice(0, at)
      .filter((l) => l.cells && l.cells.length <= (line.cells?.length ?? 0) && figuresIn(l) === 0)
      .map((l) => ({ cells: l.cells ?? [], line: l.number }));
    const tooWide = (why: string) => {
      reading.errors.push({
        code: 'TOO_MANY_VALUES',
        severity: 'error',
        table: 'T4',
        row,
        line: line.number,
        message: `Line ${line.number}, table 4: ${why}`,
      });
      return reading;
    };
    // A blank corner is dropped only from a row that reaches the table's last column (one with a
    // blank split is closed there; or as wide as the header): a row short of the header's width
    // may as well have no corner cell, its first figure printed blank.
    const widest = Math.max(
      0,
      ...lines.slice(0, at).map((l) => (figuresIn(l) === 0 ? (l.cells?.length ?? 0) : 0)),
    );
    const corner = line.blanksSplit !== undefined || (line.cells?.length ?? 0) >= widest;
    const shown = cellsRead(line as Line & { cells: string[] }, TABLE4_COLUMNS.length, (row) => {
      const under = underHeader(row, headers, { corner });
      return typeof under === 'string' ? 0 : valueCells(under).length;
    });
    const cells = underHeader(shown.cells, headers, { corner });
    if (typeof cells === 'string') return tooWide(cells);
    const { values, surplus } = alignValues(valueCells(cells), TABLE4_COLUMNS.length);
    if (surplus) {
      return tooWide(
        `${values.length} values; the template has ${TABLE4_COLUMNS.length} (3 proceedings × 5 results).`,
      );
    }
    if (shortRow(values, TABLE4_COLUMNS.length)) {
      missingCells(reading, 'T4', row, line.number, TABLE4_COLUMNS, values.length);
      return reading;
    }
    TABLE4_COLUMNS.forEach((column, i) => {
      readValue(
        reading,
        { table: 'T4', row, column: column.label, code: column.code, line: line.number },
        values[i] ?? '',
      );
    });
    return reading;
  }
  return readTable4OnePerLine(reading, lines, row);
}

/** A row's cells after its label: from the last text cell before its first figure. */
function valueCells(cells: readonly string[]): string[] {
  const firstFigure = cells.findIndex(mayBeFigure);
  return cells.slice(cells.findLastIndex((c, i) => i < firstFigure && c !== '') + 1);
}

interface ProceedingRow {
  line: Line;
  /** The row's value cells, five for each proceeding it holds. */
  values: string[];
  /** The index in TABLE4_PROCEEDINGS of its first proceeding. */
  first: number;
}

/**
 * The proceedings a stretch of text names; 行政诉讼 names both kinds of lawsuit, unless its line
 * names one (行政诉讼（复议后起诉）, a row label of a table printed a row per proceeding).
 */
function proceedingsNamed(text: string): number[] {
  // A bit per proceeding: this runs on every line of every report's table 4.
  const lawsuits = ((1 << TABLE4_PROCEEDINGS.length) - 1) & ~1;
  let named = 0;
  for (const line of text.includes('\n') ? text.split('\n') : [text]) {
    let own = 0;
    for (const [i, p] of TABLE4_PROCEEDINGS.entries()) if (line.includes(p.zh)) own |= 1 << i;
    named |= own;
    if ((own & lawsuits) === 0 && line.includes(LITIGATION_HEADER.zh)) named |= lawsuits;
  }
  return [...TABLE4_PROCEEDINGS.keys()].filter((i) => named & (1 << i));
}

/**
 * Table 4 printed as a row per proceeding (行政复议 | five figures, then each kind of lawsuit),
 * or as two tables (行政复议's five columns, then 行政诉讼's ten). Its rows of figures are read
 * when each holds whole proceedings (five figures each), they add up to the template's three in
 * its order, and each row's own label, or a header printed since the row before, names the
 * proceedings it holds and none of an earlier row's. Anything else (a row printed twice, a draft row)
 * is null: which row is right cannot be told.
 */
function proceedingRows(lines: readonly Line[], firstRow: number): ProceedingRow[] | null {
  const rows: ProceedingRow[] = [];
  let next = 0;
  let since = 0;
  for (let at = firstRow; at < lines.length; at++) {
    const line = lines[at];
    const figures = line?.cells ? figuresIn(line) : 0;
    if (line?.cells && figures === 0 && next < TABLE4_PROCEEDINGS.length) {
      // A proceeding printed blank (Shanghai prints 0 as blank): its own label, five empty cells.
      const label = line.cells.findIndex((c) => c.trim() !== '');
      const blanks = (row: string[]) => row.length - label - 1;
      const rest = cellsRead(line as Line & { cells: string[] }, TABLE4_RESULTS.length, blanks).cells.slice(
        label + 1,
      );
      const names = proceedingsNamed(line.cells[label] ?? '');
      if (
        label >= 0 &&
        names.length === 1 &&
        names[0] === next &&
        rest.length === TABLE4_RESULTS.length &&
        rest.every((c) => c.trim() === '')
      ) {
        rows.push({ line, values: rest, first: next });
        next += 1;
        since = at + 1;
      }
      continue;
    }
    if (!line?.cells || figures === 0) continue;
    if (next === TABLE4_PROCEEDINGS.length) {
      // Read whole: a further row of figures is a second copy (a page number is one figure).
      if (figures >= FIGURE_ROW) return null;
      continue;
    }
    const cells = line.cells;
    // Five figures a proceeding; blanks at the ends are dropped as in a one-row table. A row
    // holding all three is the template's own, read with its header's checks (every report's
    // table 4 comes here first, so this is decided before anything else is looked at).
    const named = proceedingsNamed(
      lines
        .slice(since, at + 1)
        .map((l) => l.text)
        .join('\n'),
    );
    const spread = Math.ceil(
      (cells.findLastIndex(mayBeFigure) - cells.findIndex(mayBeFigure) + 1) / TABLE4_RESULTS.length,
    );
    // A row of exactly five cells for each proceeding its header names holds them all, blank
    // ones included (行政诉讼's ten cells with 复议后起诉's five blank).
    const cellsNamed = named.filter((i) => i >= next).length * TABLE4_RESULTS.length;
    const held =
      valueCells(cells).length === cellsNamed && cellsNamed / TABLE4_RESULTS.length > spread
        ? cellsNamed / TABLE4_RESULTS.length
        : spread;
    if (held >= TABLE4_PROCEEDINGS.length) return null;
    const { values, surplus } = alignValues(valueCells(cells), held * TABLE4_RESULTS.length);
    if (surplus || values.length !== held * TABLE4_RESULTS.length) return null;
    const holds = Array.from({ length: held }, (_, i) => next + i);
    if (named.some((i) => i < next) || !holds.every((i) => named.includes(i))) return null;
    rows.push({ line, values, first: next });
    next += held;
    since = at + 1;
  }
  return next === TABLE4_PROCEEDINGS.length ? rows : null;
}

function readProceedingRows(reading: TableReading, rows: ProceedingRow[], row: string): TableReading {
  for (const { line, values, first } of rows) {
    values.forEach((raw, i) => {
      const column = TABLE4_COLUMNS[first * TABLE4_RESULTS.length + i];
      if (column) {
        readValue(
          reading,
          { table: 'T4', row, column: column.label, code: column.code, line: line.number },
          raw,
        );
      }
    });
  }
  return reading;
}

/**
 * Text pulled out of a PDF without its layout prints the table-4 values one per line
 * (as it does the narrow headers, one character per line). Fifteen numbers standing
 * alone on their lines, and nothing else numeric, are the row.
 */
function readTable4OnePerLine(reading: TableReading, lines: readonly Line[], row: string): TableReading {
  const alone = lines.flatMap((line) => {
    const texts = line.cells ? line.cells.filter((c) => c !== '') : [line.text.trim()];
    if (texts.length !== 1 || !isValueLike(texts[0] ?? '')) return [];
    return [{ raw: texts[0] ?? '', line: line.number }];
  });
  if (alone.length !== TABLE4_COLUMNS.length) return reading;
  reading.found = true;
  TABLE4_COLUMNS.forEach((column, i) => {
    const value = alone[i];
    if (value) {
      readValue(
        reading,
        { table: 'T4', row, column: column.label, code: column.code, line: value.line },
        value.raw,
      );
    }
  });
  return reading;
}
