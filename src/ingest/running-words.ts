/**
 * Where a row's figures may be in running text: before any words the template does not print
 * after its label, and never a date's year alone.
 */
import {
  APPLICANT_COLUMNS,
  ORGANISATION_HEADER,
  TABLE2_BLOCKS,
  TABLE2_HEADER_FIRST_CELL,
  TABLE3_GROUPS,
  TABLE3_OUTCOMES_LABEL,
  TABLE3_ROWS,
} from '../catalogue/template.ts';
import type { Segment } from './running-segments.ts';

/** Four ideographs or more in a row: words, not a unit (万元) nor a vertical label's character a line. */
const WORDS = /[\u4E00-\u9FFF]{4,}/g;
const ideographs = (text: string) => text.replace(/[^\u4E00-\u9FFF]/g, '');

/**
 * The words tables 2 and 3 print, as ideographs: every label, variant, note and header of the
 * catalogue. A PDF's text layer puts them between a label and its figures (the rest of a label
 * wrapped around them, a vertical label a character a line, a header cell printed beside the
 * first row); the report's own words are none of them.
 */
const TEMPLATE_WORDS: readonly string[] = (() => {
  const words = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      const w = ideographs(value);
      if (w.length >= 4) words.add(w);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk([TABLE2_BLOCKS, TABLE2_HEADER_FIRST_CELL, APPLICANT_COLUMNS, ORGANISATION_HEADER]);
  walk([TABLE3_OUTCOMES_LABEL, TABLE3_GROUPS, TABLE3_ROWS]);
  return [...words];
})();

/**
 * Where words start after a row's label (from `from`) that the template does not print: a row's
 * figures come before them. After them come a sentence (the report's next section, after a table
 * whose last row is blank: 2021 was read from "2021年，在主动公开的198条…" for a blank fee) or a
 * local row.
 */
function wordsAfter(text: string, from: number, until: number): number {
  WORDS.lastIndex = from;
  for (let m = WORDS.exec(text); m && m.index < until; m = WORDS.exec(text)) {
    const words = m[0];
    if (!TEMPLATE_WORDS.some((label) => label.includes(words))) return m.index;
  }
  return until;
}

/** A run that is a year of a date (2021年): never a row's figures, whose units are no 年. */
const dateYear = (text: string, segment: Segment) =>
  /^(?:19|20)\d\d$/.test(text.slice(segment.start, segment.end).trim()) && text[segment.end] === '年';

/**
 * The runs of `all` (after a row's label, from `from`) that may be the row's figures: those
 * printed before any words the template does not print (a blank last row of table 2 took 2021
 * from the sentence after the table), unless each is a date's year alone (注：2021年无收费 after
 * a blank fee). Beside other numbers, which run is the row's is the rivals' and stray checks'
 * to say (running-rivals.ts).
 */
export function inReach(text: string, from: number, until: number, all: readonly Segment[]): Segment[] {
  const open = wordsAfter(text, from, until);
  const before = all.filter((s) => s.start < open);
  return before.every((s) => dateYear(text, s)) ? [] : before;
}
