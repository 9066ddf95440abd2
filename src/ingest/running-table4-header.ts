/**
 * Table 4's header of results in running text, where it is the anchor of a table printed as a
 * row per proceeding: 结果维持 … 总计 as the template prints it, or wrapped, each result's two
 * words one above the other, as a PDF's text layer prints a narrow header:
 *
 *     结果 结果 其他 尚未          (总计 on either line)
 *     维持 纠正 结果 审结 总计
 */
import { TABLE4_RESULTS } from '../catalogue/template.ts';
import { findKey, type Match } from './running-labels.ts';

/** The results but the total, in the template's order: what the columns read down must spell. */
const RESULTS = TABLE4_RESULTS.filter((r) => !r.isTotal).map((r) => r.zh);
const TOTAL = '总计';

/** A header line's words, with its 总计 taken off its end; null where 总计 stands elsewhere. */
function words(line: string): { words: string[]; total: boolean } | null {
  const all = line.trim().split(/\s+/).filter(Boolean);
  const at = all.indexOf(TOTAL);
  if (at >= 0 && at !== all.length - 1) return null;
  return { words: at >= 0 ? all.slice(0, -1) : all, total: at >= 0 };
}

/**
 * Where the header of results is printed. A wrapped header counts only where its two lines,
 * read down each column, spell the template's results in its order, with one 总计 after them:
 * the order of the columns is then as printed, not assumed. Null where neither is found.
 */
export function resultsHeader(text: string): Match | null {
  const whole = findKey(text, [RESULTS[0] ?? ''], 0, text.length);
  if (whole) return whole;
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if (end < 0) return null;
    const after = text.indexOf('\n', end + 1);
    const top = words(text.slice(start, end));
    const bottom = words(text.slice(end + 1, after < 0 ? text.length : after));
    const read =
      top && bottom && top.words.length === RESULTS.length && bottom.words.length === RESULTS.length
        ? top.words.map((w, i) => `${w}${bottom.words[i]}`)
        : [];
    if (top && bottom && top.total !== bottom.total && read.join() === RESULTS.join())
      return { start, end: after < 0 ? text.length : after };
    start = end + 1;
  }
}
