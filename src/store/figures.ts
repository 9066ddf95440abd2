/**
 * The storage mapping of a revision's figures: parsed cells ⇄ the slot-indexed arrays of
 * revision_figures (values, statuses) and report_revision (printed text, source line), and
 * the SQL that reads one figure out of a revision_figures row. Slots come from the
 * catalogue (src/catalogue/slots.ts), so nothing here lists cells.
 */
import { cellsOfVersion } from '../catalogue/cells.ts';
import { CELL_CODES_BY_SLOT, cellSlot } from '../catalogue/slots.ts';
import type { TemplateVersion } from '../catalogue/template.ts';
import type { ParsedCell } from '../ingest/types.ts';
import { Prisma } from './db.ts';

type Status = ParsedCell['status'];

/**
 * Status characters. A reported figure's character also says which column holds its value,
 * so the int_values filler (0, see schema.prisma) is never read as a figure.
 */
const CHAR_STATUS: Record<string, Status> = { R: 'REPORTED', D: 'REPORTED', N: 'NOT_REPORTED', M: 'MISSING' };
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

/** report_revision.cell_sources: each figure's printed text and source line, by slot. */
export interface CellSources {
  rawTexts: (string | null)[];
  sourceLines: (number | null)[];
}

/** Lays out parsed cells by storage slot. Values keep their exact decimal text; none is rounded. */
export function encodeFigures(cells: readonly ParsedCell[]): EncodedFigures {
  const slots = CELL_CODES_BY_SLOT.length;
  const statuses: string[] = new Array(slots).fill(NOT_IN_VERSION);
  const intValues: number[] = new Array(slots).fill(0);
  const decimalValues: Record<string, string> = {};
  const rawTexts: (string | null)[] = new Array(slots).fill(null);
  const sourceLines: (number | null)[] = new Array(slots).fill(null);
  for (const cell of cells) {
    const slot = cellSlot(cell.code);
    const i = slot - 1;
    rawTexts[i] = cell.rawText;
    sourceLines[i] = cell.line;
    if (cell.status !== 'REPORTED' || cell.value === null) {
      // A "reported" cell without a value would read as a figure with no reason for its absence.
      statuses[i] = cell.status === 'NOT_REPORTED' ? 'N' : 'M';
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
  return { statuses: statuses.join(''), intValues, decimalValues, sources: { rawTexts, sourceLines } };
}

/** A revision_figures row as read back, through Prisma or a raw query. */
export interface StoredFigures {
  /** Text from raw queries (figureColumnsSql converts it), bytes through Prisma. */
  statuses: string | Uint8Array | null;
  intValues: readonly number[] | null;
  decimalValues: unknown;
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
  sources?: unknown,
): ParsedCell[] {
  const decimals = (figures?.decimalValues ?? {}) as Record<string, string | undefined>;
  const raw = figures?.statuses ?? '';
  const statuses = typeof raw === 'string' ? raw : Buffer.from(raw).toString('latin1');
  const printed = (sources ?? {}) as Partial<CellSources>;
  return cellsOfVersion(version).map((cell) => {
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
    return {
      code: cell.code,
      status,
      value: status === 'REPORTED' ? value : null,
      rawText: printed.rawTexts?.[i] ?? null,
      line: printed.sourceLines?.[i] ?? null,
    };
  });
}

/** SQL: the status byte of one cell of the revision_figures row `alias` (null past the row's last slot). */
const statusByte = (alias: string, slot: number) =>
  `CASE WHEN length(${alias}.statuses) >= ${slot} THEN get_byte(${alias}.statuses, ${slot - 1}) END`;
const BYTE = { R: 82, D: 68, N: 78 } as const;

/**
 * SQL: one cell's value from the revision_figures row `alias` (numeric; null unless reported).
 * Slots are catalogue constants, inlined so the planner sees plain array subscripts.
 */
export function figureValueSql(alias: string, code: string): Prisma.Sql {
  const slot = cellSlot(code);
  return Prisma.raw(
    `(CASE ${statusByte(alias, slot)} WHEN ${BYTE.R} THEN ${alias}.int_values[${slot}]::numeric WHEN ${BYTE.D} THEN (${alias}.decimal_values->>'${slot}')::numeric END)`,
  );
}

/** SQL: one cell's status from the revision_figures row `alias`: REPORTED, NOT_REPORTED or MISSING. */
export function figureStatusSql(alias: string, code: string): Prisma.Sql {
  const slot = cellSlot(code);
  return Prisma.raw(
    `(CASE ${statusByte(alias, slot)} WHEN ${BYTE.R} THEN 'REPORTED' WHEN ${BYTE.D} THEN 'REPORTED' WHEN ${BYTE.N} THEN 'NOT_REPORTED' ELSE 'MISSING' END)`,
  );
}

/** A PostgreSQL array literal ('{1,2,3}'), for passing one array per row through unnest. */
export const intArrayLiteral = (values: readonly number[]): string => `{${values.join(',')}}`;
