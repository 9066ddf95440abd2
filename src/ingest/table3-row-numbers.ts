/**
 * A row-number column (序号) before table 3's labels: its cells (1, 2, …, （一）) number the
 * rows and are never figures.
 */
import { compact } from './text.ts';

const ROW_NUMBER_HEADER = /^(?:序号|编号)$/;

/** Whether a header cell names a row-number column. */
export const isRowNumberHeader = (cell: string) => ROW_NUMBER_HEADER.test(compact(cell));

/** 序号 (or 编号) as a word of running text: a header printed as a line of words. */
const ROW_NUMBER_WORD = /(?:^|\s)(?:序\s?号|编\s?号)(?=\s|$)/;
/** A row's number alone on the last line before the next row's label: 2, 2., 2、, 二, （二）. */
const LONE_ROW_NUMBER =
  /\n[ \t\u3000]*(?:\d{1,3}[.．、]?|[一二三四五六七八九十]{1,3}[、.．]?|[(（][一二三四五六七八九十\d]{1,3}[)）])[ \t\u3000]*\n?$/;

/**
 * Where a row of table 3 printed as running text ends (`until`, the start of the next row's
 * line), under a header whose words before the first row (`header`) name a row-number column:
 * before a row number alone on the row's last line, which is the next row's number (printed one
 * cell a line: 2 / 二、上年结转… / 3 / 1 / …). Read as the row's, it filled a figure the row
 * left blank. Should it be the row's own last figure instead, the row is one short, and places
 * none of its figures: a row number is never read as a figure.
 */
export function beforeRowNumber(header: string, text: string, from: number, until: number): number {
  if (!ROW_NUMBER_WORD.test(header)) return until;
  const found = LONE_ROW_NUMBER.exec(text.slice(from, until));
  return found ? from + found.index + 1 : until;
}
