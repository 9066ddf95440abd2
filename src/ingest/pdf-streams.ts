/**
 * What a PDF's streams decode to, in all, counted before pdf.js reads the file. pdf.js decodes a
 * stream whole when a page uses it, into memory outside a parser worker's heap limit, and every
 * compressing filter it supports can be a bomb: FlateDecode (a 1 MB stream of spaces inflates
 * to 1 GB), LZWDecode (a code can stand for 4,000 bytes) and RunLengthDecode (2 bytes for 128),
 * each also behind ASCIIHexDecode or ASCII85Decode, and so can the inline images inside a
 * page's content stream. Counting keeps only lengths, never the output (but a content stream's
 * own, already counted, while its inline images are found). Image codecs (DCT, JPX, JBIG2,
 * CCITT) are left to pdf.js.
 */
import { constants, inflateSync } from 'node:zlib';
import { inflatedSize } from './limits.ts';

/** Each stream's data runs to the end of the file here: a decoder stops at its own end mark. */
const STREAM = />>\s*stream(?:\r\n|\n|\r)/g;

/** The filter names of a stream's dictionary, in the order they apply. */
function filterNames(dictionary: string): string[] {
  const value = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(dictionary)?.[1] ?? '';
  return [...value.matchAll(/\/([A-Za-z0-9]+)/g)].map((m) => m[1] ?? '');
}

/** Whether `data` starts with a zlib header (deflate, and the header's check). */
const zlibHeader = (data: Uint8Array) =>
  ((data[0] ?? 0) & 0x0f) === 8 && ((data[0] ?? 0) * 256 + (data[1] ?? 0)) % 31 === 0;

/** Bytes as text, one character per byte, so offsets in one are offsets in the other. */
export const latin1 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** `text`: the file as latin1 (latin1(bytes)), when the caller has made it already. */
export async function pdfDecodedBytes(
  bytes: Uint8Array,
  limit: number,
  text = latin1(bytes),
): Promise<number> {
  let total = 0;
  for (const m of text.matchAll(STREAM)) {
    const at = m.index ?? 0;
    const data = bytes.subarray(at + m[0].length);
    const dictionary = text.slice(Math.max(0, text.lastIndexOf('obj', at)), at);
    const filters = filterNames(dictionary);
    // A stream whose filter cannot be read here is still counted if it looks like zlib data.
    const decoded =
      filters.length > 0
        ? await decodedSize(data, filters, dictionary, limit - total)
        : zlibHeader(data)
          ? await inflatedSize(data, false, limit - total)
          : 0;
    total += decoded;
    if (total > limit) return Number.POSITIVE_INFINITY;
    const content = contentOf(data, filters, dictionary, decoded);
    if (content) total += await inlineImagesSize(content, limit - total);
    if (total > limit) return Number.POSITIVE_INFINITY;
  }
  return total;
}

/** Dictionaries of streams that are not page contents: images, fonts, cross-references. */
const NOT_CONTENT =
  /\/Subtype\s*\/(?:Image|Type1C|CIDFontType0C|OpenType)\b|\/Length[123]\b|\/Type\s*\/(?:XRef|ObjStm|Metadata|EmbeddedFile)\b/;

/**
 * The bytes of a page's (or form's) content stream, plain or under Flate alone, as pdf.js
 * reads them, so the inline images in it can be counted; null for any other stream. `decoded`
 * has been counted against the limit already, so holding it is within the limit.
 */
function contentOf(data: Uint8Array, filters: readonly string[], dictionary: string, decoded: number) {
  if (NOT_CONTENT.test(dictionary)) return null;
  const flate = filters.length === 1 && (filters[0] === 'FlateDecode' || filters[0] === 'Fl');
  if (flate || (filters.length === 0 && decoded > 0)) {
    try {
      return inflateSync(data, {
        maxOutputLength: Math.max(1, decoded),
        finishFlush: constants.Z_SYNC_FLUSH,
      });
    } catch {
      return null;
    }
  }
  if (filters.length > 0) return null;
  const end = Buffer.from(data.buffer, data.byteOffset, data.byteLength).indexOf('endstream');
  return data.subarray(0, end < 0 ? data.length : end);
}

/**
 * What the inline images of a content stream (BI <dictionary> ID <data> EI) decode to: their
 * data carries its own filters (abbreviated: /F /Fl, /LZW, /RL, /AHx, /A85), which pdf.js
 * decodes as it builds the page, inside a content stream that is itself small.
 */
async function inlineImagesSize(content: Uint8Array, limit: number): Promise<number> {
  const text = latin1(content);
  let total = 0;
  for (const m of text.matchAll(/(?:^|[\s\]>)}])BI\s([\s\S]{0,2000}?)\sID\s/g)) {
    const dictionary = (m[1] ?? '').replace(/\/F(?=[\s[/])/, '/Filter');
    const filters = filterNames(dictionary);
    if (filters.length === 0) continue;
    total += await decodedSize(
      content.subarray((m.index ?? 0) + m[0].length),
      filters,
      dictionary,
      limit - total,
    );
    if (total > limit) return total;
  }
  return total;
}

/** What the first compressing filter of the chain outputs; the ASCII encodings before it are undone. */
async function decodedSize(
  input: Uint8Array,
  filters: readonly string[],
  dictionary: string,
  limit: number,
): Promise<number> {
  let data = input;
  for (const filter of filters) {
    switch (filter) {
      case 'ASCIIHexDecode':
      case 'AHx':
        data = asciiHexDecode(data);
        break;
      case 'ASCII85Decode':
      case 'A85':
        data = ascii85Decode(data);
        break;
      case 'FlateDecode':
      case 'Fl':
        return inflatedSize(data, false, limit);
      case 'LZWDecode':
      case 'LZW':
        return lzwDecodedSize(data, /\/EarlyChange\s+0\b/.test(dictionary) ? 0 : 1, limit);
      case 'RunLengthDecode':
      case 'RL':
        return runLengthDecodedSize(data, limit);
      default:
        return 0;
    }
  }
  return 0;
}

const isWhite = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0;

/** ASCIIHexDecode, up to its end mark `>` (or anything that is not hex). */
function asciiHexDecode(data: Uint8Array): Uint8Array {
  const out = Buffer.alloc(Math.ceil(data.length / 2));
  let n = 0;
  let high = -1;
  for (const c of data) {
    if (isWhite(c)) continue;
    const digit =
      c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1;
    if (digit < 0) break;
    if (high < 0) high = digit;
    else {
      out[n++] = high * 16 + digit;
      high = -1;
    }
  }
  if (high >= 0) out[n++] = high * 16;
  return out.subarray(0, n);
}

/** ASCII85Decode, up to its end mark `~>` (or anything outside the alphabet). */
function ascii85Decode(data: Uint8Array): Uint8Array {
  const out = Buffer.alloc(Math.ceil(data.length / 5) * 4 + 4);
  let n = 0;
  const group: number[] = [];
  const flush = (count: number) => {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 85 + (group[i] ?? 84);
    for (let i = 0; i < count - 1; i++) out[n++] = (value >>> (24 - 8 * i)) & 0xff;
    group.length = 0;
  };
  for (const c of data) {
    if (isWhite(c)) continue;
    if (c === 0x7a && group.length === 0) {
      n += 4; // 'z': four zero bytes (the buffer is zeroed)
      continue;
    }
    if (c < 0x21 || c > 0x75) break;
    group.push(c - 0x21);
    if (group.length === 5) flush(5);
  }
  if (group.length > 1) flush(group.length);
  return out.subarray(0, Math.min(n, out.length));
}

/**
 * What LZWDecode outputs, as pdf.js decodes it (codes of 9 to 12 bits, most significant bit
 * first; 256 clears the table, 257 ends; a code past the table repeats the last string and its
 * first byte), from the lengths of the table's strings alone.
 */
export function lzwDecodedSize(data: Uint8Array, earlyChange: 0 | 1, limit: number): number {
  const lengths = new Uint16Array(4096).fill(1, 0, 256);
  let nextCode = 258;
  let codeLength = 9;
  let previous = 0;
  let current = 0; // the length of the last code's string; 0 after a clear
  let total = 0;
  let buffer = 0;
  let bits = 0;
  let at = 0;
  for (;;) {
    while (bits < codeLength) {
      if (at >= data.length) return total;
      buffer = ((buffer << 8) | (data[at++] ?? 0)) & 0xffffff;
      bits += 8;
    }
    const code = (buffer >>> (bits - codeLength)) & ((1 << codeLength) - 1);
    bits -= codeLength;
    if (code === 256) {
      nextCode = 258;
      codeLength = 9;
      current = 0;
      continue;
    }
    if (code === 257) return total;
    const hasPrevious = current > 0;
    const length = code < 256 ? 1 : code < nextCode ? (lengths[code] ?? 1) : current + 1;
    if (hasPrevious) {
      if (nextCode < 4096) lengths[nextCode] = (lengths[previous] ?? 1) + 1;
      nextCode++;
      const next = nextCode + earlyChange;
      if ((next & (next - 1)) === 0) codeLength = Math.min(Math.log2(next) + 1, 12);
    }
    previous = code;
    current = length;
    total += length;
    if (total > limit) return total;
  }
}

/** What RunLengthDecode outputs: a length byte n copies n + 1 bytes (n < 128), or repeats one 257 − n times. */
function runLengthDecodedSize(data: Uint8Array, limit: number): number {
  let total = 0;
  for (let at = 0; at < data.length && total <= limit; ) {
    const n = data[at] ?? 128;
    if (n === 128) break;
    if (n < 128) {
      total += n + 1;
      at += n + 2;
    } else {
      total += 257 - n;
      at += 2;
    }
  }
  return total;
}
