/**
 * Text painted over: an opaque fill, or a picture, drawn after a glyph where the glyph is hides
 * it, as paint on paper does. pdf.js's text content gives the glyph all the same: a 524 whited
 * out with a white box and 525 printed on the box read as 5245, and a page image laid over its
 * text (an OCR "text under image" PDF, or a page flattened to a picture) as the text, where the
 * reader sees the picture. A glyph wholly under an opaque box of told colour is not seen, as
 * white-on-white text is not (pdf-unseen.ts); one partly covered, or under a picture, a pattern
 * or a shading (whose paint, and so what shows through it, is not read), is marked unsure and
 * its cell refused, saying why.
 */
import type { Box, Shape } from './pdf-drawn.ts';

/** A box too thin to hide half a glyph is a rule or an underline, never a cover (pt). */
const LEAST_COVER = 1.5;
/** Height of the page bands covers are filed under, so a glyph looks only at those near it (pt). */
const BAND = 24;
/** Share of a glyph's box, each way, a cover must reach over for the glyph to be in doubt. */
const HALF = 0.5;
/** Share of a glyph's box, each side, a cover may leave out and still hide it whole (its side bearings). */
const BEARING = 0.15;

export const UNDER_IMAGE =
  "the page's text lies under an image drawn over it (it may be an OCR reading of a scan), so the figure shown is the image's, which is not read";
const PARTLY_COVERED =
  'a box is drawn over part of it, or over it in a paint whose colour is not read (a pattern, a shading)';

export type Covered = { seen: 'hidden' } | { seen: 'unsure'; why: string };

/** The page's opaque shapes that may hide text drawn before them, filed by band. */
export class Covers {
  private readonly bands = new Map<number, number[]>();
  /** Whether any shape may hide text drawn before it: the pages that need no more look. */
  readonly any: boolean;

  constructor(
    private readonly shapes: readonly Shape[],
    firstText: number,
    pictures: boolean,
  ) {
    let any = false;
    for (let k = Math.max(0, firstText); k < shapes.length; k++) {
      const { box, opaque } = shapes[k] as Shape;
      if (!opaque || (opaque === 'image' && !pictures)) continue;
      if (box[2] - box[0] < LEAST_COVER || box[3] - box[1] < LEAST_COVER) continue;
      any = true;
      const from = Math.floor(Math.max(box[1], -1e5) / BAND);
      const to = Math.floor(Math.min(box[3], 1e5) / BAND);
      for (let b = from; b <= to; b++) {
        const list = this.bands.get(b);
        if (list) list.push(k);
        else this.bands.set(b, [k]);
      }
    }
    this.any = any;
  }

  /** How the shapes drawn after shape `over` hide a glyph in `glyph`; null where none does. */
  of(glyph: Box, over: number): Covered | null {
    const [x0, y0, x1, y1] = glyph;
    const [w, h] = [x1 - x0, y1 - y0];
    let doubt: string | null = null;
    for (const k of this.bands.get(Math.floor((y0 + y1) / 2 / BAND)) ?? []) {
      if (k < over) continue;
      const { box, colour, opaque } = this.shapes[k] as Shape;
      const across = Math.min(x1, box[2]) - Math.max(x0, box[0]);
      const up = Math.min(y1, box[3]) - Math.max(y0, box[1]);
      if (across < w * HALF || up < h * HALF) continue;
      const whole =
        box[0] <= x0 + w * BEARING &&
        box[2] >= x1 - w * BEARING &&
        box[1] <= y0 + h * BEARING &&
        box[3] >= y1 - h * BEARING;
      if (whole && opaque === true && colour !== null) return { seen: 'hidden' };
      doubt = opaque === 'image' ? UNDER_IMAGE : (doubt ?? PARTLY_COVERED);
    }
    return doubt === null ? null : { seen: 'unsure', why: doubt };
  }
}

/**
 * A PDF whose pages' text lies under an image drawn over it: the text OCR recognised, laid
 * under the scan it came from, or a page flattened to a picture over its old text. The reader
 * sees the image; the text is what the OCR made of it, or what the page held before.
 */
export class TextUnderImageError extends Error {
  constructor(readonly pages: readonly number[]) {
    super(
      `The text of ${pages.length === 1 ? 'page' : 'pages'} ${pages.join(', ')} of the PDF lies under an image drawn over it: it may be an OCR reading of a scan, or text a picture of the page covers, so the figures a reader sees (the image's) cannot be read exactly. Find the HTML or Word version of the report, or a PDF whose text is printed rather than scanned.`,
    );
    this.name = 'TextUnderImageError';
  }
}
