/**
 * A table's rows that cannot be placed: figures on a line without a row label, and a template
 * row printed twice. Each is refused (or, a repeat with the same figures, read once with a
 * warning), as keeping either copy, or giving figures to a row, would be a guess.
 */
import type { Line } from './lines.ts';
import { TABLE_NAMES, type TableReading } from './table-reading.ts';
import type { TableId } from './types.ts';

/**
 * Figures on a table line with no label, right below a row: the row's label cell merged down
 * over both lines (rowspan="2", or a label copied into one cell of two), or a row the table does
 * not name. They were dropped without a word, and the labelled line's blanks stored as the
 * row's figures. Which line holds the row's figures cannot be told, so the report is refused.
 * Above the table's first row (`above` null) they are no row's either: a row whose label was
 * lost, or one the template does not have.
 */
export function unlabelledBelow(
  reading: TableReading,
  table: 'T2' | 'T3',
  line: Line & { cells: string[] },
  above: { label: string; line: number } | null,
) {
  const first = line.cells.findIndex((c) => c.trim() !== '');
  const printed = line.cells
    .slice(first)
    .map((c) => c.trim())
    .join(' | ')
    .replace(/[\s|]+$/, '');
  if (!above) {
    reading.errors.push({
      code: 'UNKNOWN_ROW',
      severity: 'error',
      table,
      line: line.number,
      text: printed,
      message: `Line ${line.number}, ${TABLE_NAMES[table]}: the figures "${printed}" have no row label and stand before the table's first row, so whose figures they are cannot be told (a row whose label was lost, or one the template does not have). Label their row, or remove it, and import again.`,
    });
    return;
  }
  reading.errors.push({
    code: 'MERGED_CELL',
    severity: 'error',
    table,
    row: above.label,
    line: line.number,
    text: printed,
    message: `Line ${line.number}, ${TABLE_NAMES[table]}: the figures "${printed}" have no row label; they stand below row "${above.label}" (line ${above.line}), whose label may reach down over both lines, so which line holds that row's figures cannot be told. Put the figures on the label's line (or label their row) and import again.`,
  });
}

/**
 * A template row printed again (a copy-paste, a table printed twice, two labels matching one
 * row), first read on line `first`: an error, as which copy is right cannot be decided and
 * keeping either would be a guess. Unless both copies print the same figures (`same`): then
 * there is nothing to decide, the row is read once and the repeat is a warning. Callers look
 * the row up in their own map of rows read, so that a row read once costs nothing more.
 */
export function reportRepeatedRow(
  reading: TableReading,
  where: { table: TableId; label: string; line: number; first: number },
  same: boolean,
): void {
  (same ? reading.warnings : reading.errors).push({
    code: 'DUPLICATE_ROW',
    severity: same ? 'warning' : 'error',
    table: where.table,
    row: where.label,
    line: where.line,
    message: same
      ? `Line ${where.line}, ${TABLE_NAMES[where.table]}: row "${where.label}" is printed again with the same figures (first on line ${where.first}); it is read once.`
      : `Line ${where.line}, ${TABLE_NAMES[where.table]}: row "${where.label}" appears again (first on line ${where.first}); which one is right cannot be decided.`,
  });
}

/** Whether `values`, as printed, are what was read for `codes` (a repeated row's first copy). */
export const sameAsRead = (reading: TableReading, codes: readonly string[], values: readonly string[]) =>
  codes.length === values.length &&
  codes.every((code, i) => {
    const cell = reading.cells.get(code);
    return cell !== undefined && cell.rawText === (values[i] ?? '');
  });
