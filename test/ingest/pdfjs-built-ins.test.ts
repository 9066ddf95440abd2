/**
 * Reading a PDF loads pdf.js, whose legacy build brings core-js; the built-ins it replaced for
 * the whole process (Array.prototype.push 7 to 8 times slower, JSON.parse) are put back, so the
 * reports parsed after a PDF, and the server around it, run on Node's own.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';

const PDF = fileURLToPath(new URL('../fixtures/formats/report.pdf', import.meta.url));

it('a PDF read leaves Node’s built-ins as they were, and the next PDF reads the same', async () => {
  const own = () => [Array.prototype.push, JSON.parse, Function.prototype.toString, Object.assign];
  const before = own();
  const first = await parseDocument(new Uint8Array(readFileSync(PDF)));
  expect(first.result.ok).toBe(true);
  expect(own().map((f, i) => f === before[i])).toEqual([true, true, true, true]);
  const again = await parseDocument(new Uint8Array(readFileSync(PDF)));
  expect(again.result.ok && again.result.report.cells).toEqual(first.result.ok && first.result.report.cells);
  // What Node 20 lacks and pdf.js uses is still there.
  expect(typeof (Promise as { withResolvers?: unknown }).withResolvers).toBe('function');
});
