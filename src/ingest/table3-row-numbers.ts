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
/** A row's number as printed: 2, 2., 2、, 二, 二、, （二）. */
const NUMBER =
  '(?:\\d{1,3}[.．、]?|[一二三四五六七八九十]{1,3}[、.．]?|[(（][一二三四五六七八九十\\d]{1,3}[)）])';
/** A row's number alone on the last line before the next row's label. */
const OWN_LINE = new RegExp(`\\n[ \\t\\u3000]*${NUMBER}[ \\t\\u3000]*\\n?$`);
/** A row's number set apart right before the next row's label on its line (… 49 2 二、上年结转). */
const SAME_LINE = new RegExp(`[ \\t\\u3000]${NUMBER}[ \\t\\u3000]*$`);

/** Where a row printed as running text ends, or why that cannot be told. */
export type RowEnd = { until: number } | { unclear: string };

/**
 * Where a row of table 3 printed as running text ends (`until`: the next row's label, or the
 * start of its line), under a header whose words before the first row (`header`) name a
 * row-number column. The next row's number, printed before its label, is not the row's: alone on
 * the row's last line (one cell a line: … 0 / 2 / 二、上年结转…) or set apart before the label on
 * its line (… 49 2 二、上年结转…), the row ends before it. Read as the row's, it filled a figure
 * the row left blank. Should it be the row's own last figure instead (the next row's number left
 * blank), the row is one short and places none of its figures. Digits run into the label with
 * no space before them (…0492二、上年结转) may end with the number or not: unclear.
 */
export function rowNumberEnd(header: string, text: string, from: number, until: number): RowEnd {
  if (!ROW_NUMBER_WORD.test(header)) return { until };
  const segment = text.slice(from, until);
  const own = OWN_LINE.exec(segment);
  if (own) return { until: from + own.index + 1 };
  if (segment.endsWith('\n')) return { until };
  const same = SAME_LINE.exec(segment);
  if (same) return { until: from + same.index + 1 };
  if (!/\d[ \t\u3000]*$/.test(segment)) return { until };
  return {
    unclear: `the table numbers its rows (序号), and the row's figures run into the next row's label with no space before it ("${segment.trim().slice(-12)}"), so whether its last digits are the next row's number or its own figure cannot be told.`,
  };
}
