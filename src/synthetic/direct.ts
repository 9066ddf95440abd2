/**
 * Generated reports straight into the bulk store, for benchmark databases of a million
 * reports: the generator already knows every figure, so parsing its own text back (the
 * slowest step of an import) is skipped. Figures are read cell by cell with the parser's own
 * cell reader, so the stored figures equal what importing the rendered text stores (tested);
 * the source text is rendered and stored as an import would. Not stored this way: source lines
 * and the narrative (so no narrative findings), which no comparison reads.
 */
import { cellsOfVersion } from '../catalogue/cells.ts';
import { readCell } from '../ingest/text.ts';
import type { ParsedCell, ParsedReport } from '../ingest/types.ts';
import type { BatchReport } from '../store/bulk-import.ts';
import { sha256Hex } from '../store/sha256.ts';
import { type SyntheticOptions, type SyntheticReport, syntheticReports } from './index.ts';

const encoder = new TextEncoder();

function cellOf(code: string, printed: string | undefined): ParsedCell {
  const raw = printed ?? '';
  const read = readCell(raw);
  if (read.kind === 'number')
    return { code, status: 'REPORTED', value: read.value, rawText: raw, line: null };
  if (read.kind === 'not-reported')
    return { code, status: 'NOT_REPORTED', value: null, rawText: raw, line: null };
  return { code, status: 'UNREADABLE', value: null, rawText: raw, line: null };
}

/** The parsed form of a generated report, without parsing its text. */
export function directReport(r: SyntheticReport): ParsedReport {
  return {
    templateVersion: r.templateVersion,
    templateEvidence: [],
    agencyName: r.agency.name,
    year: r.year,
    title: `${r.year}年政府信息公开工作年度报告`,
    publishedOn: null,
    contact: {},
    narrative: [],
    cells: cellsOfVersion(r.templateVersion).map((cell) => cellOf(cell.code, r.figures.get(cell.code))),
    gaps: [],
    warnings: [],
    extras: [],
    synthetic: true,
  };
}

/** Generated reports as batches for storeBatch, `batchSize` at a time. */
export function* directBatches(options: SyntheticOptions, batchSize: number): Generator<BatchReport[]> {
  let batch: BatchReport[] = [];
  for (const r of syntheticReports(options)) {
    const bytes = encoder.encode(r.text);
    batch.push({
      source: { bytes, fileName: r.fileName },
      report: directReport(r),
      format: 'text',
      encoding: 'utf-8',
      checksum: sha256Hex(bytes),
    });
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
