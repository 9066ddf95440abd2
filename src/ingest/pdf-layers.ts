/**
 * Optional content (layers): text and shapes a PDF marks as in a group (`/OC /L1 BDC … EMC`, or
 * a form XObject's /OC) show only where the group is on. pdf.js's text content gives the text of
 * every layer, on or off: a 9 in a layer off by default, printed nowhere, read 524 as 5249. The
 * operator list keeps the marks (beginMarkedContentProps "OC" with the group pdf.js read), and
 * the document's optional content configuration says which groups are on, as a viewer shows
 * and prints them; what is drawn inside a group that is off is not drawn (pdf-drawn.ts).
 */

/** Whether a group of the operator list (pdf.js's `{ type: 'OCG', id }` or OCMD) is shown. */
export interface Layers {
  isVisible(group: unknown): boolean;
}

/** A document whose groups are all shown: one without optional content. */
export const NO_LAYERS: Layers = { isVisible: () => true };

/** Where the PDF states optional content at all (the catalogue's /OCProperties). */
export const HAS_LAYERS = /\/OCProperties\b/;

/** The marked content a page has opened and not closed, and whether any is a group that is off. */
export class MarkedContent {
  /** For each open mark, whether it hides what is inside it. */
  private readonly open: boolean[] = [];
  private hiding = 0;
  constructor(private readonly layers: Layers) {}

  get hidden(): boolean {
    return this.hiding > 0;
  }

  next(fn: number, OPS: Record<string, number>, args: unknown[] | null): void {
    if (fn === OPS.endMarkedContent) {
      if (this.open.pop()) this.hiding--;
      return;
    }
    const group = fn === OPS.beginMarkedContentProps && args?.[0] === 'OC' ? args[1] : null;
    // A group pdf.js could not read (null) is shown, as pdf.js itself renders it.
    const hides = group !== null && group !== undefined && !this.visible(group);
    this.open.push(hides);
    if (hides) this.hiding++;
  }

  private visible(group: unknown): boolean {
    try {
      return this.layers.isVisible(group);
    } catch {
      // A group the configuration does not know is shown by pdf.js.
      return true;
    }
  }
}
