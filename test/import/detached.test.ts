/**
 * What a bulk import's result keeps must not hold the documents it was read from: V8 shares
 * the parent of a long enough substring, so an agency name cut from a report kept the report's
 * whole text alive for as long as the result lived.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { detached } from '../../src/import/bulk-import.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** A 20-character piece of a fresh 64 MB text, as `keep` keeps it. */
function pieceOfText(keep: (piece: string) => string): string {
  // Built apart from the measuring frame, whose registers would otherwise hold the text too.
  const text = `${'政'.repeat(32 * 1024 * 1024)}${Math.random()}`;
  return keep(text.slice(100, 120));
}

/** Heap growth (MB) while the piece that `keep` returns is held. */
function heldBy(keep: (piece: string) => string): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = pieceOfText(keep);
  gc();
  gc();
  const grown = (process.memoryUsage().heapUsed - before) / 1e6;
  expect(kept).toHaveLength(20);
  return grown;
}

describe('detached', () => {
  it('keeps the piece, not the text it was cut from', () => {
    // The control: a plain substring holds the whole 64 MB text.
    expect(heldBy((piece) => piece)).toBeGreaterThan(50);
    expect(heldBy(detached)).toBeLessThan(5);
  });

  it('copies every character', () => {
    for (const text of [
      '',
      '中卫市科学技术局',
      '宁夏回族自治区中卫市沙坡头区人民政府办公室（本级）',
      'a\u0000b',
      '𠀋',
    ]) {
      expect(detached(text)).toBe(text);
    }
  });
});
