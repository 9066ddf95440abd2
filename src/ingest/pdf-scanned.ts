/**
 * Pages that are a picture and nothing else: a scanned page (often the one with the seal, or a
 * table printed, stamped and scanned) put among printed pages. Such a page has no text to read,
 * so its tables simply were not there: the report came out with table 3 "not found, no section
 * heading precedes it", or with rows missing, and nothing said a page was a scan. The file is
 * refused naming the pages instead. A page number stamped on the scan (by the tool that put the
 * pages together) is no text of the page's own.
 */
import { type Matrix, multiply } from './pdf-rules.ts';

/** A picture over this share of the page's area is the page's content, not a logo or a seal. */
const PAGE_SHARE = 0.25;

/** A page number as a tool stamps it on every page of a file, scans included: `- 3 -`, `第3页 共5页`. */
const PAGE_NUMBER =
  /^[-—–－\s]*(?:第\s*)?[0-9０-９]{1,4}\s*页?(?:\s*(?:[/／]|共)\s*共?\s*[0-9０-９]{1,4}\s*页?)?[-—–－\s]*$/;

/** Whether a page holds no text, or only its number (stamped on it after it was scanned). */
export const noTextButItsNumber = (texts: readonly string[]): boolean =>
  texts.length === 0 || PAGE_NUMBER.test(texts.join(' '));

/**
 * Whether a page draws a picture over a large part of it. pdf.js leaves images out
 * of the operator list (pdfjs.ts maxImageSize), so what is left of one is the transform that
 * places it: the image fills the unit square of the matrix it is drawn under, and no path or
 * text a page draws comes with a unit square so large.
 */
export function showsPicture(
  list: { fnArray: number[]; argsArray: unknown[] },
  OPS: Record<string, number>,
  view: readonly number[],
): boolean {
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = view;
  const least = Math.abs((x1 - x0) * (y1 - y0)) * PAGE_SHARE;
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  for (let i = 0; i < list.fnArray.length; i++) {
    const fn = list.fnArray[i];
    const args = list.argsArray[i] as unknown[] | null;
    if (fn === OPS.save || fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      if (fn === OPS.paintFormXObjectBegin && Array.isArray(args?.[0]))
        ctm = multiply(ctm, args[0] as Matrix);
    } else if (fn === OPS.restore || fn === OPS.paintFormXObjectEnd) {
      ctm = stack.pop() ?? ctm;
    } else if (fn === OPS.transform) {
      ctm = multiply(ctm, args as Matrix);
      if (Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]) >= least) return true;
    }
  }
  return false;
}

export class ScannedPagesError extends Error {
  constructor(
    readonly pages: readonly number[],
    total: number,
  ) {
    const one = pages.length === 1;
    super(
      `${one ? 'Page' : 'Pages'} ${pages.join(', ')} of the PDF${pages.length === total ? '' : ` (of ${total})`} ${one ? 'holds' : 'hold'} no text but a page number, only a picture: ${one ? 'a scanned page, or a page' : 'scanned pages, or pages'} saved as an image. What ${one ? 'it shows' : 'they show'} (a table, rows of one, figures) cannot be read, and a report read without ${one ? 'it' : 'them'} would lack it with nothing saying why. Find the HTML or Word version of the report, or a PDF whose pages are all printed rather than scanned.`,
    );
    this.name = 'ScannedPagesError';
  }
}
