/**
 * Digits printed clearly smaller than the figure just before them, on its line, neither raised
 * nor lowered (41<small>1</small>, 41<span style="font-size:8px">1</span>). A footnote mark is
 * often so printed, on the baseline; an editor as often leaves a figure's digits in pieces of
 * different sizes. Whether the page says 41 and a mark, or 411, cannot be told from it, and a
 * number is never guessed: the cell is refused (table-reading.ts), as a cell holding struck
 * text is. Raised pieces are marks (html-raised.ts); this is the case where nothing but the size
 * sets the piece apart. So are digits printed clearly smaller right before a figure
 * (<small>1</small>524: a mark before it, or its first digit; read 1524 before).
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

/**
 * Smaller digits as a line's text gives them right before its figure (html.ts), kept with the
 * figure and refused as the piece after one is (running-segments.ts).
 */
export const SMALLER_BEFORE_MARK = `${OPEN}${DIGIT}+${CLOSE}(?=${DIGIT})`;

/** The figure, its smaller piece and the piece's leading digits, in a cell's text. */
const SMALLER_PIECE = new RegExp(`(${DIGIT}+)${OPEN}((${DIGIT}+).*?)${CLOSE}`);
/** Smaller digits and the figure right after them (a decimal one too), in a cell's text. */
const SMALLER_BEFORE = new RegExp(`${OPEN}(${DIGIT}+)${CLOSE}(${DIGIT}+(?:[.,]${DIGIT}+)*)`);

/**
 * Why a cell's text holding a smaller piece is not a number, for its refusal (table-reading.ts,
 * beside struck text's); null where the text holds none.
 */
export function smallerPieceRefusal(text: string): string | null {
  const m = SMALLER_PIECE.exec(text);
  const before = m ? null : SMALLER_BEFORE.exec(text);
  if (!m && !before) return null;
  const why = m
    ? `${m[2]} is printed smaller than ${m[1]} just before it, on its line (smaller by a tag, a style or a class, not raised as a footnote mark is), so whether it is a footnote mark (${m[1]}) or more digits of the figure (${m[1]}${m[3]}) cannot be told`
    : `${before?.[1]} is printed smaller than ${before?.[2]} just after it, on its line (smaller by a tag, a style or a class), so whether it is a mark before the figure (${before?.[2]}) or the figure's first digits (${before?.[1]}${before?.[2]}) cannot be told`;
  return `is not a number: ${why}. Check the figure the agency published, correct the file (print the figure at one size, and a footnote mark raised after it: superscript, <sup>1</sup> on a web page) and import again.`;
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

/** The digits ending a text, which a clearly larger figure follows. */
const TRAILING_DIGITS = new RegExp(`${DIGIT}+$`);

/**
 * The text before a figure printed clearly larger than the digits ending it (html-hidden.ts),
 * those digits marked as <small>1</small>524 shows them; unchanged where it ends with none.
 */
export function markedSmallerBefore(before: string): string {
  const m = TRAILING_DIGITS.exec(before);
  return m ? `${before.slice(0, m.index)}${OPEN}${m[0]}${CLOSE}` : before;
}

/**
 * As markedSmallerBefore, for a cell's `parts`: each keeps its place (elements around them hold
 * indexes into them), the digits' first part opening the mark and the last closing it.
 */
export function markSmallerBefore(parts: string[]): void {
  const m = TRAILING_DIGITS.exec(parts.join(''));
  if (!m) return;
  let at = m.index;
  const first = parts.findIndex((part) => {
    if (at < part.length) return true;
    at -= part.length;
    return false;
  });
  parts[first] = `${parts[first]?.slice(0, at)}${OPEN}${parts[first]?.slice(at)}`;
  parts[parts.length - 1] += CLOSE;
}

/** As markedSmallerPiece, for a cell's `parts`, the piece being those from `start` on. */
export function markSmallerPiece(parts: string[], start: number): void {
  const piece = parts.slice(start).join('');
  const marked = markedSmallerPiece(parts.slice(0, start).join(''), piece);
  if (marked !== piece) parts.splice(start, parts.length - start, marked);
}
