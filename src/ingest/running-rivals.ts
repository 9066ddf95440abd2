/**
 * Two runs of numbers after one row's label in running text, either of which fills the row:
 * `行政许可 2024年 447228`, `行政处罚141（注3）`, `规章2021年000`. A row's figures are the first run
 * that fills it, so the year or the note's number was stored as the figure (2024 for 447228),
 * and the figure dropped without a word. Nothing in the text says which run is the row's, so
 * the row is refused, naming both.
 */
import type { TemplateVersion } from '../catalogue/template.ts';
import { decodeRuns } from './digit-runs.ts';
import type { Stream } from './running-labels.ts';
import type { FoundRow } from './running-rows.ts';
import { printsApart, rowRefusal, type Segment } from './running-segments.ts';
import type { Problem, TableId } from './types.ts';

/** Whether a run of numbers can fill a row's columns on its own (digit-runs.ts). */
export function fillsRow(
  text: string,
  version: TemplateVersion,
  codes: readonly string[],
  segment: Segment,
  separated: boolean,
): boolean {
  const run = { codes, tokens: segment.tokens, apart: printsApart(text, segment) };
  return decodeRuns(version, [run], { separated }).impossible.length === 0;
}

/** The most characters (spaces aside) between a row's figures and a stray number beside them. */
const NEAR = 4;
const figureCount = (segment: Segment) => segment.tokens.filter((t) => t.kind === 'digits').length;

/** Words that open a note: 注, 说明, 备注. */
const NOTE = '(?:注|说明|备注)';
/** Between the figures and a number on a following line: a bracket and a note's word may open the line. */
const LINE_OPENING = new RegExp(`^[(\\[【〔]?(?:${NOTE}:?)?$`);
/** Between the figures and a number on their own line: a bracket opened after them, or 注:. */
const SAME_LINE_OPENING = new RegExp(`^(?:[(\\[【〔](?:${NOTE}:?)?|${NOTE}:)$`);
/**
 * A number that starts words: text right after it (2024年起, 1本表), or after list numbering (1.本表,
 * 1、, 1)本表). Inside a bracket, ")" closes it: in 141(注3)行政强制 the 3 is a mark, then a label.
 */
const STARTS_WORDS = /^(?:[.、)][ \t]*)?[\u4E00-\u9FFF]/;
const STARTS_WORDS_BRACKETED = /^(?:[.、][ \t]*)?[\u4E00-\u9FFF]/;

/**
 * Whether the run `other` is a note's number or a sentence's, not the row's figures: a number
 * starting words (注:1.本表数据…, 2024年起按新口径…, (2024年度)) on a line after the figures, or
 * on theirs inside a bracket opened after them or after 注:. A mark stays a rival: 141注3, (注3).
 */
function startsNote(text: string, segment: Segment, other: Segment): boolean {
  // From the last figure: a run of figures takes the spaces and line breaks after it.
  const figuresEnd = segment.start + text.slice(segment.start, segment.end).trimEnd().length;
  const words = text.slice(figuresEnd, other.start);
  const opening = words.replace(/\s/g, '');
  const starts = /^[([【〔]/.test(opening) ? STARTS_WORDS_BRACKETED : STARTS_WORDS;
  if (!starts.test(text.slice(other.end, other.end + 4))) return false;
  return words.includes('\n') ? LINE_OPENING.test(opening) : SAME_LINE_OPENING.test(opening);
}

/**
 * The refusal of a row whose run read as its figures (`segment`) is followed, before the next
 * row's label, by another run that fills the row too, or null. Not a rival:
 * - a run more than a few characters on (a heading of the narrative after a table dumped as one
 *   line, （二）主动公开政府信息的主要类别 2021年…): a stray number sits right by the figures, with
 *   at most a unit, a bracket or a word such as 年, 年度, 注 between;
 * - a local row the template has no label for (其中：网上申请 2500 40 0 0 50 3 2593): its own
 *   words, then a figure a column, printed apart. That is said as an unknown row, and the first
 *   run, right after the label, is the row's. Words after a year (2024年度 3 120) are no label;
 * - a note's or a sentence's number (startsNote).
 */
export function rivalRun(
  stream: Stream,
  table: TableId,
  version: TemplateVersion,
  separated: boolean,
  chosen: { row: FoundRow; segment: Segment | null; all: readonly Segment[] },
): Problem | null {
  const { row, segment, all } = chosen;
  if (!segment || figureCount(segment) === 0) return null;
  const text = stream.text;
  for (const other of all) {
    if (other.start < segment.end) continue;
    const words = text.slice(segment.end, other.start);
    if (words.replace(/\s/g, '').length > NEAR) return null;
    if (figureCount(other) === 0 || startsNote(text, segment, other)) continue;
    if (figureCount(other) >= 2 && /[\u4E00-\u9FFF]{2}/.test(words) && !/^\s*[年月日号]/.test(words))
      return null;
    if (!fillsRow(text, version, row.codes, other, separated)) continue;
    const first = text.slice(segment.start, segment.end).trim();
    const second = text.slice(other.start, other.end).trim();
    const printed = text.slice(segment.start, other.end).replace(/\s+/g, ' ').trim();
    const columns = row.codes.length === 1 ? 'its column' : `its ${row.codes.length} columns`;
    return tooManyValues(
      stream,
      table,
      row,
      segment.start,
      printed,
      `prints two runs of figures, "${first}" and "${second}", either of which fills ${columns}, so which are the row's figures and which is a year, a note's number or another row's cannot be told. Remove the other number (or put it in brackets after the label, as a note) and import again.`,
    );
  }
  return null;
}

/** What may follow a number that is a date's, not a figure's: 2024年 2932 …, 12月31日. */
const DATE_WORD = /^\s*[年月日号]/;
/**
 * A number in brackets is a note's mark after the label where it is set apart from the figures
 * by a space, in square brackets (how a web page's <sup>1</sup> reads, and <sup>[1]</sup>,
 * Word's footnote reference, reads [[1]]) or after 注: (1) 42 …, [1]42 …, （注1）42 ….
 */
const OPENED = /[([（【〔]+(?:注\s*)?$/;
const CLOSED = /^[)\]）】〕]+/;
function noteMark(opened: string | undefined, between: string): boolean {
  const closed = CLOSED.exec(between)?.[0];
  if (opened === undefined || closed === undefined) return false;
  return /^\s/.test(between.slice(closed.length)) || opened.startsWith('[') || opened.includes('注');
}

/**
 * The refusal of a row whose figures (`segment`) are read from a run after another number,
 * printed right before them, or null. That number cannot fill the row alone, so it was passed
 * over as a note's mark, and where it was the first figure's first digits (4。1 6 0 0 2 0 49, a
 * stray character typed inside 41), the rest filled the row and 1 was stored for 41. Which it is
 * cannot be told: the row is refused, naming it. A number further off, a date's
 * (2024年 2932 53 …) or a note's mark in brackets (noteMark) is no part of them.
 */
export function strayBefore(
  stream: Stream,
  table: TableId,
  chosen: { row: FoundRow; segment: Segment | null; all: readonly Segment[] },
): Problem | null {
  const { row, segment, all } = chosen;
  if (!segment) return null;
  const text = stream.text;
  const before = all.filter((s) => s.end <= segment.start && figureCount(s) > 0).at(-1);
  if (!before) return null;
  const between = text.slice(before.end, segment.start);
  if (DATE_WORD.test(between) || between.replace(/\s/g, '').length > NEAR) return null;
  const opened = OPENED.exec(text.slice(Math.max(0, before.start - 8), before.start))?.[0];
  if (noteMark(opened, between)) return null;
  const stray = text.slice(before.start, before.end).trim();
  const figures = text.slice(segment.start, segment.end).trim();
  // From its opening bracket, where it has one: (2)932, not 2)932.
  const printed = text
    .slice(before.start - (opened?.length ?? 0), segment.end)
    .replace(/\s+/g, ' ')
    .trim();
  return tooManyValues(
    stream,
    table,
    row,
    before.start,
    printed,
    `prints "${stray}" right before the figures "${figures}", which fill the row, so whether "${stray}" is a note's mark or the start of the first figure cannot be told. Remove what does not belong to the figures (or print a note's mark in brackets after the label) and import again.`,
  );
}

/** A row refused for printing more numbers than its figures, `printed` from offset `at` on. */
const tooManyValues = (
  stream: Stream,
  table: TableId,
  row: FoundRow,
  at: number,
  printed: string,
  why: string,
) => rowRefusal('TOO_MANY_VALUES', table, row.label, stream.lineAt(at), printed, `"${printed}" ${why}`);
