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
export function pdfOf(objects: readonly PdfObject[], trailer = ''): Uint8Array {
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
  tail += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailer}>>\nstartxref\n${length}\n%%EOF\n`;
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
  let data = deflateSync(Buffer.alloc(inflated, 0x20));
  if (options.corruptTail) data = Buffer.concat([data.subarray(0, data.length - 8), Buffer.alloc(64, 0xff)]);
  return pagePdf(data, options.filter ?? '/FlateDecode', options);
}

/** A one-page PDF whose content is `streams` copies of `data`, under `filter` as the dictionary spells it. */
export function pagePdf(data: Uint8Array, filter: string, options: { streams?: number; eol?: string } = {}) {
  const streams = options.streams ?? 1;
  const contents = Array.from({ length: streams }, (_, i) => `${i + 4} 0 R`).join(' ');
  // Helvetica, one of the fonts every reader has, for a page that draws text.
  const font = '/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>';
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] ${font} /Contents [${contents}] >>`,
    ...Array.from({ length: streams }, () => ({
      dictionary: `<< /Length ${data.length} /Filter ${filter} >>`,
      stream: data,
      ...(options.eol ? { eol: options.eol } : {}),
    })),
  ]);
}

/**
 * A page whose content stream (Flate, or plain) draws one inline image of `pixels` grey bytes,
 * the image's data compressed by its own filter: small as a whole, large once drawn.
 */
export function inlineImageBombPdf(pixels: number, imageFilter: 'Fl' | 'LZW', contentFilter: 'Fl' | null) {
  const side = Math.ceil(Math.sqrt(pixels));
  const image =
    imageFilter === 'Fl' ? deflateSync(Buffer.alloc(side * side)) : lzw(Buffer.alloc(side * side));
  const content = Buffer.concat([
    Buffer.from(
      `q ${side} 0 0 ${side} 0 0 cm\nBI /W ${side} /H ${side} /CS /G /BPC 8 /F /${imageFilter}\nID `,
    ),
    image,
    Buffer.from('\nEI\nQ\n'),
  ]);
  return contentFilter ? pagePdf(deflateSync(content), '/FlateDecode') : pagePdf(content, '[]');
}

/**
 * A baseline JPEG's headers for a grey image of `width` × `height` with almost no scan data: a
 * decoder that believes the frame header allocates the whole image before it finds the data
 * missing (pdf.js took 28 s and 4.9 GB for 40,000 × 40,000 in a 2 kB file).
 */
export function hugeJpeg(width: number, height: number): Buffer {
  const segment = (marker: number, body: number[]) => [
    0xff,
    marker,
    (body.length + 2) >> 8,
    (body.length + 2) & 255,
    ...body,
  ];
  // One Huffman code of length 1 (symbol 0): a DC difference of 0, and end-of-block.
  const oneCode = [1, ...Array<number>(15).fill(0), 0];
  return Buffer.from([
    ...[0xff, 0xd8],
    ...segment(0xdb, [0, ...Array<number>(64).fill(1)]),
    ...segment(0xc0, [8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, ...oneCode]),
    ...segment(0xc4, [0x10, ...oneCode]),
    ...segment(0xda, [1, 1, 0, 0, 63, 0]),
    ...Array<number>(1_000).fill(0),
    ...[0xff, 0xd9],
  ]);
}

/** A page that writes `text` and draws `image` (an image XObject under `filter`) over it. */
export function imagePdf(
  image: Uint8Array,
  width: number,
  height: number,
  filter: string,
  text = 'Drawn',
): Uint8Array {
  const font = '/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>';
  const content = Buffer.from(`BT /F1 12 Tf 72 700 Td (${text}) Tj ET\nq 500 0 0 500 0 0 cm /Im1 Do Q\n`);
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> ${font} >> /Contents 4 0 R >>`,
    { dictionary: `<< /Length ${content.length} >>`, stream: content },
    {
      dictionary: `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter ${filter} /Length ${image.length} >>`,
      stream: image,
    },
  ]);
}

/**
 * A page ruled into an `n` × `n` grid, rules 5 points apart (one table of n² slots), in a few
 * dozen bytes per rule once deflated, over one line of text.
 */
export function gridPdf(n: number): Uint8Array {
  const end = n * 5 + 50;
  let content = '0.1 w\n';
  for (let i = 0; i <= n; i++) {
    const at = i * 5 + 50;
    content += `50 ${at} m ${end} ${at} l S\n${at} 50 m ${at} ${end} l S\n`;
  }
  content += 'BT /F1 12 Tf 72 30 Td (Below the grid) Tj ET\n';
  return pagePdf(deflateSync(Buffer.from(content)), '/FlateDecode');
}

/** A page drawing `count` pieces of text, all on one line, or `count` short rules, each at its own height. */
export function floodPdf(kind: 'text' | 'rules', count: number): Uint8Array {
  const content =
    kind === 'text'
      ? 'BT /F1 9 Tf 72 700 Td (x) Tj ET\n'.repeat(count)
      : Array.from(
          { length: count },
          (_, i) => `72 ${(i * 0.01).toFixed(2)} m 172 ${(i * 0.01).toFixed(2)} l S`,
        ).join('\n');
  return pagePdf(deflateSync(Buffer.from(content)), '/FlateDecode');
}

/**
 * A page of `megabytes` of small filled boxes: neither text nor rules, so no limit of the
 * parser's counts them, and only pdf.js's own reading of the drawing takes time (about 0.4 s a
 * megabyte here). For the parse time limit.
 */
export const slowPdf = (megabytes: number): Uint8Array =>
  pagePdf(
    deflateSync(Buffer.from('10 10 5 5 re f\n'.repeat((megabytes * 1024 * 1024) / 15))),
    '/FlateDecode',
  );

/**
 * A one-page PDF encrypted with a user password (RC4, revision 2): readers ask for the password
 * before showing anything. Its /U entry matches no password, the empty one included.
 */
export function passwordPdf(): Uint8Array {
  const hex = (byte: number) => byte.toString(16).padStart(2, '0').repeat(32);
  return pdfOf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
      `<< /Filter /Standard /V 1 /R 2 /O <${hex(0x11)}> /U <${hex(0x22)}> /P -4 >>`,
    ],
    `/Encrypt 4 0 R /ID [<${hex(0x33).slice(0, 32)}> <${hex(0x33).slice(0, 32)}>] `,
  );
}

/** The start of a compound file as Office writes a password-protected .docx or .xlsx: its package is one encrypted stream. */
export const encryptedOfficeFile = (): Uint8Array =>
  Buffer.concat([
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    Buffer.alloc(504),
    Buffer.from('EncryptionInfo', 'utf16le'),
    Buffer.alloc(100),
    Buffer.from('EncryptedPackage', 'utf16le'),
    Buffer.alloc(1000, 0x5a),
  ]);

/** ASCIIHexDecode's encoding, with its end mark. */
export const asciiHex = (data: Uint8Array) => Buffer.from(`${Buffer.from(data).toString('hex')}>`);

/** ASCII85Decode's encoding, with its end mark. */
export function ascii85(data: Uint8Array): Buffer {
  let out = '';
  for (let i = 0; i < data.length; i += 4) {
    const chunk = [0, 1, 2, 3].map((k) => data[i + k] ?? 0);
    let value =
      ((chunk[0] ?? 0) * 2 ** 24 + (chunk[1] ?? 0) * 2 ** 16 + (chunk[2] ?? 0) * 2 ** 8 + (chunk[3] ?? 0)) >>>
      0;
    const digits: string[] = [];
    for (let k = 0; k < 5; k++) {
      digits.unshift(String.fromCharCode(0x21 + (value % 85)));
      value = Math.floor(value / 85);
    }
    out += digits.slice(0, Math.min(5, data.length - i + 1)).join('');
  }
  return Buffer.from(`${out}~>`);
}

/**
 * LZWDecode's encoding as PDF writers make it (EarlyChange 1): codes of 9 to 12 bits, most
 * significant bit first, a clear code when the table is full, and the end code.
 */
export function lzw(data: Uint8Array): Buffer {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  let codeLength = 9;
  const write = (code: number) => {
    buffer = (buffer << codeLength) | code;
    bits += codeLength;
    while (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  };
  // Strings are keyed by their prefix's code and their last byte.
  let table = new Map<number, number>();
  let nextCode = 258;
  write(256);
  let prefix = -1;
  for (const byte of data) {
    if (prefix < 0) {
      prefix = byte;
      continue;
    }
    const known = table.get(prefix * 256 + byte);
    if (known !== undefined) {
      prefix = known;
      continue;
    }
    write(prefix);
    table.set(prefix * 256 + byte, nextCode++);
    // The decoder makes each entry one code later than this, and (EarlyChange 1) widens its
    // codes one entry early: both at once when this table reaches the next power of two.
    if (nextCode === 1 << codeLength && codeLength < 12) codeLength++;
    if (nextCode >= 4094) {
      write(256);
      table = new Map();
      nextCode = 258;
      codeLength = 9;
    }
    prefix = byte;
  }
  if (prefix >= 0) write(prefix);
  write(257);
  if (bits > 0) out.push((buffer << (8 - bits)) & 0xff);
  return Buffer.from(out);
}

/** RunLengthDecode data that repeats a space 128 times per two bytes, `runs` times. */
export const runLengthBomb = (runs: number) =>
  Buffer.concat([Buffer.from(Array.from({ length: runs }, () => [129, 0x20]).flat()), Buffer.from([128])]);

/** HTML of `rows` table rows whose cells span the rest of the table and 100 columns. */
export const spanBombHtml = (rows: number) =>
  `<html><body><p>某局2022年政府信息公开工作年度报告</p><table>${'<tr><td rowspan="0" colspan="100">1</td></tr>'.repeat(rows)}</table></body></html>`;

/**
 * A page 200 elements deep of 50,000 spans under 1,999 descendant rules that may hide them: the
 * parser counts the checks they need and refuses the page past its limit, after about 2 s of
 * work on one core that never waits for anything.
 */
export function deepSelectorsHtml(): string {
  const css = Array.from({ length: 1_999 }, () => 'div div div div > div div div span.c{display:none}').join(
    '',
  );
  const page = `${'<div>'.repeat(200)}${'<span class="c">1</span>'.repeat(50_000)}${'</div>'.repeat(200)}`;
  return `<style>${css}</style>${page}`;
}

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

/**
 * A .docx of one paragraph of `runs` runs of one digit each: every run opens with a digit right
 * after one, so each is looked at for its size and place (docx-marks.ts), which once read the
 * whole paragraph again for each run.
 */
export const manyRunsDocx = (runs: number): Uint8Array =>
  docxWithDocumentXml(
    `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>${'<w:r><w:t>1</w:t></w:r>'.repeat(runs)}</w:p></w:body></w:document>`,
  );
