/**
 * Who a report's own text says wrote it, where a page printed something else above it: "本报告由
 * 淮安市财政局…编制", "淮安市财政局编制完成了本报告", "淮安市财政局根据《条例》…", the first sentence
 * of 一、总体情况 ("2023年，淮安市财政局坚持…"), or the writer naming itself (我局, 我厅). A portal's
 * 发布机构 field or header names the government for every department's report it carries, and
 * these are what tell the two apart.
 */
import { barePlace } from './agency-bodies.ts';
import { AGENCY_NAME_END, whyNamesNoOne } from './agency-name-check.ts';
import type { Line } from './lines.ts';
import { compact } from './text.ts';

export interface Author {
  name: string;
  line: number;
  /** The words it was read from, to quote. */
  words: string;
  /**
   * Whether the text says the name compiled the report (本报告由X编制, X根据《…), rather than
   * opening its 总体情况 with it: a government's office compiles the government's report.
   */
  compiles: boolean;
}

/** A name as these sentences print it: Chinese characters, brackets and 、, nothing else. */
const NAME = '([\\u3400-\\u9fff（）()、]{3,40}?)';
const YEAR = '(?:\\d{4}|[〇○零一二三四五六七八九]{4})年度?';
/** Words a sentence puts before the name it opens with, never part of it: (现)由X编制本报告, 特…, 现…. */
const LEAD = '(?:[现特]?由|现|特)?';
const AUTHOR_SENTENCES = [
  // 本报告由X根据《条例》…编制, 本年度报告由X负责编制
  new RegExp(
    `本(?:年度)?报告(?:是)?由${NAME}(?:根据|依据|依照|按照|结合|负责|牵头|汇总|组织|统一|编制|编写|起草|制作|撰写)`,
  ),
  // X编制完成了本报告, X负责编写本年度报告: X from the sentence's start
  new RegExp(
    `(?:^|[，。；：,;:》）)])${LEAD}${NAME}(?:负责|牵头|组织)?(?:编制|编写|起草|撰写)(?:完成)?了?(?:本|该|此)(?:年度)?(?:报告|年报)`,
  ),
  // X根据《中华人民共和国政府信息公开条例》…: a sentence opening with its writer
  new RegExp(`(?:^|[。；])${LEAD}${NAME}(?:根据|依据|依照|按照)《`),
  // 一、总体情况 2023年，X坚持…
  new RegExp(
    `总体情况(?:[（(][一1][）)][^，。]{0,8})?${YEAR}(?:以来)?[，,]?${NAME}(?:坚持|认真|深入|严格|全面|始终|紧紧|紧扣|紧密|紧盯|围绕|以习近平|按照|聚焦|进一步|持续|高度|不断|积极|扎实|着力|坚决|切实|牢固)`,
  ),
];

/** The writer naming itself: 我局, 本局, 我厅, 本厅, but not 自我局限 or 基本局面. */
const SELF = /(?<![自基])[我本](局|厅)(?![面限势部])/;

/** How much of the report's text after the title is read for these: its opening and 总体情况. */
const READ_CHARS = 4000;

function opening(
  lines: readonly Line[],
  from: number,
): { text: string; starts: number[]; numbers: number[] } {
  let text = '';
  const starts: number[] = [];
  const numbers: number[] = [];
  for (let i = from; i < lines.length && text.length < READ_CHARS; i++) {
    const line = lines[i] as Line;
    if (line.cells) continue;
    starts.push(text.length);
    numbers.push(line.number);
    text += compact(line.text.slice(0, READ_CHARS));
  }
  return { text, starts, numbers };
}

const lineAt = (read: { starts: number[]; numbers: number[] }, at: number) => {
  let k = 0;
  while (k + 1 < read.starts.length && (read.starts[k + 1] ?? Infinity) <= at) k++;
  return read.numbers[k] ?? 0;
};

/**
 * The agency the report's text names as its writer, reading from line index `from` on: only a
 * whole name (not 区管委会办公室, 我局, which any county's body says), or null.
 */
export function authorInText(lines: readonly Line[], from: number): Author | null {
  const read = opening(lines, from);
  for (const [k, sentence] of AUTHOR_SENTENCES.entries()) {
    const m = sentence.exec(read.text);
    const name = m?.[1];
    if (!m || !name) continue;
    if (!AGENCY_NAME_END.test(name) || /[的我本该此]/.test(name) || whyNamesNoOne(name)) continue;
    // A place alone (2022年，沙坡头区坚持…) is how a government's report names itself: no writer.
    if (barePlace(name)) continue;
    const at = m.index + m[0].indexOf(name);
    const words = m[0].replace(/^[，。；：,;:》）)]/, '');
    // Every sentence but the last (总体情况's subject) says who compiled the report.
    return { name, line: lineAt(read, at), words, compiles: k < AUTHOR_SENTENCES.length - 1 };
  }
  return null;
}

/** The kind of body the writer calls itself (局 for 我局, 厅 for 我厅) and where, or null. */
export function selfNamed(
  lines: readonly Line[],
  from: number,
): { word: string; line: number; words: string } | null {
  const read = opening(lines, from);
  const m = SELF.exec(read.text);
  return m?.[1] ? { word: m[1], line: lineAt(read, m.index), words: m[0] } : null;
}
