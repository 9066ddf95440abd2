import mammoth from 'mammoth';
import { elementName, mayRewrite, rewriteElements, textLeftOut } from './docx-elements.ts';
import { hidingStyles, mayHideRuns, removeHiddenRuns } from './docx-hidden.ts';
import { JSZip, parse, partPath, readPart, serialize, xmlParts } from './docx-xml.ts';

/**
 * Word (.docx) to HTML with mammoth, which keeps merged table cells as rowspan/colspan;
 * the HTML path then reads it like a web page. Images are dropped unread and linked
 * files are never opened. What mammoth would misread is rewritten first: hidden and struck
 * text taken out (docx-hidden.ts), markup it does not know or merges it does not see made plain
 * (docx-elements.ts). Text it still leaves out refuses the file (TextLeftOutError). Call it only
 * on a file within the input limits (document.ts).
 */
export async function docxToHtml(bytes: Uint8Array): Promise<string> {
  const buffer = await forMammoth(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { value, messages } = await mammoth.convertToHtml(
    { buffer },
    {
      convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      externalFileAccess: false,
      ignoreEmptyParagraphs: true,
    },
  );
  const lost = await textLeftOut(buffer, messages);
  if (lost.length > 0) throw new TextLeftOutError(lost);
  return value;
}

/**
 * Text in an element mammoth does not read (Word's phonetic guide w:ruby, an equation): a figure
 * there would be lost without a trace, so the file is refused, naming the element.
 */
export class TextLeftOutError extends Error {
  constructor(elements: readonly string[]) {
    super(
      `The Word document cannot be read: it prints text in ${elements.map(elementName).join(', ')}, ` +
        'which the reader does not read, so a figure there would be lost. Retype that text as ordinary ' +
        'text in Word, or save the document as PDF and import the PDF.',
    );
    this.name = 'TextLeftOutError';
  }
}

/**
 * The .docx as mammoth should read it: the same bytes when nothing in it needs rewriting. A ZIP
 * or part that cannot be read is left as it is, for mammoth to refuse as it would have.
 */
export async function forMammoth(bytes: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  const main = await partPath(zip, '', 'officeDocument', 'word/document.xml');
  const styles = await hidingStyles(zip, main);
  let changed = false;
  for (const path of xmlParts(zip)) {
    const xml = await readPart(zip, path);
    if (xml === null) continue;
    const hides = mayHideRuns(xml, styles);
    const rewrites = mayRewrite(xml);
    const document = hides || rewrites ? parse(xml) : null;
    if (!document) continue;
    // Each runs whatever the other found: `a || b` would skip b.
    const rewritten = rewrites && rewriteElements(document);
    const removed = hides && removeHiddenRuns(document, styles);
    if (!rewritten && !removed) continue;
    zip.file(path, serialize(document));
    changed = true;
  }
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
  if (error instanceof TextLeftOutError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  const why = /xmldom (?:error|warning)|Cannot read properties of (null|undefined)/.test(message)
    ? ': one of its XML parts (word/document.xml, its styles or numbering) is cut off or is not XML'
    : /Corrupted zip|end of central directory|End of data reached|data size mismatch|crc32/i.test(message)
      ? ': its ZIP container is damaged (a download cut short or changed on the way)'
      : /Encrypted zip/.test(message)
        ? ': its parts are encrypted'
        : /main document part|body element/.test(message)
          ? ': it holds no document body (word/document.xml)'
          : ` (${libraryFailure(error)}). The file may be cut off or damaged`;
  return `The Word document cannot be read${why}; download it again, or open it in Word and save it again.`;
}
