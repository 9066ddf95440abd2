/**
 * Annotations drawn over a page's figures: a comment's text box (FreeText), a filled form field
 * (Widget), a box or stamp laid over a cell. A viewer draws them over the page, and prints them,
 * but pdf.js's text content leaves them out: 525 typed in a comment over a printed 524 read as
 * 524, a form field holding 524 on a blank cell read as blank, and a white box hiding a 524 read
 * as 524. What they draw (appearance streams, fonts, fields a viewer fills in) is not read, so
 * the figures under one cannot be told: the page is refused, naming it, until the PDF is printed
 * or flattened (which puts what they draw into the page's own text).
 */
import type { Segment } from './pdf-rules.ts';
import type { Item } from './pdf-text.ts';

/** Where the PDF has annotations at all (a page's /Annots). */
export const HAS_ANNOTATIONS = /\/Annots\b/;

/** pdf.js's annotation types that draw nothing on the page: a link, a comment's pop-up. */
const DRAWS_NOTHING = new Set([2 /* Link */, 16 /* Popup */]);
/** Annotation flags: Hidden (2) and NoView (32) are not drawn on screen. */
const NOT_SHOWN = 2 | 32;

/** An annotation as pdf.js's `page.getAnnotations()` gives it, in what is read here. */
export interface Annotation {
  annotationType: number;
  annotationFlags?: number;
  subtype?: string;
  rect: number[];
  hidden?: boolean;
  noView?: boolean;
}

/** A page whose annotations are drawn over its figures or tables. */
export interface AnnotatedPage {
  page: number;
  /** Their kinds, as the PDF names them (FreeText, Widget, Square, Stamp). */
  kinds: string[];
}

type Box = readonly [number, number, number, number];

const overlap = (a: Box, b: Box) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

/** The area the page's rules span: a ruled table, blank cells and all. */
function rulesArea(horizontal: readonly Segment[], vertical: readonly Segment[]): Box | null {
  if (horizontal.length === 0 || vertical.length === 0) return null;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const h of horizontal)
    [x0, x1, y0, y1] = [Math.min(x0, h.a), Math.max(x1, h.b), Math.min(y0, h.at), Math.max(y1, h.at)];
  for (const v of vertical)
    [x0, x1, y0, y1] = [Math.min(x0, v.at), Math.max(x1, v.at), Math.min(y0, v.a), Math.max(y1, v.b)];
  return [x0, y0, x1, y1];
}

/**
 * The kinds of the annotations a viewer draws over the page's ruled tables or over text holding
 * a digit; empty where none is. A blank cell is covered by the rules' area, a figure outside any
 * ruled table by its own text.
 */
export function annotationsOver(
  annotations: readonly Annotation[],
  items: readonly Item[],
  rules: { horizontal: readonly Segment[]; vertical: readonly Segment[] },
): string[] {
  const area = rulesArea(rules.horizontal, rules.vertical);
  const kinds = new Set<string>();
  for (const a of annotations) {
    if (DRAWS_NOTHING.has(a.annotationType) || a.hidden || a.noView) continue;
    if (((a.annotationFlags ?? 0) & NOT_SHOWN) !== 0) continue;
    const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = a.rect;
    const rect: Box = [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)];
    const over =
      (area !== null && overlap(rect, area)) ||
      items.some(
        (i) => /[0-9０-９]/.test(i.text) && overlap(rect, [i.x, i.y, i.x + i.width, i.y + i.size * 0.7]),
      );
    if (over) kinds.add(a.subtype ?? 'annotation');
  }
  return [...kinds];
}

/** A PDF with form fields or comments drawn over its figures: what they show is not read. */
export class AnnotationsOverTextError extends Error {
  constructor(readonly pages: readonly AnnotatedPage[]) {
    const named = pages.map(({ page, kinds }) => `page ${page} (${kinds.join(', ')})`).join('; ');
    super(
      `A form field or comment is drawn over the table's figures on ${named} of the PDF: a viewer shows and prints what it holds over the page, but the parser reads only the page's own text, so the figures a reader sees cannot be told. Print the PDF to a new PDF, or flatten its form fields and comments, and import that.`,
    );
    this.name = 'AnnotationsOverTextError';
  }
}
