import iconv from 'iconv-lite';
import type { Problem } from './types.ts';

export type Encoding = 'utf-8' | 'gb18030';

export type DecodeResult = { ok: true; text: string; encoding: Encoding } | { ok: false; problem: Problem };

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Bytes to text. Reports come as UTF-8 (with or without BOM) or GBK/GB18030; GB18030
 * is a superset of GBK, so one decoder covers both. Anything that is neither, or that
 * looks binary, is refused rather than decoded into garbage.
 */
const utf8Decoder = new TextDecoder('utf-8');

function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  }
  return true;
}

function countControlBytes(sample: Uint8Array): { nul: boolean; controls: number } {
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i] as number;
    if (b === 0) return { nul: true, controls };
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) controls++;
  }
  return { nul: false, controls };
}

function countReplacementChars(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) count++;
  return count;
}

export function decodeReport(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0 || isBlank(bytes)) {
    return {
      ok: false,
      problem: {
        code: 'EMPTY_FILE',
        severity: 'error',
        message: 'The file is empty. Expected the text of a 政府信息公开工作年度报告.',
      },
    };
  }
  const sample = bytes.subarray(0, 8192);
  const { nul, controls } = countControlBytes(sample);
  if (nul || controls / sample.length > 0.01) {
    return {
      ok: false,
      problem: {
        code: 'BINARY_FILE',
        severity: 'error',
        message:
          'The file is binary and not a format that can be read. Expected a report as text (UTF-8 or GBK), an HTML page, a Word (.docx) or a PDF file.',
      },
    };
  }
  const hasBom = UTF8_BOM.every((b, i) => bytes[i] === b);
  const body = hasBom ? bytes.subarray(3) : bytes;
  const utf8 = utf8Decoder.decode(body);
  const invalid = countReplacementChars(utf8);
  // A GBK file read as UTF-8 is invalid almost everywhere; a UTF-8 file cut mid-character
  // or with a few damaged bytes is invalid in a handful of places, which stay visible as U+FFFD.
  if (invalid <= Math.max(4, utf8.length / 500)) return { ok: true, text: utf8, encoding: 'utf-8' };
  const text = iconv.decode(Buffer.from(body), 'gb18030');
  if (text.includes('\ufffd')) {
    return {
      ok: false,
      problem: {
        code: 'UNDECODABLE',
        severity: 'error',
        message: 'The file is neither valid UTF-8 nor GBK/GB18030 text. Re-save it as UTF-8.',
      },
    };
  }
  return { ok: true, text, encoding: 'gb18030' };
}
