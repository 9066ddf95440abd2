/**
 * The report fixture as a Word .docx, taken apart and put back with its document.xml edited: how
 * the .docx tests build the files Word and other programs write.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import { type DocumentParseResult, parseDocument } from '../../src/ingest/document.ts';
import type { ParsedReport } from '../../src/ingest/types.ts';

/** The ZIP library mammoth reads .docx files with, to take the fixture apart and put it back. */
interface Zip {
  file(path: string): { async(type: 'string'): Promise<string> } | null;
  file(path: string, data: string): Zip;
  generateAsync(options: { type: 'uint8array'; compression: 'DEFLATE' }): Promise<Uint8Array>;
}
const JSZip = createRequire(createRequire(import.meta.url).resolve('mammoth'))('jszip') as {
  loadAsync(data: Buffer): Promise<Zip>;
};

export const REPORT_DOCX = readFileSync(new URL('../fixtures/formats/report.docx', import.meta.url));

/** A part of the fixture (word/document.xml, its relationships …). */
export async function reportPart(path = 'word/document.xml'): Promise<string> {
  const file = (await JSZip.loadAsync(REPORT_DOCX)).file(path);
  if (!file) throw new Error(`the fixture has no ${path}`);
  return file.async('string');
}

/** The report's .docx with its document.xml (`xml`) changed by `edit`, and other parts put in. */
export async function editedDocx(
  xml: string,
  edit: (xml: string) => string,
  parts: Record<string, string> = {},
): Promise<Uint8Array> {
  const after = edit(xml);
  expect(after, 'document.xml changed').not.toBe(xml);
  const zip = await JSZip.loadAsync(REPORT_DOCX);
  zip.file('word/document.xml', after);
  for (const [path, content] of Object.entries(parts)) zip.file(path, content);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** Where the n-th cell (w:tc) of the row labelled `label` is, the label's own cell being 0. */
export function cellAt(xml: string, label: string, n: number): [number, number] {
  expect(xml.split(label), label).toHaveLength(2);
  const cells = /<w:tc>[\s\S]*?<\/w:tc>/g;
  cells.lastIndex = xml.lastIndexOf('<w:tc>', xml.indexOf(label));
  let cell: RegExpExecArray | null = null;
  for (let i = 0; i <= n; i++) cell = cells.exec(xml);
  if (!cell) throw new Error(`no cell ${n} in the row ${label}`);
  return [cell.index, cell.index + cell[0].length];
}

/** The row's n-th cell holding these paragraphs (w:p elements) instead of its own. */
export const cellHolding =
  (label: string, n: number, ...paragraphs: string[]) =>
  (xml: string): string => {
    const [start, end] = cellAt(xml, label, n);
    const cell = xml
      .slice(start, end)
      .replace(/(<\/w:tcPr>)[\s\S]*(<\/w:tc>)$/, `$1${paragraphs.join('')}$2`);
    return xml.slice(0, start) + cell + xml.slice(end);
  };

/** Table 3's first two row labels, as report.docx prints them. */
export const NEW_REQUESTS = '一、本年新收政府信息公开申请数量';
export const CARRIED_OVER = '二、上年结转政府信息公开申请数量';

export const cellsOf = (report: ParsedReport) =>
  report.cells.map((c) => ({ code: c.code, status: c.status, value: c.value }));

/** The file parsed, gaps allowed. */
export async function read(docx: Uint8Array) {
  const { result } = await parseDocument(docx, { allowPartial: true });
  return result;
}

export function reportOf(result: DocumentParseResult['result']): ParsedReport {
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.report;
}

/**
 * The fixture's cells as read unaltered (every one of its 200 figures, no gap), and a check that
 * an edited file reads the same.
 */
export async function unalteredReading() {
  const report = reportOf(await read(REPORT_DOCX));
  const reference = cellsOf(report);
  expect(report.gaps).toEqual([]);
  expect(reference.filter((c) => c.status === 'REPORTED')).toHaveLength(200);
  const expectUnaltered = async (docx: Uint8Array) => {
    const edited = reportOf(await read(docx));
    expect(cellsOf(edited)).toEqual(reference);
    expect(edited.gaps).toEqual([]);
  };
  return { reference, expectUnaltered };
}
