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
 */
import { table2CellCode, table3CellCode, table4CellCode } from '../catalogue/cells.ts';
import {
  APPLICANT_COLUMNS,
  type Label,
  TABLE2_BLOCKS,
  TABLE3_GROUPS,
  TABLE3_OUTCOMES_LABEL,
  TABLE3_ROWS,
  TABLE4_PROCEEDINGS,
  TABLE4_RESULTS,
  type TemplateVersion,
} from '../catalogue/template.ts';
import { decodeRuns, type RowRun, type ValueToken } from './digit-runs.ts';
import type { Line } from './lines.ts';
import { emptyReading, TABLE_NAMES, type TableReading } from './tables.ts';
import { fold, labelKey, PRINTED_UNITS } from './text.ts';
import type { ParsedCell, TableId } from './types.ts';

/** Page furniture a PDF's text layer puts between table rows: "- 4 -", "第 4 页 共 6 页". */
const PAGE_FOOTER =
  /^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*\/\s*\d{1,4})\s*$/;
/** Word's conditional comments, which leak into text copied from Word-made pages. */
const WORD_COMMENT = /<!--\[if [^\]]*\]-->|<!--\[endif\]-->/g;
const SKIPPABLE = /[\s"'“”‘’「」『』]/;

/** The text of some lines as one string, folded character by character so offsets map back to lines. */
class Stream {
  readonly text: string;
  private readonly starts: number[] = [];
  private readonly numbers: number[] = [];

  constructor(lines: readonly Line[]) {
    const parts: string[] = [];
    let offset = 0;
    for (const line of lines) {
      if (PAGE_FOOTER.test(line.text)) continue;
      const text = [...line.text.replace(WORD_COMMENT, (m) => ' '.repeat(m.length))]
        .map((c) => {
          const f = fold(c);
          return f.length === 1 ? f : c.length === 1 ? c : ' ';
        })
        .join('')
        // Surrogate pairs fold to one character each above; keep offsets in UTF-16 units.
        .padEnd(line.text.length, ' ');
      this.starts.push(offset);
      this.numbers.push(line.number);
      parts.push(text);
      offset += text.length + 1;
    }
    this.text = parts.join('\n');
  }

  /** The 1-based source line of an offset. */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.numbers[lo] ?? 0;
  }
}

interface Match {
  start: number;
  end: number;
}

/** Matches `key` at `at`, skipping whitespace and quotes in the text; returns the end, or -1. */
function matchAt(text: string, key: string, at: number, to: number): number {
  let i = at;
  for (const char of key) {
    while (i < to && SKIPPABLE.test(text[i] ?? '') && text[i] !== char) i++;
    if (i >= to || text[i] !== char) return -1;
    i++;
  }
  return i;
}

/** The earliest place in [from, to) where one of the keys is printed. */
function findKey(text: string, keys: readonly string[], from: number, to: number): Match | null {
  let best: Match | null = null;
  for (const key of keys) {
    if (!key) continue;
    const first = key[0] ?? '';
    for (let i = text.indexOf(first, from); i >= 0 && i < to; i = text.indexOf(first, i + 1)) {
      if (best && i >= best.start) break;
      const end = matchAt(text, key, i, to);
      if (end >= 0) {
        if (!best || i < best.start || (i === best.start && end > best.end)) best = { start: i, end };
        break;
      }
    }
  }
  return best;
}

/** The shortest start of a label that still identifies it when the rest is wrapped around the figures. */
const PREFIX = 6;

const keysOf = (label: Label) => [label.zh, ...(label.variants ?? [])].map(labelKey).filter((k) => k !== '');

/** An ordinal as printed before a label: 一、 （三） 2. 1、 */
function ordinalPattern(ordinal: string): RegExp {
  const core = fold(ordinal).replace(/[()]/g, '');
  if (/^\d+$/.test(core)) return new RegExp(`${core}\\s*[.、．]\\s*$`);
  if (/^[(（]/.test(fold(ordinal))) return new RegExp(`[(（]\\s*${core}\\s*[)）]\\s*$`);
  return new RegExp(`${core}\\s*[、.．]\\s*$`);
}

/**
 * Finds a row label: the whole label, else (for a label wrapped around its figures) its
 * first characters. The match starts at the label's printed ordinal where there is one,
 * so a list number glued to the previous row's last figure (`…00000002.其他`) is not read
 * as a digit.
 */
function findLabel(
  stream: Stream,
  label: Label,
  ordinal: string | null,
  from: number,
  to: number,
): Match | null {
  const keys = keysOf(label);
  const text = stream.text;
  let found = findKey(text, keys, from, to);
  if (!found) {
    const prefixes = keys.filter((k) => k.length > PREFIX).map((k) => k.slice(0, PREFIX));
    found = findKey(text, prefixes, from, to);
  }
  if (!found || !ordinal) return found;
  const before = text.slice(Math.max(from, found.start - 8), found.start);
  const printed = ordinalPattern(ordinal).exec(before);
  return printed ? { start: found.start - (before.length - printed.index), end: found.end } : found;
}

const UNIT = new RegExp(`^(${PRINTED_UNITS.join('|')})`);
const NUMBER_START = /[0-9]|[+-](?=\d)|[/／](?=\s|$)/y;

interface Segment {
  tokens: ValueToken[];
  /** Units printed after figures (件, 元, 万元), kept for provenance. */
  units: string[];
  start: number;
  end: number;
}

/** The runs of numbers between two labels, in order: figures, marks and units, nothing else. */
function segments(text: string, from: number, to: number): Segment[] {
  const out: Segment[] = [];
  let i = from;
  while (i < to) {
    NUMBER_START.lastIndex = i;
    if (!NUMBER_START.test(text) || i >= to) {
      i++;
      continue;
    }
    const segment: Segment = { tokens: [], units: [], start: i, end: i };
    let token = '';
    const push = () => {
      if (token === '') return;
      const mark = /^[/／]+$/.test(token);
      const thousands = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(token);
      segment.tokens.push({
        text: thousands ? token.replace(/,/g, '') : token,
        kind: mark ? 'mark' : 'digits',
      });
      token = '';
    };
    while (i < to) {
      const c = text[i] ?? '';
      if (/[0-9]/.test(c) || (c === ',' && token !== '' && /\d/.test(text[i + 1] ?? ''))) token += c;
      else if ((c === '+' || c === '-') && /\d/.test(text[i + 1] ?? '')) token += c;
      else if (c === '.' && /\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? '')) token += c;
      else if (c === '/' || c === '／') {
        push();
        token = '/';
        push();
      } else if (/\s/.test(c)) push();
      else {
        const unit = UNIT.exec(text.slice(i, i + 2));
        if (!unit || token === '') break;
        segment.units.push(unit[1] ?? '');
        push();
        i += (unit[1] ?? '').length;
        continue;
      }
      i++;
    }
    push();
    segment.end = i;
    if (segment.tokens.some((t) => t.kind === 'digits')) out.push(segment);
    i++;
  }
  return out;
}

interface FoundRow {
  label: string;
  codes: string[];
  match: Match;
  /** Where the row's figures may be: up to the next label found. */
  until: number;
}

/**
 * Where a row's figures must end, given where the next label starts. When that label
 * begins a later line, the row ends with the line before: numbers printed on the next
 * label's own line belong to that line, not to the row above.
 */
function stopBefore(stream: Stream, row: FoundRow, next: number): number {
  const lineStart = stream.text.lastIndexOf('\n', next - 1) + 1;
  return lineStart > row.match.end ? lineStart : next;
}

/** Reads the found rows' figures: each row's first run of numbers that can fill its columns. */
function readRows(
  stream: Stream,
  table: TableId,
  version: TemplateVersion,
  rows: FoundRow[],
  reading: TableReading,
  separated: boolean,
) {
  const text = stream.text;
  const chosen: { row: FoundRow; segment: Segment | null }[] = rows.map((row) => {
    const all = segments(text, row.match.end, row.until);
    // A stray number before the figures (a footnote mark) cannot fill the row; the figures can.
    const fits = all.find(
      (s) =>
        decodeRuns(version, [{ codes: row.codes, tokens: s.tokens }], { separated }).impossible.length === 0,
    );
    return { row, segment: fits ?? all[0] ?? null };
  });
  const runs: RowRun[] = [];
  const placed: { row: FoundRow; segment: Segment }[] = [];
  for (const { row, segment } of chosen) {
    if (!segment) {
      for (const code of row.codes) {
        const column = code.split('.').slice(2).join('.');
        reading.gaps.push({
          code: 'MISSING_CELL',
          severity: 'gap',
          table,
          row: row.label,
          cellCode: code,
          line: stream.lineAt(row.match.start),
          message: `Line ${stream.lineAt(row.match.start)}, ${TABLE_NAMES[table]}, row "${row.label}": no figures follow the label (expected ${row.codes.length}); cell ${column} is missing.`,
        });
      }
      continue;
    }
    runs.push({ codes: row.codes, tokens: segment.tokens });
    placed.push({ row, segment });
  }
  reading.fit = {
    exact: placed.filter((p) => p.segment.tokens.length === p.row.codes.length).length,
    rows: placed.length,
  };
  const decoded = decodeRuns(version, runs, { separated });
  for (const { row: index, reason } of decoded.impossible) {
    const at = placed[index];
    if (!at) continue;
    const line = stream.lineAt(at.segment.start);
    const printed = text.slice(at.segment.start, at.segment.end).trim();
    // Separated figures are one token each; run-together digits could be one figure each.
    const pieces = separated
      ? at.segment.tokens.length
      : at.segment.tokens.reduce((n, t) => n + (t.kind === 'mark' ? 1 : t.text.replace(/\D/g, '').length), 0);
    if (pieces < at.row.codes.length) {
      // Too few figures: which column each belongs to cannot be told, so none is placed.
      for (const code of at.row.codes) {
        reading.gaps.push({
          code: 'MISSING_CELL',
          severity: 'gap',
          table,
          row: at.row.label,
          cellCode: code,
          line,
          text: printed,
          message: `Line ${line}, ${TABLE_NAMES[table]}, row "${at.row.label}": "${printed}" holds fewer figures than the row's ${at.row.codes.length} columns, so no figure can be placed in its column; cell ${code} is missing.`,
        });
      }
      continue;
    }
    reading.errors.push({
      code: 'TOO_MANY_VALUES',
      severity: 'error',
      table,
      row: at.row.label,
      line,
      text: text.slice(at.segment.start, at.segment.end).trim(),
      message: `Line ${line}, ${TABLE_NAMES[table]}, row "${at.row.label}": the figures "${text.slice(at.segment.start, at.segment.end).trim()}" do not fit the row's ${at.row.codes.length} columns (${reason}); expected ${at.row.codes.length} figures, each without a leading zero.`,
    });
  }
  for (const identity of decoded.brokenIdentities) {
    reading.warnings.push({
      code: 'BROKEN_IDENTITY',
      severity: 'warning',
      table,
      message: `${TABLE_NAMES[table]}: the printed figures break the identity ${identity.expected.zh} = ${identity.actual.zh} (${identity.scopeZh}), so it was not used to split digits run together.`,
    });
  }
  const codeToPlace = new Map<string, { row: FoundRow; segment: Segment }>();
  for (const p of placed) for (const code of p.row.codes) codeToPlace.set(code, p);
  for (const cell of decoded.cells) {
    const place = codeToPlace.get(cell.code);
    if (!place) continue;
    const raw = text.slice(place.segment.start, place.segment.end).trim();
    const line = stream.lineAt(place.segment.start);
    const unit = place.segment.units[0];
    const parsed: ParsedCell =
      cell.status === 'value'
        ? {
            code: cell.code,
            status: 'REPORTED',
            value: cell.value.replace(/^\+/, '').replace(/^-0$/, '0'),
            rawText:
              place.segment.tokens.length === place.row.codes.length && !cell.decoded ? cell.value : raw,
            line,
            ...(cell.decoded ? { decodedFrom: raw } : {}),
            ...(unit ? { unit } : {}),
          }
        : cell.status === 'mark'
          ? { code: cell.code, status: 'NOT_REPORTED', value: null, rawText: '/', line }
          : {
              code: cell.code,
              status: 'UNREADABLE',
              value: null,
              rawText: raw,
              line,
              candidates: cell.candidates,
            };
    reading.cells.set(cell.code, parsed);
    if (cell.status === 'unreadable') {
      reading.gaps.push({
        code: 'UNREADABLE_CELL',
        severity: 'gap',
        table,
        row: place.row.label,
        cellCode: cell.code,
        line,
        text: raw,
        message: `Line ${line}, ${TABLE_NAMES[table]}, row "${place.row.label}": the digits "${raw}" are printed without separators, and more than one split fits the template; cell ${cell.code} could be ${cell.candidates.join(' or ')}. It is stored as unreadable.`,
      });
    }
  }
}

function block2Anchor(item: string): RegExp {
  const core = fold(item).replace(/[()]/g, '');
  return new RegExp(`第\\s*二\\s*十\\s*条\\s*第?\\s*[(（]\\s*${core}\\s*[)）]\\s*项`, 'g');
}

/** Table 2: each block of the version under its 第二十条第（N）项 anchor, rows in the block's order. */
function readTable2(stream: Stream, version: TemplateVersion, separated: boolean): TableReading {
  const reading = emptyReading();
  const text = stream.text;
  const blocks = TABLE2_BLOCKS.filter((b) => b.versions.includes(version));
  const anchors = blocks.map((block) => {
    const re = block2Anchor(block.item);
    const m = re.exec(text);
    return m ? { start: m.index, end: m.index + m[0].length } : null;
  });
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
    for (const row of block.rows.filter((r) => r.versions.includes(version))) {
      const match = findLabel(stream, row, null, at, to);
      if (!match) {
        reading.gaps.push({
          code: 'MISSING_ROW',
          severity: 'gap',
          table: 'T2',
          row: row.zh,
          message: `Table 2, block 第二十条第${block.item}项: row "${row.zh}" was not found${anchor ? ` after line ${stream.lineAt(anchor.start)}` : ''}.`,
        });
        continue;
      }
      reading.found = true;
      rows.push({
        label: row.zh,
        codes: columns.map((c) => table2CellCode(row.code, c.code)),
        match,
        until: to,
      });
      at = match.end;
    }
    cursor = at;
  });
  rows.forEach((row, i) => {
    const next = rows[i + 1];
    if (next && next.match.start < row.until) row.until = stopBefore(stream, row, next.match.start);
  });
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
    const label = group ? `${group.ordinal}${group.zh} ${row.ordinal}.${row.zh}` : `${row.ordinal}${row.zh}`;
    if (!match) {
      reading.gaps.push({
        code: 'MISSING_ROW',
        severity: 'gap',
        table: 'T3',
        row: label,
        message: `Table 3: row "${label}" was not found${rows.length ? ` after line ${stream.lineAt(rows[rows.length - 1]?.match.end ?? 0)}` : ''}.`,
      });
      continue;
    }
    reading.found = true;
    rows.push({
      label,
      codes: APPLICANT_COLUMNS.map((c) => table3CellCode(row.code, c.code)),
      match,
      until: text.length,
    });
    cursor = match.end;
  }
  rows.forEach((row, i) => {
    const next = rows[i + 1]?.match.start ?? text.length;
    const bound = bounds.filter((b) => b >= row.match.end && b < next).sort((a, b) => a - b)[0];
    row.until = stopBefore(stream, row, bound ?? next);
  });
  readRows(stream, 'T3', version, rows, reading, separated);
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
  // The header's words carry no digits: the first run of numbers that fills fifteen cells is the row.
  const row: FoundRow = { label: '行政复议、行政诉讼', codes, match: header, until: text.length };
  readRows(stream, 'T4', version, [row], reading, separated);
  return reading;
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
): TableReading {
  const stream = new Stream(lines);
  if (table === 'T2') return readTable2(stream, version, separated);
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
