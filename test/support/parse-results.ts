import { parseDocument } from '../../src/ingest/document.ts';
import type { ParseResult } from '../../src/ingest/types.ts';

/** A parse's values by cell code, or null where it was refused. */
export const figures = (result: ParseResult) =>
  result.ok ? Object.fromEntries(result.report.cells.map((c) => [c.code, c.value])) : null;

/** Each refusal as [code, cell, text quoted]. */
export const refusals = (result: ParseResult) =>
  result.ok ? [] : result.problems.map((p) => [p.code, p.cellCode ?? null, p.text ?? null]);

/** The parse of `text` given as the UTF-8 bytes of a file. */
export const parsedText = async (text: string): Promise<ParseResult> =>
  (await parseDocument(new TextEncoder().encode(text))).result;
