/**
 * The runs of printed values after a row's label in running text: figures, the units after
 * them and blank cells' marks, whether set apart by spaces or run together.
 */
import type { ValueToken } from './digit-runs.ts';
import { SMALLER_BEFORE_MARK, SMALLER_PIECE_MARK } from './html-smaller.ts';
import type { Stream } from './running-labels.ts';
import { TABLE_NAMES } from './table-reading.ts';
import { DIRECTION_CONTROL, NUMBER_MARK, readCell, reorderingControlIn, withControlsShown } from './text.ts';
import type { Problem, ProblemCode, TableId } from './types.ts';
import { BRACKETED_UNIT, PRINTED_MAGNITUDES, PRINTED_UNITS } from './units.ts';
import { unseenMark, unseenRefusal } from './unseen-text.ts';

const UNIT = new RegExp(`^(${[...PRINTED_UNITS, ...PRINTED_MAGNITUDES].join('|')})`);
const BRACKETED_UNIT_AHEAD = new RegExp(`^${BRACKETED_UNIT}`);

/**
 * The unit printed at `at`, right after a figure (`afterSpace`: after spaces following it): one
 * the columns use (件, 元, 万元 …), one in brackets (（元）), or a magnitude (万, 亿元) that
 * units.ts refuses; null for anything else. After a space, or for a magnitude, the unit must
 * end a word: in "7816 元月起" or "3万人次" the character starts the next word, not a unit.
 * Joined to its figure a unit may run into the next heading, as in "1973601627.4元三、收到…".
 */
function unitAt(text: string, at: number, afterSpace: boolean): { unit: string; length: number } | null {
  const ahead = text.slice(at, at + 8);
  const bracketed = BRACKETED_UNIT_AHEAD.exec(ahead);
  if (bracketed) return { unit: bracketed[1] ?? '', length: bracketed[0].length };
  const unit = UNIT.exec(ahead);
  if (!unit) return null;
  const printed = unit[1] ?? '';
  const magnitude = (PRINTED_MAGNITUDES as readonly string[]).includes(printed);
  if ((afterSpace || magnitude) && IDEOGRAPH.test(ahead[printed.length] ?? '')) return null;
  return { unit: printed, length: printed.length };
}
const IDEOGRAPH = /[\u4E00-\u9FFF]/;
const NUMBER_START = /[0-9]|[+-](?=\d)|[/／](?=\s|$)/y;
const WORD = /\S+/y;

/**
 * The word at `at` when it stands alone between spaces and is a mark for "not reported" (the
 * marks a table of cells takes, text.ts: "/", "—", "——", 无, 空 …), else null. A dash joined to
 * a figure is its sign; page footers ("- 3 -") are dropped before rows are read.
 */
function markAt(text: string, at: number, to: number): string | null {
  if (!/\s/.test(text[at - 1] ?? ' ')) return null;
  WORD.lastIndex = at;
  const word = WORD.exec(text)?.[0] ?? '';
  return word !== '' && at + word.length <= to && readCell(word).kind === 'not-reported' ? word : null;
}

/**
 * A footnote mark after a figure: a star or the like (*, ※, #, †, △, ★), a circled,
 * parenthesised or superscript number (①, ⑴, ❶, ¹), or a number in brackets or after 注 ((1),
 * 【1】, 注1, (注1)). Joined to the figure (1362①) a number is a mark unless text runs on from it: in
 * text without separators, （2）其他法律… or ②其他… is the next row's label, and 7816（2）主动公开…
 * a heading. After spaces (1362 ①) a mark is one only where it ends the line.
 */
const STAR = '[*※#†‡△▲★☆]+';
const NUMBERED = `(?:${NUMBER_MARK}|[\u2474-\u2487\u2776-\u2793]|[(（[【〔]注?\\d{1,2}[)）\\]】〕]|注\\d{1,2})`;
// A web page's digits printed smaller than the figure (41<small>1</small>) are kept with it as a
// mark is, and refused for the same reason: they may be a mark or more digits of the figure.
const JOINED_FOOTNOTE = new RegExp(`${STAR}|${NUMBERED}(?![\u4E00-\u9FFF])|${SMALLER_PIECE_MARK}`, 'y');
const SPACED_FOOTNOTE = new RegExp(`(?:${STAR}|${NUMBERED})(?=[ \\t\u3000]*\\n)`, 'y');
/**
 * A web page's digits printed smaller right before a figure (<small>1</small>524): kept with the
 * figure as its mark, and refused (a mark before it, or its first digits), never read 1524 nor
 * dropped.
 */
const SMALLER_BEFORE = new RegExp(SMALLER_BEFORE_MARK, 'y');
const smallerBeforeAt = (text: string, at: number): string | null => {
  SMALLER_BEFORE.lastIndex = at;
  return SMALLER_BEFORE.exec(text)?.[0] ?? null;
};
/** The characters a mark can start with: most segments end at none of them. */
const FOOTNOTE_START =
  /[\u2460-\u24FF\u2776-\u2793\u3251-\u325F\u32B1-\u32BF\u00B9\u00B2\u00B3\u2070-\u2089*※#†‡△▲★☆(（[【〔注<]/;
/**
 * The footnote mark at `at` after the figure being read (`token`) or, past spaces, the last one
 * read; null where none is.
 */
function footnoteAfter(
  text: string,
  at: number,
  segment: Segment,
  token: string,
  tokenEnd: number,
): string | null {
  const joined = token !== '';
  const figure = joined ? token : (segment.printed.at(-1) ?? '');
  if (!/\d$/.test(figure)) return null;
  if (!joined && !/^[ \t\u3000\u00a0]+$/.test(text.slice(tokenEnd, at))) return null;
  const figureStart = (joined ? at : tokenEnd) - figure.length;
  const mark = joined ? JOINED_FOOTNOTE : SPACED_FOOTNOTE;
  mark.lastIndex = at;
  const found = mark.exec(text)?.[0] ?? null;
  // **1268** is a figure in bold (Markdown), not a starred one.
  return found?.startsWith('*') && text[figureStart - 1] === '*' ? null : found;
}

/** Dashes and rules of every width a table prints for a blank cell ("—", "——", "―", "─", "_", "-"). */
const DASH_RUN = /[—―─_-]+/y;
/** 无 or 空, each a blank cell's mark: not where they start a word (无法提供, 无正当理由). */
const WORD_MARKS = /[无空]+/y;
const IDEOGRAPH_AT = (text: string, at: number) => IDEOGRAPH.test(text[at] ?? '');

/**
 * Marks joined to what is before them ("260—", "2171000无0218", "71—————71"), which a text that
 * prints no separators runs into the figures, as tokens (digit-runs.ts: how many cells a run of
 * dashes fills is decided there), with their length; null where none starts at `at`.
 */
function gluedMarksAt(text: string, at: number, to: number): { tokens: ValueToken[]; length: number } | null {
  DASH_RUN.lastIndex = at;
  const dashes = DASH_RUN.exec(text)?.[0];
  if (dashes) {
    const signs = /\d/.test(text[at + dashes.length] ?? '');
    return { tokens: [{ text: dashes, kind: 'dashes', ...(signs ? { signs } : {}) }], length: dashes.length };
  }
  WORD_MARKS.lastIndex = at;
  const words = WORD_MARKS.exec(text)?.[0];
  // Right before the next row's label, 无 ends this row even where the label runs on from it.
  if (!words || (at + words.length < to && IDEOGRAPH_AT(text, at + words.length))) return null;
  return { tokens: [...words].map((w) => ({ text: w, kind: 'mark' as const })), length: words.length };
}

/**
 * A point right before a figure's digits (.35, 。35): 0.35 with its 0 left out, or a stray mark,
 * never 35. A table's cell .35 is not a number (text.ts); running text started the figure at
 * its first digit and stored 35, in a 万元 column a figure a hundred times too large.
 */
const POINT_BEFORE = /[.。·]/;
/**
 * A word or sign before a figure that makes it a rough figure or a bound (约35, ≈35, <35, ≥35),
 * joined to it or set apart by spaces: no figure of the table, and dropped it left 35. Not a
 * tag's end (41<small>1</small> 6: html-smaller.ts) nor struck text's marks (~~4480~~).
 */
// ± and ∓: a figure and its margin (±5, ±7816); the sign alone was dropped and 5 stored.
const ROUGH = '(?:约|≈|≒|±|∓|[<≤≥]|(?<![A-Za-z"\'/])>|(?<!~)~(?!~))';
const ROUGH_BEFORE = new RegExp(`${ROUGH}[ \\t\\u3000\\u00a0]*$`);
/**
 * What after a figure's digits makes it another number or none (35., 35%, 35‰, 35+, 35余,
 * 35多, 35左右, 35以上, 35以下): running text ended the figure before it and stored 35. A point
 * before words is a numbered row's (9.其他, segments below); a point before digits is a decimal.
 */
const AFTER_FIGURE = /\.(?![\d\u4E00-\u9FFF])|[%‰]|\+(?!\d)|余|多|左右|以上|以下/y;
/** A point or a rough word or sign before a figure among a row's, where the figure starts after it. */
const QUALIFIER_AHEAD = new RegExp(`(?:[.。·]|${ROUGH}[ \\t\\u3000\\u00a0]*)(?=[+-]?\\d)`, 'y');
const QUALIFIER_START = /[.。·约≈≒<>≤≥~]/;

/**
 * What is printed with the figure starting at `at` in text[from, …) that makes it no figure as
 * printed (POINT_BEFORE, ROUGH_BEFORE), or null. A point after a digit is another figure's end
 * (2。932), which strayBefore (running-rivals.ts) refuses.
 */
function printedBefore(text: string, from: number, at: number): string | null {
  const point = text[at - 1] ?? '';
  if (at - 1 >= from && POINT_BEFORE.test(point) && !/\d/.test(text[at - 2] ?? '')) return point;
  return ROUGH_BEFORE.exec(text.slice(Math.max(from, at - 8), at))?.[0] ?? null;
}

/**
 * Why a figure printed with `joined` (Segment.joined) is refused, after its quoted text
 * (`printed`, the figure as printed with it).
 */
export function joinedRefusal(joined: string, printed: string): string {
  const what = joined.trim();
  if (POINT_BEFORE.test(what) && printed.startsWith(what)) {
    const digits = printed.slice(what.length).replace(/\D.*$/, '');
    return `is not a number: a point (${what}) stands before its digits, so it may be 0.${digits} with its 0 left out or a stray mark, and it is neither read as ${digits} nor guessed. Print the figure whole (0.${digits}) and import again.`;
  }
  return `is not a number: "${what}" printed with it makes it a rough figure, a bound, a share or no figure at all (35左右, <35, 35%, 35.), and it is neither read without "${what}" nor guessed. Print the figure itself and import again.`;
}

export interface Segment {
  tokens: ValueToken[];
  /** Each token as printed ("1,268" where the token reads 1268): a cell's provenance. */
  printed: string[];
  /** The unit printed right after a token (件, 元, 万元), by the token's index. */
  units: (string | undefined)[];
  /** A footnote mark printed after a figure (①, *, (1)), by the figure's index. */
  marks: (string | undefined)[];
  /**
   * What is printed with a figure that makes it no figure as printed (a point before it, 约, %,
   * 余 …: joinedRefusal), by the figure's index: kept, for the figure to be refused.
   */
  joined: (string | undefined)[];
  start: number;
  end: number;
  /**
   * The run ends where a row's number starts a label (…00000009.其他…: a row the template has
   * not, numbered like its own, run into the figures): which digits are its number is unsure.
   */
  intoNumberedRow?: true;
}

/** The runs of numbers between two labels, in order: figures, marks and units, nothing else. */
export function segments(text: string, from: number, to: number): Segment[] {
  const out: Segment[] = [];
  let i = from;
  while (i < to) {
    NUMBER_START.lastIndex = i;
    // Marks start a row's figures wherever they stand: after its label, a space, a closing
    // bracket of its note or table 4's header alike. Starting them only right after the label
    // dropped the first blank cells of "…情形）——29————————29", and the rest moved a column left.
    const starts =
      NUMBER_START.test(text) ||
      markAt(text, i, to) !== null ||
      gluedMarksAt(text, i, to) !== null ||
      smallerBeforeAt(text, i) !== null;
    if (!starts || i >= to) {
      i++;
      continue;
    }
    const segment: Segment = { tokens: [], printed: [], units: [], marks: [], joined: [], start: i, end: i };
    let token = '';
    /** Where the last figure pushed ended. */
    let tokenEnd = i;
    /** Smaller digits printed right before the figure being read (<small>1</small>524). */
    let smallerBefore = '';
    /** What is printed right before the figure being read that makes it no figure (.35, 约35). */
    let joinedBefore = '';
    const push = () => {
      if (token === '') return;
      tokenEnd = i;
      const mark = !/\d/.test(token);
      const thousands = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(token);
      if (smallerBefore !== '') segment.marks[segment.tokens.length] = smallerBefore;
      if (joinedBefore !== '') segment.joined[segment.tokens.length] = joinedBefore;
      segment.tokens.push({
        text: thousands ? token.replace(/,/g, '') : token,
        kind: mark ? 'mark' : 'digits',
      });
      segment.printed.push(smallerBefore + joinedBefore + token);
      token = '';
      smallerBefore = '';
      joinedBefore = '';
    };
    while (i < to) {
      const c = text[i] ?? '';
      const before = token === '' ? smallerBeforeAt(text, i) : null;
      if (before !== null) {
        smallerBefore = before;
        i += before.length;
        continue;
      }
      // A figure starting: what is printed right before it (the segment starts at its digits).
      if (token === '' && (/[0-9]/.test(c) || (/[+-]/.test(c) && /\d/.test(text[i + 1] ?? ''))))
        joinedBefore = printedBefore(text, from, i) ?? '';
      QUALIFIER_AHEAD.lastIndex = i;
      const qualifier = token === '' && QUALIFIER_START.test(c) ? QUALIFIER_AHEAD.exec(text)?.[0] : undefined;
      if (/[0-9]/.test(c) || (c === ',' && token !== '' && /\d/.test(text[i + 1] ?? ''))) token += c;
      else if ((c === '+' || c === '-') && /\d/.test(text[i + 1] ?? '')) token += c;
      else if (c === '.' && /\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? '')) token += c;
      else if (qualifier !== undefined) {
        // Before a figure among the row's (41 .5, 6 约0): kept for that figure, not a run's end.
        i += qualifier.length;
        continue;
      } else if (c === '/' || c === '／') {
        push();
        token = '/';
        push();
      } else if (token === '' && markAt(text, i, to) !== null) {
        // A mark standing alone is one blank cell.
        const mark = markAt(text, i, to) ?? '';
        token = mark;
        push();
        i += mark.length;
        continue;
      } else if (/\s/.test(c) || DIRECTION_CONTROL.test(c)) {
        // A direction control (kept on a line holding a right-to-left one) sets figures apart as
        // a space does; the row is refused for it (runRefusal).
        push();
        // A numbered row starting the next line (9.其他 105 …, a row the template has not) is not
        // this row's: its number ran on into the figures, which then no longer fit the row, and
        // its own figures were read as this row's.
        if (c === '\n' && NUMBERED_ROW.test(text.slice(i + 1, i + 8))) break;
        // Nor is a line of words or a list after the figures (2024年起…, 1.本表…, 3）447228): its
        // number ran into them, which no longer fit, and a run after it was read as the row's.
        if (c === '\n' && linesWords(text, i + 1, to)) break;
      } else {
        const glued = gluedMarksAt(text, i, to);
        if (glued) {
          // Marks run into the figures: before they were read, "260—" was cut short at the dash
          // and 260 alone filled three columns as 2 | 6 | 0.
          push();
          for (const t of glued.tokens) {
            segment.tokens.push(t);
            segment.printed.push(t.text);
          }
          i += glued.length;
          tokenEnd = i;
          continue;
        }
        const footnote = FOOTNOTE_START.test(c) ? footnoteAfter(text, i, segment, token, tokenEnd) : null;
        if (footnote) {
          // Kept with its figure, so that the row is refused naming it (running-rows.ts), never
          // read as more digits, nor dropped with the segment cut short before it.
          const last = segment.tokens.length - (token === '' ? 1 : 0);
          push();
          segment.marks[last] = footnote;
          segment.printed[last] += text.slice(tokenEnd, i + footnote.length);
          i += footnote.length;
          tokenEnd = i;
          continue;
        }
        AFTER_FIGURE.lastIndex = i;
        // A percent sign is the figure's after spaces on its line too (35 %), as a unit is.
        const spacedShare =
          token === '' &&
          /[%‰]/.test(c) &&
          segment.tokens.at(-1)?.kind === 'digits' &&
          /^[ \t\u3000\u00a0]+$/.test(text.slice(tokenEnd, i));
        const after = token !== '' ? AFTER_FIGURE.exec(text)?.[0] : spacedShare ? c : undefined;
        if (after !== undefined) {
          // Kept with its figure, to be refused naming it: it ended the figure, and 35% or 35.
          // was stored as 35.
          const last = segment.tokens.length - (token === '' ? 1 : 0);
          push();
          segment.joined[last] ??= after;
          segment.printed[last] += text.slice(tokenEnd, i + after.length);
          i += after.length;
          tokenEnd = i;
          continue;
        }
        // A unit after a figure, joined to it or after spaces on its line ("251000元",
        // "251000 元", "251000（元）"), belongs to that figure.
        const owner =
          token !== ''
            ? segment.tokens.length
            : segment.tokens.length > 0 && /^[ \t\u3000\u00a0]+$/.test(text.slice(tokenEnd, i))
              ? segment.tokens.length - 1
              : null;
        const unit = owner === null ? null : unitAt(text, i, token === '');
        if (owner === null || unit === null) {
          if (token !== '' && /[.．、]/.test(c) && IDEOGRAPH.test(text[i + 1] ?? ''))
            segment.intoNumberedRow = true;
          break;
        }
        segment.units[owner] = unit.unit;
        push();
        // The figure's printed text runs to the end of its unit, spaces and brackets and all.
        segment.printed[owner] += text.slice(tokenEnd, i + unit.length);
        i += unit.length;
        continue;
      }
      i++;
    }
    push();
    segment.end = i;
    if (segment.tokens.length > 0) out.push(segment);
    i++;
  }
  return out;
}

/**
 * Where a row's figures may start: after a bracketed note right behind its label (行政处罚（2022
 * 年度）, 行政许可（含备案类12项）), whose numbers are words of the label. The first run of numbers
 * that could fill the row took them: 2022 was stored for 87. A bracket of digits alone ((1)) is
 * a footnote mark, which the reading of the figures refuses.
 */
export function afterNote(text: string, from: number, until: number): number {
  const note = /^[ \t\u3000]*[(（]([^()（）\n]{1,40})[)）]/.exec(
    text.slice(from, Math.min(until, from + 64)),
  );
  return note && /[\u4E00-\u9FFF]/.test(note[1] ?? '') ? from + note[0].length : from;
}

/** Whether a run of figures has a space (or a line break) between two of its figures: "3 45", not "1—10". */
export const printsApart = (text: string, segment: Segment) =>
  /\d\D*\s\D*\d/.test(text.slice(segment.start, segment.end).trim());

/** A row's number at a line's start: 9.其他, 10、…. */
const NUMBERED_ROW = /^[ \t\u3000]*\d{1,2}[.．、][\u4E00-\u9FFF]/;

/** A number starting a line, then list numbering (1.本表, 3、, 3)) or words (2024年起). */
const NUMBER_STARTING_WORDS = /^[ \t\u3000]*\d{1,4}(?:[、)]|\.(?!\d)|([\u4E00-\u9FFF]))/;
/** Whether the line at `at` starts with a number of a list or of words before `to`, not with a figure and its unit (3件). */
function linesWords(text: string, at: number, to: number): boolean {
  const found = NUMBER_STARTING_WORDS.exec(text.slice(at, Math.min(to, at + 12)));
  if (!found) return false;
  return found[1] === undefined || unitAt(text, at + found[0].length - 1, false) === null;
}

/** Struck-through text written as Markdown writes it: ~~4480~~. */
const STRUCK = /~~[^~\n]*~~/;

/** A row of running text refused: `said` is what the message says after naming the line and row. */
export function rowRefusal(
  code: ProblemCode,
  table: TableId,
  row: string,
  line: number,
  printed: string,
  said: string,
): Problem {
  const message = `Line ${line}, ${TABLE_NAMES[table]}, row "${row}": ${said}`;
  return { code, severity: 'error', table, row, line, text: printed, message };
}

/**
 * Why a found row's figures cannot be read at all, or null:
 * - table 3's figures run into a numbered row the template has not (…00000009.其他1000001):
 *   the number ran on into them, which then did not fit, and the local row's were read;
 * - struck-through text as Markdown writes it (a page converted by html2text, a PDF's struck
 *   cell), the old figure of a correction beside the new: it filled the row (~~447227~~447228
 *   stored 447227).
 */
export function runRefusal(
  stream: Stream,
  table: TableId,
  row: { label: string; match: { start: number; end: number }; until: number },
  segment: Segment | null,
  all: readonly Segment[],
): Problem | null {
  const { text } = stream;
  const refuse = (code: ProblemCode, at: number, printed: string, why: string): Problem =>
    rowRefusal(code, table, row.label, stream.lineAt(at), printed, why);
  // Not the next template row's number: its label's match starts at it.
  const numbered =
    table === 'T3'
      ? all.find((s) => s.intoNumberedRow && s.end + 1 < row.until && s.start <= (segment?.start ?? s.start))
      : undefined;
  if (numbered) {
    const printed = text.slice(numbered.start, Math.min(numbered.end + 8, row.until)).trim();
    return refuse(
      'UNKNOWN_ROW',
      numbered.start,
      printed,
      `its figures run into a numbered row the template does not have ("${printed}"), so which digits are that row's number, and which figures are this row's, cannot be told. Print the row apart, or remove it, and import again.`,
    );
  }
  const lineEnd = text.indexOf('\n', segment?.start ?? row.match.end);
  const struck = STRUCK.exec(
    text.slice(row.match.end, lineEnd < 0 ? row.until : Math.min(lineEnd, row.until)),
  );
  if (struck) {
    return refuse(
      'NOT_A_NUMBER',
      row.match.end + struck.index,
      struck[0],
      `"${struck[0]}" is struck through, the old figure of a correction, and is neither read nor dropped here: remove it (or print the table as cells) and import again.`,
    );
  }
  // Anywhere in the row: the digits of a mark's reason (#4472C4) are no figures of it.
  const unseenAt = text.slice(row.match.end, row.until);
  const unseen = unseenMark(unseenAt);
  if (unseen) {
    return refuse(
      'NOT_A_NUMBER',
      row.match.end + unseenAt.indexOf(unseen),
      unseen,
      `"${unseen}" ${unseenRefusal(unseen, 'the figure')}`,
    );
  }
  // From the start of the label's line: a control opened before the label may reorder its
  // figures, which follow the label (a label's own number, 2.其他…, is no figure of the row).
  const lineStart = text.lastIndexOf('\n', row.match.start) + 1;
  const end = segment?.end ?? (lineEnd < 0 ? row.until : lineEnd);
  const reordering = reorderingControlIn(text, lineStart, row.match.end, end);
  const printed = text.slice(row.match.start, end);
  // Named on the line of the figure it reorders, where the figures follow their label's line.
  return reordering
    ? refuse(
        'NOT_A_NUMBER',
        reordering.at,
        withControlsShown(printed.trim()),
        `the line holds ${reordering.control}, which makes a screen show its figures in another order than the file stores them, so which figure is in which column cannot be told from its text. Remove it and import again.`,
      )
    : null;
}
