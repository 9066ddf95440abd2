/**
 * Column bars other than "|" in text. Text browsers (w3m, elinks -dump) print a page's bordered
 * tables with box characters, a Chinese input method types the full-width bar ｜, and a page or a
 * text dump may separate columns with any character that looks like a bar: 丨 (a CJK ideograph,
 * the one an input method offers for "shu"), its Kangxi radical ⼁ (PDF text layers print it for
 * 丨), ︱, ∣, ǀ, ⎮, ▏. Left as they were, a row of them was one label (行政许可丨12丨3丨456) and
 * each box rule (├──┼──┤) filled a row with blank cells: rows, headers and figures were lost or
 * merged. They become the pipes of a pipe table (lines.ts), each rule a table's rule.
 */
import { isValueLike, splitUnit } from './text.ts';

/** Any character this file reads, to leave a text without one as it is. */
const BAR_CHARACTER = /[\u2500-\u257F｜¦︱︳∣ǀ⎮⏐▏▕￨❘丨⼁㇑]/;
/**
 * Bars that are nothing else in a report: a line with two of them (pipes counted in) is a row.
 * A lone one is a separator in prose (首页｜政务公开).
 */
const BARS = /[│┃║｜¦︱︳∣ǀ⎮⏐▏▕￨❘]/g;
/**
 * Bars that are also CJK characters (丨 is a rare ideograph; ⼁ and ㇑ are its radical and
 * stroke): bars only in a text with a row of them holding a figure (行政许可丨12丨3), and never
 * in a line that names the report (a title with its site's name around it).
 */
const CJK_BARS = /[丨⼁㇑]/g;
const NAMES_REPORT = /年度报告/;
const BOX_RULE = /^[\s\u2500-\u257F+=|｜-]*[\u250C-\u254B\u2552-\u256C+][\s\u2500-\u257F+=|｜-]*$/;

const count = (raw: string, bars: RegExp) => raw.match(bars)?.length ?? 0;
const pipes = (raw: string) => count(raw, /\|/g);

/** Whether a line is a row split by CJK bars with a figure among its cells. */
function isCjkBarRow(raw: string): boolean {
  if (NAMES_REPORT.test(raw) || count(raw, CJK_BARS) + count(raw, BARS) + pipes(raw) < 2) return false;
  return raw.split(/[丨⼁㇑│┃║｜¦︱︳∣ǀ⎮⏐▏▕￨❘|]/).some((cell) => {
    const text = cell.trim();
    return text !== '' && isValueLike(splitUnit(text).text);
  });
}

/**
 * The text's lines with column bars as pipes and box rules as a pipe table's rule. A line is a
 * row where it has two separators or more, of any kind (a row may mix 丨 and |).
 */
export function withBarsAsPipes(lines: readonly string[], text: string): readonly string[] {
  if (!BAR_CHARACTER.test(text)) return lines;
  const cjk = /[丨⼁㇑]/.test(text) && lines.some((raw) => /[丨⼁㇑]/.test(raw) && isCjkBarRow(raw));
  return lines.map((raw) => {
    if (!BAR_CHARACTER.test(raw)) return raw;
    if (BOX_RULE.test(raw) && /[\u2500-\u257F]/.test(raw)) return '|---|';
    const cjkBars = cjk && !NAMES_REPORT.test(raw) ? count(raw, CJK_BARS) : 0;
    const bars = count(raw, BARS) + cjkBars;
    if (bars === 0 || bars + pipes(raw) < 2) return raw;
    const piped = raw.replace(BARS, '|');
    return cjkBars > 0 ? piped.replace(CJK_BARS, '|') : piped;
  });
}
