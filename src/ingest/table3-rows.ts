/**
 * Table 3 from separated rows: each line matched to a template row by its label, numbered
 * sub-rows under their group, labels wrapped onto a second line joined back.
 */
import { table3CellCode } from '../catalogue/cells.ts';
import {
  APPLICANT_COLUMNS,
  TABLE3_GROUPS,
  TABLE3_OUTCOMES_LABEL,
  TABLE3_ROWS,
  type Table3Group,
  type Table3Row,
  table3RowLabelZh,
} from '../catalogue/template.ts';
import type { Line } from './lines.ts';
import { reportRepeatedRow, sameAsRead, unlabelledBelow } from './row-refusals.ts';
import {
  applicantColumnsAt,
  applicantHeaderCells,
  headerOrder,
  missingColumnError,
} from './table-headers.ts';
import {
  alignValues,
  cellsRead,
  emptyReading,
  gridWidth,
  isLabelText,
  joinedWithNext,
  labelsMatching,
  matchesLabel,
  mayBeFigure,
  missingCells,
  printsFigure,
  readValue,
  shortRow,
  type TableReading,
  withLabelBefore,
} from './table-reading.ts';
import { withoutRemarksColumn } from './table3-remarks.ts';
import { compact, isPlainInteger, labelKey, printedCells, readCell, remembered, splitLabel } from './text.ts';

const OUTCOMES_KEY = labelKey(TABLE3_OUTCOMES_LABEL.zh);
const groupsMatching = labelsMatching(TABLE3_GROUPS);
const rowsMatching = labelsMatching(TABLE3_ROWS);
/** Each row's cell codes, in column order: made once, not for every row of every report. */
const CODES_BY_ROW = new Map(
  TABLE3_ROWS.map((row) => [row.code, APPLICANT_COLUMNS.map((c) => table3CellCode(row.code, c.code))]),
);

/** Sub-row labels this short (其他) are printed under more than one group. */
const SHORT_LABEL = 3;

type Table3Match =
  | { kind: 'row'; row: Table3Row; index: number }
  | { kind: 'group'; group: Table3Group; index: number };

/**
 * What matching a label cell needs of its text, remembered as one: each line is matched again
 * by several passes, and every report prints the same labels.
 */
const labelRead = remembered((cell: string) => {
  const { key, ordinal } = splitLabel(cell);
  return {
    key,
    ordinal,
    group: ordinal !== null ? groupsMatching(key)[0] : undefined,
    matching: rowsMatching(key),
    /** Whether the label is also a column header (总计, 其他). */
    column: APPLICANT_COLUMNS.some((c) => matchesLabel(key, c)),
  };
});

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
    const { key, ordinal, group, matching, column } = labelRead(cell);
    if (key === OUTCOMES_KEY) continue;
    if (group) {
      context.group = group;
      match = { kind: 'group', group, index };
      continue;
    }
    const numbered = ordinal !== null && isPlainInteger(ordinal);
    const figures = cells.slice(index + 1).some(printsFigure);
    // A group label split across lines by a page or a wrap ("（四）无" / "法提供") is not
    // recognised; the sub-row's own label still names its group, since no two groups share
    // one. A label as short as 其他 does so only with its own number: "2.其他" under
    // （三）不予公开 is the start of a cut label, not （六）其他处理's 3.其他.
    const row =
      matching.find((r) =>
        numbered
          ? r.group !== undefined && (!context.group || r.group === context.group.code)
          : r.group === undefined,
      ) ??
      (numbered
        ? matching.find((r) => r.group !== undefined && (key.length > SHORT_LABEL || r.ordinal === ordinal))
        : // A sub-row printed without its number (属于国家秘密 under （三）不予公开) is its group's
          // row when its label is long enough to name one row only, or when figures follow it:
          // 其他 with figures under （六）其他处理 is its 3.其他, the group's only row so named (a
          // column header prints no figures, and a cut label's start is not the whole label).
          ordinal === null && (key.length > SHORT_LABEL || figures) && context.group
          ? matching.find((r) => r.group === context.group?.code)
          : undefined);
    if (row) {
      if (row.group && context.group?.code !== row.group) {
        context.group = TABLE3_GROUPS.find((g) => g.code === row.group) ?? null;
      }
      if (!row.group) context.group = null;
      // An un-numbered label that is also a column header (总计, 其他) only counts as a row with an
      // ordinal, but with figures after it for 总计 (（七） left out) or a sub-row under its group
      // (其他 under （六）): the header prints none there.
      if (
        !numbered &&
        ordinal === null &&
        column &&
        !((row.isOutcomeTotal || row.group !== undefined) && figures)
      )
        continue;
      match = { kind: 'row', row, index };
      continue;
    }
    if (match) break;
  }
  return match;
}

/** Whether a cell is the note the template prints in brackets after the row's label. */
const isTemplateNote = (row: Table3Row, cell: string) =>
  row.note !== undefined && compact(cell).replace(/^\((.*)\)$/, '$1') === compact(row.note);

/**
 * Whether the cells after a match hold anything, and whether the first of them is words: the
 * rest of a cut label sits right after the part that matched ("（六）其他处理 | 1.申请人无正当理由逾期").
 */
function figuresAfter(cells: readonly string[], match: Table3Match) {
  let any = false;
  for (let i = match.index + 1; i < cells.length && !any; i++) any = (cells[i] ?? '') !== '';
  return { any, words: isLabelText(cells[match.index + 1] ?? '') };
}

/**
 * A row whose label a page break or its author cut over two rows, read as one: the first
 * part matches no row (and one of the two holds figures), or matches with words where its
 * figures start ("1.申请人无正当理由逾期" under （六）其他处理), or matches a row with no figures
 * while the next holds them under the rest of the label. Joined only when the two together
 * match a row cleanly; otherwise null and each is read as it is.
 */
function cutRow(
  line: Line & { cells: string[] },
  match: Table3Match | null,
  next: Line | undefined,
  group: Table3Group | null,
): { line: Line & { cells: string[] }; match: Table3Match; group: Table3Group | null } | null {
  if (!next?.cells) return null;
  const own = match ? figuresAfter(line.cells, match) : null;
  if (match && !own?.words) {
    // A row with figures, or a group label alone: read as it is.
    if (match.kind === 'group' || own?.any) return null;
    // A row with no figures: joined only to the note the template prints after its label
    // (（二）部分公开 / （区分处理的，只计这一情形，不计其他情形）), in the same column; a
    // row of its own in brackets (（其中：网上申请）) is not the rest of the label.
    if (match.kind !== 'row' || !isTemplateNote(match.row, next.cells[match.index] ?? '')) return null;
  }
  if (!match && !line.cells.some(mayBeFigure) && !next.cells.some(mayBeFigure)) return null;
  const joined = joinedWithNext(line, next);
  if (!joined) return null;
  const context = { group };
  const joinedMatch = matchTable3Row(joined.cells, context);
  if (!joinedMatch) return null;
  const figures = figuresAfter(joined.cells, joinedMatch);
  if (!figures.any || figures.words) return null;
  if (
    joinedMatch.kind === 'group' &&
    TABLE3_ROWS.every((r) => r.code !== joinedMatch.group.code || r.group)
  ) {
    return null;
  }
  // A blank row's note (the only join it takes) leaves it the same row.
  if (match?.kind === 'row' && !own?.words && (joinedMatch.kind !== 'row' || joinedMatch.row !== match.row)) {
    return null;
  }
  return { line: joined, match: joinedMatch, group: context.group };
}

/** Whether `next` is a numbered row of `group` (1.申请人无正当理由逾期不补正… under （六）其他处理). */
function subRowFollows(next: Line | undefined, group: Table3Group): boolean {
  if (!next?.cells) return false;
  const match = matchTable3Row(next.cells, { group });
  return match?.kind === 'row' && match.row.group === group.code;
}

/** A row with figures the template has no cells for: kept as an extra row, with a warning saying `why`. */
function keepExtra(reading: TableReading, line: Line & { cells: string[] }, label: string, why: string) {
  reading.extras.push({ table: 'T3', label, cells: printedCells(line.cells), line: line.number });
  reading.warnings.push({
    code: 'UNKNOWN_ROW',
    severity: 'warning',
    table: 'T3',
    row: label,
    line: line.number,
    message: `Line ${line.number}, table 3: row "${label}" ${why}; kept as an extra row.`,
  });
}

export function readTable3(printed: readonly Line[]): TableReading {
  const reading = emptyReading();
  const lines = withoutRemarksColumn(printed, reading);
  const header = applicantHeaderCells(lines);
  // A column left out is said as such, before the label printed in its place is.
  const order = headerOrder('T3', lines);
  const disordered = order.disorder ?? missingColumnError(lines, header) ?? order.misplaced;
  if (disordered) return { ...reading, found: true, errors: [disordered] };
  const width = gridWidth(lines);
  const columnsAt = applicantColumnsAt(lines, header);
  const context = { group: null as Table3Group | null };
  const seen = new Map<string, number>();
  // The start of a row label wrapped onto the next line: "（二）部分公开（区分处理的，只计这一情形，" / "不计其他情形）	5	1…".
  let wrapped: string | null = null;
  /** The row read on the line before, for figures printed below it without a label. */
  let above: { label: string; line: number } | null = null;
  for (let at = 0; at < lines.length; at++) {
    const sourceLine = lines[at] as Line;
    if (!sourceLine.cells) {
      // A short plain line between rows can only be the first piece of a wrapped label.
      const text = sourceLine.text.trim();
      if (text !== '') wrapped = text.length <= 40 && wrapped === null ? text : null;
      continue;
    }
    if (sourceLine.cells.every((c) => c.trim() === '')) continue;
    const previous = above;
    above = null;
    let line = sourceLine as Line & { cells: string[] };
    const groupBefore = context.group;
    let match = matchTable3Row(line.cells, context);
    if (!match && wrapped !== null) {
      // A note the label's first piece leaves open is printed after the figures (a PDF text
      // layer: 部分公开（区分处理的，只计这一情 / figures / 形，不计其他情形）): not part of the label.
      const piece = wrapped.replace(/[（(][^（()）]{2,}$/, '');
      const first = line.cells.findIndex((c) => c.trim() !== '');
      // A whole label on its own line, its figures on the next ("一、本年新收…数量" / "\t\t41\t6…":
      // a table cell that ends in a line break) takes the empty label cell before the figures.
      const joined =
        readCell(line.cells[first] ?? '').kind === 'text'
          ? line.cells.map((c, i) => (i === first ? `${piece}${c.trim()}` : c))
          : (withLabelBefore(line.cells, piece) ?? [piece, ...line.cells]);
      match = matchTable3Row(joined, context);
      if (match) line = { ...line, cells: joined };
    }
    // Most rows have a figure (or a mark) right after their label: no cut to look for.
    const next = match ? (line.cells[match.index + 1] ?? '') : '';
    const cut =
      next !== '' && readCell(next).kind !== 'text' ? null : cutRow(line, match, lines[at + 1], groupBefore);
    if (cut) {
      ({ line, match } = cut);
      context.group = cut.group;
      at++;
    }
    if (match) {
      const { index } = match;
      const label = line.cells[index];
      line = cellsRead(line, APPLICANT_COLUMNS.length, (cells) =>
        cells[index] === label ? cells.length - index - 1 : 0,
      );
    }
    const cells = line.cells;
    const after = match ? cells.slice(match.index + 1) : [];
    const hasValues = after.some((c) => c !== '');
    if (!match) {
      const labels = cells.filter((c) => c !== '' && readCell(c).kind === 'text');
      const values = cells.filter(printsFigure);
      // A label alone, not yet a row: keep it for the next line (only the first piece of a wrap).
      wrapped =
        values.length === 0 && labels.length === 1 && wrapped === null ? (labels[0]?.trim() ?? null) : null;
      if (values.length > 0 && labels.length > 0) {
        keepExtra(reading, line, labels.join(' '), 'is not in the template');
        above = { label: labels.join(' '), line: line.number };
      } else if (values.length > 0) unlabelledBelow(reading, 'T3', line, previous ?? null);
      continue;
    }
    wrapped = null;
    reading.found = true;
    let row: Table3Row | undefined;
    if (match.kind === 'group') {
      // V2019 prints 其他处理 as a single row with values; V2021 splits it into sub-rows.
      row = TABLE3_ROWS.find((r) => r.code === match.group.code && !r.group);
      // Figures on a group's own label ((三) 不予公开 above its sub-rows) are a subtotal the
      // template has no cells for: kept and said, as they were dropped without a word. So is
      // V2019's single row （六）其他处理 when its V2021 sub-rows follow: read as that row, it
      // made the report mix the two templates.
      if (row && subRowFollows(lines[at + 1], match.group)) row = undefined;
      if (!row && hasValues) {
        const label = cells[match.index]?.trim() ?? match.group.zh;
        keepExtra(
          reading,
          line,
          label,
          "is its group's label with figures; the template has no cells for a group's total (its numbered rows are its cells)",
        );
      }
      // A row of blank cells is still a row (Shanghai prints 0 as blank); a bare group label is not.
      if (!row || (!hasValues && after.length < APPLICANT_COLUMNS.length)) {
        // Figures below a bare group label are its total, or its merged label's row: either way unread.
        if (!hasValues) above = { label: cells[match.index]?.trim() ?? match.group.zh, line: line.number };
        continue;
      }
      context.group = null;
    } else {
      row = match.row;
    }
    if (row.versions.length === 1 && hasValues) {
      reading.evidence.push({ versions: row.versions, label: table3RowLabelZh(row), line: line.number });
    }
    const label = table3RowLabelZh(row);
    above = { label, line: line.number };
    const codes = CODES_BY_ROW.get(row.code) ?? [];
    // Under a header copied as a full grid, figures are read where the header prints its
    // columns; elsewhere, by aligning the row's cells after its label. A row narrower than the
    // table's others lost a cell: none of its figures is placed (below).
    const narrower = width !== null && line.cells.length < width;
    const beforeColumns = columnsAt !== null && match.index < columnsAt.start;
    const placed = columnsAt?.rowsAgree && beforeColumns && !narrower ? atColumns(cells, columnsAt) : null;
    const aligned: RowValues =
      placed ??
      (columnsAt && !columnsAt.rowsAgree && beforeColumns
        ? misalignedGrid(after, codes.length, columnsAt.line)
        : alignValues(after, codes.length, width !== null && line.cells.length === width));
    const { values } = aligned;
    const first = seen.get(row.code);
    if (first !== undefined) {
      const same = sameAsRead(reading, codes, values);
      reportRepeatedRow(reading, { table: 'T3', label, line: line.number, first }, same);
      continue;
    }
    seen.set(row.code, line.number);
    const surplus = aligned.surplus || (width !== null && line.cells.length > width);
    if (surplus) {
      reading.errors.push({
        code: 'TOO_MANY_VALUES',
        severity: 'error',
        table: 'T3',
        row: label,
        line: line.number,
        message: `Line ${line.number}, table 3, row "${label}": ${aligned.unclear ?? `${values.length} values for ${APPLICANT_COLUMNS.length} applicant columns`}.`,
      });
      continue;
    }
    const lost = aligned.lost ?? null;
    if (lost || narrower || shortRow(values, APPLICANT_COLUMNS.length)) {
      const all = APPLICANT_COLUMNS.map((c, i) => ({ code: codes[i] ?? '', label: c.zh }));
      const grid = width === null ? undefined : { cells: line.cells.length, width };
      missingCells(reading, 'T3', label, line.number, all, values.length, lost ?? grid);
      continue;
    }
    APPLICANT_COLUMNS.forEach((column, i) => {
      readValue(
        reading,
        { table: 'T3', row: label, column: column.zh, code: codes[i] ?? '', line: line.number },
        values[i] ?? '',
      );
    });
  }
  return reading;
}

/** A row's values as placed in columns; `lost` where none of them can be placed, and why. */
type RowValues = { values: string[]; surplus: boolean; unclear?: string; lost?: string };

/**
 * A row's figures at the cells where its full-grid header prints the applicant columns, under
 * a header every row agrees with (applicantColumnsAt: no figure outside its columns). A row
 * ending before the last column lost a cell, at its end (a blank 总计 trimmed away) or anywhere,
 * so none of its figures can be placed.
 */
function atColumns(cells: readonly string[], header: { start: number; line: number }): RowValues {
  const end = header.start + APPLICANT_COLUMNS.length;
  const values = cells.slice(header.start, end);
  const columns = `cells ${header.start + 1} to ${end}`;
  if (cells.length < end) {
    return {
      values,
      surplus: false,
      lost: `the row ends at cell ${cells.length}, where its header (line ${header.line}) prints the applicant columns in ${columns}: a cell was lost, at the end (a blank 总计 trimmed from the line's end) or before it, so which column each of its figures was printed under cannot be told`,
    };
  }
  return { values, surplus: false };
}

/**
 * A row under a full-grid header whose rows do not all line up with it (applicantColumnsAt's
 * rowsAgree): aligned as any row, except that a blank cell right after the label, kept as the
 * first figure, may as well be the label's merged cell (a blank 总计 trimmed from the line's end
 * moved every figure one column right), so such a row places none of its figures.
 */
function misalignedGrid(after: string[], columns: number, headerLine: number): RowValues {
  const aligned = alignValues(after, columns);
  // A row of blanks has no figure to move.
  if (aligned.surplus || after[0] !== '' || aligned.values[0] !== '' || aligned.values.every((v) => v === ''))
    return aligned;
  return {
    ...aligned,
    lost: `its first cell after the label is blank, and the table's rows do not all print their figures under the header's columns (line ${headerLine}), so whether that cell is the first figure, left blank, or the label's merged cell before the figures cannot be told`,
  };
}
