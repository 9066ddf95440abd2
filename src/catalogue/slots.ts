/**
 * Storage slots: each cell code of every template version has a fixed 1-based position in
 * the per-revision figure arrays (PostgreSQL arrays are 1-based). A report's ~200 figures
 * are stored as one row of arrays rather than ~200 rows, so an import writes one row per
 * report and a comparison reads one row per report.
 *
 * Slots follow the catalogue's cell order. Stored arrays depend on them, so existing cells
 * must keep their positions and new cells may only be appended: the migration that created
 * the layout records the slot of every code, and a test checks this list against it.
 */
import { CELLS } from './cells.ts';

/** Cell codes in slot order: CELL_CODES_BY_SLOT[slot - 1]. */
export const CELL_CODES_BY_SLOT: readonly string[] = CELLS.map((cell) => cell.code);

const slotByCode = new Map(CELL_CODES_BY_SLOT.map((code, i) => [code, i + 1]));

/** The 1-based slot of a cell code; throws for a code the catalogue does not define. */
export function cellSlot(code: string): number {
  const slot = slotByCode.get(code);
  if (slot === undefined) throw new Error(`No storage slot for unknown cell code ${code}`);
  return slot;
}
