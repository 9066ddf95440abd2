/**
 * What reading one table yields (its cells and the problems found), and the cell-level
 * steps that the readers of tab- or pipe-separated rows share: matching a label, reading a
 * value, lining a row's values up with its columns.
 */
import { cellByCode } from '../catalogue/cells.ts';
import type { Label, TemplateVersion } from '../catalogue/template.ts';
import { footnoteMarkRefusal } from './figure-marks.ts';
import { smallerPieceRefusal } from './html-smaller.ts';
import type { Line } from './lines.ts';
import { spacedFigureRefusal } from './spaced-figures.ts';
import {
  compact,
  isPlainInteger,
  labelKey,
  mergedFigure,
  NOTE_MARKS_AFTER,
  readCell,
  rightToLeftRefusal,
  splitUnit,
  withControlsShown,
} from './text.ts';
import type { ExtraRow, ParsedCell, Problem, ProblemCode, TableId } from './types.ts';
import { inColumnUnit } from './units.ts';
import { unseenRefusal } from './unseen-text.ts';

export interface TableReading {
  cells: Map<string, ParsedCell>;
  errors: Problem[];
  gaps: Problem[];
  warnings: Problem[];
  extras: ExtraRow[];
  /** Template versions the table's labels are compatible with, with the label that says so. */
  evidence: { versions: readonly TemplateVersion[]; label: string; line: number }[];
  /** Whether anything recognisable of the table was found at all. */
  found: boolean;
  /** Running text only: rows found, and how many printed exactly one token per column. */
  fit?: { exact: number; rows: number };
}

export const emptyReading = (): TableReading => ({
  cells: new Map(),
  errors: [],
  gaps: [],
  warnings: [],
  extras: [],
  evidence: [],
  found: false,
});

const keysByLabel = new WeakMap<Label, string[]>();
/** Normalised keys of a catalogue label and its variants, computed once per label. */
export const labelKeys = (label: Label): readonly string[] => {
  let keys = keysByLabel.get(label);
  if (!keys) {
    keys = [label.zh, ...(label.variants ?? [])].map(labelKey);
    keysByLabel.set(label, keys);
  }
  return keys;
};
export const matchesLabel = (key: string, label: Label) => labelKeys(label).includes(key);

/**
 * The labels a normalised key matches, in catalogue order: `labelsMatching(labels)(key)` is
 * `labels.filter((l) => matchesLabel(key, l))`, looked up instead of scanned for every cell.
 */
export function labelsMatching<T extends Label>(labels: readonly T[]): (key: string) => readonly T[] {
  const byKey = new Map<string, T[]>();
  for (const label of labels) {
    for (const key of new Set(labelKeys(label))) {
      const matching = byKey.get(key);
      if (matching) matching.push(label);
      else byKey.set(key, [label]);
    }
  }
  return (key) => byKey.get(key) ?? [];
}

/** How messages name the tables. */
export const TABLE_NAMES: Record<TableId, string> = {
  T2: 'table 2 (主动公开)',
  T3: 'table 3 (依申请公开)',
  T4: 'table 4 (行政复议、行政诉讼)',
};
const EXPECTED_NUMBER =
  'expected a number (e.g. 0, 12, +2, 12.5), or blank, "/", "-", "—" or "无" for not reported';

/**
 * Struck-through text as the readers of web pages, Word and PDF files give it (~~4480~~). The
 * struck figure is the old one of a correction by sight, but the file holds both, and which the
 * agency meant to publish is not the reader's to choose.
 */
const STRUCK = /~~[^~]*~~/;
const struckThrough = (struck: string) =>
  `is not a number: ${struck} is struck through in the file (the old figure of a correction, or a deletion left in), so the cell's figure cannot be told from it. Check the figure the agency published, correct the file (remove the struck text, keep the figure that stands) and import again.`;

/** What a figure may look like to be stored exactly (decimals are kept as text): never rounded, never truncated. */
const STORABLE = /^-?\d{1,14}(?:\.\d{1,8})?$/;
/** Whether a number fits; trailing zeros after the point are not precision. Cheap for plain counts. */
export const storable = (value: string) =>
  value.length <= 14 && !value.includes('.')
    ? true
    : STORABLE.test(value.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''));

export type CellPlace = { table: TableId; row: string; column: string; code: string; line: number };

/** A problem with one value cell, its message naming the line, table, row and column. */
export function cellProblem(
  code: ProblemCode,
  severity: Problem['severity'],
  where: CellPlace,
  raw: string,
  why: string,
): Problem {
  return {
    code,
    severity,
    table: where.table,
    row: where.row,
    column: where.column,
    cellCode: where.code,
    line: where.line,
    text: raw,
    message: `Line ${where.line}, ${TABLE_NAMES[where.table]}, row "${withControlsShown(where.row)}", column "${withControlsShown(where.column)}": "${withControlsShown(raw)}" ${why}`,
  };
}

/** Records why a value cell cannot be read. (Not a closure in readValue: that runs for every cell.) */
function refuseValue(
  reading: TableReading,
  where: CellPlace,
  raw: string,
  code: 'NOT_A_NUMBER' | 'NOT_A_COUNT' | 'OUT_OF_RANGE' | 'UNIT_MISMATCH',
  why: string,
) {
  reading.errors.push(cellProblem(code, 'error', where, raw, why));
}

const TOO_MANY_DIGITS =
  'has more than 14 digits before or 8 after the decimal point, which cannot be stored exactly; check the source for digits run together.';

/**
 * 本年增/减 written in words, or with a dash of a table's width for the minus sign: 增加2 or 增2
 * is +2, 减少2, 减2 and —2 are −2. A dash alone is a blank cell's mark, never a sign.
 */
const SIGN_WORD = /^(增加|增|减少|减|—)(\d+)$/;
function signedInWords(raw: string): string | null {
  const m = SIGN_WORD.exec(compact(raw));
  if (!m) return null;
  return `${m[1]?.startsWith('增') ? '+' : '-'}${m[2]}`;
}

/**
 * A money column's header or note that speaks of the amounts' unit in words no pattern reads
 * (units.ts unreadMoneyUnit): the text, for the message. Or `conflicting` units that the
 * table's header, label, notes or heading state (table2-units.ts), the texts stating them.
 */
export interface UnreadUnit {
  unread: string;
  conflicting?: true;
}

/** Refuses an amount whose unit a header or note names in words that are not read, or notes disagree on. */
export function refuseUnreadUnit(reading: TableReading, where: CellPlace, raw: string, unit: UnreadUnit) {
  refuseValue(
    reading,
    where,
    raw,
    'UNIT_MISMATCH',
    unit.conflicting
      ? `is an amount whose unit the table states differently (${unit.unread}), so whether it is in 元 or 万元, ten thousand times apart, cannot be told. Print one unit for the amounts and import again.`
      : `is an amount under "${unit.unread}", which names its unit in words that are not read (元, 万元, 单位：元 …), so whether it is in 元 or 万元, ten thousand times apart, cannot be told. Print the unit as （元） or （万元）.`,
  );
}

/** Reads one value cell into the result, or records why it cannot be read. */
export function readValue(
  reading: TableReading,
  where: CellPlace,
  raw: string,
  columnUnit?: string | UnreadUnit,
) {
  const merged = mergedFigure(raw);
  if (merged !== null) {
    reading.gaps.push(
      cellProblem(
        'MERGED_CELL',
        'gap',
        where,
        merged,
        `is printed once in a cell merged over several rows, so whether it is this row's figure, each row's or their total cannot be told; cell ${where.code} is missing. Check the row against the document.`,
      ),
    );
    return;
  }
  // Most cells are plain counts, with no unit to look for (this runs for every cell), unless
  // the column's header states another unit than the column's own (columnUnit, units.ts).
  const plain = isPlainInteger(raw) && columnUnit === undefined;
  const split = plain ? null : splitUnit(raw);
  const unread = typeof columnUnit === 'object' ? columnUnit : null;
  const unit = split?.unit ?? (typeof columnUnit === 'string' ? columnUnit : undefined);
  const signed = plain || !cellByCode(where.code)?.signed ? null : signedInWords(split ? split.text : raw);
  const cell = readCell(signed ?? (split ? split.text : raw));
  if (cell.kind === 'text') {
    const struck = STRUCK.exec(raw)?.[0];
    const why = struck
      ? struckThrough(struck)
      : (smallerPieceRefusal(raw) ??
        unseenRefusal(raw) ??
        rightToLeftRefusal(raw) ??
        footnoteMarkRefusal(raw) ??
        spacedFigureRefusal(raw) ??
        `is not a number; ${EXPECTED_NUMBER}.`);
    refuseValue(reading, where, raw, 'NOT_A_NUMBER', why);
    return;
  }
  if (cell.kind === 'number' && !storable(cell.value)) {
    refuseValue(reading, where, raw, 'OUT_OF_RANGE', TOO_MANY_DIGITS);
    return;
  }
  let value = cell.kind === 'number' ? cell.value : null;
  if (value !== null && unread !== null && !split?.unit) {
    refuseUnreadUnit(reading, where, raw, unread);
    return;
  }
  if (value !== null && !plain) {
    // A count is a whole number, and one without a sign column is not negative: −258 or 258.5
    // requests is a typing or extraction slip that no identity may catch (table 2 has none).
    const definition = cellByCode(where.code);
    const negative = value.startsWith('-');
    if (definition?.unit === 'COUNT' && (/\.\d*[1-9]/.test(value) || (negative && !definition.signed))) {
      refuseValue(
        reading,
        where,
        raw,
        'NOT_A_COUNT',
        `is not a count; this column holds a whole number${definition.signed ? ' (with a sign for a decrease)' : ' of 0 or more'}. Check the source for a slip.`,
      );
      return;
    }
    // An amount of fees collected is never below zero either: −5.5 万元 is a slip (a blank
    // cell's dash run into the figure, or a refund typed into the wrong column).
    if (negative && definition && !definition.signed) {
      refuseValue(
        reading,
        where,
        raw,
        'OUT_OF_RANGE',
        'is below zero; this column holds an amount of 0 or more. Check the source for a slip (a dash run into the figure) and import again.',
      );
      return;
    }
    if (unit && definition) {
      const inColumn = inColumnUnit(value, unit, definition.unit);
      if (!inColumn.ok) {
        refuseValue(reading, where, raw, 'UNIT_MISMATCH', `${inColumn.reason}.`);
        return;
      }
      // 0 in 元 is 0 in 万元: nothing to warn about.
      if (inColumn.converted && inColumn.value !== value) {
        if (!storable(inColumn.value)) {
          refuseValue(reading, where, raw, 'OUT_OF_RANGE', TOO_MANY_DIGITS);
          return;
        }
        reading.warnings.push(unitConverted(where, raw, inColumn.value, unit));
      }
      value = inColumn.value;
    }
  }
  const parsed: ParsedCell = {
    code: where.code,
    status: value !== null ? 'REPORTED' : 'NOT_REPORTED',
    value,
    rawText: raw,
    line: where.line,
  };
  if (unit && value !== null) parsed.unit = unit;
  reading.cells.set(where.code, parsed);
}

/** The warning for a money figure printed in 元 (or 亿元, 千元 …) and stored in its column's 万元. */
export const unitConverted = (where: CellPlace, raw: string, stored: string, unit: string): Problem =>
  cellProblem(
    'UNIT_CONVERTED',
    'warning',
    where,
    raw,
    `is given in ${unit}; stored as ${stored} in the column's unit, 万元.`,
  );

/**
 * Aligns a row's value cells with the number of columns expected. Merged label cells
 * leave empty cells before the values and exports often add one after; those are
 * dropped only while the row has more cells than columns. Where the blank cells left are
 * more than the extra ones and which of them are figures cannot be told from the row alone,
 * the row is `surplus`, with `unclear` saying why: a blank figure is never placed by a guess.
 */
export function alignValues(
  values: string[],
  expected: number,
  /** The row is as wide as every other row of its table: no cell was trimmed from its end. */
  fullWidth = false,
): { values: string[]; surplus: boolean; unclear?: string } {
  const out = [...values];
  const extra = out.length - expected;
  if (extra > 0) {
    const leading = out.findIndex((c) => c !== '');
    const trailing = out.length - 1 - out.findLastIndex((c) => c !== '');
    // Blank cells at both ends, more of them than are extra: a label printed as a cell and an
    // empty one instead of a merged cell, before a blank 总计, left both, and dropping the
    // trailing one moved every figure of the row one column right. Which is extra cannot be
    // told, so the row is refused as too wide rather than read by a guess.
    if (leading > 0 && trailing > 0 && leading + trailing > extra && leading < out.length) {
      return {
        values: out,
        surplus: true,
        unclear: `its ${out.length} cells after the label are ${extra} more than its ${expected} columns, with ${leading} blank before its figures and ${trailing} after them, so which blank cells are figures left blank and which are a merged label cell's cannot be told`,
      };
    }
    // More blank cells before the figures than are extra, none after: a label merged over
    // three cells before a blank first figure, or over two before a blank last figure whose
    // cell the export dropped (trailing tabs trimmed). Dropping the extra ones kept a blank
    // that may be the label's, and moved every figure one column right of where it was printed.
    if (!fullWidth && trailing === 0 && leading > extra) {
      return {
        values: out,
        surplus: true,
        unclear: `its ${out.length} cells after the label are ${extra} more than its ${expected} columns and start with ${leading} blank ones, more than a merged label cell explains, so whether its first figure is blank or the row lost a blank cell at its end (trailing tabs trimmed) cannot be told`,
      };
    }
  }
  while (out.length > expected && out[out.length - 1] === '') out.pop();
  while (out.length > expected && out[0] === '') out.shift();
  return { values: out, surplus: out.length > expected };
}

export function missingCells(
  reading: TableReading,
  table: TableId,
  row: string,
  line: number,
  columns: { code: string; label: string }[],
  printed: number,
  /** The row's cells and those of the table's other rows, where it has fewer; or why it is short. */
  grid?: { cells: number; width: number } | string,
) {
  // As many values as columns, in a row narrower than the rest: one of its cells is missing
  // and another was printed in its place, or the values sit under other columns.
  const why =
    typeof grid === 'string'
      ? grid
      : grid && grid.cells < grid.width && printed >= columns.length
        ? `the row has ${grid.cells} cells where the table's other rows have ${grid.width}, so which column each of its ${printed} values was printed under cannot be told`
        : `${printed} value${printed === 1 ? '' : 's'} for ${columns.length} columns, so which column each was printed under cannot be told`;
  for (const column of columns) {
    reading.gaps.push({
      code: 'MISSING_CELL',
      severity: 'gap',
      table,
      row,
      column: column.label,
      cellCode: column.code,
      line,
      message: `Line ${line}, ${TABLE_NAMES[table]}, row "${row}": ${why}; the cell for column "${column.label}" is missing. Check the row against the document.`,
    });
  }
}

/**
 * A row with fewer values than columns: a cell was dropped somewhere, not necessarily at
 * the end, so no value is placed (a value is only ever stored under the column it was
 * printed under). Every cell of the row becomes a gap.
 */
export function shortRow(values: readonly string[], columns: number): boolean {
  return values.length < columns;
}

/**
 * A table row as it is read: its cells, or those with its blank cells split one per
 * column they span (Line.blanksSplit) where its value cells (`count`, as printed: no blank
 * trimmed from either end, which would move every figure by one) are fewer than `expected`
 * and the split ones exactly as many. A blank merged over five columns is five blanks on
 * screen; a row with a figure so merged is not split, and stays short.
 */
export function cellsRead<L extends Line & { cells: string[] }>(
  line: L,
  expected: number,
  count: (cells: string[]) => number,
): L {
  const split = line.blanksSplit;
  if (!split || split.from !== line.cells || count(line.cells) >= expected) return line;
  return count(split.cells) === expected ? { ...line, cells: split.cells } : line;
}

/**
 * The width every row of a copied table has (merged cells leave empty cells, so a tab- or
 * pipe-separated table is a full grid), when at least nine rows in ten agree on it. A row
 * narrower than that lost a cell, and its leading or trailing empty cells can no longer be
 * told from blank values; null when widths vary by design (HTML with colspans removed).
 */
export function gridWidth(lines: readonly Line[]): number | null {
  const widths = lines.filter((l) => l.cells && l.cells.length > 1).map((l) => l.cells?.length ?? 0);
  if (widths.length < 4) return null;
  const counts = new Map<number, number>();
  for (const w of widths) counts.set(w, (counts.get(w) ?? 0) + 1);
  const [width, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
  return count >= widths.length * 0.9 ? width : null;
}

/** A cell holding words (a label or a piece of one), not a figure, a unit figure or a mark. */
export const isLabelText = (cell: string) =>
  cell.trim() !== '' && readCell(cell).kind === 'text' && splitUnit(cell).unit === null;

/** A cell holding a figure or a mark for one not reported (not words, not blank). */
export const printsFigure = (cell: string) => cell !== '' && readCell(cell).kind !== 'text';

/**
 * A cell that may hold a figure (a number, a mark, a digit with a unit): a cheap first look.
 * Words whose only digit is in a footnote mark after them (行政复议[1], a header's note; ① is
 * folded to (1)) are no figure, or table 4 would take its header row for a second row of figures.
 */
export const mayBeFigure = (cell: string) =>
  cell !== '' && (readCell(cell).kind !== 'text' || (/\d/.test(cell) && !markedWords(cell)));

function markedWords(cell: string): boolean {
  const folded = compact(cell);
  const words = folded.replace(NOTE_MARKS_AFTER, '').replace(/\(\d{1,3}\)$/, '');
  return (
    words !== folded && !/\d/.test(words) && /\p{Script=Han}/u.test(words) && readCell(words).kind === 'text'
  );
}

/**
 * A row's cells with `label`, printed alone on the line above (a table cell ending in a line
 * break: "规章" / "\t0\t0\t0"), in the empty cell before its first value; null where no empty
 * cell stands there.
 */
export function withLabelBefore(cells: readonly string[], label: string): string[] | null {
  const first = cells.findIndex((c) => c.trim() !== '');
  if (first < 1 || cells[first - 1]?.trim() !== '') return null;
  return cells.map((c, i) => (i === first - 1 ? label : c));
}

/**
 * A row that a page break (or an author) cut in two, its label going on in the next row: the
 * two as one, each column's text joined. Null where a column holds anything but label text
 * in both (two figures are never joined into one), or where no label is joined.
 */
export function joinedWithNext(
  line: Line & { cells: string[] },
  next: Line | undefined,
): (Line & { cells: string[] }) | null {
  if (!next?.cells) return null;
  const width = Math.max(line.cells.length, next.cells.length);
  const cells: string[] = [];
  let joinedLabel = false;
  for (let i = 0; i < width; i++) {
    const [a, b] = [line.cells[i] ?? '', next.cells[i] ?? ''];
    if (a.trim() === '' || b.trim() === '') cells.push(a.trim() === '' ? b : a);
    else if (isLabelText(a) && isLabelText(b)) {
      cells.push(`${a.trim()}${b.trim()}`);
      joinedLabel = true;
    } else return null;
  }
  return joinedLabel ? { ...line, cells, text: cells.join('\t') } : null;
}
