/**
 * A found row's figures in running text: the runs of numbers after its label, the run that
 * can fill its columns, and the cells and problems digit-runs.ts makes of them.
 */
import { cellByCode } from '../catalogue/cells.ts';
import type { TemplateVersion } from '../catalogue/template.ts';
import { decodeRuns, type RowRun, type ValueToken } from './digit-runs.ts';
import type { Match, Stream } from './running-labels.ts';
import { TABLE_NAMES, type TableReading, unitConverted } from './table-reading.ts';
import { readCell } from './text.ts';
import type { ParsedCell, TableId } from './types.ts';
import { inColumnUnit, PRINTED_MAGNITUDES, PRINTED_UNITS } from './units.ts';

const UNIT = new RegExp(`^(${[...PRINTED_UNITS, ...PRINTED_MAGNITUDES].join('|')})`);
const BRACKETED_UNIT = /^[（(][ \u3000]*(万元|元)[ \u3000]*[)）]/;

/**
 * The unit printed at `at`, right after a figure: one the columns use (件, 元, 万元 …), one in
 * brackets (（元）), or a magnitude (万, 亿元) that units.ts refuses; null for anything else.
 */
function unitAt(text: string, at: number): { unit: string; length: number } | null {
  const ahead = text.slice(at, at + 8);
  const unit = UNIT.exec(ahead);
  if (unit) return { unit: unit[1] ?? '', length: unit[0].length };
  const bracketed = BRACKETED_UNIT.exec(ahead);
  return bracketed ? { unit: bracketed[1] ?? '', length: bracketed[0].length } : null;
}
const NUMBER_START = /[0-9]|[+-](?=\d)|[/／](?=\s|$)/y;
const WORD = /\S+/y;

/**
 * The word at `at` when it stands alone between spaces and is a mark for "not reported" (the
 * marks a table of cells takes, text.ts: "/", "—", "——", 无, 空 …), else null. A dash joined to
 * a figure is its sign; page footers ("- 3 -") are dropped before rows are read.
 */
function markAt(text: string, at: number, to: number): string | null {
  if (!/\s/.test(text[at - 1] ?? ' ')) return null;
  WORD.lastIndex = at;
  const word = WORD.exec(text)?.[0] ?? '';
  return word !== '' && at + word.length <= to && readCell(word).kind === 'not-reported' ? word : null;
}

interface Segment {
  tokens: ValueToken[];
  /** Each token as printed ("1,268" where the token reads 1268): a cell's provenance. */
  printed: string[];
  /** The unit printed right after a token (件, 元, 万元), by the token's index. */
  units: (string | undefined)[];
  start: number;
  end: number;
}

/** The runs of numbers between two labels, in order: figures, marks and units, nothing else. */
function segments(text: string, from: number, to: number): Segment[] {
  const out: Segment[] = [];
  let i = from;
  while (i < to) {
    NUMBER_START.lastIndex = i;
    if ((!NUMBER_START.test(text) && markAt(text, i, to) === null) || i >= to) {
      i++;
      continue;
    }
    const segment: Segment = { tokens: [], printed: [], units: [], start: i, end: i };
    let token = '';
    /** Where the last figure pushed ended. */
    let tokenEnd = i;
    const push = () => {
      if (token === '') return;
      tokenEnd = i;
      const mark = !/\d/.test(token);
      const thousands = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(token);
      segment.tokens.push({
        text: thousands ? token.replace(/,/g, '') : token,
        kind: mark ? 'mark' : 'digits',
      });
      segment.printed.push(token);
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
      } else if (token === '' && markAt(text, i, to) !== null) {
        // A mark standing alone is one blank cell.
        const mark = markAt(text, i, to) ?? '';
        token = mark;
        push();
        i += mark.length;
        continue;
      } else if (/\s/.test(c)) push();
      else {
        // A unit after a figure, joined to it or after spaces on its line ("251000元",
        // "251000 元", "251000（元）"), belongs to that figure.
        const owner =
          token !== ''
            ? segment.tokens.length
            : segment.tokens.length > 0 && /^[ \t\u3000\u00a0]+$/.test(text.slice(tokenEnd, i))
              ? segment.tokens.length - 1
              : null;
        const unit = owner === null ? null : unitAt(text, i);
        if (owner === null || unit === null) break;
        segment.units[owner] = unit.unit;
        push();
        // The figure's printed text runs to the end of its unit, spaces and brackets and all.
        segment.printed[owner] += text.slice(tokenEnd, i + unit.length);
        i += unit.length;
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

export interface FoundRow {
  label: string;
  codes: string[];
  match: Match;
  /** Where the row's figures may be: up to the next label found. */
  until: number;
  /** The row's whole label as the catalogue spells it (and its variants), normalised. */
  keys?: readonly string[];
}

/**
 * Where a row's figures must end, given where the next label starts. When that label
 * begins a later line, the row ends with the line before: numbers printed on the next
 * label's own line belong to that line, not to the row above.
 */
export function stopBefore(stream: Stream, row: FoundRow, next: number): number {
  const lineStart = stream.text.lastIndexOf('\n', next - 1) + 1;
  return lineStart > row.match.end ? lineStart : next;
}

/**
 * The unit printed after a cell's figure: where the row prints one token per column, the one
 * after its own token; where digits run together were cut into cells, only the row's last
 * cell is known to end where a token ends, so only it takes the unit after the last token.
 */
function unitOf(
  place: { row: FoundRow; segment: Segment },
  code: string,
  decoded: boolean,
): string | undefined {
  const { codes } = place.row;
  const { tokens, units } = place.segment;
  const index = codes.indexOf(code);
  if (tokens.length === codes.length && !decoded) return units[index];
  return index === codes.length - 1 ? units[tokens.length - 1] : undefined;
}

/** Reads the found rows' figures: each row's first run of numbers that can fill its columns. */
export function readRows(
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
    const figures = text.slice(at.segment.start, at.segment.end).trim();
    reading.errors.push({
      code: 'TOO_MANY_VALUES',
      severity: 'error',
      table,
      row: at.row.label,
      line,
      text: figures,
      message: `Line ${line}, ${TABLE_NAMES[table]}, row "${at.row.label}": the figures "${figures}" do not fit the row's ${at.row.codes.length} columns (${reason}); expected ${at.row.codes.length} figures, each without a leading zero.${commaSeparatedHint(figures, at.row.codes.length)}`,
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
    const unit = unitOf(place, cell.code, cell.status === 'value' && cell.decoded);
    let value = cell.status === 'value' ? cell.value.replace(/^\+/, '').replace(/^-0$/, '0') : null;
    const definition = unit && value !== null ? cellByCode(cell.code) : undefined;
    if (unit && value !== null && definition) {
      const where = {
        table,
        row: place.row.label,
        column: definition.labelZh.at(-1) ?? cell.code,
        code: cell.code,
        line,
      };
      const inColumn = inColumnUnit(value, unit, definition.unit);
      if (!inColumn.ok) {
        reading.errors.push({
          code: 'UNIT_MISMATCH',
          severity: 'error',
          table,
          row: where.row,
          column: where.column,
          cellCode: cell.code,
          line,
          text: raw,
          message: `Line ${line}, ${TABLE_NAMES[table]}, row "${where.row}", column "${where.column}": "${raw}" ${inColumn.reason}.`,
        });
        continue;
      }
      if (inColumn.converted) reading.warnings.push(unitConverted(where, raw, inColumn.value));
      value = inColumn.value;
    }
    const parsed: ParsedCell =
      cell.status === 'value'
        ? {
            code: cell.code,
            status: 'REPORTED',
            value: value ?? cell.value,
            // One figure per column: the figure as printed, thousands separators and unit and all.
            rawText:
              place.segment.tokens.length === place.row.codes.length && !cell.decoded
                ? (place.segment.printed[place.row.codes.indexOf(cell.code)] ?? cell.value)
                : raw,
            line,
            ...(cell.decoded ? { decodedFrom: raw } : {}),
            ...(unit ? { unit } : {}),
          }
        : cell.status === 'mark'
          ? {
              code: cell.code,
              status: 'NOT_REPORTED',
              value: null,
              // The mark as printed ("/", "—", "无") where each column printed one token.
              rawText:
                place.segment.tokens.length === place.row.codes.length
                  ? (place.segment.printed[place.row.codes.indexOf(cell.code)] ?? '/')
                  : '/',
              line,
            }
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
        message: `Line ${line}, ${TABLE_NAMES[table]}, row "${place.row.label}": the digits "${raw}" are printed without separators, and more than one split fits the template; cell ${cell.code} could be ${cell.candidates.join(' or ')}, so it is read as unreadable, never guessed.`,
      });
    }
  }
}

/**
 * Figures that split on commas into exactly the row's columns were most likely a CSV export.
 * They are not read as columns, since a comma also separates thousands ("1,268" is one
 * figure), and a reading that could be either is never guessed; the message says what to do.
 */
function commaSeparatedHint(figures: string, columns: number): string {
  const cells = figures.split(/[,，]/).map((cell) => cell.trim());
  const figureLike = /^(?:[+-]?\d+(?:\.\d+)?|\/|-|—|无|)$/;
  if (columns < 2 || cells.length !== columns || !cells.every((cell) => figureLike.test(cell))) return '';
  return ' They look comma-separated (CSV): tables in text are read with their columns separated by tabs or "|", since a comma also separates thousands (1,268). Save the table with tabs, or give the HTML, Word or PDF version.';
}
