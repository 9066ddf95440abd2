/**
 * Digits printed clearly smaller than the figure just before them, on its line, neither raised
 * nor lowered (41<small>1</small>, 41<span style="font-size:8px">1</span>). A footnote mark is
 * often so printed, on the baseline; an editor as often leaves a figure's digits in pieces of
 * different sizes. Whether the page says 41 and a mark, or 411, cannot be told from it, and a
 * number is never guessed: the cell is refused (table-reading.ts), as a cell holding struck
 * text is. Raised pieces are marks (html-raised.ts); this is the case where nothing but the size
 * sets the piece apart.
 *
 * The size must differ clearly. A size a few per cent off the figure's (10.5pt digits beside
 * 10pt ones, an editing slip no reader notices) reads as one figure, and so do Word's runs, all
 * of one size and split anywhere (<span class=GramE>12</span>68), and a smaller figure opening
 * its line (<small>41</small>). A piece that is not digits (41<small>件</small>, a unit) is not
 * this case.
 */

/** A digit as a figure prints it: ASCII or full width (NFKC makes ０–９ plain digits). */
const DIGIT = '[0-9\\uFF10-\\uFF19]';
const STARTS_WITH_DIGIT = new RegExp(`^${DIGIT}`);
const ENDS_WITH_DIGIT = new RegExp(`${DIGIT}$`);
export const startsWithDigit = (text: string) => STARTS_WITH_DIGIT.test(text);
export const endsWithDigit = (text: string) => ENDS_WITH_DIGIT.test(text);

/**
 * Smaller than this share of the figure's size is clearly smaller: <small> is 1/1.2 (0.83) of
 * it, Word's 9pt beside 10.5pt 0.86, and 10pt beside 10.5pt (0.95) is the same size to a reader.
 */
const CLEARLY_SMALLER = 0.9;

/** Whether a piece of size `own` is clearly smaller than the figure's, both in px and known. */
export const clearlySmaller = (own: number | null, figure: number | null) =>
  own !== null && figure !== null && own < CLEARLY_SMALLER * figure;

/**
 * How a cell's text gives the smaller piece: as HTML prints it (41<small>1</small>), which no
 * reader takes for a figure and every reader of the message understands.
 */
const OPEN = '<small>';
const CLOSE = '</small>';

/**
 * A smaller piece as a line's text gives it after its figure (html.ts), for running text's
 * reading of figures to keep with the figure and refuse (running-segments.ts).
 */
export const SMALLER_PIECE_MARK = `${OPEN}${DIGIT}[^<]*?${CLOSE}`;

/** The figure, its smaller piece and the piece's leading digits, in a cell's text. */
const SMALLER_PIECE = new RegExp(`(${DIGIT}+)${OPEN}((${DIGIT}+).*?)${CLOSE}`);

/**
 * Why a cell's text holding a smaller piece is not a number, for its refusal (table-reading.ts,
 * beside struck text's); null where the text holds none.
 */
export function smallerPieceRefusal(text: string): string | null {
  const m = SMALLER_PIECE.exec(text);
  if (!m) return null;
  const [, figure, piece, digits] = m;
  return `is not a number: ${piece} is printed smaller than ${figure} just before it, on its line (smaller by a tag, a style or a class, not raised as a footnote mark is), so whether it is a footnote mark (${figure}) or more digits of the figure (${figure}${digits}) cannot be told. Check the figure the agency published, correct the file (print the figure at one size, and a footnote mark raised: superscript, <sup>1</sup> on a web page) and import again.`;
}

/**
 * The text a piece printed clearly smaller than the text before it (html-hidden.ts) added after
 * `before`, marked as 41<small>1</small> shows it where it opens with a digit directly after one;
 * unchanged otherwise (a smaller unit, 41<small>件</small>).
 */
export const markedSmallerPiece = (before: string, piece: string): string =>
  startsWithDigit(piece) && endsWithDigit(before) ? `${OPEN}${piece}${CLOSE}` : piece;

/**
 * As markedSmallerPiece, for text printed at its parent's size after a larger figure (html-hidden.ts):
 * the piece is its first word, up to a space; what follows (the row's next figures, where a table
 * is printed as paragraphs) is not part of it.
 */
export function markedSmallerText(before: string, text: string): string {
  const head = /^\S+/.exec(text)?.[0] ?? '';
  return markedSmallerPiece(before, head) + text.slice(head.length);
}

/** As markedSmallerPiece, for a cell's `parts`, the piece being those from `start` on. */
export function markSmallerPiece(parts: string[], start: number): void {
  const piece = parts.slice(start).join('');
  const marked = markedSmallerPiece(parts.slice(0, start).join(''), piece);
  if (marked !== piece) parts.splice(start, parts.length - start, marked);
}
