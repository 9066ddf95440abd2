/**
 * The storage mapping of a revision's figures: parsed cells ⇄ a revision_figures row
 * (status bytes and values by slot) and report_revision.cell_sources (printed text and
 * source line), and the SQL that reads one figure out of a revision_figures row. Slots come
 * from the catalogue (src/catalogue/slots.ts), so nothing here lists cells.
 */
import { cellsOfVersion } from '../catalogue/cells.ts';
import { CELL_CODES_BY_SLOT, cellSlot } from '../catalogue/slots.ts';
import type { TemplateVersion } from '../catalogue/template.ts';
import type { ParsedCell } from '../ingest/types.ts';
import { Prisma } from './db.ts';

type Status = ParsedCell['status'];

/**
 * Status characters, stored as ASCII bytes. A reported figure's character also says which
 * column holds its value, so the int_values filler (0, see schema.prisma) is never read as a figure.
 */
const CHAR_STATUS: Record<string, Status> = {
  R: 'REPORTED',
  D: 'REPORTED',
  N: 'NOT_REPORTED',
  M: 'MISSING',
  U: 'UNREADABLE',
};
const byte = (char: 'R' | 'D' | 'N' | 'U') => char.charCodeAt(0);
/** The status character of a slot whose cell is not in the revision's template version. */
const NOT_IN_VERSION = '.';
const WHOLE = /^-?\d+$/;
const INT4_MAX = 2_147_483_647;

export interface EncodedFigures {
  statuses: string;
  intValues: number[];
  /** Exact decimal text by slot number, for the values int_values cannot hold. */
  decimalValues: Record<string, string>;
  sources: CellSources;
}

/**
 * report_revision.cell_sources: where each figure came from, compactly, since most of it is
 * predictable and PostgreSQL parses every byte of JSON it stores. `raw` holds the printed
 * text of a slot only where it is not the value itself ("+2", "1,268", "/", ""); `lines` holds
 * [slot, line] where the source line changes from the slot before (a table row's cells share
 * one line), null meaning no line.
 */
export interface CellSources {
  raw: Record<string, string | null>;
  lines: [number, number | null][];
  /**
   * By slot, only where there is something to say: the values an UNREADABLE cell could have,
   * the digit run a value was decoded from, a unit printed in the cell.
   */
  notes?: Record<
    string,
    { candidates?: string[]; orNotReported?: boolean; decodedFrom?: string; unit?: string }
  >;
}

/** Lays out parsed cells by storage slot. Values keep their exact decimal text; none is rounded. */
export function encodeFigures(cells: readonly ParsedCell[]): EncodedFigures {
  const slots = CELL_CODES_BY_SLOT.length;
  const statuses: string[] = new Array(slots).fill(NOT_IN_VERSION);
  const intValues: number[] = new Array(slots).fill(0);
  const decimalValues: Record<string, string> = {};
  const raw: Record<string, string | null> = {};
  const sourceLines: (number | null)[] = new Array(slots).fill(null);
  const notes: NonNullable<CellSources['notes']> = {};
  for (const cell of cells) {
    const slot = cellSlot(cell.code);
    const i = slot - 1;
    sourceLines[i] = cell.line;
    if (cell.candidates || cell.decodedFrom || cell.unit) {
      notes[String(slot)] = {
        ...(cell.candidates ? { candidates: cell.candidates } : {}),
        ...(cell.orNotReported ? { orNotReported: true } : {}),
        ...(cell.decodedFrom ? { decodedFrom: cell.decodedFrom } : {}),
        ...(cell.unit ? { unit: cell.unit } : {}),
      };
    }
    const reported = cell.status === 'REPORTED' && cell.value !== null;
    if (cell.rawText !== (reported ? cell.value : null)) raw[String(slot)] = cell.rawText;
    if (!reported || cell.value === null) {
      // A "reported" cell without a value would read as a figure with no reason for its absence.
      statuses[i] = cell.status === 'NOT_REPORTED' ? 'N' : cell.status === 'UNREADABLE' ? 'U' : 'M';
      continue;
    }
    const whole = WHOLE.test(cell.value) ? Number(cell.value) : null;
    if (whole !== null && Math.abs(whole) <= INT4_MAX) {
      statuses[i] = 'R';
      intValues[i] = whole;
    } else {
      statuses[i] = 'D';
      decimalValues[String(slot)] = cell.value;
    }
  }
  const lines: [number, number | null][] = [];
  sourceLines.forEach((line, i) => {
    if (line !== (i === 0 ? null : sourceLines[i - 1])) lines.push([i + 1, line ?? null]);
  });
  const sources: CellSources = { raw, lines, ...(Object.keys(notes).length > 0 ? { notes } : {}) };
  return { statuses: statuses.join(''), intValues, decimalValues, sources };
}

/** A revision_figures row as read back, through Prisma or a raw query. */
export interface StoredFigures {
  /** Bytes (a Buffer from node-postgres, a Uint8Array from Prisma) or the same as text. */
  statuses: string | Uint8Array | null;
  intValues: readonly number[] | null;
  decimalValues: unknown;
}

/** A revision_figures row this transaction wrote, with its revision and template version. */
export interface WrittenFigures extends StoredFigures {
  revisionId: number;
  version: TemplateVersion;
}

/** SQL: the columns of the revision_figures row `alias` that decodeFigures reads, from a raw query. */
export const figureColumnsSql = (alias: string): Prisma.Sql =>
  Prisma.raw(
    `${alias}.statuses, ${alias}.int_values AS "intValues", ${alias}.decimal_values AS "decimalValues"`,
  );

/** The cells of a template version from a stored row; a cell without a status is MISSING. */
export function decodeFigures(
  version: TemplateVersion,
  figures: StoredFigures | null,
  options: {
    /** report_revision.cell_sources; without it, printed texts are the values and lines null. */
    sources?: unknown;
    /** Only these cells (e.g. the carry-over cells a cross-year check compares). */
    only?: readonly string[];
  } = {},
): ParsedCell[] {
  const decimals = (figures?.decimalValues ?? {}) as Record<string, string | undefined>;
  const raw = figures?.statuses ?? '';
  const statuses = typeof raw === 'string' ? raw : Buffer.from(raw).toString('latin1');
  const printed = (options.sources ?? {}) as Partial<CellSources>;
  const lineOf = new Map<number, number | null>();
  let current: number | null = null;
  const runs = printed.lines ?? [];
  // Without line runs (neighbouring years read for cross-year checks) every line is null.
  for (let slot = 1, run = 0; runs.length > 0 && slot <= CELL_CODES_BY_SLOT.length; slot++) {
    while (run < runs.length && (runs[run]?.[0] ?? 0) <= slot) current = runs[run++]?.[1] ?? null;
    lineOf.set(slot, current);
  }
  const { only } = options;
  const cells = only
    ? cellsOfVersion(version).filter((cell) => only.includes(cell.code))
    : cellsOfVersion(version);
  return cells.map((cell) => {
    const slot = cellSlot(cell.code);
    const i = slot - 1;
    const char = statuses[i] ?? '';
    const value =
      char === 'R'
        ? String(figures?.intValues?.[i] ?? '')
        : char === 'D'
          ? (decimals[String(slot)] ?? '')
          : null;
    // A value the row promises but does not hold is missing, never guessed.
    const status = value === '' ? 'MISSING' : (CHAR_STATUS[char] ?? 'MISSING');
    const figure = status === 'REPORTED' ? value : null;
    const key = String(slot);
    const note = printed.notes?.[key];
    return {
      code: cell.code,
      status,
      value: figure,
      rawText: printed.raw && key in printed.raw ? (printed.raw[key] ?? null) : figure,
      line: lineOf.get(slot) ?? null,
      ...(note?.candidates ? { candidates: note.candidates } : {}),
      ...(note?.orNotReported ? { orNotReported: true } : {}),
      ...(note?.decodedFrom ? { decodedFrom: note.decodedFrom } : {}),
      ...(note?.unit ? { unit: note.unit } : {}),
    };
  });
}

/** SQL: the status byte of one cell of the revision_figures row `alias` (null past the row's last slot). */
const statusByte = (alias: string, slot: number) =>
  `CASE WHEN length(${alias}.statuses) >= ${slot} THEN get_byte(${alias}.statuses, ${slot - 1}) END`;

/**
 * SQL: one cell's value from the revision_figures row `alias` (numeric; null unless reported).
 * Slots are catalogue constants, inlined so the planner sees plain array subscripts.
 */
export function figureValueSql(alias: string, code: string): Prisma.Sql {
  const slot = cellSlot(code);
  return Prisma.raw(
    `(CASE ${statusByte(alias, slot)} WHEN ${byte('R')} THEN ${alias}.int_values[${slot}]::numeric WHEN ${byte('D')} THEN (${alias}.decimal_values->>'${slot}')::numeric END)`,
  );
}

/** SQL: one cell's status from the revision_figures row `alias`: REPORTED, NOT_REPORTED, UNREADABLE or MISSING. */
export function figureStatusSql(alias: string, code: string): Prisma.Sql {
  const slot = cellSlot(code);
  return Prisma.raw(
    `(CASE ${statusByte(alias, slot)} WHEN ${byte('R')} THEN 'REPORTED' WHEN ${byte('D')} THEN 'REPORTED' WHEN ${byte('N')} THEN 'NOT_REPORTED' WHEN ${byte('U')} THEN 'UNREADABLE' ELSE 'MISSING' END)`,
  );
}

/** A PostgreSQL array literal ('{1,2,3}'), for passing one array per row through unnest. */
export const intArrayLiteral = (values: readonly number[]): string => `{${values.join(',')}}`;
