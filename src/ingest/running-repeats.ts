/**
 * A template row printed more than once in running text: a row pasted twice, a table printed
 * twice, a row repeated after a page break, in a PDF's text layer or in a page dumped as one
 * line with no separator anywhere (…（一）予以公开0000000（一）予以公开1000001…). Rows are found in
 * the template's order and read up to the next row's label, so a copy's figures were read from
 * one copy only, or not at all, without a word. As in a table of cells (reportRepeatedRow), a
 * row whose copies print different figures is an error naming it; one whose copies all print
 * the same figures is read once, with a warning.
 *
 * Reading identical copies once is safe: every copy's figures are the same characters, cut at
 * the same places (each copy's figures end where the next label's printed ordinal starts, an
 * ordinal the template fixes: `…00000001.属于国家秘密` is 0000000 and the copy's 1.), so splitting
 * either copy's digits under the template's columns and identities gives the same cells, and
 * there is nothing to choose between them. Figures that differ in any way (a digit, a unit, a
 * blank cell's mark, a space setting two figures apart) are never reconciled.
 */
import { TABLE3_GROUPS, TABLE3_OUTCOMES_LABEL } from '../catalogue/template.ts';
import { reportRepeatedRow } from './row-refusals.ts';
import { findKey, ordinalPattern, type Stream } from './running-labels.ts';
import { type FoundRow, stopBefore } from './running-rows.ts';
import { afterNote } from './running-segments.ts';
import { TABLE_NAMES, type TableReading } from './table-reading.ts';
import type { TableId } from './types.ts';

/** What may precede a row's label on its line: spaces and its ordinal (四、 （一） 3.). */
const ROW_START = /^[\s\d一二三四五六七八九十()（）、.．]*$/;
/** Also the pieces of table 3's group labels, which a text layer puts on its rows' lines (办 （三）不). */
const GROUP_PIECE = new RegExp(
  `^[\\s\\d一二三四五六七八九十()（）、.．${[...new Set([TABLE3_OUTCOMES_LABEL, ...TABLE3_GROUPS].flatMap((g) => [...g.zh]))].join('')}]*$`,
);
/**
 * Text ending in a figure or a blank cell's mark, maybe with a page number after it (第2页): a
 * copy printed on the same line as the figures before it, as a page dumped as one line prints
 * every row. Prose naming a row (…其中予以公开的…) has words there.
 */
const AFTER_FIGURES =
  /[\d/／—―─_-][ \t\u3000]*(?:第[ \t\u3000]*\d{1,4}[ \t\u3000]*页(?:[ \t\u3000]*[,，/]?[ \t\u3000]*共[ \t\u3000]*\d{1,4}[ \t\u3000]*页)?[ \t\u3000]*)?$/;
/** A figure or a blank cell's mark right after a label (spaces, line breaks and its closing quote between). */
const FIGURE_AHEAD = /^[\s"'“”‘’」』]*(?:[+-]?\d|[/／—―─_-])/;
/** The end of a sentence: the narrative after a table is no copy's figures. */
const SENTENCE_END = /[。；;]/;

/**
 * The figures printed in a stretch, with their units, and the marks (无 and 空 standing alone).
 * A group label's piece the page puts on a copy's line (（五）不 before 3.要求…, （四）无 before
 * 1.本机关…) is not a different figure.
 */
function figures(text: string, from: number, to: number): string {
  return (
    text
      .slice(from, to)
      .match(
        /\d+(?:\.\d+)?(?:[ \t]*(?:亿元|万元|千元|元|万|亿))?|[—―─_/-]+|(?<![\u3400-\u9fff）)])[无空](?![\u3400-\u9fff])/g,
      )
      ?.map((f) => f.replace(/\s/g, ''))
      .join(' ') ?? ''
  );
}

/**
 * The first characters of each key, as running-labels.ts finds a label wrapped around its
 * figures (5.要求行政机关确认或重新出 / 1 0 0 0 0 0 1 / 具已获取信息): where the whole key is printed,
 * its start is printed too.
 */
const PREFIX = 6;
const starts = (keys: readonly string[]) => [...new Set(keys.map((k) => k.slice(0, PREFIX)))];

/**
 * Where a label found by its first characters at `found` ends: the whole key's end where it is
 * printed there, else where the rest of its words, wrapped around its figures, reach them.
 */
function labelEnd(text: string, keys: readonly string[], found: { start: number; end: number }): number {
  const whole = findKey(text, keys, found.start, text.length);
  if (whole?.start === found.start) return whole.end;
  // The label's words up to its figures, over at most two line breaks (1、申请人无正当理由逾期不补 /
  // 正、行政机关不再处理其政府信 67 3 0 0 1 0 71 / 息公开申请).
  const words = (/^[^\d/／—―─_-]{0,48}/.exec(text.slice(found.end))?.[0] ?? '').split('\n');
  return found.end + words.slice(0, 3).join('\n').length;
}

/** Where the label whose key starts at `keyStart` starts: at its printed ordinal, if it has one. */
function labelStart(text: string, keyStart: number, ordinal: string | undefined, from: number): number {
  if (!ordinal) return keyStart;
  const before = text.slice(Math.max(from, keyStart - 8), keyStart);
  const printed = ordinalPattern(ordinal).exec(before);
  return printed ? keyStart - (before.length - printed.index) : keyStart;
}

/**
 * Where the first row label after `from` starts (before `to`): where the figures printed after
 * a label end. 总计 and 其他 are also words of headers and notes (不计其他情形), so a label that
 * short counts only with its ordinal printed before it.
 */
function nextLabel(text: string, rows: readonly FoundRow[], from: number, to: number): number {
  let best = to;
  for (const row of rows) {
    for (const key of starts(row.keys ?? [])) {
      for (let m = findKey(text, [key], from, best); m; m = findKey(text, [key], m.end, best)) {
        const start = labelStart(text, m.start, row.ordinal, from);
        if (key.length >= 4 || start < m.start) {
          best = Math.min(best, start);
          break;
        }
      }
    }
  }
  return best;
}

/** Where a copy's figures start: after its label, a bracketed note, or a note left open on its line (a wrap). */
function figuresFrom(text: string, labelEnd: number): number {
  const from = afterNote(text, labelEnd, text.length);
  return from + (/^[ \t\u3000]*[(（][^()（）\n]*(?=\n)/.exec(text.slice(from, from + 64))?.[0].length ?? 0);
}

/**
 * Finds each row's copies, reports them (an error where a copy's figures differ from the first
 * copy's), and ends every row's figures before a copy inside them, so that each copy is read
 * once, as the first copy, and never as the figures of the row it follows.
 *
 * A copy is the row's label printed again after it, with figures after it, that starts its line
 * (after its ordinal, and in table 3 the pieces of a group label a text layer puts there: 办
 * （三）不 4.保护…) or follows figures on the same line. Before the next row's label a copy
 * starting its line may be printed blank (the text layer prints nothing for empty cells).
 * Further on, a copy prints at least a figure a column, or a run of as many digits: a heading
 * or prose naming a row (予以公开12件) is no copy.
 */
export function refuseRepeatedRows(stream: Stream, table: TableId, rows: FoundRow[], reading: TableReading) {
  const text = stream.text;
  const leading = table === 'T3' ? GROUP_PIECE : ROW_START;
  const copiesOf = rows.map((row, i) => {
    const next = rows[i + 1]?.match.start ?? text.length;
    const copies: { start: number; from: number; to: number }[] = [];
    const keys = row.keys ?? [];
    const firsts = starts(keys);
    for (
      let again = findKey(text, firsts, row.match.end, text.length);
      again;
      again = findKey(text, firsts, again.end, text.length)
    ) {
      const start = labelStart(text, again.start, row.ordinal, row.match.end);
      const from = figuresFrom(text, labelEnd(text, keys, again));
      const sentence = text.slice(from).search(SENTENCE_END);
      const to = nextLabel(text, rows, again.end, sentence < 0 ? text.length : from + sentence);
      const printed = figures(text, from, to);
      const lineStart = text.lastIndexOf('\n', again.start - 1) + 1;
      const startsLine = lineStart >= row.match.end && leading.test(text.slice(lineStart, start));
      const afterFigures = AFTER_FIGURES.test(text.slice(Math.max(row.match.end, start - 24), start));
      const ahead = FIGURE_AHEAD.test(text.slice(from));
      const rowShaped = printed
        .split(' ')
        .some((f, _, all) => all.length >= row.codes.length || f.length >= row.codes.length);
      const copy =
        again.start < next
          ? (ROW_START.test(text.slice(lineStart, again.start)) && lineStart >= row.match.end) ||
            ((startsLine || afterFigures) && ahead)
          : (startsLine || afterFigures) && ahead && rowShaped;
      if (copy) copies.push({ start, from, to });
    }
    return copies;
  });
  // Every row's figures end before the first copy inside them (of any row).
  const all = copiesOf.flat().sort((a, b) => a.start - b.start);
  const cut = rows.map((row) => row.until);
  for (const copy of all) {
    for (const row of rows) {
      if (copy.start >= row.match.end && copy.start < row.until)
        row.until = Math.min(row.until, stopBefore(stream, row, copy.start));
    }
  }
  rows.forEach((row, i) => {
    const before = cut[i] ?? row.until;
    if (row.until < before) unaccounted(stream, table, row, { from: row.until, to: before }, all, reading);
  });
  rows.forEach((row, i) => {
    const copies = copiesOf[i] ?? [];
    if (copies.length === 0) return;
    const from = figuresFrom(text, row.match.end);
    const own = figures(text, Math.min(from, row.until), nextLabel(text, rows, row.match.end, row.until));
    for (const copy of copies) {
      const same = figures(text, copy.from, copy.to) === own;
      const where = {
        table,
        label: row.label,
        line: stream.lineAt(copy.start),
        first: stream.lineAt(row.match.start),
      };
      reportRepeatedRow(reading, where, same);
    }
  });
}

/**
 * Figures in what a copy cut off a row's reading that no copy's figures account for: a copy
 * this does not recognise as one (a label printed another way the second time), whose figures
 * would otherwise be read as no row's and never compared with the first copy's. An error, as a
 * copy with other figures is: with a table printed twice, the first copy is read only where
 * every figure of the second has been checked against it.
 */
function unaccounted(
  stream: Stream,
  table: TableId,
  row: FoundRow,
  stretch: { from: number; to: number },
  copies: readonly { start: number; to: number }[],
  reading: TableReading,
) {
  const text = stream.text;
  let at = stretch.from;
  for (const piece of [...copies, { start: stretch.to, to: stretch.to }]) {
    if (piece.to <= at || piece.start < stretch.from) continue;
    const end = Math.min(piece.start, stretch.to);
    const printed = figures(text, at, end);
    if (printed !== '') {
      const line = stream.lineAt(at + Math.max(0, text.slice(at, end).search(/\d/)));
      reading.errors.push({
        code: 'DUPLICATE_ROW',
        severity: 'error',
        table,
        row: row.label,
        line,
        text: printed,
        message: `Line ${line}, ${TABLE_NAMES[table]}: after row "${row.label}" its rows are printed again, and the figures "${printed}" there are no copy's of a row read here, so they cannot be checked against the first copy; which figures are right cannot be decided.`,
      });
      return;
    }
    at = Math.max(at, piece.to);
    if (at >= stretch.to) return;
  }
}
