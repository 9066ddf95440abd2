/**
 * Files an attacker would upload, built in memory: each is small on the wire and would cost
 * the parser far more than a real report (a decompression bomb, a table whose spans expand
 * to millions of cells, a PDF of thousands of pages, deeply nested HTML).
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { zipArchive } from './zip.ts';

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

/** A valid PDF of `pages` empty pages (a few dozen bytes per page). */
export function manyPagePdf(pages: number): Uint8Array {
  const objects: string[] = [];
  const kids = Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(' ');
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`);
  for (let i = 0; i < pages; i++) objects.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>');
  const parts = ['%PDF-1.4\n'];
  let length = parts[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(length);
    const part = `${i + 1} 0 obj\n${object}\nendobj\n`;
    parts.push(part);
    length += part.length; // ASCII: one byte per character
  });
  let body = parts.join('');
  const xref = length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body);
}

/** HTML of `rows` table rows whose cells span the rest of the table and 100 columns. */
export const spanBombHtml = (rows: number) =>
  `<html><body><p>某局2022年政府信息公开工作年度报告</p><table>${'<tr><td rowspan="0" colspan="100">1</td></tr>'.repeat(rows)}</table></body></html>`;

/** HTML nested `depth` elements deep. */
export const deepHtml = (depth: number) =>
  `<html><body>${'<div>'.repeat(depth)}x${'</div>'.repeat(depth)}</body></html>`;
