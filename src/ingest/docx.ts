import mammoth from 'mammoth';
import { withoutHiddenText } from './docx-hidden.ts';

/**
 * Word (.docx) to HTML with mammoth, which keeps merged table cells as rowspan/colspan;
 * the HTML path then reads it like a web page. Images are dropped unread and linked
 * files are never opened. Hidden text, which mammoth would read, is taken out first
 * (docx-hidden.ts). Call it only on a file within the input limits (document.ts).
 */
export async function docxToHtml(bytes: Uint8Array): Promise<string> {
  const buffer = await withoutHiddenText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { value } = await mammoth.convertToHtml(
    { buffer },
    {
      convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      externalFileAccess: false,
      ignoreEmptyParagraphs: true,
    },
  );
  return value;
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
