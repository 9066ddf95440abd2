/**
 * A generated dataset for comparing the aggregate path with the row path: agencies and
 * figures from src/synthetic (both template versions, real division codes and levels), with
 * a deterministic share of cells turned into what real reports print — "/" and blanks
 * (NOT_REPORTED), absent cells (MISSING), run-together cells (UNREADABLE), decimals, figures
 * past int4, negatives — and some reports with a zero denominator. Stored through the bulk
 * import's store (storeBatch), as a real import writes them.
 */
import { createHash } from 'node:crypto';
import { cellsOfVersion } from '../../src/catalogue/cells.ts';
import type { ParsedCell, ParsedReport } from '../../src/ingest/types.ts';
import { type BatchReport, loadRegionIndex, storeBatch } from '../../src/store/bulk-import.ts';
import type { Db } from '../../src/store/db.ts';
import { syntheticReports } from '../../src/synthetic/index.ts';

/** A small deterministic generator (so a failure reproduces). */
export function random(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

const ZEROED = ['T3.OUTCOMES_TOTAL', 'T4.REVIEW.TOTAL', 'T3.NEW_REQUESTS', 'T3.CARRIED_OVER'];

/** The cells of a generated report with blanks, "/", decimals and the rest mixed in by `next`. */
export function roughCells(
  version: ParsedReport['templateVersion'],
  printed: ReadonlyMap<string, string>,
  next: () => number,
  zeroDenominators: boolean,
): ParsedCell[] {
  const cells: ParsedCell[] = [];
  for (const cell of cellsOfVersion(version)) {
    let text = (printed.get(cell.code) ?? '0').replace(/^\+/, '');
    if (zeroDenominators && ZEROED.some((prefix) => cell.code.startsWith(prefix))) text = '0';
    const roll = next();
    const base = { code: cell.code, line: null };
    if (roll < 0.03) cells.push({ ...base, status: 'NOT_REPORTED', value: null, rawText: '/' });
    else if (roll < 0.05) cells.push({ ...base, status: 'NOT_REPORTED', value: null, rawText: '' });
    else if (roll < 0.07)
      continue; // absent: MISSING
    else if (roll < 0.08)
      cells.push({ ...base, status: 'UNREADABLE', value: null, rawText: '1213', candidates: ['12', '13'] });
    else if (roll < 0.1) {
      const decimal = text.includes('.') ? `${text}5` : `${text}.25`;
      cells.push({ ...base, status: 'REPORTED', value: decimal, rawText: decimal });
    } else if (roll < 0.105)
      cells.push({ ...base, status: 'REPORTED', value: '3000000007', rawText: '3000000007' });
    else if (roll < 0.11) cells.push({ ...base, status: 'REPORTED', value: '-3', rawText: '-3' });
    else cells.push({ ...base, status: 'REPORTED', value: text, rawText: text });
  }
  return cells;
}

export function parsedReport(
  agencyName: string,
  year: number,
  templateVersion: ParsedReport['templateVersion'],
  cells: ParsedCell[],
): ParsedReport {
  return {
    templateVersion,
    templateEvidence: [],
    agencyName,
    year,
    title: `${agencyName}${year}年政府信息公开工作年度报告`,
    publishedOn: null,
    contact: {},
    narrative: [],
    cells,
    gaps: [],
    warnings: [],
    extras: [],
    synthetic: true,
  };
}

export function batchReport(report: ParsedReport, salt: string): BatchReport {
  const bytes = new TextEncoder().encode(`${report.agencyName} ${report.year} ${salt}`);
  return {
    source: { bytes, fileName: `${report.agencyName}-${report.year}-${salt}.txt` },
    report,
    format: 'text',
    encoding: 'utf-8',
    checksum: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** Generates and stores `agencies` agencies × 2019–2024 in batches; returns the parsed reports. */
export async function seedRoughDataset(db: Db, agencies: number, seed = 7): Promise<ParsedReport[]> {
  const next = random(seed);
  const reports = [
    ...syntheticReports({ agencies, years: { from: 2019, to: 2024 }, seed, inconsistencyRate: 0 }),
  ].map((r) =>
    parsedReport(
      r.agency.name,
      r.year,
      r.templateVersion,
      roughCells(r.templateVersion, r.figures, next, next() < 0.08),
    ),
  );
  const finder = await loadRegionIndex(db);
  for (let i = 0; i < reports.length; i += 100) {
    await storeBatch(
      db,
      reports.slice(i, i + 100).map((r) => batchReport(r, 'v1')),
      finder,
      true,
    );
  }
  return reports;
}
