/**
 * Reads tables 2, 3 and 4 from table rows. Rows and columns are recognised by their
 * labels, matched against the catalogue; numbers are never inferred from position
 * beyond the printed order of a row's values.
 */
import { table2CellCode, table3CellCode, table4CellCode } from '../catalogue/cells.ts';
import {
  APPLICANT_COLUMNS,
  type Label,
  TABLE2_BLOCKS,
  TABLE2_HEADER_FIRST_CELL,
  TABLE3_GROUPS,
  TABLE3_OUTCOMES_LABEL,
  TABLE3_ROWS,
  TABLE4_PROCEEDINGS,
  TABLE4_RESULTS,
  type Table2Block,
  type Table2Column,
  type Table3Group,
  type Table3Row,
  type TemplateVersion,
} from '../catalogue/template.ts';
import type { Line } from './lines.ts';
import { fold, isValueLike, labelKey, readCell, splitLabel, splitUnit } from './text.ts';
import type { ExtraRow, ParsedCell, Problem, TableId } from './types.ts';

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
const labelKeys = (label: Label) => {
  let keys = keysByLabel.get(label);
  if (!keys) {
    keys = [label.zh, ...(label.variants ?? [])].map(labelKey);
    keysByLabel.set(label, keys);
  }
  return keys;
};
const matchesLabel = (key: string, label: Label) => labelKeys(label).includes(key);

/** How messages name the tables. */
export const TABLE_NAMES: Record<TableId, string> = {
  T2: 'table 2 (主动公开)',
  T3: 'table 3 (依申请公开)',
  T4: 'table 4 (行政复议、行政诉讼)',
};
const EXPECTED_NUMBER =
  'expected a number (e.g. 0, 12, +2, 12.5), or blank, "/", "-", "—" or "无" for not reported';

/** What a figure may look like to be stored exactly (decimals are kept as text): never rounded, never truncated. */
const STORABLE = /^-?\d{1,14}(?:\.\d{1,8})?$/;
/** Whether a number fits; trailing zeros after the point are not precision. Cheap for plain counts. */
const storable = (value: string) =>
  value.length <= 14 && !value.includes('.')
    ? true
    : STORABLE.test(value.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''));

type CellPlace = { table: TableId; row: string; column: string; code: string; line: number };

/** Records why a value cell cannot be read. (Not a closure in readValue: that runs for every cell.) */
function refuseValue(
  reading: TableReading,
  where: CellPlace,
  raw: string,
  code: 'NOT_A_NUMBER' | 'OUT_OF_RANGE',
  why: string,
) {
  reading.errors.push({
    code,
    severity: 'error',
    table: where.table,
    row: where.row,
    column: where.column,
    cellCode: where.code,
    line: where.line,
    text: raw,
    message: `Line ${where.line}, ${TABLE_NAMES[where.table]}, row "${where.row}", column "${where.column}": "${raw}" ${why}`,
  });
}

/** Reads one value cell into the result, or records why it cannot be read. */
const PLAIN_COUNT = /^\d+$/;

function readValue(reading: TableReading, where: CellPlace, raw: string) {
  // Most cells are plain counts, with no unit to look for (this runs for every cell).
  const plain = PLAIN_COUNT.test(raw);
  const split = plain ? null : splitUnit(raw);
  const cell = readCell(split ? split.text : raw);
  if (cell.kind === 'text') {
    refuseValue(reading, where, raw, 'NOT_A_NUMBER', `is not a number; ${EXPECTED_NUMBER}.`);
    return;
  }
  if (cell.kind === 'number' && !storable(cell.value)) {
    refuseValue(
      reading,
      where,
      raw,
      'OUT_OF_RANGE',
      'has more than 14 digits before or 8 after the decimal point, which cannot be stored exactly; check the source for digits run together.',
    );
    return;
  }
  const parsed: ParsedCell = {
    code: where.code,
    status: cell.kind === 'number' ? 'REPORTED' : 'NOT_REPORTED',
    value: cell.kind === 'number' ? cell.value : null,
    rawText: raw,
    line: where.line,
  };
  if (split?.unit && cell.kind === 'number') parsed.unit = split.unit;
  reading.cells.set(where.code, parsed);
}

/**
 * Aligns a row's value cells with the number of columns expected. Merged label cells
 * leave empty cells before the values and exports often add one after; those are
 * dropped only while the row has more cells than columns.
 */
function alignValues(values: string[], expected: number): { values: string[]; surplus: boolean } {
  const out = [...values];
  while (out.length > expected && out[out.length - 1] === '') out.pop();
  while (out.length > expected && out[0] === '') out.shift();
  return { values: out, surplus: out.length > expected };
}

function missingCells(
  reading: TableReading,
  table: TableId,
  row: string,
  line: number,
  columns: { code: string; label: string }[],
  printed: number,
) {
  for (const column of columns) {
    reading.gaps.push({
      code: 'MISSING_CELL',
      severity: 'gap',
      table,
      row,
      column: column.label,
      cellCode: column.code,
      line,
      message: `Line ${line}, ${TABLE_NAMES[table]}, row "${row}": ${printed} value${printed === 1 ? '' : 's'} for ${columns.length} columns, so which column each was printed under cannot be told; the cell for column "${column.label}" is missing. Check the row against the document.`,
    });
  }
}

/**
 * A row with fewer values than columns: a cell was dropped somewhere, not necessarily at
 * the end, so no value is placed (a value is only ever stored under the column it was
 * printed under). Every cell of the row becomes a gap.
 */
function shortRow(values: readonly string[], columns: number): boolean {
  return values.length < columns;
}

/**
 * The width every row of a copied table has (merged cells leave empty cells, so a tab- or
 * pipe-separated table is a full grid), when at least nine rows in ten agree on it. A row
 * narrower than that lost a cell, and its leading or trailing empty cells can no longer be
 * told from blank values; null when widths vary by design (HTML with colspans removed).
 */
function gridWidth(lines: readonly Line[]): number | null {
  const widths = lines.filter((l) => l.cells && l.cells.length > 1).map((l) => l.cells?.length ?? 0);
  if (widths.length < 4) return null;
  const counts = new Map<number, number>();
  for (const w of widths) counts.set(w, (counts.get(w) ?? 0) + 1);
  const [width, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
  return count >= widths.length * 0.9 ? width : null;
}

// ---------------------------------------------------------------------------
// Table 2
// ---------------------------------------------------------------------------

function findBlock(text: string): Table2Block | undefined {
  // Every block title names 第二十条; most lines do not, and need no normalising.
  if (!text.includes('条')) return undefined;
  const item = /第二十条第(\(.+?\))项/.exec(fold(text).replace(/\s+/g, ''))?.[1];
  return item ? TABLE2_BLOCKS.find((b) => fold(b.item) === item) : undefined;
}

export function readTable2(lines: readonly Line[]): TableReading {
  const reading = emptyReading();
  const width = gridWidth(lines);
  let block: Table2Block | undefined;
  let columns: (Table2Column | null)[] = [];
  for (const sourceLine of lines) {
    // A block title may stand outside the table's rows ("第二十条第（一）项 |", "…项：").
    const found = findBlock(sourceLine.text);
    if (!sourceLine.cells && !found) continue;
    let line = sourceLine;
    if (found) {
      block = found;
      columns = [];
      reading.found = true;
      if (found.versions.length === 1) {
        reading.evidence.push({
          versions: found.versions,
          label: `第二十条第${found.item}项`,
          line: line.number,
        });
      }
      // The block title and its column header may share a line: read on from the header.
      const header = (line.cells ?? []).findIndex((c) => labelKey(c) === labelKey(TABLE2_HEADER_FIRST_CELL));
      if (header < 0) continue;
      line = { ...line, cells: line.cells?.slice(header) ?? [] };
    }
    const cells = line.cells ?? [];
    if (cells.every((c) => c === '')) continue;
    if (!block) continue;
    const labelIndex = cells.findIndex((c) => c !== '');
    const label = cells[labelIndex] ?? '';
    if (labelKey(label) === labelKey(TABLE2_HEADER_FIRST_CELL)) {
      const current = block;
      columns = cells
        .slice(labelIndex + 1)
        .filter((c) => c !== '')
        .map((header) => {
          const column = current.columns.find((c) => matchesLabel(labelKey(header), c)) ?? null;
          if (!column) {
            reading.warnings.push({
              code: 'UNKNOWN_COLUMN',
              severity: 'warning',
              table: 'T2',
              column: header,
              line: line.number,
              message: `Line ${line.number}, table 2 block 第二十条第${current.item}项: column "${header}" is not in the template; its values are ignored.`,
            });
          } else if (column.versions.length === 1) {
            reading.evidence.push({ versions: column.versions, label: header, line: line.number });
          }
          return column;
        });
      continue;
    }
    const row = block.rows.find((r) => matchesLabel(labelKey(label), r));
    if (!row) {
      reading.extras.push({ table: 'T2', label, cells: cells.slice(labelIndex + 1), line: line.number });
      reading.warnings.push({
        code: 'UNKNOWN_ROW',
        severity: 'warning',
        table: 'T2',
        row: label,
        line: line.number,
        message: `Line ${line.number}, table 2 block 第二十条第${block.item}项: row "${label}" is not in the template; kept as an extra row.`,
      });
      continue;
    }
    if (row.versions.length === 1)
      reading.evidence.push({ versions: row.versions, label, line: line.number });
    if (columns.length === 0) {
      reading.errors.push({
        code: 'UNKNOWN_COLUMN',
        severity: 'error',
        table: 'T2',
        row: label,
        line: line.number,
        message: `Line ${line.number}, table 2 block 第二十条第${block.item}项, row "${label}": no column header (a row starting ${TABLE2_HEADER_FIRST_CELL}, e.g. ${TABLE2_HEADER_FIRST_CELL} | ${block.columns.map((c) => c.zh).join(' | ')}) precedes it, so its values cannot be placed in columns.`,
      });
      continue;
    }
    const aligned = alignValues(cells.slice(labelIndex + 1), columns.length);
    const { values } = aligned;
    // Wider than every other row of the table: a cell was inserted, and any of them may be it.
    const surplus = aligned.surplus || (width !== null && cells.length > width);
    if (surplus) {
      reading.errors.push({
        code: 'TOO_MANY_VALUES',
        severity: 'error',
        table: 'T2',
        row: label,
        line: line.number,
        message: `Line ${line.number}, table 2, row "${label}": ${values.length} values for ${columns.length} columns; the row does not line up with its header.`,
      });
      continue;
    }
    if (shortRow(values, columns.length) || (width !== null && cells.length < width)) {
      const known = columns.flatMap((c) =>
        c ? [{ code: table2CellCode(row.code, c.code), label: c.zh }] : [],
      );
      missingCells(reading, 'T2', label, line.number, known, values.length);
      continue;
    }
    columns.forEach((column, i) => {
      if (!column) return;
      const code = table2CellCode(row.code, column.code);
      const raw = values[i] ?? '';
      readValue(reading, { table: 'T2', row: label, column: column.zh, code, line: line.number }, raw);
    });
  }
  return reading;
}

// ---------------------------------------------------------------------------
// Table 3
// ---------------------------------------------------------------------------

const OUTCOMES_KEY = labelKey(TABLE3_OUTCOMES_LABEL.zh);

type Table3Match =
  | { kind: 'row'; row: Table3Row; index: number }
  | { kind: 'group'; group: Table3Group; index: number };

/**
 * Identifies the row a line belongs to. Numbered sub-rows ("1.属于国家秘密") only make
 * sense under their group label (（三）不予公开), which may sit on an earlier line.
 */
function matchTable3Row(
  cells: readonly string[],
  context: { group: Table3Group | null },
): Table3Match | null {
  let match: Table3Match | null = null;
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index] ?? '';
    if (cell === '' || readCell(cell).kind !== 'text') {
      if (match && cell !== '') break;
      continue;
    }
    const { key, ordinal } = splitLabel(cell);
    if (key === OUTCOMES_KEY) continue;
    const group = TABLE3_GROUPS.find((g) => matchesLabel(key, g) && ordinal !== null);
    if (group) {
      context.group = group;
      match = { kind: 'group', group, index };
      continue;
    }
    const numbered = ordinal !== null && /^\d+$/.test(ordinal);
    const candidates = TABLE3_ROWS.filter((r) =>
      numbered
        ? r.group !== undefined && (!context.group || r.group === context.group.code)
        : r.group === undefined,
    );
    // A group label split across lines by a page or a wrap ("（四）无" / "法提供") is not
    // recognised; the sub-row's own label still names its group, since no two groups share one.
    const row =
      candidates.find((r) => matchesLabel(key, r)) ??
      (numbered ? TABLE3_ROWS.find((r) => r.group !== undefined && matchesLabel(key, r)) : undefined);
    if (row) {
      if (row.group && context.group?.code !== row.group) {
        context.group = TABLE3_GROUPS.find((g) => g.code === row.group) ?? null;
      }
      if (!row.group) context.group = null;
      // An un-numbered label that is also a column header (总计, 其他) only counts as a row with an ordinal.
      if (!numbered && ordinal === null && APPLICANT_COLUMNS.some((c) => matchesLabel(key, c))) continue;
      match = { kind: 'row', row, index };
      continue;
    }
    if (match) break;
  }
  return match;
}

const rowLabel = (row: Table3Row) => {
  const group = TABLE3_GROUPS.find((g) => g.code === row.group);
  return group ? `${group.ordinal}${group.zh} ${row.ordinal}.${row.zh}` : `${row.ordinal}${row.zh}`;
};

export function readTable3(lines: readonly Line[]): TableReading {
  const reading = emptyReading();
  const width = gridWidth(lines);
  const context = { group: null as Table3Group | null };
  const seen = new Map<string, number>();
  // The start of a row label wrapped onto the next line: "（二）部分公开（区分处理的，只计这一情形，" / "不计其他情形）	5	1…".
  let wrapped: string | null = null;
  for (const sourceLine of lines) {
    if (!sourceLine.cells) {
      // A short plain line between rows can only be the first piece of a wrapped label.
      const text = sourceLine.text.trim();
      if (text !== '') wrapped = text.length <= 40 && wrapped === null ? text : null;
      continue;
    }
    if (sourceLine.cells.every((c) => c.trim() === '')) continue;
    let line = { ...sourceLine, cells: sourceLine.cells };
    let match = matchTable3Row(line.cells, context);
    if (!match && wrapped !== null) {
      const first = line.cells.findIndex((c) => c.trim() !== '');
      const joined = line.cells.map((c, i) => (i === first ? `${wrapped}${c.trim()}` : c));
      match = matchTable3Row(joined, context);
      if (match) line = { ...line, cells: joined };
    }
    const cells = line.cells;
    const after = match ? cells.slice(match.index + 1) : [];
    const hasValues = after.some((c) => c !== '');
    if (!match) {
      const labels = cells.filter((c) => c !== '' && readCell(c).kind === 'text');
      const values = cells.filter((c) => c !== '' && readCell(c).kind !== 'text');
      // A label alone, not yet a row: keep it for the next line (only the first piece of a wrap).
      wrapped =
        values.length === 0 && labels.length === 1 && wrapped === null ? (labels[0]?.trim() ?? null) : null;
      if (values.length > 0 && labels.length > 0) {
        const label = labels.join(' ');
        reading.extras.push({ table: 'T3', label, cells: line.cells, line: line.number });
        reading.warnings.push({
          code: 'UNKNOWN_ROW',
          severity: 'warning',
          table: 'T3',
          row: label,
          line: line.number,
          message: `Line ${line.number}, table 3: row "${label}" is not in the template; kept as an extra row.`,
        });
      }
      continue;
    }
    wrapped = null;
    reading.found = true;
    let row: Table3Row | undefined;
    if (match.kind === 'group') {
      // V2019 prints 其他处理 as a single row with values; V2021 splits it into sub-rows.
      row = TABLE3_ROWS.find((r) => r.code === match.group.code && !r.group);
      // A row of blank cells is still a row (Shanghai prints 0 as blank); a bare group label is not.
      if (!row || (!hasValues && after.length < APPLICANT_COLUMNS.length)) continue;
      context.group = null;
    } else {
      row = match.row;
    }
    if (row.versions.length === 1 && hasValues) {
      reading.evidence.push({ versions: row.versions, label: rowLabel(row), line: line.number });
    }
    const label = rowLabel(row);
    const previous = seen.get(row.code);
    if (previous !== undefined) {
      reading.errors.push({
        code: 'DUPLICATE_ROW',
        severity: 'error',
        table: 'T3',
        row: label,
        line: line.number,
        message: `Line ${line.number}, table 3: row "${label}" appears again (first on line ${previous}); which one is right cannot be decided.`,
      });
      continue;
    }
    seen.set(row.code, line.number);
    const aligned = alignValues(after, APPLICANT_COLUMNS.length);
    const { values } = aligned;
    const surplus = aligned.surplus || (width !== null && line.cells.length > width);
    if (surplus) {
      reading.errors.push({
        code: 'TOO_MANY_VALUES',
        severity: 'error',
        table: 'T3',
        row: label,
        line: line.number,
        message: `Line ${line.number}, table 3, row "${label}": ${values.length} values for ${APPLICANT_COLUMNS.length} applicant columns.`,
      });
      continue;
    }
    if (shortRow(values, APPLICANT_COLUMNS.length) || (width !== null && line.cells.length < width)) {
      const all = APPLICANT_COLUMNS.map((c) => ({ code: table3CellCode(row.code, c.code), label: c.zh }));
      missingCells(reading, 'T3', label, line.number, all, values.length);
      continue;
    }
    APPLICANT_COLUMNS.forEach((column, i) => {
      const code = table3CellCode(row.code, column.code);
      readValue(
        reading,
        { table: 'T3', row: label, column: column.zh, code, line: line.number },
        values[i] ?? '',
      );
    });
  }
  return reading;
}

// ---------------------------------------------------------------------------
// Table 4
// ---------------------------------------------------------------------------

const TABLE4_COLUMNS = TABLE4_PROCEEDINGS.flatMap((p) =>
  TABLE4_RESULTS.map((r) => ({ code: table4CellCode(p.code, r.code), label: `${p.zh} ${r.zh}` })),
);

export function readTable4(lines: readonly Line[]): TableReading {
  const reading = emptyReading();
  const row = '行政复议、行政诉讼';
  for (const line of lines) {
    if (!line.cells) continue;
    const first = line.cells.findIndex((c) => c !== '' && readCell(c).kind !== 'text');
    if (first < 0) {
      if (line.cells.some((c) => /行政复议|行政诉讼|结果维持/.test(c))) reading.found = true;
      continue;
    }
    reading.found = true;
    const lastLabel = line.cells.findLastIndex((c, i) => i < first && c !== '');
    const { values, surplus } = alignValues(line.cells.slice(lastLabel + 1), TABLE4_COLUMNS.length);
    if (surplus) {
      reading.errors.push({
        code: 'TOO_MANY_VALUES',
        severity: 'error',
        table: 'T4',
        row,
        line: line.number,
        message: `Line ${line.number}, table 4: ${values.length} values; the template has ${TABLE4_COLUMNS.length} (3 proceedings × 5 results).`,
      });
      return reading;
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
