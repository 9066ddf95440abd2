import mammoth from 'mammoth';

/**
 * Word (.docx) to HTML with mammoth, which keeps merged table cells as rowspan/colspan;
 * the HTML path then reads it like a web page. Images are dropped unread and linked
 * files are never opened.
 */
export async function docxToHtml(bytes: Uint8Array): Promise<string> {
  const { value } = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
    {
      convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      externalFileAccess: false,
      ignoreEmptyParagraphs: true,
    },
  );
  return value;
}

/**
 * Why mammoth could not read a .docx, in words a reader can act on. Its XML parser's messages
 * ("[xmldom error]\telement parse error: Error: Hierarchy request error: …
 * @#[line:undefined,col:undefined]") name no position and mean the same to a reader: a part
 * that is cut off or not XML; a part that is not XML at all fails inside mammoth on null.
 */
export function docxFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const why = /xmldom error|Cannot read properties of (null|undefined)/.test(message)
    ? ': one of its XML parts (word/document.xml, its styles or numbering) is cut off or is not XML'
    : ` (${message}). The file may be cut off or damaged`;
  return `The Word document cannot be read${why}; download it again, or open it in Word and save it again.`;
}
