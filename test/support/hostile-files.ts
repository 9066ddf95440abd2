/**
 * Files an attacker would upload, built in memory: each is small on the wire and would cost
 * the parser far more than a real report (a decompression bomb, a table whose spans expand
 * to millions of cells, a PDF of thousands of pages, deeply nested HTML).
 */
import { crc32, deflateRawSync, deflateSync } from 'node:zlib';
import { type ZipEntry, zipArchive } from './zip.ts';

/** A DOCX-like ZIP whose word/document.xml declares `declaredBytes` uncompressed. */
export function zipBomb(declaredBytes: number): Uint8Array {
  const content = Buffer.alloc(1024 * 1024, 0x20);
  return zipArchive([
    {
      name: 'word/document.xml',
      data: deflateRawSync(content),
      method: 8,
      crc: crc32(content),
      uncompressedSize: declaredBytes,
    },
  ]);
}

/** A PDF object: a dictionary, or a dictionary with its stream's bytes. */
type PdfObject = string | { dictionary: string; stream: Uint8Array; eol?: string };

/** A PDF of these objects (object 1 is the catalog), with a correct cross-reference table. */
function pdfOf(objects: readonly PdfObject[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  let length = parts[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(length);
    const part =
      typeof object === 'string'
        ? Buffer.from(`${i + 1} 0 obj\n${object}\nendobj\n`)
        : Buffer.concat([
            Buffer.from(`${i + 1} 0 obj\n${object.dictionary}\nstream${object.eol ?? '\n'}`),
            object.stream,
            Buffer.from('\nendstream\nendobj\n'),
          ]);
    parts.push(part);
    length += part.length;
  });
  let tail = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) tail += `${String(offset).padStart(10, '0')} 00000 n \n`;
  tail += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`;
  return Buffer.concat([...parts, Buffer.from(tail)]);
}

/** A valid PDF of `pages` empty pages (a few dozen bytes per page). */
export function manyPagePdf(pages: number): Uint8Array {
  const kids = Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(' ');
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`,
    ...Array.from({ length: pages }, () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'),
  ]);
}

/**
 * A one-page PDF whose page content is `streams` FlateDecode streams of `inflated` bytes each
 * (spaces: deflate packs a thousand of them into a byte). `filter` as the dictionary spells
 * it, `eol` after the stream keyword, `corruptTail` appends garbage to each stream's deflate
 * data where its end should be (the readers inflate the rest first, then fail).
 */
export function flateBombPdf(
  inflated: number,
  options: { streams?: number; filter?: string; eol?: string; corruptTail?: boolean } = {},
): Uint8Array {
  const streams = options.streams ?? 1;
  let data = deflateSync(Buffer.alloc(inflated, 0x20));
  if (options.corruptTail) data = Buffer.concat([data.subarray(0, data.length - 8), Buffer.alloc(64, 0xff)]);
  const contents = Array.from({ length: streams }, (_, i) => `${i + 4} 0 R`).join(' ');
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [${contents}] >>`,
    ...Array.from({ length: streams }, () => ({
      dictionary: `<< /Length ${data.length} /Filter ${options.filter ?? '/FlateDecode'} >>`,
      stream: data,
      ...(options.eol ? { eol: options.eol } : {}),
    })),
  ]);
}

/** HTML of `rows` table rows whose cells span the rest of the table and 100 columns. */
export const spanBombHtml = (rows: number) =>
  `<html><body><p>某局2022年政府信息公开工作年度报告</p><table>${'<tr><td rowspan="0" colspan="100">1</td></tr>'.repeat(rows)}</table></body></html>`;

/** HTML nested `depth` elements deep. */
export const deepHtml = (depth: number) =>
  `<html><body>${'<div>'.repeat(depth)}x${'</div>'.repeat(depth)}</body></html>`;

const deflated = (name: string, text: string): ZipEntry => {
  const data = Buffer.from(text);
  return { name, data: deflateRawSync(data), method: 8, crc: crc32(data), uncompressedSize: data.length };
};

/** A .docx whose package is sound and whose word/document.xml is `documentXml`, XML or not. */
export function docxWithDocumentXml(documentXml: string): Uint8Array {
  return zipArchive([
    deflated(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    deflated(
      '_rels/.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ),
    deflated('word/document.xml', documentXml),
  ]);
}
