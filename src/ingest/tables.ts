/**
 * Reads tables 2, 3 and 4 from table rows. Rows and columns are recognised by their
 * labels, matched against the catalogue; numbers are never inferred from position
 * beyond the printed order of a row's values.
 *
 * Each table has its reader (table2-rows.ts, table3-rows.ts, table4-rows.ts); what they
 * share, and what a reading is, is in table-reading.ts.
 */

export { emptyReading, TABLE_NAMES, type TableReading } from './table-reading.ts';
export { readTable2 } from './table2-rows.ts';
export { readTable3 } from './table3-rows.ts';
export { readTable4 } from './table4-rows.ts';
