import { SECTIONS, type SectionInfo, TABLES } from '../catalogue/template.ts';
import type { Line } from './lines.ts';
import { compact, labelKey } from './text.ts';

export interface LocatedSection {
  info: SectionInfo;
  heading: string;
  /** Index into the line array of the heading line. */
  start: number;
  /** Index one past the last line of the section. */
  end: number;
}

const CHINESE = '一二三四五六';
/**
 * The ordinal styles agencies number their sections with: 二、 （二） (二) 2. 2、 第二部分,
 * or none. Group 1–4 hold the ordinal of each style.
 */
const HEADING =
  /^(?:第([一二三四五六])(?:部分|章)[、:：.．]?|[(（]([一二三四五六])[)）][、.．]?|([一二三四五六])[、.．]|([1-6])[、.．](?!\d))?(.+)$/;

/** The full titles a section is printed under (the template's, and table 4's known variants). */
const TITLES_OF = new Map(
  SECTIONS.map((info) => {
    const table = TABLES.find((t) => t.id === info.table);
    return [
      info,
      [info.zh, ...(table ? [table.heading.zh, ...(table.heading.variants ?? [])] : [])].map(labelKey),
    ];
  }),
);

/** The section a heading line announces, if any, given the sections already passed. */
function sectionOf(raw: string, next: number): SectionInfo | null {
  // Stray table pipes and a trailing colon do not change a heading.
  const text = compact(raw)
    .replace(/^\|+|\|+$/g, '')
    .replace(/[:：]$/, '');
  if (text.length > 40) return null;
  const match = HEADING.exec(text);
  if (!match) return null;
  const chinese = match[1] ?? match[2] ?? match[3];
  const number = chinese ? CHINESE.indexOf(chinese) + 1 : match[4] ? Number(match[4]) : null;
  const rest = match[5] ?? '';
  if (number !== null) {
    const info = SECTIONS[number - 1];
    if (!info || SECTIONS.indexOf(info) < next) return null;
    return info.keywords.some((k) => rest.includes(k)) ? info : null;
  }
  // Unnumbered: only the section's own title (or a known variant of it), nothing longer.
  const key = labelKey(rest);
  return (
    SECTIONS.slice(next).find((info) =>
      (TITLES_OF.get(info) ?? []).some(
        (title) => key === title || (key.includes(title) && key.length <= title.length + 6),
      ),
    ) ?? null
  );
}

/**
 * Finds the template's section headings (一、总体情况 … 六、其他需要报告的事项). A
 * heading is a free-standing line with the right ordinal (in any of the styles above) and
 * one of the section's keywords, or the section's title alone; sections come in order.
 */
/**
 * Every heading carries one of its section's keywords (spaces may sit between the characters);
 * each section's own title holds one of them too, so the keywords alone are the test.
 */
const ANY_KEYWORD = new RegExp(
  [...new Set(SECTIONS.flatMap((s) => s.keywords))].map((k) => [...k].join('\\s*')).join('|'),
);

function filledCells(cells: readonly string[]): number {
  let filled = 0;
  for (const cell of cells) if (cell !== '') filled++;
  return filled;
}

export function locateSections(lines: readonly Line[]): LocatedSection[] {
  const found: { info: SectionInfo; heading: string; start: number }[] = [];
  let next = 0;
  lines.forEach((line, index) => {
    // Headings are short and name their section; skip other lines before normalising them.
    // A table row is not a heading; counted first, as it is cheaper than the keyword pattern.
    if (line.text.length > 80 || (line.cells && filledCells(line.cells) > 1)) return;
    if (!ANY_KEYWORD.test(line.text)) return;
    const info = sectionOf(line.text, next);
    if (!info) return;
    found.push({ info, heading: line.text.trim(), start: index });
    next = SECTIONS.indexOf(info) + 1;
  });
  return found.map((section, i) => ({ ...section, end: found[i + 1]?.start ?? lines.length }));
}

/**
 * A section heading printed inside a run-on line: 二、 then, before any digit (full-width ones
 * too: the line is not folded yet) or full stop, a keyword.
 */
const INLINE = new RegExp(
  `[${CHINESE}][、.．][^0-9０-９。；;\\n]{0,24}?(?:${[...new Set(SECTIONS.flatMap((s) => s.keywords))].join('|')})`,
  'g',
);
const LEADING_ORDINAL = /^[\s\u3000]*[一二三四五六][、.．]/;
const HEADING_END = /^[^0-9０-９。；;\n]{0,16}?(?:情况|事项)/;

/**
 * Pages dumped as text put a whole report on one line. Splits such lines before and after
 * every section heading they contain, so sections can be found as on any other page.
 * Line numbers stay those of the source line.
 */
export function splitInlineHeadings(lines: readonly Line[]): Line[] {
  const out: Line[] = [];
  for (const line of lines) {
    // A short line that starts with its ordinal is a heading already (or not one at all); a
    // table row is never split (looked at first: most of a report's lines are rows).
    if (
      line.cells ||
      (line.text.length <= 40 && LEADING_ORDINAL.test(line.text)) ||
      !INLINE.test(line.text)
    ) {
      out.push(line);
      continue;
    }
    INLINE.lastIndex = 0;
    const cuts: number[] = [];
    let next = 0;
    for (const m of line.text.matchAll(INLINE)) {
      const at = m.index ?? 0;
      // In an ordinary line, a heading follows a full stop, a space or a figure ("…的三、…" is
      // a sentence); a page dumped as one run-on line glues it to anything (`…2895.90元三、`).
      if (at > 0 && line.text.length <= 200 && !/[\s。；;！!？?:：\d０-９)）]/.test(line.text[at - 1] ?? ''))
        continue;
      const ordinal = CHINESE.indexOf(m[0][0] ?? '');
      const info = SECTIONS[ordinal];
      if (!info || ordinal < next || !info.keywords.some((k) => m[0].includes(k))) continue;
      const tail = /(?:情况|事项)$/.test(m[0]) ? null : HEADING_END.exec(line.text.slice(at + m[0].length));
      cuts.push(at, at + m[0].length + (tail ? tail[0].length : 0));
      next = ordinal + 1;
    }
    if (cuts.length === 0) {
      out.push(line);
      continue;
    }
    let from = 0;
    for (const cut of [...cuts, line.text.length]) {
      const text = line.text.slice(from, cut);
      if (text.trim() !== '') out.push({ number: line.number, text, cells: null });
      from = cut;
    }
  }
  return out;
}
