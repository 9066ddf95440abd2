/**
 * Bulk import: sources are parsed (on worker threads when asked) while the previous batch is
 * stored, `batchSize` reports per transaction, for loading tens of thousands of reports.
 */
import type { DocumentParseResult } from '../ingest/document.ts';
import { createParsePool } from '../ingest/parse-pool.ts';
import type { ParseOptions } from '../ingest/parse-report.ts';
import type { ParsedReport, Problem } from '../ingest/types.ts';
import { storedAgencyKinds } from '../store/agency-identity.ts';
import type { AuditOf } from '../store/audit-log.ts';
import { type BatchOutcome, type BatchReport, loadRegionIndex, storeBatch } from '../store/bulk-import.ts';
import type { Db } from '../store/db.ts';
import { storedFindings } from '../store/findings.ts';
import { sha256 } from '../store/import-report.ts';
import { announceCommitted, type CommittedImport } from './committed.ts';
import { kindConflict, type ReportSource } from './import-report.ts';

export interface BulkImportOptions extends ParseOptions {
  /** Reports per transaction (default 500). */
  batchSize?: number;
  /** Parser threads (default 0: the calling thread). Parsing overlaps with storing. */
  jobs?: number;
  /** Mark newly created agencies as synthetic (generated data, not published reports). */
  synthetic?: boolean;
  /**
   * Keep each report's findings in its outcome (the stored revision's when UNCHANGED), for a
   * caller that says them per file. Off by default: an import of many batches would hold them all.
   */
  findings?: boolean;
  onBatch?: (progress: BulkProgress) => void;
  /**
   * Who imports, and the audit entry of each stored report (UNCHANGED too), written in its
   * batch's transaction. Rejections store nothing; the caller records them.
   */
  audit?: AuditOf<BatchOutcome>;
}

export interface BulkProgress {
  stored: number;
  unchanged: number;
  rejected: number;
}

export interface BulkResult extends BulkProgress {
  /** Files that could not be parsed, with the parser's problems. */
  rejections: { fileName: string; problems: Problem[] }[];
  /** Outcome per stored report, in input order within each batch. */
  outcomes: BatchOutcome[];
}

/**
 * Imports every source, `batchSize` reports per transaction. Sources that do not parse are
 * rejected (reported, nothing stored); identical bytes already stored are UNCHANGED. If a
 * batch fails as a whole, nothing of it is kept and the error is thrown.
 */
export async function bulkImport(
  db: Db,
  sources: Iterable<ReportSource> | AsyncIterable<ReportSource>,
  options: BulkImportOptions = {},
): Promise<BulkResult> {
  const batchSize = options.batchSize ?? 500;
  const pool = createParsePool(options.jobs ?? 0);
  const finder = await loadRegionIndex(db);
  const parseOptions: ParseOptions = {
    ...(options.allowPartial !== undefined ? { allowPartial: options.allowPartial } : {}),
    ...(options.agencyName !== undefined ? { agencyName: options.agencyName } : {}),
    ...(options.year !== undefined ? { year: options.year } : {}),
  };
  // Everything the result keeps is copied (detached, structuredClone), never cut from a document.
  const result: BulkResult = { stored: 0, unchanged: 0, rejected: 0, rejections: [], outcomes: [] };

  const parseBatch = async (batch: ReportSource[]): Promise<BatchReport[]> => {
    const parsed = await Promise.all(
      batch.map(async (source) => source.parsed ?? (await pool.parse(source.bytes, parseOptions))),
    );
    const reports = parsed.flatMap((p) => (p.result.ok ? [p.result.report] : []));
    // Each name is of the kind its stored agency is, else of its first report in the batch: a
    // published and a generated report of one name are never filed together.
    const kindOf = (report: ParsedReport) => (options.synthetic ?? false) || report.synthetic;
    const kinds = await storedAgencyKinds(db, [...new Set(reports.map((r) => r.agencyName))]);
    for (const report of reports)
      if (!kinds.has(report.agencyName)) kinds.set(report.agencyName, kindOf(report));
    const ok: BatchReport[] = [];
    for (const [i, outcome] of parsed.entries()) {
      const source = batch[i] as ReportSource;
      const report = outcome.result.ok ? outcome.result.report : null;
      const kind = report ? kinds.get(report.agencyName) : undefined;
      const stored = report && kind !== kindOf(report) ? kind : undefined;
      if (!outcome.result.ok || stored !== undefined) {
        const problems = outcome.result.ok
          ? [kindConflict(outcome.result.report, stored as boolean)]
          : outcome.result.problems;
        result.rejected++;
        result.rejections.push(structuredClone({ fileName: source.fileName, problems }));
        continue;
      }
      ok.push(toBatchReport(source, outcome));
    }
    return ok;
  };

  let pending: BatchReport[] = [];
  let storing: Promise<void> = Promise.resolve();
  const store = async (reports: BatchReport[]) => {
    const outcomes = await storeBatch(db, reports, finder, options.synthetic ?? false, options.audit);
    const committed: CommittedImport[] = [];
    for (const o of outcomes) {
      if (o.outcome === 'UNCHANGED') result.unchanged++;
      else {
        result.stored++;
        const { agencyId, agencyName, year, revisionNumber, outcome } = o;
        committed.push({ agencyId, agencyName, year, revisionNumber, outcome });
      }
      const { findings, ...kept } = o;
      result.outcomes.push({
        ...kept,
        fileName: detached(o.fileName),
        agencyName: detached(o.agencyName),
        ...(options.findings
          ? { findings: structuredClone(findings ?? (await storedFindings(db, o.revisionId))) }
          : {}),
      });
    }
    await announceCommitted(db, committed);
    options.onBatch?.({ stored: result.stored, unchanged: result.unchanged, rejected: result.rejected });
  };

  try {
    let batch: ReportSource[] = [];
    const flush = async () => {
      const parsed = await parseBatch(batch);
      batch = [];
      await storing;
      pending = parsed;
      storing = store(pending);
      // Surface a failed batch at the next flush instead of as an unhandled rejection.
      storing.catch(() => {});
    };
    for await (const source of sources) {
      batch.push(source);
      if (batch.length >= batchSize) await flush();
    }
    if (batch.length > 0) await flush();
    await storing;
  } finally {
    await pool.close();
  }
  return result;
}

/**
 * A copy of `text` that does not keep alive the string it was cut from. V8 shares the parent of
 * a substring of 13 characters or more, so an agency name read from a document held that whole
 * document's text: a result of 6,000 outcomes kept 17 MB, a million-report import would keep
 * gigabytes. The result lives as long as the import; the parsed reports do not.
 */
export const detached = (text: string): string => Buffer.from(text, 'utf8').toString('utf8');

function toBatchReport(source: ReportSource, outcome: DocumentParseResult): BatchReport {
  if (!outcome.result.ok) throw new Error('toBatchReport needs a parsed report');
  return {
    source,
    report: outcome.result.report,
    format: outcome.format ?? 'text',
    encoding: outcome.encoding ?? 'utf-8',
    checksum: sha256(source.bytes),
  };
}
