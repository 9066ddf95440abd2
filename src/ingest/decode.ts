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
export function decodeReport(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0 || bytes.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) {
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
  const controls = sample.filter((b) => b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)).length;
  if (sample.includes(0) || controls / sample.length > 0.01) {
    return {
      ok: false,
      problem: {
        code: 'BINARY_FILE',
        severity: 'error',
        message:
          'The file is binary, not text. Expected report text (UTF-8 or GBK); convert PDF or Word files to text first.',
      },
    };
  }
  const hasBom = UTF8_BOM.every((b, i) => bytes[i] === b);
  const body = hasBom ? bytes.subarray(3) : bytes;
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    // Not valid UTF-8: fall through to GB18030.
  }
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
