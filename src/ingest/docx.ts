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
