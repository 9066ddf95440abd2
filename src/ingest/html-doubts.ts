/**
 * Text of a table cell that a reader may or may not see: a rule of the page's style that would
 * hide it matches by a selector the parser does not model, or under an @media it does not
 * evaluate; its colour or placement cannot be told; the page's style adds text before or after
 * it (::before, ::after). A number is never guessed: the cell is refused, its message naming why
 * (table-reading.ts). The cell's text gives the piece between ⟦ and ⟧ with the reason after ‖,
 * which no reader takes for a figure (unseen-text.ts, shared with Word and PDF text).
 */
import { markedUnseen, withoutUnseenMarks } from './unseen-text.ts';

const DIGIT = /[0-9\uFF10-\uFF19]/;

/** Whether a doubt about an element's text concerns a figure: it has digits, or text is added to it. */
export const doubtMatters = (reason: string, text: string) =>
  DIGIT.test(text) || reason.includes('adds text');

/** A cell's `parts` from `start` on, marked as doubted for `reason` (unseen-text.ts). */
export function markDoubted(parts: string[], start: number, reason: string): void {
  const piece = parts.slice(start).join('');
  parts.splice(start, parts.length - start, markedUnseen(piece, reason));
}

/**
 * Text of a line's piece (a table printed as paragraphs) that may not be seen, its figures
 * marked: the row holding one is refused (running-segments.ts), while its words are read as
 * printed, as a label's are in a cell.
 */
export const markedDoubtedFigures = (text: string, reason: string): string =>
  text.replace(/[0-9\uFF10-\uFF19]+(?:[.,][0-9\uFF10-\uFF19]+)*/g, (figure) => markedUnseen(figure, reason));

/** A cell's text without its marks, the doubted pieces kept: a label's words are read as printed. */
export const withoutDoubts = withoutUnseenMarks;
export const hasDoubts = (text: string) => text.includes('\u27E6');
