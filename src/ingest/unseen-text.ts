/**
 * Text whose being seen cannot be told: a Word run coloured with a theme colour the file does
 * not define, on a fill the reader does not read, and the like (docx-seen.ts); a PDF's text in
 * white where a picture may be behind it (pdf-unseen.ts). Its digits may be
 * part of the figure a reader sees (479) or not (49), and a number is never guessed: the run's
 * text is given as ⟦7‖why⟧, which no reader takes for a figure, and the cell holding it is
 * refused, saying why (table-reading.ts), as is a row of running text (running-segments.ts).
 */

/** The marks around such text; characters no report prints. */
const OPEN = '⟦';
const SEPARATOR = '‖';
const CLOSE = '⟧';
const MARKED = /⟦([^‖⟧]*)‖([^⟧]*)⟧/;
const ALL_MARKED = new RegExp(MARKED.source, 'g');

/** `text` marked as not known to be seen, for `why` (a clause: "its colour is …"). */
export const markedUnseen = (text: string, why: string): string =>
  `${OPEN}${text.replace(/[⟦⟧‖]/g, '')}${SEPARATOR}${why.replace(/[⟦⟧‖]/g, '')}${CLOSE}`;

/** The first such text in `text`, with the digits printed either side of it: the figure it may be part of. */
const IN_FIGURE = new RegExp(`[0-9０-９.,]*${MARKED.source}[0-9０-９.,]*`);
export const unseenMark = (text: string): string | undefined => IN_FIGURE.exec(text)?.[0];

/** A text without its marks, the marked pieces kept: a label's words are read as printed. */
export const withoutUnseenMarks = (text: string): string => text.replace(ALL_MARKED, '$1');

/**
 * Why a cell's text holding such text is not a number, for its refusal (table-reading.ts); null
 * where it holds none. Text a page's style adds (::before, ::after) is unknown, not unseen: the
 * figure shown is more than the cell prints.
 */
export function unseenRefusal(raw: string, what = 'the cell'): string | null {
  const m = MARKED.exec(raw);
  if (!m) return null;
  const [, text = '', why = ''] = m;
  const unseen = raw.replace(ALL_MARKED, '').trim();
  const seen = raw.replace(ALL_MARKED, '$1').trim();
  const fix =
    'Check the figure the agency published, print it plainly (in a colour set apart from its background, without style that hides or adds text), and import again.';
  if (why.includes('adds text') || why.includes('does not read'))
    return `is not a number: ${why}, so the figure a reader sees${seen === '' ? '' : ` (more than "${seen}")`} cannot be told. ${fix}`;
  return `is not a number: whether a reader sees ${text.trim() || 'it'} cannot be told, as ${why}; so ${what} may read ${unseen === '' ? 'blank' : unseen} or ${seen}. ${fix}`;
}
