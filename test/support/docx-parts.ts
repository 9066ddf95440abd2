/**
 * The report fixture's Word file taken apart into its parts and put back with document.xml and
 * styles.xml edited, parts added: how the tests of what Word shows (hidden, struck, coloured
 * text) build their variants. report-docx.ts edits document.xml alone.
 */
import { createRequire } from 'node:module';
import { crc32, deflateRawSync } from 'node:zlib';
import { expect } from 'vitest';
import { type DocumentParseResult, parseDocument } from '../../src/ingest/document.ts';
import type { ParsedReport } from '../../src/ingest/types.ts';
import { cellsOf, REPORT_DOCX } from './report-docx.ts';
import { type ZipEntry, zipArchive } from './zip.ts';

/** The ZIP library mammoth reads .docx files with, to take the fixture apart. */
interface Zip {
  files: Record<string, { dir: boolean; async(type: 'nodebuffer'): Promise<Buffer> }>;
}
const JSZip = createRequire(createRequire(import.meta.url).resolve('mammoth'))('jszip') as {
  loadAsync(data: Buffer): Promise<Zip>;
};

export type Edit = (xml: string) => string;

const deflated = (name: string, content: string | Buffer): ZipEntry => {
  const data = Buffer.from(content);
  return { name, data: deflateRawSync(data), method: 8, crc: crc32(data), uncompressedSize: data.length };
};

/** The parts of the full report's .docx (a table of every figure, styles, relationships). */
export async function reportDocxParts(): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(REPORT_DOCX);
  const parts = new Map<string, Buffer>();
  for (const [name, entry] of Object.entries(zip.files)) {
    if (!entry.dir) parts.set(name, await entry.async('nodebuffer'));
  }
  return parts;
}

/** The report's .docx with its document.xml and styles.xml changed (each edit must change it), and parts added. */
export function rebuiltDocx(
  parts: ReadonlyMap<string, Buffer>,
  change: { document?: Edit; styles?: Edit; added?: Record<string, string> },
) {
  const changed = (name: string, content: Buffer) => {
    const edit =
      name === 'word/document.xml' ? change.document : name === 'word/styles.xml' ? change.styles : null;
    if (!edit) return content;
    const after = edit(content.toString('utf8'));
    expect(after, `${name} changed`).not.toBe(content.toString('utf8'));
    return after;
  };
  const added = Object.entries(change.added ?? {}).map(([name, xml]) => deflated(name, xml));
  return zipArchive([
    ...[...parts].map(([name, content]) => deflated(name, changed(name, content))),
    ...added,
  ]);
}

/** A run of `text` with these run properties. */
export const run = (rPr: string, text: string) => `<w:r><w:rPr>${rPr}</w:rPr><w:t>${text}</w:t></w:r>`;

/** What must not change when unseen text is added: every cell's status and exact value. */
export const numbers = cellsOf;

/** The parsed report, or the parse's problems thrown. */
export function reportOf(parsed: DocumentParseResult): ParsedReport {
  if (!parsed.result.ok) throw new Error(parsed.result.problems.map((p) => p.message).join('\n'));
  return parsed.result.report;
}

/**
 * The fixture's figures read strictly, and a check that an edited file reads the same figures,
 * giving its report for further checks.
 */
export async function unalteredFigures() {
  const reference = numbers(reportOf(await parseDocument(REPORT_DOCX)));
  expect(reference.filter((c) => c.status === 'REPORTED')).toHaveLength(200);
  return async (docx: Uint8Array) => {
    const report = reportOf(await parseDocument(docx));
    expect(numbers(report)).toEqual(reference);
    return report;
  };
}
