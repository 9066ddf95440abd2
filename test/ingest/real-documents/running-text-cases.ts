/**
 * Real running text to alter (the Pingtan department page dumped as one line, the Huai'an PDF's
 * text layer) and how the tests of its rows parse an altered copy.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';
import type { ParseResult } from '../../../src/ingest/types.ts';

export const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
export const realText = (name: string) =>
  existsSync(SHARED) ? readFileSync(`${SHARED}${name}`, 'utf8') : '';
export const gaj = realText('pingtan-gaj-2021.pagetxt.txt');
export const huaian = realText('huaian-szf-2024.pdftext.txt');

/** `text` with `from` (which it must hold) replaced by `to`, parsed, gaps allowed. */
export async function parse(text: string, from = '', to = ''): Promise<ParseResult> {
  expect(text).toContain(from);
  const { result } = await parseDocument(new TextEncoder().encode(text.replace(from, to)), {
    allowPartial: true,
  });
  return result;
}

/** Every cell as [code, status, value], or the problems of a refusal. */
export const figures = (result: ParseResult) =>
  result.ok ? result.report.cells.map((c) => [c.code, c.status, c.value]) : result.problems;
