import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import type { Problem, ProblemCode } from './types.ts';

export type Encoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export type DecodeResult = { ok: true; text: string; encoding: Encoding } | { ok: false; problem: Problem };

type Utf16 = 'utf-16le' | 'utf-16be';

const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** U+FFFD in UTF-8. */
const REPLACEMENT_BYTES = Buffer.from([0xef, 0xbf, 0xbd]);

/**
 * Bytes to text. Reports come as UTF-8 (with or without BOM) or GBK/GB18030; GB18030
 * is a superset of GBK, so one decoder covers both. A file that starts with a UTF-16
 * byte-order mark (Notepad's "Unicode", Excel's "Unicode Text") is UTF-16 in the byte
 * order the mark names. Anything that is none of these, or that looks binary, is refused
 * rather than decoded into garbage.
 */
const utf8Decoder = new TextDecoder('utf-8');
const utf16Decoders: Record<Utf16, TextDecoder> = {
  'utf-16le': new TextDecoder('utf-16le', { ignoreBOM: true }),
  'utf-16be': new TextDecoder('utf-16be', { ignoreBOM: true }),
};
const UTF16_NAMES: Record<Utf16, string> = {
  'utf-16le': 'UTF-16 (little-endian)',
  'utf-16be': 'UTF-16 (big-endian)',
};

const refusal = (code: ProblemCode, message: string): DecodeResult => ({
  ok: false,
  problem: { code, severity: 'error', message },
});

const EMPTY = refusal('EMPTY_FILE', 'The file is empty. Expected the text of a 政府信息公开工作年度报告.');

const isBlankText = (text: string) => /^[ \n\r\t]*$/.test(text);

/** A control character no text report holds (ESC is let through). */
const isControl = (c: number) => c < 0x09 || (c > 0x0d && c < 0x20 && c !== 0x1b);

/**
 * Whether bytes or character codes hold NUL, or more than 1% control characters. Bytes are read
 * without a callback: every report passes here, and a call per byte was a twentieth of parsing.
 */
function looksBinary(codes: Uint8Array | string): boolean {
  let controls = 0;
  if (typeof codes === 'string') {
    for (let i = 0; i < codes.length; i++) {
      const c = codes.charCodeAt(i);
      if (c === 0) return true;
      if (isControl(c)) controls++;
    }
  } else {
    const length = codes.length;
    for (let i = 0; i < length; i++) {
      const c = codes[i] as number;
      if (c >= 0x20) continue;
      if (c === 0) return true;
      if (isControl(c)) controls++;
    }
  }
  return controls / codes.length > 0.01;
}

function countReplacementChars(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) count++;
  return count;
}

/**
 * How many invalid places a text may have and still be read, each left visible as U+FFFD: a file
 * cut mid-character or with a few damaged bytes has a handful; a file in another encoding has
 * them almost everywhere.
 */
const tolerableInvalid = (text: string) => Math.max(4, text.length / 500);

/** The UTF-16 byte order a byte-order mark at the start names; null without one. */
function utf16Bom(bytes: Uint8Array): Utf16 | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * Whether bytes without a byte-order mark look like UTF-16 text: of each ASCII character (digits,
 * tabs, line breaks, HTML tags) one byte is zero, so zeros gather at the odd (little-endian) or
 * the even (big-endian) offsets, and the sample decoded in that byte order is text.
 */
function looksLikeUtf16(sample: Uint8Array): boolean {
  const pairs = Math.floor(sample.length / 2);
  if (pairs < 16) return false;
  // A report is mostly Chinese, with few ASCII characters to give zeros: decoded in its byte
  // order it reads as Chinese, ASCII and CJK punctuation almost throughout, where binary so
  // decoded is a third Chinese at most.
  const whole = sample.subarray(0, pairs * 2);
  if ((['utf-16le', 'utf-16be'] as const).some((order) => readsAsText(utf16Decoders[order].decode(whole))))
    return true;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < pairs * 2; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  const order: Utf16 = odd >= even ? 'utf-16le' : 'utf-16be';
  const [most, least] = odd >= even ? [odd, even] : [even, odd];
  if (most < pairs / 10 || least > most / 4) return false;
  const text = utf16Decoders[order].decode(sample.subarray(0, pairs * 2));
  return !looksBinary(text) && countReplacementChars(text) <= 2;
}

const PLAIN = /[\t\n\r\x20-\x7e\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/g;
const readsAsText = (text: string) => (text.match(PLAIN)?.length ?? 0) >= text.length * 0.9;

/** The text after a UTF-16 byte-order mark; refused if it is not UTF-16 text. */
function decodeUtf16(bytes: Uint8Array, encoding: Utf16): DecodeResult {
  const name = UTF16_NAMES[encoding];
  const text = utf16Decoders[encoding].decode(bytes.subarray(2));
  if (isBlankText(text)) return EMPTY;
  // UTF-32LE's mark begins with UTF-16LE's; its text read as UTF-16 is full of NULs.
  const sample = text.slice(0, 8192);
  if (looksBinary(sample)) {
    return refusal(
      'BINARY_FILE',
      `The file starts with the byte-order mark of ${name} text, but what follows is not text in it (a UTF-32 file, or a binary one). Expected a report as text (UTF-8, GBK or UTF-16), an HTML page, a Word (.docx or .doc) or a PDF file; a text file can be saved again as UTF-8.`,
    );
  }
  // An odd last byte or a lone surrogate (a file cut short, a damaged byte) stays visible as U+FFFD.
  if (countReplacementChars(text) > tolerableInvalid(text)) {
    return refusal(
      'UNDECODABLE',
      `The file starts with the byte-order mark of ${name} text but is not valid ${name}. Re-save it as UTF-8.`,
    );
  }
  return { ok: true, text, encoding };
}

function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  }
  return true;
}

export function decodeReport(bytes: Uint8Array): DecodeResult {
  const utf16 = utf16Bom(bytes);
  if (utf16) return decodeUtf16(bytes, utf16);
  if (bytes.length === 0 || isBlank(bytes)) return EMPTY;
  const sample = bytes.subarray(0, 8192);
  if (looksBinary(sample)) {
    return looksLikeUtf16(sample)
      ? refusal(
          'UNDECODABLE',
          'The file looks like UTF-16 text without a byte-order mark, whose byte order cannot be told for certain. Open it and save it as UTF-8.',
        )
      : refusal(
          'BINARY_FILE',
          'The file is binary and not a format that can be read (a damaged Word or PDF file, an archive or a picture look so). Expected a report as text (UTF-8, GBK or UTF-16), an HTML page, a Word (.docx or .doc) or a PDF file; a damaged one opened and saved again in Word or a PDF reader can be read.',
        );
  }
  const hasBom = UTF8_BOM.every((b, i) => bytes[i] === b);
  const body = hasBom ? bytes.subarray(3) : bytes;
  const utf8 = utf8Decoder.decode(body);
  // A GBK file read as UTF-8 is invalid almost everywhere; a UTF-8 file cut mid-character
  // or with a few damaged bytes is invalid in a handful of places, which stay visible as U+FFFD.
  // Valid UTF-8 without U+FFFD's bytes (EF BF BD) decodes to none: most files are told so by
  // native scans of their bytes, not by a search of their text.
  if (
    (isUtf8(body) &&
      Buffer.from(body.buffer, body.byteOffset, body.byteLength).indexOf(REPLACEMENT_BYTES) < 0) ||
    countReplacementChars(utf8) <= tolerableInvalid(utf8)
  )
    return { ok: true, text: utf8, encoding: 'utf-8' };
  const text = iconv.decode(Buffer.from(body), 'gb18030');
  if (text.includes('\ufffd')) {
    return refusal(
      'UNDECODABLE',
      'The file is neither valid UTF-8 nor GBK/GB18030 text. Re-save it as UTF-8.',
    );
  }
  return { ok: true, text, encoding: 'gb18030' };
}
