/**
 * Table 2 from separated rows: each block under its 第二十条第（N）项 title, its columns
 * from the header row that starts with 信息内容, its rows by label.
 */
import { table2CellCode } from '../catalogue/cells.ts';
import {
  TABLE2_BLOCKS,
  TABLE2_HEADER_FIRST_CELL,
  type Table2Block,
  type Table2Column,
} from '../catalogue/template.ts';
import type { Line } from './lines.ts';
import { reportRepeatedRow, sameAsRead, unlabelledBelow } from './row-refusals.ts';
import { underHeader } from './table-headers.ts';
import {
  alignValues,
  cellsRead,
  emptyReading,
  gridWidth,
  isLabelText,
  joinedWithNext,
  matchesLabel,
  mayBeFigure,
  missingCells,
  printsFigure,
  readValue,
  shortRow,
  type TableReading,
  type UnreadUnit,
  withLabelBefore,
} from './table-reading.ts';
import { agreedUnit, statementIn, type UnitStatement, unitNotes, unreadHeader } from './table2-units.ts';
import { fold, labelKey, printedCells } from './text.ts';
import { headerUnit, isUnitNote, moneyNoteUnit, speaksOfMoneyUnit, withoutTrailingNote } from './units.ts';

const HEADER_KEY = labelKey(TABLE2_HEADER_FIRST_CELL);
/** Blocks by their item as folded: （一） → (一). The first block wins, as a scan would find it. */
const BLOCK_ITEMS = new Map([...TABLE2_BLOCKS].reverse().map((b) => [fold(b.item), b]));

function findBlock(text: string): Table2Block | undefined {
  // Every block title names 第二十条; most lines do not, and need no normalising.
  if (!text.includes('条')) return undefined;
  const item = /第二十条第(\(.+?\))项/.exec(fold(text).replace(/\s+/g, ''))?.[1];
  return item ? BLOCK_ITEMS.get(item) : undefined;
}

/**
 * The block's row a line's first cell names (undefined for none, null for the column header),
 * whether anything follows it, and whether the first thing that does is words.
 */
function rowOf(block: Table2Block, cells: readonly string[]) {
  const labelIndex = cells.findIndex((c) => c !== '');
  const key = labelKey(cells[labelIndex] ?? '');
  const row = key === HEADER_KEY ? null : block.rows.find((r) => matchesLabel(key, r));
  let figures = false;
  for (let i = labelIndex + 1; i < cells.length && !figures; i++) figures = (cells[i] ?? '') !== '';
  return { row, figures, words: isLabelText(cells[labelIndex + 1] ?? '') };
}

/**
 * A row whose label a page break or its author cut over two rows ("行政" / "规范性文件"), read
 * as one, where the first part names no row and one of the two holds figures. Joined only when the
 * two together name a row, with figures and no words. (A row named in full with no figures is
 * read as printed: table 2 prints no note after a label for the next row to hold.)
 */
function cutRow(block: Table2Block, line: Line, next: Line | undefined): Line | null {
  if (!line.cells || !next?.cells || findBlock(next.text)) return null;
  if (!line.cells.some(mayBeFigure) && !next.cells.some(mayBeFigure)) return null;
  const joined = joinedWithNext(line as Line & { cells: string[] }, next);
  if (!joined) return null;
  const together = rowOf(block, joined.cells);
  return together.row && together.figures && !together.words ? joined : null;
}

/** Longer than any row label as printed (其他对外管理服务事项, with an ordinal and spaces). */
const LONGEST_ROW_LABEL = 24;

/** A row of figures under its label's own line, given the label (withLabelBefore). */
function withLabelAbove(line: Line, label: string | null): Line {
  if (label === null || !line.cells || !mayBeFigure(line.cells.find((c) => c !== '') ?? '')) return line;
  const cells = withLabelBefore(line.cells, label);
  return cells ? { ...line, cells } : line;
}

/** Whether a header cell names one of the block's columns (采购总金额, also 采购总金额 / 单位：元). */
const namesColumn = (block: Table2Block, text: string) => columnNamed(block.columns, text) !== undefined;

/**
 * The column a header cell names, as printed or without a trailing note of units. Each key is
 * found once, not once a column: this runs for every cell of a block's header lines.
 */
function columnNamed(columns: readonly Table2Column[], text: string): Table2Column | undefined {
  const key = labelKey(text);
  const found = columns.find((c) => matchesLabel(key, c));
  if (found) return found;
  const bare = labelKey(withoutTrailingNote(text));
  return columns.find((c) => matchesLabel(bare, c));
}

/**
 * The column cells of a block's header that does not open with 信息内容: its corner over the
 * labels blank (| 本年制发件数 | …) or another word (项目, 内容, 类别), every other cell a column of
 * the block or a note of units. A reader takes the columns from them without doubt; the rows
 * under such a header were refused for want of one. Null for any other row.
 */
function cornerlessHeader(
  block: Table2Block,
  cells: readonly string[],
  labelIndex: number,
  key: string,
): string[] | null {
  const label = cells[labelIndex] ?? '';
  // A row's label or a figure first, as on most lines, is no header: looked for before the columns.
  if (mayBeFigure(label) || block.rows.some((r) => matchesLabel(key, r))) return null;
  return headerFrom(block, cells, namesColumn(block, label) ? labelIndex : labelIndex + 1);
}

/** The cells from `from` on, where they name the block's columns (and notes of units) only. */
function headerFrom(block: Table2Block, cells: readonly string[], from: number): string[] | null {
  const named = cells.slice(from).filter((c) => c !== '');
  const names = named.map((c) => namesColumn(block, c));
  return names.includes(true) && named.every((c, i) => names[i] || isUnitNote(c)) ? cells.slice(from) : null;
}

export function readTable2(lines: readonly Line[], heading = ''): TableReading {
  const reading = emptyReading();
  /** What the notes beside the table, before or after it, and its heading state of its amounts' unit. */
  const sectionNotes = unitNotes(lines, heading, (text) => findBlock(text) !== undefined);
  /** What the block's title states of it (第二十条第（九）项（单位：元）). */
  let blockStatements: UnitStatement[] = [];
  /** Per money column, what its header and all around it state of its unit (table2-units.ts); null for others. */
  let moneyStatements: (UnitStatement[] | null)[] = [];
  const width = gridWidth(lines);
  let block: Table2Block | undefined;
  let columns: (Table2Column | null)[] = [];
  /** Per column of counts, a unit its header states other than a count's; per money column, an unread one. */
  let columnUnits: (string | UnreadUnit | undefined)[] = [];
  /** The header's cells after 信息内容 and its line: where it prints a blank between two columns. */
  let headerRow: { cells: string[]; line: number } | null = null;
  /** Why the block's rows cannot be placed in columns: its header names a column twice. */
  let twiceNamed: string | null = null;
  /** Rows read so far, by code: the line each was first read on. */
  const seen = new Map<string, number>();
  /** Sentences before the table speaking of the amounts' unit in words not read, as unread notes. */
  const unreadNotes: UnitStatement[] = [];
  let labelAbove: string | null = null;
  /** The row read on the line before, for figures printed below it without a label. */
  let above: { label: string; line: number } | null = null;
  for (let at = 0; at < lines.length; at++) {
    const sourceLine = lines[at] as Line;
    // A block title may stand outside the table's rows ("第二十条第（一）项 |", "…项："), and state
    // its amounts' unit (第二十条第（九）项 单位：元): a title, not a note.
    const found = findBlock(sourceLine.text);
    const note = found ? [] : (sourceLine.cells?.filter((c) => c.trim() !== '') ?? [sourceLine.text]);
    // Notes of units are no rows (what they state is in sectionNotes).
    if (note.length === 1 && isUnitNote(note[0] ?? '')) continue;
    // A note of the amounts' unit in other words (注：金额单位为圆): they may be in 元.
    if (note.length === 1 && speaksOfMoneyUnit(note[0] ?? '')) {
      const text = note[0]?.trim() ?? '';
      if (!sectionNotes.some((n) => n.printed === text))
        unreadNotes.push({ unit: { unread: text }, printed: text });
      continue;
    }
    if (!sourceLine.cells && !found) {
      // A row's label alone on its line, its figures on the next (a cell ending in a line break).
      // Row labels are short; prose is not worth normalising here.
      const text = sourceLine.text.trim();
      const key = block && text !== '' && text.length <= LONGEST_ROW_LABEL ? labelKey(text) : '';
      labelAbove = key !== '' && block?.rows.some((r) => matchesLabel(key, r)) ? text : null;
      continue;
    }
    let line = withLabelAbove(sourceLine, labelAbove);
    labelAbove = null;
    if (found) {
      block = found;
      columns = [];
      columnUnits = [];
      moneyStatements = [];
      headerRow = null;
      twiceNamed = null;
      blockStatements = statementIn(line.cells?.find((c) => findBlock(c)) ?? line.text);
      reading.found = true;
      if (found.versions.length === 1) {
        reading.evidence.push({
          versions: found.versions,
          label: `第二十条第${found.item}项`,
          line: line.number,
        });
      }
      // The block title and its column header may share a line: read on from the header.
      const header = (line.cells ?? []).findIndex((c) => labelKey(c) === HEADER_KEY);
      if (header < 0) continue;
      line = { ...line, cells: line.cells?.slice(header) ?? [] };
    }
    if ((line.cells ?? []).every((c) => c === '')) continue;
    const previous = above;
    above = null;
    if (!block) continue;
    let cells = line.cells ?? [];
    let labelIndex = cells.findIndex((c) => c !== '');
    let label = cells[labelIndex] ?? '';
    let key = labelKey(label);
    const headerCells =
      key === HEADER_KEY ? cells.slice(labelIndex + 1) : cornerlessHeader(block, cells, labelIndex, key);
    if (headerCells) {
      const current = block;
      headerRow = { cells: headerCells, line: line.number };
      const headers = headerRow.cells.filter((c) => c !== '');
      // A header cell of units only (本年收费金额 | 单位：元) is no column: it is said of the amounts,
      // as a unit in the header's first cell is (信息内容（单位：元）).
      const headerNotes: UnitStatement[] = headers.flatMap((h) => {
        const unit = isUnitNote(h) ? moneyNoteUnit(h) : undefined;
        return unit === undefined ? [] : [{ unit, printed: h }];
      });
      if (headerCells.length < cells.length - labelIndex) headerNotes.push(...statementIn(label));
      columns = headers.map((header) => {
        // Also a header printed over two lines with its unit's note (采购总金额 / 单位：元).
        const column = columnNamed(current.columns, header) ?? null;
        if (!column && isUnitNote(header)) return null;
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
      // A column printed twice (本年新制作数量 | 本年新制作数量 | 对外公开总数量): which of the two
      // figures is the column's cannot be told, and the later one overwrote the first.
      const twice = columns.findIndex((c, i) => c !== null && columns.indexOf(c) !== i);
      const first = twice < 0 ? -1 : columns.indexOf(columns[twice] ?? null);
      twiceNamed =
        twice < 0
          ? null
          : `the header on line ${line.number} names column "${columns[twice]?.zh}" twice ("${headers[first]}" and "${headers[twice]}"), so which column each figure was printed under cannot be told`;
      // A money column's unit is what its header and everything around it state, agreeing; the
      // row's label is added for each row (below).
      moneyStatements = headers.map((header, i) => {
        if (columns[i]?.unit !== 'WAN_YUAN') return null;
        if (unreadHeader(header)) return null;
        return [...statementIn(header), ...headerNotes, ...blockStatements, ...sectionNotes, ...unreadNotes];
      });
      columnUnits = headers.map((header, i) => {
        const column = columns[i];
        if (!column) return undefined;
        if (column.unit !== 'WAN_YUAN') return headerUnit(header, column.unit);
        return moneyStatements[i] ? undefined : { unread: header };
      });
      continue;
    }
    let row = block.rows.find((r) => matchesLabel(key, r));
    // A row named in full is read as printed: only an unnamed one may be the start of a cut label.
    const cut = row ? null : cutRow(block, line, lines[at + 1]);
    if (cut) {
      line = cut;
      at++;
      cells = cut.cells ?? [];
      labelIndex = cells.findIndex((c) => c !== '');
      label = cells[labelIndex] ?? '';
      key = labelKey(label);
      row = block.rows.find((r) => matchesLabel(key, r));
    }
    if (!row && previous && printsFigure(label)) {
      unlabelledBelow(reading, 'T2', { ...line, cells }, previous);
      continue;
    }
    if (!row) {
      reading.extras.push({
        table: 'T2',
        label,
        cells: printedCells(cells.slice(labelIndex + 1)),
        line: line.number,
      });
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
    above = { label, line: line.number };
    if (row.versions.length === 1)
      reading.evidence.push({ versions: row.versions, label, line: line.number });
    const first = seen.get(row.code);
    if (first !== undefined) {
      const { values } = alignValues(cells.slice(labelIndex + 1), columns.length);
      const read = columns.flatMap((c, i) =>
        c ? [{ code: table2CellCode(row.code, c.code), printed: values[i] ?? '' }] : [],
      );
      const same = sameAsRead(
        reading,
        read.map((r) => r.code),
        read.map((r) => r.printed),
      );
      reportRepeatedRow(reading, { table: 'T2', label, line: line.number, first }, same);
      continue;
    }
    seen.set(row.code, line.number);
    if (twiceNamed) {
      // The block's columns of the template versions the header's columns belong to.
      const named = columns.filter((c) => c !== null);
      const all = block.columns
        .filter((c) => named.some((n) => n.versions.some((v) => c.versions.includes(v))))
        .map((c) => ({ code: table2CellCode(row.code, c.code), label: c.zh }));
      missingCells(reading, 'T2', label, line.number, all, 0, twiceNamed);
      continue;
    }
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
    const header = headerRow ? [headerRow] : [];
    cells = cellsRead({ ...line, cells }, columns.length, (row) => {
      const under = row[labelIndex] === label ? underHeader(row.slice(labelIndex + 1), header) : '';
      return typeof under === 'string' ? 0 : under.length;
    }).cells;
    const printed = underHeader(cells.slice(labelIndex + 1), header);
    const aligned = typeof printed === 'string' ? null : alignValues(printed, columns.length);
    const values = aligned?.values ?? [];
    // Wider than every other row of the table: a cell was inserted, and any of them may be it.
    const tooWide =
      typeof printed === 'string'
        ? printed
        : aligned?.surplus || (width !== null && cells.length > width)
          ? `${values.length} values for ${columns.length} columns; the row does not line up with its header.`
          : null;
    if (tooWide) {
      reading.errors.push({
        code: 'TOO_MANY_VALUES',
        severity: 'error',
        table: 'T2',
        row: label,
        line: line.number,
        message: `Line ${line.number}, table 2, row "${label}": ${tooWide}`,
      });
      continue;
    }
    if (shortRow(values, columns.length) || (width !== null && cells.length < width)) {
      const known = columns.flatMap((c) =>
        c ? [{ code: table2CellCode(row.code, c.code), label: c.zh }] : [],
      );
      const grid = width === null ? undefined : { cells: cells.length, width };
      missingCells(reading, 'T2', label, line.number, known, values.length, grid);
      continue;
    }
    // A unit the row's label states (政府集中采购（元）) is said of its amounts too.
    const labelStatements = statementIn(label);
    columns.forEach((column, i) => {
      if (!column) return;
      const code = table2CellCode(row.code, column.code);
      const raw = values[i] ?? '';
      const where = { table: 'T2' as const, row: label, column: column.zh, code, line: line.number };
      const statements = moneyStatements[i];
      const unit = statements ? agreedUnit([...statements, ...labelStatements]) : columnUnits[i];
      readValue(reading, where, raw, unit);
    });
  }
  return reading;
}
