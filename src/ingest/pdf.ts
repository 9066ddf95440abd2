/**
 * PDF to lines with pdfjs-dist. A PDF has no tables, only positioned text and drawn
 * rules, so tables are rebuilt from the rules: the horizontal and vertical lines of a
 * ruled table give its row and column boundaries, a missing rule between two slots
 * means a merged cell, and text is placed in the cell that contains it. Text in one
 * cell that wraps over several lines (a long row label, or a narrow table-4 header that
 * comes out one character per line) is joined back into one cell. Pages without ruled
 * tables fall back to grouping text by baseline and splitting cells at wide gaps.
 *
 * This module loads the document and walks its pages; the rules are read in pdf-rules.ts,
 * tables rebuilt in pdf-tables.ts, a page laid out in pdf-page.ts, text joined in pdf-text.ts.
 */
import { DEFAULT_INPUT_LIMITS, InputLimitError, type InputLimits } from './limits.ts';
import { blanksSplitOf, type Line } from './lines.ts';
import { TablesAcrossPages } from './pdf-across-pages.ts';
import {
  type AnnotatedPage,
  AnnotationsOverTextError,
  annotationsOver,
  HAS_ANNOTATIONS,
} from './pdf-annotations.ts';
import { TextUnderImageError } from './pdf-covers.ts';
import { drawingOf } from './pdf-drawn.ts';
import { HAS_LAYERS, NO_LAYERS } from './pdf-layers.ts';
import { layoutPage } from './pdf-page.ts';
import { type Matrix, rulesOf } from './pdf-rules.ts';
import { noTextButItsNumber, ScannedPagesError, showsPicture } from './pdf-scanned.ts';
import { latin1, pdfDecodedBytes } from './pdf-streams.ts';
import { type Item, withoutOverprints } from './pdf-text.ts';
import { isTurned, TurnedPagesError } from './pdf-turned.ts';
import { seenText } from './pdf-unseen.ts';
import { pageAsShown, SLANT } from './pdf-upright.ts';
import { documentParams, loadPdfjs } from './pdfjs.ts';

/**
 * The page count a PDF's page tree states in plain text (`<< /Type /Pages /Count 5000 >>`),
 * read without loading the document; null when it sits in a compressed object stream.
 */
function statedPageCount(text: string): number | null {
  let most: number | null = null;
  for (const m of text.matchAll(/\/Count\s+(\d+)/g)) {
    // The dictionary around this /Count (outlines count too, but are not /Type /Pages).
    const at = m.index ?? 0;
    const dictionary = text.slice(text.lastIndexOf('<<', at), text.indexOf('>>', at));
    if (/\/Type\s*\/Pages\b/.test(dictionary)) most = Math.max(most ?? 0, Number(m[1]));
  }
  return most;
}
/**
 * Whether an unhandled rejection is one of pdf.js's own. On some damaged files pdf.js rejects a
 * promise nobody holds (seen: XRefEntryException "Bad (uncompressed) XRef entry: 7R" thrown in
 * pdf.worker.mjs after the document had already failed or been read), a second copy of a
 * failure the awaited parse has already reported or recovered from. Its exceptions are
 * named *Exception or FormatError, and their stack is pdf.js's own (pdf.js builds them on an
 * Error made when its module loaded).
 */
export function isPdfjsStrayRejection(reason: unknown): reason is { name: string; stack: string } {
  // Read by shape, not instanceof: test runners hand it over serialized from their workers.
  const { name, stack } = (reason ?? {}) as { name?: unknown; stack?: unknown };
  return (
    typeof name === 'string' &&
    typeof stack === 'string' &&
    /Exception$|^FormatError$/.test(name) &&
    /pdfjs-dist[\\/]/.test(stack)
  );
}

let contained = false;

/**
 * Keeps pdf.js's stray rejections from ending the thread (Node ends a process, or a worker,
 * on an unhandled rejection): each is passed to `onStray` instead. Any other unhandled
 * rejection is thrown as before. For entry points that parse PDFs on their own thread: the
 * CLI and the parser workers; a stray there would otherwise end an import midway, or the
 * worker, failing the next upload it was given.
 */
export function containPdfjsStrayRejections(
  onStray: (error: { name: string; message?: string }) => void,
): void {
  if (contained) return;
  contained = true;
  process.on('unhandledRejection', (reason) => {
    if (!isPdfjsStrayRejection(reason)) throw reason;
    onStray(reason);
  });
}

/**
 * A PDF whose pages' text is drawn invisibly: an invisible layer, as OCR lays the text it
 * recognised over a scanned image. What it holds is the OCR's reading of the scan, misread
 * digits and all, never the figures as printed.
 */
export class InvisibleTextError extends Error {
  constructor(readonly pages: number[]) {
    const which = pages.length === 1 ? `Page ${pages[0]}` : `Pages ${pageRanges(pages)}`;
    super(
      `${which} of the PDF ${pages.length === 1 ? 'draws its' : 'draw their'} text invisibly (text render mode 3): an invisible text layer, usually the text OCR recognised on a scanned page, laid over the page's image. Its figures cannot be read exactly from it (OCR misreads digits, and nothing shows what it read). Find the HTML or Word version of the report, or a PDF whose text is printed rather than scanned.`,
    );
    this.name = 'InvisibleTextError';
  }
}

/** Page numbers, in order, as runs: 1–6, 9 and 11. */
function pageRanges(pages: readonly number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < pages.length; ) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === (pages[j] ?? 0) + 1) j++;
    runs.push(j > i ? `${pages[i]}–${pages[j]}` : `${pages[i]}`);
    i = j + 1;
  }
  return runs.length === 1 ? (runs[0] ?? '') : `${runs.slice(0, -1).join(', ')} and ${runs.at(-1)}`;
}

/** Whether the file holds any picture (an image XObject's dictionary is never compressed away). */
const PICTURE = /\/Subtype\s*\/Image\b/;

/** Reads the PDF's text and table rules, page by page, into lines. */
export async function pdfToLines(
  bytes: Uint8Array,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): Promise<Line[]> {
  // Refused before pdfjs reads the whole cross-reference table (seconds for 5,000 pages).
  const text = latin1(bytes);
  const stated = statedPageCount(text);
  if (stated !== null && stated > limits.maxPdfPages) {
    throw new InputLimitError(
      'maxPdfPages',
      `The PDF has ${stated.toLocaleString('en')} pages`,
      limits.maxPdfPages,
    );
  }
  if ((await pdfDecodedBytes(bytes, limits.maxUncompressedBytes, text)) > limits.maxUncompressedBytes) {
    throw new InputLimitError(
      'maxUncompressedBytes',
      "The PDF's compressed streams (page text, fonts, images) decode to more than the limit allows",
      limits.maxUncompressedBytes,
    );
  }
  // Loaded on first use: pdfjs is large and most imports are text or HTML.
  const { getDocument, OPS, normalizeUnicode } = await loadPdfjs();
  const pictures = PICTURE.test(text);
  const task = getDocument(documentParams(bytes));
  const document = await task.promise;
  try {
    if (document.numPages > limits.maxPdfPages) {
      throw new InputLimitError(
        'maxPdfPages',
        `The PDF has ${document.numPages.toLocaleString('en')} pages`,
        limits.maxPdfPages,
      );
    }
    const pages = new TablesAcrossPages();
    const invisiblePages: number[] = [];
    const imagedPages: number[] = [];
    const annotatedPages: AnnotatedPage[] = [];
    // Which layers (optional content) show; text in one that is off is not read (pdf-layers.ts).
    const layers = HAS_LAYERS.test(text) ? await document.getOptionalContentConfig() : NO_LAYERS;
    const annotated = HAS_ANNOTATIONS.test(text);
    const turnedPages: { page: number; rotate: number }[] = [];
    const scannedPages: number[] = [];
    for (let p = 1; p <= document.numPages; p++) {
      const page = await document.getPage(p);
      // Everything is read as the page is shown: a /Rotate 90 sheet whose text runs up it is upright.
      let shown = pageAsShown(page.rotate, page.view);
      const content = await page.getTextContent();
      const sheetItems: Item[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const [a, b, , , e, f] = item.transform as Matrix;
        const slant = Math.atan2(b, a);
        sheetItems.push({
          text: item.str,
          x: e,
          y: f,
          width: item.width,
          size: Math.hypot(a, b) || item.height || 10,
          // A slanted baseline is kept, so that text set across a table is not read as a row's (pdf-watermarks.ts).
          ...(Math.abs(slant) > SLANT ? { rotation: slant } : {}),
        });
      }
      let items = shown.items(sheetItems);
      if (isTurned(items)) {
        // Shown on its side, but level on the sheet (a page turned by its /Rotate alone): its rows
        // run along the sheet, and are read so, as before.
        const sheet = pageAsShown(0, page.view);
        const level = sheet.items(sheetItems);
        if (isTurned(level)) turnedPages.push({ page: p, rotate: page.rotate });
        else [shown, items] = [sheet, level];
      }
      // Counted before the drawing is read when the text alone is over.
      const objects = limits.maxPdfPageObjects;
      const tooMany = (what: string) =>
        new InputLimitError('maxPdfPageObjects', `Page ${p} of the PDF has ${what}`, objects);
      if (items.length > objects) throw tooMany(`${items.length.toLocaleString('en')} pieces of text`);
      const operators = await page.getOperatorList();
      const segments = shown.rules(rulesOf(operators, OPS, objects - items.length));
      if (items.length + segments.drawn > objects) {
        throw tooMany(
          `${items.length.toLocaleString('en')} pieces of text and ${segments.drawn.toLocaleString('en')} drawn lines`,
        );
      }
      // Text the page holds but does not show (invisible, white on white, clipped away) is not read.
      const drawing = shown.drawing(drawingOf(operators, OPS, normalizeUnicode, layers));
      const seen = seenText(items, drawing, pictures);
      if (seen.invisibleLayer) invisiblePages.push(p);
      else if (seen.underImage) imagedPages.push(p);
      else if (noTextButItsNumber(seen.items.map((i) => i.text)) && showsPicture(operators, OPS, page.view))
        scannedPages.push(p);
      // Form fields and comments a viewer draws over the figures (pdf-annotations.ts).
      const kinds = annotated
        ? annotationsOver(shown.annotations(await page.getAnnotations()), seen.items, segments)
        : [];
      if (kinds.length > 0) annotatedPages.push({ page: p, kinds });
      page.cleanup();
      // Once a page is refused the rest are only looked at, to name every page refused.
      const refused = [invisiblePages, imagedPages, annotatedPages, turnedPages, scannedPages];
      if (refused.some((pages) => pages.length > 0)) continue;
      // Text drawn twice over itself (fake bold, overprinting) is read once, as it is seen;
      // after the count, which bounds the work of finding it.
      const pageRows = layoutPage(withoutOverprints(seen.items), segments, shown.top, {
        page: p,
        maxGridCells: limits.maxGridCells,
      });
      pages.addPage(pageRows);
    }
    if (invisiblePages.length > 0) throw new InvisibleTextError(invisiblePages);
    if (imagedPages.length > 0) throw new TextUnderImageError(imagedPages);
    if (annotatedPages.length > 0) throw new AnnotationsOverTextError(annotatedPages);
    if (turnedPages.length > 0) throw new TurnedPagesError(turnedPages);
    if (scannedPages.length > 0) throw new ScannedPagesError(scannedPages, document.numPages);
    return pages.rows.map(({ text, cells, spans }, i) =>
      cells && spans
        ? { number: i + 1, text, cells, ...blanksSplitOf(cells, spans) }
        : { number: i + 1, text, cells },
    );
  } finally {
    await document.destroy();
  }
}
