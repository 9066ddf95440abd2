/**
 * Where a row's figures may be in running text: after its label, before any word that is not
 * the label's own, and never a date's number alone.
 */
import { cellByCode } from '../catalogue/cells.ts';
import { TABLE3_GROUPS, TABLE3_OUTCOMES_LABEL } from '../catalogue/template.ts';
import type { Segment } from './running-segments.ts';

/** A run of ideographs: the words between a label and a number. */
const WORDS = /[\u4E00-\u9FFF]+/g;
const ideographs = (text: string) => text.replace(/[^\u4E00-\u9FFF]/g, '');

/** Every string a catalogue entry prints (its label, variants and note), as ideographs. */
function printedWords(entry: unknown): string[] {
  if (typeof entry === 'string') return [ideographs(entry)];
  if (Array.isArray(entry)) return entry.flatMap(printedWords);
  if (!entry || typeof entry !== 'object') return [];
  const { zh, variants, note } = entry as { zh?: unknown; variants?: unknown; note?: unknown };
  return [zh, variants, note].flatMap(printedWords).filter((w) => w !== '');
}

/** A word printed before a figure that qualifies it (约35), for the figure's reading to refuse. */
const QUALIFIERS = ['约'];

/**
 * The words a row's label owns between it and its figures: the rest of the label and its note
 * wrapped around them in a PDF's text layer (（二）部分公开（区分处理的，只计这一情 / figures / 形…）),
 * and in table 3 its group's label wrapped around its first rows (（六）其 / 2、申请人… / 他处理)
 * and the outcomes' vertical label, a character a line (三、本年度办理结果).
 */
function ownWords(codes: readonly string[]): string[] {
  const cell = codes[0] === undefined ? undefined : cellByCode(codes[0]);
  if (!cell || cell.table === 'T4') return QUALIFIERS;
  const table3 =
    cell.table === 'T3'
      ? [TABLE3_OUTCOMES_LABEL, TABLE3_GROUPS.find((g) => g.code === cell.row.group)].flatMap(printedWords)
      : [];
  return [...printedWords(cell.row), ...table3, ...QUALIFIERS];
}

/**
 * Where a word starts after a row's label (from `from`) that is not the label's own: the row's
 * figures come before it. After it come a sentence (the report's next section, after a table
 * whose last row is blank: 2021 was read from "2021年，在主动公开的198条…" for a blank fee), a
 * phrase with a number (第3季度, 其他3件, 截至12月底), an article (第20条) or a local row (小计,
 * 其中 …), none of them the row's figures.
 */
function wordsAfter(text: string, from: number, until: number, codes: readonly string[]): number {
  const own = ownWords(codes);
  WORDS.lastIndex = from;
  for (let m = WORDS.exec(text); m && m.index < until; m = WORDS.exec(text)) {
    const afterDigit = /\d[ \t\u3000]*$/.test(text.slice(Math.max(from, m.index - 4), m.index));
    // A date's word after its number (2024年 447228, 1月31日): the date is passed over, and where
    // figures follow it which run is the row's is the rivals' question; words after it end the row.
    const date = afterDigit ? (DATE_WORD.exec(m[0])?.[0] ?? '') : '';
    const words = m[0].slice(date.length);
    if (words === '') continue;
    // A note's mark after the label (总计<sup>注1</sup>, [注1]), which the figures' reading passes over.
    if (words === '注' && date === '' && /^\d/.test(text[m.index + 1] ?? '')) continue;
    if (!own.some((label) => label.includes(words))) return m.index + date.length;
  }
  return until;
}

/** The word after a date's number. */
const DATE_WORD = /^(?:年度|年|月份|月|日|号)/;

/** A run that is a number of a date (2021年, 1月, 13日): never a row's figures, whose units are no 年. */
const dateNumber = (text: string, segment: Segment) =>
  /^\d{1,4}$/.test(text.slice(segment.start, segment.end).trim()) &&
  /[年月日号]/.test(text[segment.end] ?? '');

/**
 * The runs of `all` (after the label of the row of `codes`, from `from`) that may be its figures:
 * those printed before any word that is not the label's own, unless each is a date's number
 * alone (注：2021年无收费, 1月31日前 after a blank row). Beside other numbers, which run is the
 * row's is the rivals' and stray checks' to say (running-rivals.ts).
 */
export function inReach(
  text: string,
  from: number,
  until: number,
  codes: readonly string[],
  all: readonly Segment[],
): Segment[] {
  // Table 4's figures follow its header's words, which are its rows' labels in running text.
  if (codes[0] === undefined || cellByCode(codes[0])?.table === 'T4') return [...all];
  const open = wordsAfter(text, from, until, codes);
  const before = all.filter((s) => s.start < open);
  return before.every((s) => dateNumber(text, s)) ? [] : before;
}
