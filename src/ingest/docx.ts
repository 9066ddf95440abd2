import mammoth from 'mammoth';
import { FloatingFigureError, floatingFigures, mayHoldDrawnText, readDrawnText } from './docx-drawings.ts';
import { elementName, mayRewrite, readParts, rewriteElements, textLeftOut } from './docx-elements.ts';
import { hideFieldCode, mayPrintFieldCode } from './docx-fields.ts';
import { hidingStyles, mayHideRuns, removeHiddenRuns } from './docx-hidden.ts';
import { markPlacedRuns, mayPlaceMarks, placingStyles, SMALLER_PIECE_STYLE } from './docx-marks.ts';
import { colouring, mayColourRuns, unseenRuns } from './docx-seen.ts';
import { mayMisreadTables, mergedAwaySentence, readTablesRight } from './docx-tables.ts';
import { parse, partPath, readPart, serialize, xmlParts } from './docx-xml.ts';
import { boundedZip } from './docx-zip.ts';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from './limits.ts';

/**
 * Word (.docx) to HTML with mammoth, which keeps merged table cells as rowspan/colspan;
 * the HTML path then reads it like a web page. Images are dropped unread and linked
 * files are never opened. What mammoth would misread is rewritten first: text boxes it does not
 * see given in the form it reads (docx-drawings.ts), markup it does not know or merges it does
 * not see made plain (docx-elements.ts), a field's code taken out where Word prints only its result (docx-fields.ts),
 * hidden and struck text, and text coloured as what is behind it (docx-seen.ts), taken out (docx-hidden.ts),
 * tables whose merges it would misplace put right (docx-tables.ts). Text it still leaves out, or
 * a merge hides, refuses the file (TextLeftOutError). A file past the input limits is refused
 * before any part is inflated (docx-zip.ts).
 */
export async function docxToHtml(
  bytes: Uint8Array,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): Promise<string> {
  const mergedAway: string[] = [];
  const buffer = await forMammoth(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    mergedAway,
    limits,
  );
  // Refused before mammoth runs: what it would read does not matter once a figure is uncertain.
  if (mergedAway.length > 0) throw new TextLeftOutError({ mergedAway });
  const { value, messages } = await mammoth.convertToHtml(
    { buffer },
    {
      convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      externalFileAccess: false,
      ignoreEmptyParagraphs: true,
      // A run printed smaller after a figure (docx-marks.ts), as a web page's <small>.
      styleMap: [`r.${SMALLER_PIECE_STYLE} => small`],
    },
  );
  const lost = await textLeftOut(buffer, messages);
  if (lost.length > 0) throw new TextLeftOutError({ elements: lost });
  return value;
}

/**
 * Text in an element mammoth does not read (Word's phonetic guide w:ruby, an equation, a file
 * embedded whole by w:altChunk), or in a cell merged into the one above (docx-tables.ts): a
 * figure there would be lost without a trace, so the file is refused, naming the element or the
 * cells.
 */
export class TextLeftOutError extends Error {
  constructor(lost: { elements: readonly string[] } | { mergedAway: readonly string[] }) {
    super(
      'The Word document cannot be read: ' +
        ('elements' in lost
          ? `it prints text in ${lost.elements.map(elementName).join(', ')}, which the reader does not ` +
            'read, so a figure there would be lost. Retype that text as ordinary text in Word, or save ' +
            'the document as PDF and import the PDF.'
          : mergedAwaySentence(lost.mergedAway)),
    );
    this.name = 'TextLeftOutError';
  }
}

/**
 * The .docx as mammoth should read it: the same bytes when nothing in it needs rewriting, and
 * only once all its entries are within the limits (so mammoth, whose JSZip reads the same entries,
 * inflates nothing uncounted). A part that cannot be read is left as it is, for mammoth to refuse
 * as it would have. Cells of the parts mammoth prints whose text a merge hides are named in
 * `mergedAway`.
 */
export async function forMammoth(
  bytes: Buffer,
  mergedAway: string[] = [],
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): Promise<Buffer> {
  const zip = await boundedZip(bytes, limits);
  const main = await partPath(zip, '', 'officeDocument', 'word/document.xml');
  const styles = await hidingStyles(zip, main);
  const colours = await colouring(zip, main);
  let placing: Awaited<ReturnType<typeof placingStyles>> | undefined;
  // A header's merged cells hide nothing mammoth would print: it reads no headers.
  const printed = new Set(await readParts(zip, main));
  let changed = false;
  const boxedFigures: string[] = [];
  for (const path of xmlParts(zip)) {
    const xml = await readPart(zip, path);
    if (xml === null) continue;
    const drawn = mayHoldDrawnText(xml);
    const floating = printed.has(path) && /txbxContent|framePr/.test(xml);
    const coloured = mayColourRuns(xml, colours);
    const hides = coloured || mayHideRuns(xml, styles);
    const rewrites = mayRewrite(xml);
    const fields = mayPrintFieldCode(xml);
    const tables = mayMisreadTables(xml);
    const marks = mayPlaceMarks(xml);
    const document = drawn || floating || hides || rewrites || fields || tables || marks ? parse(xml) : null;
    if (!document) continue;
    if (floating) boxedFigures.push(...floatingFigures(document));
    // Each runs whatever the others found: `a || b` would skip b. Text boxes first, so that what
    // they hold is rewritten, hidden or checked with the rest; tables last, on the text as read.
    // Colours are judged before, while a text box is still in its shape, whose fill is behind it.
    const unseen = coloured ? unseenRuns(document, colours) : undefined;
    const unboxed = drawn && readDrawnText(document);
    const rewritten = rewrites && rewriteElements(document);
    // After simple fields are unwrapped: one nested in a complex field's code prints nothing.
    const coded = fields && hideFieldCode(document);
    const removed = hides && removeHiddenRuns(document, styles, unseen);
    // After hidden runs are out: a hidden run between the figure and the piece prints nothing.
    placing ??= marks ? await placingStyles(zip, main) : undefined;
    const placed = placing !== undefined && marks && markPlacedRuns(document, placing);
    const hidden: string[] = [];
    const righted = tables && readTablesRight(document, hidden);
    if (printed.has(path)) mergedAway.push(...hidden);
    if (!unboxed && !rewritten && !coded && !removed && !placed && !righted) continue;
    zip.file(path, serialize(document));
    changed = true;
  }
  if (boxedFigures.length > 0) throw new FloatingFigureError(boxedFigures);
  // Entries left alone keep their compressed bytes: nothing else is inflated or compressed again.
  return changed ? zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }) : bytes;
}

/**
 * What a reader library's failure means for the person holding the file. A JavaScript error it
 * tripped on (TypeError, RangeError: "Cannot read properties of undefined (reading
 * 'storageDirId')", "Attempt to access memory outside buffer bounds") says only that the bytes
 * are not what the format promises: that is said, without the library's words. Its own errors
 * ("Invalid PDF structure.") are kept: they are what a bug report or a second look needs.
 */
export function libraryFailure(error: unknown): string {
  if (error instanceof Error && /^(?:TypeError|RangeError|ReferenceError)$/.test(error.name)) {
    return 'its internal structure is damaged';
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Why mammoth could not read a .docx, in words a reader can act on. Its XML parser's messages
 * ("[xmldom error]\telement parse error: Error: Hierarchy request error: …
 * @#[line:undefined,col:undefined]", and its warnings) name no position and mean the same to a
 * reader: a part that is cut off or not XML; a part that is not XML at all fails inside mammoth
 * on null. JSZip's ("Corrupted zip or bug: unexpected signature (\x8A\x5D…)") mean the ZIP
 * container itself is damaged.
 */
export function docxFailure(error: unknown): string {
  if (error instanceof TextLeftOutError || error instanceof FloatingFigureError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  const why = /xmldom (?:error|warning)|Cannot read properties of (null|undefined)/.test(message)
    ? ': one of its XML parts (word/document.xml, its styles or numbering) is cut off or is not XML'
    : /Corrupted zip|end of central directory|End of data reached|data size mismatch|crc32/i.test(message)
      ? ': its ZIP container is damaged (a download cut short or changed on the way)'
      : /Encrypted zip/.test(message)
        ? ': its parts are encrypted'
        : /main document part|body element/.test(message)
          ? ': it holds no document body (word/document.xml)'
          : error instanceof RangeError && /call stack/i.test(message)
            ? ': its XML nests elements inside elements too deeply to be followed (Word nests a few dozen levels; a reader stopped after thousands), so it was not made by Word as it stands'
            : ` (${libraryFailure(error)}). The file may be cut off or damaged`;
  return `The Word document cannot be read${why}; download it again, or open it in Word and save it again.`;
}
