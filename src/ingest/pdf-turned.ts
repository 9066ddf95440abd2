/**
 * Pages printed turned: their text runs at 90° (or any slant) to the page, as where a landscape
 * page's content is drawn rotated and the page shown turned back by /Rotate. The reader lays out
 * rows and columns along the page's own axes, so on such a page a table's rows come out as its
 * columns and its words cut apart: read, it gave NO_TITLE or rows of two characters
 * (UNKNOWN_ROW "总"), with nothing saying why. The file is refused naming the pages.
 */
import type { Item } from './pdf-text.ts';

/** A page with this many characters of text, most of them on a slant, is turned. */
const TURNED_LEAST = 20;

/** Whether most of a page's text (by characters) runs on a slant. */
export function isTurned(items: readonly Item[]): boolean {
  let slanted = 0;
  let level = 0;
  for (const item of items) {
    if (item.rotation === undefined) level += item.text.length;
    else slanted += item.text.length;
  }
  return slanted >= TURNED_LEAST && slanted > level;
}

export class TurnedPagesError extends Error {
  /** `pages`: each turned page's number and its /Rotate (0 where none). */
  constructor(readonly pages: { page: number; rotate: number }[]) {
    const which = pages.map(({ page, rotate }) => (rotate ? `${page} (/Rotate ${rotate})` : `${page}`));
    super(
      `${pages.length === 1 ? 'Page' : 'Pages'} ${which.join(', ')} of the PDF ${pages.length === 1 ? 'is' : 'are'} printed turned: ${pages.length === 1 ? 'its' : 'their'} text runs across the page rather than along it (a rotated page, its content drawn on its side). The parser reads rows and columns along the page, so a table there cannot be read exactly. Find the HTML or Word version of the report, or a PDF whose pages are printed upright.`,
    );
    this.name = 'TurnedPagesError';
  }
}
