/**
 * A found row's figures in running text: the runs of numbers after its label, the run that
 * can fill its columns, and the cells and problems digit-runs.ts makes of them.
 */
import { cellByCode } from '../catalogue/cells.ts';
import type { TemplateVersion } from '../catalogue/template.ts';
import { decodeRuns, type RowRun, splitDoubt } from './digit-runs.ts';
import { smallerPieceRefusal } from './html-smaller.ts';
import { figuresHints } from './running-hints.ts';
import type { Match, Stream } from './running-labels.ts';
import { pageNumberInBlank, withoutPageNumber } from './running-page-numbers.ts';
import { fillsRow, rivalRun, strayBefore } from './running-rivals.ts';
import {
  afterNote,
  joinedRefusal,
  printsApart,
  rowRefusal,
  runRefusal,
  type Segment,
  segments,
} from './running-segments.ts';
import { inReach } from './running-words.ts';
import {
  type CellPlace,
  cellProblem,
  refuseUnreadUnit,
  storable,
  TABLE_NAMES,
  type TableReading,
  type UnreadUnit,
  unitConverted,
} from './table-reading.ts';
import type { ParsedCell, Problem, ProblemCode, TableId } from './types.ts';
import { inColumnUnit } from './units.ts';

type Placed = { row: FoundRow; segment: Segment };

export interface FoundRow {
  label: string;
  codes: string[];
  match: Match;
  /** Where the row's figures may be: up to the next label found. */
  until: number;
  /** The row's whole label as the catalogue spells it (and its variants), normalised. */
  keys?: readonly string[];
  /** The ordinal printed before the label (（一）, 3), where the template numbers the row. */
  ordinal?: string;
  /** Per code, a unit its column's header states for every figure under it (元). */
  columnUnits?: readonly (string | UnreadUnit | undefined)[];
}

/**
 * Where a row's figures must end, given where the next label starts. When that label
 * begins a later line, the row ends with the line before: numbers printed on the next
 * label's own line belong to that line, not to the row above.
 */
export function stopBefore(stream: Stream, row: FoundRow, next: number): number {
  // The table's end is no label: its last line is the last row's (one figure a line, as a
  // spreadsheet's text export prints them, ends with the row's total there).
  if (next >= stream.text.length) return next;
  const lineStart = stream.text.lastIndexOf('\n', next - 1) + 1;
  return lineStart > row.match.end ? lineStart : next;
}

/**
 * The unit printed after a cell's figure: where the row prints one token per column, the one
 * after its own token; where digits run together were cut into cells, the row's last cell
 * ends where the last token ends, so it takes the unit after that token. Without one, the
 * unit its column's header states.
 */
function unitOf(place: Placed, index: number, decoded: boolean): string | UnreadUnit | undefined {
  const { codes } = place.row;
  const { tokens, units } = place.segment;
  const printed =
    tokens.length === codes.length && !decoded
      ? units[index]
      : index === codes.length - 1
        ? units[tokens.length - 1]
        : undefined;
  return printed ?? place.row.columnUnits?.[index];
}

/**
 * A unit after a token other than the last, in a row whose digits run together were cut into
 * more cells than tokens ("3万00"): which cell ends at that token cannot be told here, so
 * the unit cannot be given to a cell, and dropping it could store 3 for 3万.
 */
function strandedUnit({ row, segment }: Placed): string | undefined {
  if (segment.tokens.length >= row.codes.length) return undefined;
  return segment.units.slice(0, segment.tokens.length - 1).find((u) => u !== undefined);
}

/** The mark a row prints for its blank cells, where it prints one kind ("—" for a run of them); else "/". */
function onlyMark(segment: Segment): string {
  const marks = new Set(
    segment.tokens.filter((t) => t.kind !== 'digits').map((t) => (t.kind === 'dashes' ? t.text[0] : t.text)),
  );
  return marks.size === 1 ? ([...marks][0] ?? '/') : '/';
}

/** Every cell of a row as a MISSING_CELL gap, each with its column and the message `why` gives. */
function missingRow(
  reading: TableReading,
  table: TableId,
  row: { label: string; codes: readonly string[] },
  line: number,
  printed: string | null,
  why: (code: string) => string,
) {
  for (const code of row.codes) {
    reading.gaps.push({
      code: 'MISSING_CELL',
      severity: 'gap',
      table,
      row: row.label,
      column: columnLabel(code),
      cellCode: code,
      line,
      ...(printed === null ? {} : { text: printed }),
      message: why(code),
    });
  }
}

/** The printed label of a cell's column (自然人, 处理决定数量), for messages and gaps. */
const columnLabel = (code: string) => cellByCode(code)?.labelZh.at(-1) ?? code;
/** A cell named in full for a message about several cells of one printed row (行政诉讼 未经复议直接起诉 结果维持). */
const columnName = (code: string) => cellByCode(code)?.labelZh.join(' ') ?? code;

/**
 * A cell's figures (a value, or an unreadable cell's candidates) in its column's unit, given
 * the unit printed after them (units.ts); null, with the error recorded, when the unit does
 * not belong in the column or a converted figure cannot be stored exactly.
 */
function inUnit(
  reading: TableReading,
  at: Omit<CellPlace, 'column'>,
  printed: string,
  unit: string,
  figures: string[],
): string[] | null {
  const definition = cellByCode(at.code);
  if (!definition) return figures;
  const where = { ...at, column: columnLabel(at.code) };
  const read = figures.map((figure) => inColumnUnit(figure, unit, definition.unit));
  const problem = (code: 'UNIT_MISMATCH' | 'OUT_OF_RANGE', why: string) => {
    reading.errors.push(cellProblem(code, 'error', where, printed, `${why}.`));
    return null;
  };
  const values: string[] = [];
  for (const r of read) {
    if (!r.ok) return problem('UNIT_MISMATCH', r.reason);
    values.push(r.value);
  }
  if (!values.every(storable))
    return problem(
      'OUT_OF_RANGE',
      `in 万元 has more than 8 places after the decimal point, which cannot be stored exactly`,
    );
  // An unreadable cell's candidates are converted too; its gap says so, not a warning.
  if (values.length === 1 && read[0]?.ok && read[0].converted && values[0] !== figures[0])
    reading.warnings.push(unitConverted(where, printed, values[0] ?? '', unit));
  return values;
}

/** Reads the found rows' figures: each row's first run of numbers that can fill its columns. */
/** A row's label, the runs of values after it (`all`) and the one read as its figures. */
interface Chosen {
  row: FoundRow;
  segment: Segment | null;
  all: Segment[];
}

export function readRows(
  stream: Stream,
  table: TableId,
  version: TemplateVersion,
  rows: FoundRow[],
  reading: TableReading,
  separated: boolean,
) {
  const text = stream.text;
  const chosen: Chosen[] = rows.map((row) => {
    const from = afterNote(text, row.match.end, row.until);
    const all = segments(text, from, row.until);
    const candidates = inReach(text, from, row.until, row.codes, all);
    // A stray number before the figures (a footnote mark) cannot fill the row; the figures can.
    const fits = candidates.find((s) => fillsRow(text, version, row.codes, s, separated));
    // Marks alone are the row's figures only where they fill it ("— — — — — — —"): a stray
    // dash or 无 in the text around a table is not a row.
    const withFigures = candidates.find((s) => s.tokens.some((t) => t.kind === 'digits'));
    // A page number alone on a line after figures that fill the row and keep its totals.
    const paged = !fits && withFigures ? withoutPageNumber(stream, table, version, row, withFigures) : null;
    if (paged) reading.warnings.push(paged.warning);
    return { row, segment: fits ?? paged?.segment ?? withFigures ?? null, all };
  });
  // A second run that fills the row as well: which is its figures cannot be told.
  const rivals = new Map(chosen.map((c) => [c, rivalRun(stream, table, version, separated, c)]));
  ignoredFigures(
    stream,
    table,
    chosen.filter((c) => !rivals.get(c)),
    reading,
  );
  const runs: RowRun[] = [];
  const placed: Placed[] = [];
  for (const current of chosen) {
    const { row, segment, all } = current;
    const refusal =
      runRefusal(stream, table, row, segment, all) ??
      rivals.get(current) ??
      strayBefore(stream, table, current) ??
      (segment && pageNumberInBlank(stream, table, version, row, segment));
    if (refusal) {
      reading.errors.push(refusal);
      continue;
    }
    if (!segment) {
      const line = stream.lineAt(row.match.start);
      missingRow(reading, table, row, line, null, (code) => {
        const column = code.split('.').slice(2).join('.');
        return `Line ${line}, ${TABLE_NAMES[table]}, row "${row.label}": no figures follow the label (expected ${row.codes.length}); cell ${column} is missing.`;
      });
      continue;
    }
    runs.push({ codes: row.codes, tokens: segment.tokens, apart: printsApart(text, segment) });
    placed.push({ row, segment });
  }
  reading.fit = {
    exact: placed.filter((p) => p.segment.tokens.length === p.row.codes.length).length,
    rows: placed.length,
  };
  const decoded = decodeRuns(version, runs, { separated });
  /** A problem with a placed row's printed figures: its line, row and figures, and `said` of them. */
  const rowProblem = (
    p: Placed,
    code: ProblemCode,
    severity: Problem['severity'],
    said: (figures: string) => string,
  ) => {
    const line = stream.lineAt(p.segment.start);
    const figures = text.slice(p.segment.start, p.segment.end).trim();
    const message = `Line ${line}, ${TABLE_NAMES[table]}, row "${p.row.label}": ${said(figures)}`;
    return { code, severity, table, row: p.row.label, line, text: figures, message };
  };
  for (const { row: index, reason, blanksDropped } of decoded.impossible) {
    const at = placed[index];
    if (!at) continue;
    const line = stream.lineAt(at.segment.start);
    const printed = text.slice(at.segment.start, at.segment.end).trim();
    // Separated figures are one token each; run-together digits could be one figure each.
    const pieces = separated
      ? at.segment.tokens.length
      : at.segment.tokens.reduce(
          (n, t) =>
            n +
            (t.kind === 'digits'
              ? t.text.replace(/\D/g, '').length
              : t.kind === 'dashes'
                ? [...t.text].length
                : 1),
          0,
        );
    // Figures that fit only against the row's total, or too few figures: which column each
    // belongs to cannot be told, so none is placed and each cell is a gap.
    const unplaced = blanksDropped
      ? `${reason}, so no figure can be placed in its column`
      : pieces < at.row.codes.length
        ? `"${printed}" holds fewer figures than the row's ${at.row.codes.length} columns, so no figure can be placed in its column`
        : null;
    if (unplaced) {
      missingRow(
        reading,
        table,
        at.row,
        line,
        printed,
        (code) =>
          `Line ${line}, ${TABLE_NAMES[table]}, row "${at.row.label}": ${unplaced}; cell ${code} is missing.${blanksDropped ? ' Check the row against the document.' : ''}`,
      );
      continue;
    }
    const columns = at.row.codes.length;
    reading.errors.push(
      rowProblem(
        at,
        'TOO_MANY_VALUES',
        'error',
        (figures) =>
          `the figures "${figures}" do not fit the row's ${columns} columns (${reason}); expected ${columns} figures, each without a leading zero.${figuresHints(
            figures,
            columns,
            at.row.codes.some((code) => cellByCode(code)?.signed),
          )}`,
      ),
    );
  }
  for (const { row: index, codes } of decoded.splitByTotals) {
    const at = placed[index];
    if (!at) continue;
    reading.warnings.push(
      rowProblem(
        at,
        'SPLIT_BY_TOTALS',
        'warning',
        (figures) =>
          `the figures "${figures}" are printed run together, and only the row's own totals decided how to cut ${codes.map(columnName).join(', ')}: the one split that keeps them. Were a total misprinted, another split would be the document's; check the row against the document.`,
      ),
    );
  }
  for (const identity of decoded.brokenIdentities) {
    reading.warnings.push({
      code: 'BROKEN_IDENTITY',
      severity: 'warning',
      table,
      message: `${TABLE_NAMES[table]}: the printed figures break the identity ${identity.expected.zh} = ${identity.actual.zh} (${identity.scopeZh}), so it was not used to split digits run together.`,
    });
  }
  const codeToPlace = new Map<string, Placed>();
  for (const p of placed) for (const code of p.row.codes) codeToPlace.set(code, p);
  const refused = new Set<Placed>();
  for (const p of placed) {
    const unit = strandedUnit(p);
    if (unit === undefined) continue;
    refused.add(p);
    reading.errors.push(
      rowProblem(
        p,
        'UNIT_MISMATCH',
        'error',
        (figures) =>
          `"${figures}" prints ${unit} inside figures run together, so which figure it belongs to cannot be told; re-save the row with its figures separated.`,
      ),
    );
  }
  const marked = markedFigures(stream, table, placed, refused, reading);
  for (const cell of decoded.cells) {
    if (marked.has(cell.code)) continue;
    const place = codeToPlace.get(cell.code);
    if (!place) continue;
    const raw = text.slice(place.segment.start, place.segment.end).trim();
    const line = stream.lineAt(place.segment.start);
    if (refused.has(place)) continue;
    const oneEach = place.segment.tokens.length === place.row.codes.length;
    const index = place.row.codes.indexOf(cell.code);
    const unit = unitOf(place, index, cell.status === 'value' && cell.decoded);
    const printed =
      oneEach && !(cell.status === 'value' && cell.decoded) ? (place.segment.printed[index] ?? raw) : raw;
    const figures =
      cell.status === 'value'
        ? [cell.value.replace(/^\+/, '').replace(/^-0$/, '0')]
        : cell.status === 'unreadable'
          ? cell.candidates
          : [];
    const at = { table, row: place.row.label, code: cell.code, line };
    if (typeof unit === 'object' && figures.length > 0) {
      refuseUnreadUnit(reading, { ...at, column: columnLabel(cell.code) }, printed, unit);
      continue;
    }
    const stated = typeof unit === 'string' ? unit : undefined;
    const inColumn = stated ? inUnit(reading, at, printed, stated, figures) : figures;
    if (inColumn === null) continue;
    const value = inColumn[0] ?? null;
    const parsed: ParsedCell =
      cell.status === 'value'
        ? {
            code: cell.code,
            status: 'REPORTED',
            value: value ?? cell.value,
            // One figure per column: the figure as printed, thousands separators and unit and all.
            rawText: printed,
            line,
            ...(cell.decoded ? { decodedFrom: raw } : {}),
            ...(stated ? { unit: stated } : {}),
          }
        : cell.status === 'mark'
          ? {
              code: cell.code,
              status: 'NOT_REPORTED',
              value: null,
              // The mark as printed ("/", "—", "无") where each column printed one token, or
              // the row's one kind of mark.
              rawText:
                oneEach && place.segment.tokens[index]?.kind === 'mark'
                  ? (place.segment.printed[index] ?? '/')
                  : onlyMark(place.segment),
              line,
            }
          : {
              code: cell.code,
              status: 'UNREADABLE',
              value: null,
              rawText: raw,
              line,
              candidates: inColumn,
              ...(cell.orNotReported ? { orNotReported: true } : {}),
              ...(stated ? { unit: stated } : {}),
            };
    reading.cells.set(cell.code, parsed);
    if (cell.status === 'unreadable') {
      reading.gaps.push({
        code: 'UNREADABLE_CELL',
        severity: 'gap',
        table,
        row: place.row.label,
        column: columnLabel(cell.code),
        cellCode: cell.code,
        line,
        text: raw,
        message: `Line ${line}, ${TABLE_NAMES[table]}, row "${place.row.label}": ${/\s/.test(raw) ? `"${raw}" prints fewer figures than the row's ${place.row.codes.length} columns, so some are digits run together (or blank cells were dropped)` : `the digits "${raw}" are printed without separators`}, ${splitDoubt(cell, inColumn, stated)}, so it is read as unreadable, never guessed.`,
      });
    }
  }
}

/**
 * Figures printed with a footnote mark (1362①, 1362 *) are refused, as a marked cell is in a
 * table of cells: the note may qualify the figure, and the mark is never read as more digits
 * nor dropped unseen. Returns the cells refused; a row whose figures are not one a column has
 * the mark's cell unknown, so the whole row is refused (added to `refused`).
 */
function markedFigures(
  stream: Stream,
  table: TableId,
  placed: readonly Placed[],
  refused: Set<Placed>,
  reading: TableReading,
): Set<string> {
  const cells = new Set<string>();
  for (const p of placed) {
    if (refused.has(p)) continue;
    const { row, segment } = p;
    const line = stream.lineAt(segment.start);
    const oneEach = segment.tokens.length === row.codes.length;
    const refuse = (index: number, why: (printed: string) => string) => {
      const printed = (segment.printed[index] ?? '').trim();
      const code = oneEach ? row.codes[index] : undefined;
      if (code) {
        if (cells.has(code)) return;
        cells.add(code);
        const where = { table, row: row.label, column: columnLabel(code), code, line };
        reading.errors.push(cellProblem('NOT_A_NUMBER', 'error', where, printed, why(printed)));
        return;
      }
      if (refused.has(p)) return;
      refused.add(p);
      reading.errors.push(
        rowRefusal('NOT_A_NUMBER', table, row.label, line, printed, `"${printed}" ${why(printed)}`),
      );
    };
    segment.marks.forEach((mark, index) => {
      if (mark === undefined) return;
      refuse(
        index,
        (printed) =>
          smallerPieceRefusal(printed) ??
          `has a footnote mark (${mark.trim()}) after the figure, which is neither read as part of it nor dropped: check what the footnote says of the figure, then remove the mark and import again.`,
      );
    });
    // A point, a rough word or a sign printed with a figure (.35, 约35, 35%): refused as a
    // table's cell is, never read as 35.
    segment.joined.forEach((joined, index) => {
      if (joined !== undefined) refuse(index, (printed) => joinedRefusal(joined, printed));
    });
  }
  return cells;
}

/**
 * Figures printed between a row's label and the next row's beside the ones read as the row's:
 * a local row the template has no label for (其中：网上申请 2500 40 …), or a note's number after
 * the row's last figure. Running text has no cells to keep them in, so they are said, not dropped
 * silently.
 */
function ignoredFigures(stream: Stream, table: TableId, chosen: readonly Chosen[], reading: TableReading) {
  for (const { row, segment, all } of chosen) {
    if (!segment) continue;
    for (const other of all) {
      if (other.start < segment.end) continue;
      // A row's label and its figures: a few words, no sentence (the narrative after a table
      // dumped as one line), then two figures or more (a year in a sentence is one).
      const words = stream.text.slice(segment.end, other.start);
      if (words.length > 24 || /[。，,；;]/.test(words)) break;
      if (other.tokens.filter((t) => t.kind === 'digits').length < 2) continue;
      const line = stream.lineAt(other.start);
      const printed = stream.text.slice(segment.end, other.end).replace(/\s+/g, ' ').trim();
      reading.warnings.push({
        code: 'UNKNOWN_ROW',
        severity: 'warning',
        table,
        row: row.label,
        line,
        text: printed,
        message: `Line ${line}, ${TABLE_NAMES[table]}: "${printed}" after the figures of row "${row.label}" is not a row of the template; its figures were not read. Check that the row's own figures are the ones before it.`,
      });
      break;
    }
  }
}
