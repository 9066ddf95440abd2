/**
 * The real Huai'an report (../shared/fixtures/real-reports/huaian-szf-2024.pdf) with page 3's
 * content stream edited, as the PDF tests alter it: the stream is inflated, edited, and the page
 * saved again as an incremental update (a new copy of the stream and a cross-reference section
 * for it appended), so the file stays valid.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';
import { expect } from 'vitest';
import type { ParsedCell, ParseResult } from '../../src/ingest/types.ts';
import expected from '../ingest/real-documents/expected/huaian-szf-2024.ts';
import type { ExpectedCell } from '../ingest/real-documents/expected-types.ts';

export const HUAIAN_PDF = fileURLToPath(
  new URL('../../../shared/fixtures/real-reports/huaian-szf-2024.pdf', import.meta.url),
);

/**
 * The file with page 3's content stream edited. The page's text is drawn in blocks such as
 * `BT … /FT8 281 Tf … 0.05 0 0 -0.05 341.759 596.809 Tm\r<0015>Tj 141.594 -0 TD<0019>Tj\nET`
 * (the figure 26: glyph 0015 is 2, 0019 is 6; a text-space unit is 0.05 pt, a digit 141.594
 * units wide): one Tm or TD placing each Tj.
 */
export function withPage3(edit: (content: string) => string, more: PageObjects = {}): Uint8Array {
  const bytes = readFileSync(HUAIAN_PDF);
  const text = bytes.toString('latin1');
  const kids = /\/Kids\s*\[([^\]]*)\]/.exec(text)?.[1]?.match(/\d+(?= 0 R)/g) ?? [];
  const page = text.slice(text.indexOf(`\n${kids[2]} 0 obj`));
  const contents = /\/Contents (\d+) 0 R/.exec(page)?.[1];
  const at = text.indexOf(`\n${contents} 0 obj`);
  const dictionary = text.slice(at, text.indexOf('stream', at));
  const start = text.indexOf('stream', at) + 'stream'.length;
  const data = start + (text[start] === '\r' ? 2 : 1);
  const length = Number(/\/Length (\d+)/.exec(dictionary)?.[1]);
  const content = inflateSync(bytes.subarray(data, data + length)).toString('latin1');
  const edited = edit(content);
  expect(edited).not.toBe(content);
  // The incremental update: the stream again under its own number, and a cross-reference
  // section pointing to it whose trailer points back to the file's own.
  const stream = deflateSync(Buffer.from(edited, 'latin1'));
  const object = Buffer.concat([
    Buffer.from(`${contents} 0 obj\n<</Filter /FlateDecode/Length ${stream.length}>>\nstream\n`, 'latin1'),
    stream,
    Buffer.from('\nendstream\nendobj\n', 'latin1'),
  ]);
  const previous = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1];
  const root = /\/Root (\d+) 0 R/.exec(text)?.[1];
  const size = Math.max(...[...text.matchAll(/(\d+) 0 obj/g)].map((m) => Number(m[1]))) + 1;
  // Objects after the stream: the page's and the catalogue's dictionaries edited, and new ones
  // numbered from `size` on.
  const dictionaryOf = (num: string | undefined) => {
    const from = text.indexOf(`\n${num} 0 obj`);
    return text.slice(text.indexOf('<<', from), text.indexOf('endobj', from)).trim();
  };
  const others: [number, string][] = (more.objects ?? []).map((body, i) => [size + i, body]);
  if (more.page) others.push([Number(kids[2]), more.page(dictionaryOf(kids[2]))]);
  if (more.catalogue) others.push([Number(root), more.catalogue(dictionaryOf(root))]);
  let offset = bytes.length + 1;
  const pieces = [Buffer.from('\n', 'latin1'), object];
  const entries = [`${contents} 1\n${String(offset).padStart(10, '0')} 00000 n \n`];
  offset += object.length;
  for (const [num, body] of others) {
    const piece = Buffer.from(`${num} 0 obj\n${body}\nendobj\n`, 'latin1');
    entries.push(`${num} 1\n${String(offset).padStart(10, '0')} 00000 n \n`);
    pieces.push(piece);
    offset += piece.length;
  }
  const xref =
    `xref\n0 1\n0000000000 65535 f \n${entries.join('')}` +
    `trailer\n<</Size ${size + (more.objects?.length ?? 0)}/Root ${root} 0 R/Prev ${previous}>>\nstartxref\n${offset}\n%%EOF\n`;
  return Buffer.concat([bytes, ...pieces, Buffer.from(xref, 'latin1')]);
}

/**
 * What else an edit of page 3 changes: its page dictionary, the document's catalogue, and
 * objects added (numbered from the file's highest object number plus one on, in order; see
 * `firstNewObject`).
 */
export interface PageObjects {
  page?: (dictionary: string) => string;
  catalogue?: (dictionary: string) => string;
  objects?: string[];
}

/** The number the first object added by withPage3 gets. */
export function firstNewObject(): number {
  const text = readFileSync(HUAIAN_PDF).toString('latin1');
  return Math.max(...[...text.matchAll(/(\d+) 0 obj/g)].map((m) => Number(m[1]))) + 1;
}

/** Each text block (BT … ET) of a content stream, through `edit`. */
export const eachBlock = (edit: (block: string) => string) => (content: string) =>
  content.replace(/BT\r[\s\S]*?ET/g, edit);

/** The parsed cell in the transcription's terms (as in real-documents.test.ts). */
export function asExpected(cell: ParsedCell | undefined): ExpectedCell | 'MISSING' {
  if (!cell || cell.status === 'MISSING') return 'MISSING';
  if (cell.status === 'UNREADABLE') return { unreadable: [...(cell.candidates ?? [])].sort() };
  if (cell.status === 'NOT_REPORTED') return cell.rawText === '' ? 'BLANK' : 'NOT_REPORTED';
  return cell.value ?? 'MISSING';
}

/** Every figure of the Huai'an report read, beside its transcription with `changed` cells changed. */
export function figuresBeside(result: ParseResult, changed: Record<string, ExpectedCell> = {}) {
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  const byCode = new Map(result.report.cells.map((c) => [c.code, c]));
  const truth = { ...expected.cells, ...changed };
  return {
    read: Object.fromEntries(Object.keys(truth).map((code) => [code, asExpected(byCode.get(code))])),
    truth,
    gaps: result.report.gaps,
  };
}
