/**
 * Which kind of document a file is, from its bytes rather than its name: downloaded
 * reports often carry the wrong extension (.htm saved as .doc, .pdf with no extension).
 */

export type SourceFormat = 'text' | 'html' | 'doc' | 'docx' | 'pdf';

export type Detected =
  | { kind: 'supported'; format: SourceFormat }
  | { kind: 'unsupported'; name: string; advice: string };

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) =>
  signature.every((b, i) => bytes[at + i] === b);

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

function indexOf(bytes: Uint8Array, needle: readonly number[], limit = bytes.length): number {
  const end = Math.min(limit, bytes.length) - needle.length;
  outer: for (let i = 0; i <= end; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const PDF = ascii('%PDF-');
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** The stream every Word 97–2003 file has, named in UTF-16 in the compound file's directory. */
const utf16 = (text: string) => [...text].flatMap((c) => [c.charCodeAt(0), 0]);
const WORD_STREAM = utf16('WordDocument');
/** A password-protected Word, Excel or PowerPoint file (2007 and later) is a compound file holding this stream. */
const ENCRYPTED_PACKAGE = utf16('EncryptedPackage');
/** Excel's and PowerPoint's main streams. */
const OTHER_OLE_STREAMS = [utf16('Workbook'), utf16('Book'), utf16('PowerPoint Document')];
const WORD_DOCUMENT = ascii('word/document.xml');
const HTML_START =
  /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|table|p)[\s>]/i;
const HTML_TAGS = /<(?:table|tr|td|p|div|br|span|body)(?:\s[^>]*)?\/?>/gi;

/** Decides the format of a file from its first bytes (and, for text, whether it is HTML). */
export function detectFormat(bytes: Uint8Array): Detected {
  // A PDF header may follow a few bytes of junk; readers accept it within the first 1 KB.
  if (indexOf(bytes, PDF, 1024) >= 0) return { kind: 'supported', format: 'pdf' };
  if (startsWith(bytes, ZIP)) {
    if (indexOf(bytes, WORD_DOCUMENT) >= 0) return { kind: 'supported', format: 'docx' };
    if (indexOf(bytes, ascii('xl/workbook')) >= 0) {
      return {
        kind: 'unsupported',
        name: 'an Excel workbook (.xlsx)',
        advice: 'Save the report itself as PDF, Word (.docx) or HTML.',
      };
    }
    if (indexOf(bytes, ascii('application/vnd.oasis.opendocument'), 200) >= 0) {
      return { kind: 'unsupported', name: 'an OpenDocument file', advice: 'Save it as Word (.docx) or PDF.' };
    }
    // Any other archive is refused by the text decoder as binary.
  }
  if (startsWith(bytes, OLE2)) {
    if (indexOf(bytes, ENCRYPTED_PACKAGE) >= 0) {
      return {
        kind: 'unsupported',
        name: 'a password-protected (encrypted) Office file',
        advice:
          'Its text cannot be read without the password. Find the HTML or PDF version of the report, or ask the agency for a copy without a password.',
      };
    }
    // The stream directory usually sits at the end: a cut-off Word file has lost it, and is
    // then reported as damaged by the Word reader rather than as some other format.
    if (indexOf(bytes, WORD_STREAM) < 0 && OTHER_OLE_STREAMS.some((name) => indexOf(bytes, name) >= 0)) {
      return {
        kind: 'unsupported',
        name: 'a legacy Office file that is not a Word document (.xls/.ppt)',
        advice: 'Open it and save it as Word (.docx) or PDF, then import that.',
      };
    }
    return { kind: 'supported', format: 'doc' };
  }
  if (startsWith(bytes, ascii('{\\rtf'))) {
    return { kind: 'unsupported', name: 'an RTF document', advice: 'Save it as Word (.docx) or PDF.' };
  }
  for (const [signature, name] of [
    [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
    [[0xff, 0xd8, 0xff], 'a JPEG image'],
    [ascii('GIF8'), 'a GIF image'],
    [[0x1f, 0x8b], 'a gzip archive'],
    [ascii('Rar!'), 'a RAR archive'],
    [[0x37, 0x7a, 0xbc, 0xaf], 'a 7-Zip archive'],
  ] as const) {
    if (startsWith(bytes, signature)) {
      return {
        kind: 'unsupported',
        name,
        advice: name.endsWith('image')
          ? 'A scanned page has no text to read; find the text (HTML, PDF or Word) version of the report.'
          : 'Unpack it and import the files inside.',
      };
    }
  }
  return { kind: 'supported', format: 'text' };
}

/** Whether decoded text is an HTML page rather than plain report text. */
export function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 4096).replace(/^\ufeff/, '');
  if (HTML_START.test(head)) return true;
  return (text.match(HTML_TAGS)?.length ?? 0) >= 5 && /<\/(?:p|td|div|table)>/i.test(text);
}
