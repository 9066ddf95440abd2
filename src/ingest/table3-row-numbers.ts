/**
 * A row-number column (序号) before table 3's labels: its cells (1, 2, …, （一）) number the
 * rows and are never figures.
 */
import { compact } from './text.ts';

const ROW_NUMBER_HEADER = /^(?:序号|编号)$/;

/** Whether a header cell names a row-number column. */
export const isRowNumberHeader = (cell: string) => ROW_NUMBER_HEADER.test(compact(cell));
