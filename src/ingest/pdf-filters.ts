/**
 * What a chain of PDF stream filters decodes to, stage by stage as pdf.js decodes it, counted
 * with a ceiling. pdf.js holds each stage's output whole, so every stage counts: a stream deflated
 * twice (10 kB → 10 MB → 10 GB) is counted past its first 10 MB. A stage's output is kept only when
 * another stage reads it or the caller needs it (a content stream's inline images), and only
 * while the count is within the limit.
 */
import { createInflate } from 'node:zlib';
import { inflatedSize } from './limits.ts';

/** Image codecs: pdf.js does not decode them here (no page is painted), nor what follows them. */
const IMAGE_CODECS = new Set([
  'DCTDecode',
  'DCT',
  'JPXDecode',
  'JPX',
  'CCITTFaxDecode',
  'CCF',
  'JBIG2Decode',
]);

export interface Decoded {
  /** What all the stages output, in all; Infinity once past the limit. */
  size: number;
  /** The last stage's output, when asked for and the chain was decoded to its end. */
  bytes: Uint8Array | null;
}

/**
 * `filters` in the order they apply. A name pdf.js does not know passes the data through, as
 * pdf.js does (and the next filter still applies). `earlyChange`: LZW's parameter as the
 * dictionary states it, when it states one.
 */
export async function decodeChain(
  input: Uint8Array,
  filters: readonly string[],
  limit: number,
  keep: boolean,
  earlyChange?: 0 | 1,
): Promise<Decoded> {
  let data = input;
  let total = 0;
  for (let i = 0; i < filters.length; i++) {
    const filter = filters[i] ?? '';
    if (IMAGE_CODECS.has(filter)) return { size: total, bytes: null };
    const needed = keep || i < filters.length - 1;
    const left = limit - total;
    let size = 0;
    let out: Uint8Array | null = null;
    switch (filter) {
      case 'ASCIIHexDecode':
      case 'AHx':
        out = asciiHexDecode(data);
        break;
      case 'ASCII85Decode':
      case 'A85':
        out = ascii85Decode(data);
        break;
      case 'FlateDecode':
      case 'Fl':
        if (needed) out = await inflated(data, left);
        else size = await inflatedSize(data, false, left);
        break;
      case 'LZWDecode':
      case 'LZW':
        // Unstated, the count takes the larger reading: a wrong guess must not undercount.
        if (needed) out = lzwDecode(data, earlyChange ?? 1, left);
        else
          size =
            earlyChange === undefined
              ? Math.max(lzwDecodedSize(data, 1, left), lzwDecodedSize(data, 0, left))
              : lzwDecodedSize(data, earlyChange, left);
        break;
      case 'RunLengthDecode':
      case 'RL':
        if (needed) out = runLengthDecode(data, left);
        else size = runLengthDecodedSize(data, left);
        break;
      default:
        continue;
    }
    if (out !== null) size = out.length;
    total += size;
    if (total > limit || (needed && out === null)) return { size: Number.POSITIVE_INFINITY, bytes: null };
    if (out) data = out;
  }
  return { size: total, bytes: keep ? data : null };
}

/** Zlib data inflated, or null past `limit`; what inflated before a corrupt part is kept, as pdf.js keeps it. */
function inflated(data: Uint8Array, limit: number): Promise<Uint8Array | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const inflate = createInflate();
    const done = () => resolve(total > limit ? null : Buffer.concat(chunks));
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) inflate.destroy();
      else chunks.push(chunk);
    });
    inflate.on('end', done).on('close', done).on('error', done);
    inflate.end(data);
  });
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
 * LZW as pdf.js decodes it (codes of 9 to 12 bits, most significant bit first; 256 clears the
 * table, 257 ends; a code past the table repeats the last string and its first byte). `emit`
 * gets each code's string as its code and length; it answers false to stop.
 */
function lzwCodes(
  data: Uint8Array,
  earlyChange: 0 | 1,
  emit: (code: number, length: number, previous: number, hasPrevious: boolean) => boolean,
) {
  const lengths = new Uint16Array(4096).fill(1, 0, 256);
  let nextCode = 258;
  let codeLength = 9;
  let previous = 0;
  let current = 0; // the length of the last code's string; 0 after a clear
  let buffer = 0;
  let bits = 0;
  let at = 0;
  for (;;) {
    while (bits < codeLength) {
      if (at >= data.length) return;
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
    if (code === 257) return;
    const hasPrevious = current > 0;
    const length = code < 256 ? 1 : code < nextCode ? (lengths[code] ?? 1) : current + 1;
    if (!emit(code < nextCode ? code : -1, length, previous, hasPrevious)) return;
    if (hasPrevious) {
      if (nextCode < 4096) lengths[nextCode] = (lengths[previous] ?? 1) + 1;
      nextCode++;
      const next = nextCode + earlyChange;
      if ((next & (next - 1)) === 0) codeLength = Math.min(Math.log2(next) + 1, 12);
    }
    previous = code;
    current = length;
  }
}

/** What LZWDecode outputs, from the lengths of the table's strings alone. */
export function lzwDecodedSize(data: Uint8Array, earlyChange: 0 | 1, limit: number): number {
  let total = 0;
  lzwCodes(data, earlyChange, (_code, length) => {
    total += length;
    return total <= limit;
  });
  return total;
}

/** LZWDecode's output, or null past `limit`. */
function lzwDecode(data: Uint8Array, earlyChange: 0 | 1, limit: number): Uint8Array | null {
  const prefix = new Uint16Array(4096);
  const suffix = new Uint8Array(4096);
  for (let i = 0; i < 256; i++) suffix[i] = i;
  let out = Buffer.alloc(Math.min(limit + 1, Math.max(4096, data.length * 4)));
  let n = 0;
  let nextCode = 258;
  let over = false;
  lzwCodes(data, earlyChange, (code, length, previous, hasPrevious) => {
    if (n + length > limit) {
      over = true;
      return false;
    }
    if (n + length > out.length) {
      const grown = Buffer.alloc(Math.min(limit + 1, Math.max(out.length * 2, n + length)));
      out.copy(grown, 0, 0, n);
      out = grown;
    }
    if (code < 0) {
      // Past the table: the last string and its first byte.
      out.copyWithin(n, n - (length - 1), n);
      out[n + length - 1] = out[n - (length - 1)] ?? 0;
    } else {
      for (let k = length - 1, c = code; k >= 0; k--, c = prefix[c] ?? 0) out[n + k] = suffix[c] ?? 0;
    }
    if (!hasPrevious) nextCode = 258;
    else {
      if (nextCode < 4096) {
        prefix[nextCode] = previous;
        suffix[nextCode] = out[n] ?? 0;
      }
      nextCode++;
    }
    n += length;
    return true;
  });
  return over ? null : out.subarray(0, n);
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

/** RunLengthDecode's output, or null past `limit`. */
function runLengthDecode(data: Uint8Array, limit: number): Uint8Array | null {
  const size = runLengthDecodedSize(data, limit);
  if (size > limit) return null;
  const out = Buffer.alloc(size);
  let n = 0;
  for (let at = 0; at < data.length && n < size; ) {
    const length = data[at] ?? 128;
    if (length < 128) {
      out.set(data.subarray(at + 1, at + length + 2), n);
      n += length + 1;
      at += length + 2;
    } else {
      out.fill(data[at + 1] ?? 0, n, n + 257 - length);
      n += 257 - length;
      at += 2;
    }
  }
  return out;
}
