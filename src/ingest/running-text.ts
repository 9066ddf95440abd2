/**
 * Reads tables 2–4 from text that does not separate cells with tabs or pipes: a PDF's text
 * layer (cells separated by single spaces, labels wrapped around the numbers, page footers
 * between rows) or a web archive's text dump (no separator at all: `规范性文件898989`).
 *
 * The template fixes the order of every row, so the reader walks the catalogue's rows in
 * order and finds each row's label in the text; a row's figures are the first run of
 * numbers between its label and the next label. Runs of digits are then split into cells
 * by digit-runs.ts, which only accepts splits that fit the template's columns and
 * identities. Nothing is read by position alone.
 *
 * Finding labels is in running-labels.ts; reading a found row's figures in running-rows.ts.
 */
import { table2CellCode, table3CellCode, table4CellCode } from '../catalogue/cells.ts';
import {
  APPLICANT_COLUMNS,
  type Label,
  LITIGATION_HEADER,
  TABLE2_BLOCKS,
  TABLE3_GROUPS,
  TABLE3_OUTCOMES_LABEL,
  TABLE3_ROWS,
  TABLE4_PROCEEDINGS,
  TABLE4_RESULTS,
  type TemplateVersion,
  table3RowLabelZh,
} from '../catalogue/template.ts';
import type { Line } from './lines.ts';
import { findKey, findLabel, keysOf, type Match, Stream } from './running-labels.ts';
import { refuseRepeatedRows } from './running-repeats.ts';
import { type FoundRow, readRows, stopBefore } from './running-rows.ts';
import { rowRefusal } from './running-segments.ts';
import { resultsHeader } from './running-table4-header.ts';
import { columnOrderError } from './table-headers.ts';
import { emptyReading, type TableReading, type UnreadUnit } from './table-reading.ts';
import { agreedUnit, statementIn, type UnitStatement, unitNotes, unreadHeader } from './table2-units.ts';
import { rowNumberEnd } from './table3-row-numbers.ts';
import { fold } from './text.ts';
import type { TableId } from './types.ts';

/** A line holding a block's title (第二十条第（九）项 单位：元), which is no note. */
const BLOCK_TITLE = /第\s*二\s*十\s*条/;

const ITEM_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** A block's 第二十条第（八）项, its numbers in Chinese or Arabic numerals: 第20条第（8）项 is the same block. */
function block2Anchor(item: string): RegExp {
  const core = fold(item).replace(/[()]/g, '');
  const arabic = ITEM_NUMERALS.indexOf(core) + 1;
  const either = arabic > 0 ? `(?:${core}|${arabic})` : core;
  return new RegExp(`第\\s*(?:二\\s*十|20)\\s*条\\s*第?\\s*[(（]\\s*${either}\\s*[)）]\\s*项`, 'g');
}

/**
 * Why a row printed before the rows the template puts ahead of it cannot be read: in running
 * text a row's figures are the numbers between its label and the next row's, found in the
 * template's order. Only labels of four characters or more are looked for there (总计 is
 * also a column header).
 */
function outOfOrder(stream: Stream, row: Label, ordinal: string | null, from: number, to: number): string {
  if (keysOf(row).every((key) => key.length < 4)) return '';
  const earlier = findLabel(stream, row, ordinal, from, to);
  if (!earlier) return '';
  return `; it is printed earlier, on line ${stream.lineAt(earlier.start)}, out of the template's order, and text without cell separators is read in that order, so its figures cannot be told from its neighbours'. Print the rows in the template's order, or the table with its cells separated (tabs, "|", a web page's <table>)`;
}

/** Table 2: each block of the version under its 第二十条第（N）项 anchor, rows in the block's order. */
function readTable2(
  stream: Stream,
  version: TemplateVersion,
  separated: boolean,
  /** What the notes beside the table and its heading state of its amounts' unit (table2-units.ts). */
  sectionNotes: readonly UnitStatement[],
): TableReading {
  const reading = emptyReading();
  const text = stream.text;
  const blocks = TABLE2_BLOCKS.filter((b) => b.versions.includes(version));
  const anchors = blocks.map((block) => {
    const re = block2Anchor(block.item);
    const m = re.exec(text);
    return m ? { start: m.index, end: m.index + m[0].length } : null;
  });
  // A unit stated right before the table's first block: a heading dumped on one line with the
  // table, its 情况 and its （单位：元） cut apart, or a short note run into it (单位：元 第二十条…).
  const firstAnchor = anchors.find((a) => a !== null)?.start ?? 0;
  const preamble = text.slice(0, firstAnchor).trim();
  const before = preamble.length <= 30 ? statementIn(preamble) : [];
  let cursor = 0;
  const rows: FoundRow[] = [];
  blocks.forEach((block, b) => {
    const anchor = anchors[b];
    const from = anchor ? anchor.end : cursor;
    const nextAnchor = anchors.slice(b + 1).find((a) => a !== null);
    const to = nextAnchor ? nextAnchor.start : text.length;
    if (anchor) reading.found = true;
    const columns = block.columns.filter((c) => c.versions.includes(version));
    let at = from;
    /** What the block's header states of its amounts' unit, or an unread unit it names. */
    let header: { statements: UnitStatement[] } | { unread: UnreadUnit } | undefined;
    for (const row of block.rows.filter((r) => r.versions.includes(version))) {
      const match = findLabel(stream, row, null, at, to);
      if (!match) {
        reading.gaps.push({
          code: 'MISSING_ROW',
          severity: 'gap',
          table: 'T2',
          row: row.zh,
          message: `Table 2, block 第二十条第${block.item}项: row "${row.zh}" was not found${at > from ? ` after line ${stream.lineAt(at)}` : anchor ? ` after line ${stream.lineAt(anchor.start)}` : ''}${outOfOrder(stream, row, null, from, at)}.`,
        });
        continue;
      }
      reading.found = true;
      // The header is the text before the block's first row: 采购总金额（元） puts its column in 元.
      if (!header) {
        const printed = text.slice(from, match.start).replace(/\s+/g, ' ').trim();
        // 采购总金额（单位：圆） speaks of a unit no pattern reads: its amounts may be in 元.
        header = unreadHeader(printed)
          ? { unread: { unread: printed } }
          : { statements: statementIn(printed) };
      }
      // What the header states of the amounts (a count's unit is none of theirs) must agree with
      // the row's label (政府集中采购（元） 13 575394432.52, its unit before its figures), the notes
      // beside the table and its heading (table2-units.ts).
      const labelled =
        text.slice(match.start, match.end) +
        (/^[^\d]*/.exec(text.slice(match.end, match.end + 16))?.[0] ?? '');
      const stated =
        'unread' in header
          ? header.unread
          : agreedUnit([...header.statements, ...statementIn(labelled), ...before, ...sectionNotes]);
      const columnUnits = stated ? columns.map((c) => (c.unit === 'WAN_YUAN' ? stated : undefined)) : [];
      rows.push({
        label: row.zh,
        codes: columns.map((c) => table2CellCode(row.code, c.code)),
        match,
        until: to,
        keys: keysOf(row),
        columnUnits,
      });
      at = match.end;
    }
    cursor = at;
  });
  rows.forEach((row, i) => {
    const next = rows[i + 1];
    if (next && next.match.start < row.until) row.until = stopBefore(stream, row, next.match.start);
  });
  refuseRepeatedRows(stream, 'T2', rows, reading);
  readRows(stream, 'T2', version, rows, reading, separated);
  return reading;
}

/** Table 3: the rows of the version in template order; group labels only bound the rows before them. */
function readTable3(stream: Stream, version: TemplateVersion, separated: boolean): TableReading {
  const reading = emptyReading();
  const text = stream.text;
  const rows: FoundRow[] = [];
  const bounds: number[] = [];
  let cursor = 0;
  const outcomes = findLabel(stream, TABLE3_OUTCOMES_LABEL, '三', cursor, text.length);
  for (const row of TABLE3_ROWS.filter((r) => r.versions.includes(version))) {
    const group = TABLE3_GROUPS.find((g) => g.code === row.group);
    if (group && row.ordinal === '1') {
      const g = findLabel(stream, group, group.ordinal, cursor, text.length);
      if (g) bounds.push(g.start);
    }
    if (row.code === 'GRANTED' && outcomes && outcomes.start >= cursor) bounds.push(outcomes.start);
    const match = findLabel(stream, row, row.ordinal, cursor, text.length);
    const label = table3RowLabelZh(row);
    if (!match) {
      reading.gaps.push({
        code: 'MISSING_ROW',
        severity: 'gap',
        table: 'T3',
        row: label,
        message: `Table 3: row "${label}" was not found${rows.length ? ` after line ${stream.lineAt(rows[rows.length - 1]?.match.end ?? 0)}` : ''}${outOfOrder(stream, row, row.ordinal, 0, cursor)}.`,
      });
      continue;
    }
    reading.found = true;
    rows.push({
      label,
      codes: APPLICANT_COLUMNS.map((c) => table3CellCode(row.code, c.code)),
      match,
      until: text.length,
      keys: keysOf(row),
      ordinal: row.ordinal,
    });
    cursor = match.end;
  }
  // The header's words, before the first row: a 序号 among them numbers the rows.
  const header = text.slice(0, rows[0]?.match.start ?? 0);
  const unclear = new Set<FoundRow>();
  rows.forEach((row, i) => {
    const next = rows[i + 1]?.match.start ?? text.length;
    const bound = bounds.filter((b) => b >= row.match.end && b < next).sort((a, b) => a - b)[0];
    row.until = stopBefore(stream, row, bound ?? next);
    if (next >= text.length) return;
    const end = rowNumberEnd(header, text, row.match.end, row.until);
    if ('until' in end) row.until = end.until;
    else {
      const printed = text.slice(row.match.end, row.until).trim();
      reading.errors.push(
        rowRefusal('TOO_MANY_VALUES', 'T3', row.label, stream.lineAt(row.match.start), printed, end.unclear),
      );
      unclear.add(row);
    }
  });
  refuseRepeatedRows(stream, 'T3', rows, reading);
  readRows(
    stream,
    'T3',
    version,
    rows.filter((r) => !unclear.has(r)),
    reading,
    separated,
  );
  return reading;
}

/** Table 4: fifteen figures after the header, three proceedings of five results each. */
function readTable4(stream: Stream, version: TemplateVersion, separated: boolean): TableReading {
  const reading = emptyReading();
  const codes = TABLE4_PROCEEDINGS.flatMap((p) => TABLE4_RESULTS.map((r) => table4CellCode(p.code, r.code)));
  const text = stream.text;
  const header = findKey(text, ['结果维持', '行政复议', '行政诉讼'], 0, text.length);
  if (!header) return reading;
  reading.found = true;
  const rows = proceedingRows(text, codes) ?? twoTables(text, codes);
  if (rows) {
    readRows(stream, 'T4', version, rows, reading, separated);
    return reading;
  }
  // The header's words carry no digits: the first run of numbers that fills fifteen cells is the row.
  const row: FoundRow = { label: '行政复议、行政诉讼', codes, match: header, until: text.length };
  readRows(stream, 'T4', version, [row], reading, separated);
  return reading;
}

/**
 * Table 4 printed as a row per proceeding under one header of results (wrapped or not,
 * running-table4-header.ts): each proceeding's label, in the template's order after the header,
 * followed by its five figures. Null when the labels
 * are not all there in that order, or a label stands before the figures of another (a header).
 */
function proceedingRows(text: string, codes: readonly string[]): FoundRow[] | null {
  const results = resultsHeader(text);
  if (!results) return null;
  const labels: Match[] = [];
  for (const p of TABLE4_PROCEEDINGS) {
    const found = findKey(text, [p.zh], labels.at(-1)?.end ?? results.end, text.length);
    if (!found) return null;
    labels.push(found);
  }
  const digitsBetween = (from: number, to: number) => /\d/.test(text.slice(from, to));
  if (digitsBetween(results.end, labels[0]?.start ?? 0)) return null;
  if (labels.some((l, i) => i > 0 && !digitsBetween(labels[i - 1]?.end ?? 0, l.start))) return null;
  return labels.map((match, i) => ({
    label: TABLE4_PROCEEDINGS[i]?.zh ?? '',
    codes: codes.slice(i * TABLE4_RESULTS.length, (i + 1) * TABLE4_RESULTS.length),
    match,
    until: labels[i + 1]?.start ?? text.length,
  }));
}

/**
 * Table 4 printed as two tables, one under the other: 行政复议 over its five results and their
 * figures, then 行政诉讼 over 未经复议直接起诉 and 复议后起诉, their results and ten figures. Told
 * from the template's one header by figures between 行政复议 and 行政诉讼. Null unless the two
 * kinds of lawsuit are named in the template's order, which places the ten figures.
 */
function twoTables(text: string, codes: readonly string[]): FoundRow[] | null {
  const [review, direct, afterReview] = TABLE4_PROCEEDINGS.map((p) => p.zh);
  const reviews = findKey(text, [review ?? ''], 0, text.length);
  if (!reviews) return null;
  const lawsuits = findKey(text, [LITIGATION_HEADER.zh], reviews.end, text.length);
  if (!lawsuits || !/\d/.test(text.slice(reviews.end, lawsuits.start))) return null;
  const first = findKey(text, [direct ?? ''], lawsuits.end, text.length);
  const second = first && findKey(text, [afterReview ?? ''], first.end, text.length);
  if (!first || !second || /\d/.test(text.slice(lawsuits.end, second.end))) return null;
  const split = TABLE4_RESULTS.length;
  return [
    { label: review ?? '', codes: codes.slice(0, split), match: reviews, until: lawsuits.start },
    { label: LITIGATION_HEADER.zh, codes: codes.slice(split), match: lawsuits, until: text.length },
  ];
}

/** Version-specific labels printed in a table's text: the evidence for the template version. */
export function runningEvidence(lines: readonly Line[]): TableReading['evidence'] {
  const stream = new Stream(lines);
  const evidence: TableReading['evidence'] = [];
  const labels: { label: Label; versions: readonly TemplateVersion[] }[] = [
    ...TABLE2_BLOCKS.flatMap((b) => b.columns.filter((c) => c.versions.length === 1)),
    ...TABLE3_ROWS.filter((r) => r.versions.length === 1 && r.group),
  ].map((l) => ({ label: l, versions: l.versions }));
  for (const { label, versions } of labels) {
    // Short labels (其他) occur inside other labels and headers; they prove nothing.
    const keys = keysOf(label).filter((k) => k.length >= 5);
    const match = findKey(stream.text, keys, 0, stream.text.length);
    if (match) evidence.push({ versions, label: label.zh, line: stream.lineAt(match.start) });
  }
  return evidence;
}

/**
 * Reads one table from lines whose cells are not separated by tabs or pipes (see the module
 * comment). `separated`: the document prints a space between every two figures (a PDF's
 * text layer), so a run of digits is one figure and is never cut.
 */
export function readRunningTable(
  table: TableId,
  lines: readonly Line[],
  version: TemplateVersion,
  separated = false,
  /** The table's section heading, which may state table 2's unit (…情况（单位：元）). */
  heading = '',
): TableReading {
  if (table !== 'T2') {
    const disordered = columnOrderError(table, lines);
    if (disordered) return { ...emptyReading(), found: true, errors: [disordered] };
  }
  const stream = new Stream(lines);
  if (table === 'T2') {
    return readTable2(
      stream,
      version,
      separated,
      unitNotes(lines, heading, (text) => BLOCK_TITLE.test(text)),
    );
  }
  if (table === 'T3') return readTable3(stream, version, separated);
  return readTable4(stream, version, separated);
}

/**
 * Whether a document separates every figure with a space: nine rows in ten (of at least
 * five) print exactly as many figures as they have columns. Pages dumped with their cells
 * run together fail this by far; a row short of a figure in a separated document is then
 * a gap, not a run to be cut.
 */
export function printsSeparatedFigures(readings: readonly TableReading[]): boolean {
  const exact = readings.reduce((n, r) => n + (r.fit?.exact ?? 0), 0);
  const rows = readings.reduce((n, r) => n + (r.fit?.rows ?? 0), 0);
  return rows >= 5 && exact >= rows * 0.9;
}
