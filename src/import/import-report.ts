/**
 * Importing one report: the file name is checked, the source parsed (unless the caller
 * parsed it already) and stored as a revision in one transaction; a strict import refuses
 * a report with error-level findings and stores nothing.
 */
import { type DocumentParseResult, parseDocument } from '../ingest/document.ts';
import type { ParseOptions } from '../ingest/parse-report.ts';
import { damagedName } from '../ingest/text.ts';
import type { ParsedReport, Problem } from '../ingest/types.ts';
import { storedAgencyKinds } from '../store/agency-identity.ts';
import type { AuditOf } from '../store/audit-log.ts';
import type { Db } from '../store/db.ts';
import { type StoredRevision, storeReport } from '../store/import-report.ts';
import { baseName } from '../store/revisions.ts';
import { type FindingDraft, isBlocking } from '../validation/check.ts';
import { announceCommitted } from './committed.ts';

export interface ReportSource {
  bytes: Uint8Array;
  /** Shown in every message about this source. */
  fileName: string;
  sourceUrl?: string | null;
  /** The bytes already parsed (batch import parses in worker threads); parsed here when absent. */
  parsed?: DocumentParseResult;
}

export interface StoredReport extends StoredRevision {
  parsed: ParsedReport;
}

export interface ImportOptions extends ParseOptions {
  /** Reject, storing nothing, a report with error-level findings (identities that do not add up). */
  strict?: boolean;
  /**
   * Who imports, and the audit entry of a stored report: written in the report's transaction, so
   * a report is never stored without it. A refusal stores nothing, and its caller records it.
   */
  audit?: AuditOf<StoredRevision>;
  /** New bytes with exactly the current revision's figures are UNCHANGED (RevisionSource). */
  unchangedWhenSameFigures?: boolean;
}

/** An error-level finding that made a strict import fail, phrased like a parse problem. */
export interface FailedCheckProblem extends Omit<Problem, 'code' | 'severity'> {
  code: 'FAILED_CHECK';
  severity: 'error';
  ruleId: string;
}

export type ImportResult =
  | { ok: true; value: StoredReport }
  | { ok: false; fileName: string; problems: Problem[]; findings?: undefined }
  | { ok: false; fileName: string; problems: FailedCheckProblem[]; findings: FindingDraft[] };

/**
 * Bytes already stored keep the address they were first stored with (a revision is never
 * changed), so a new one given with them (the agency moved its report, a second manifest) is
 * not recorded: said, not dropped quietly.
 */
export function sourceUrlNotRecorded(
  given: string,
  kept: string | null,
  keptBy = 'these bytes are stored already',
): Problem {
  return {
    code: 'SOURCE_URL_NOT_RECORDED',
    severity: 'warning',
    message: `The source address given, ${given}, is not recorded: ${keptBy}, with ${kept === null ? 'no address' : kept}, and a stored revision's source is never changed.`,
  };
}

/**
 * Why a report's source address cannot be kept as its provenance, or null: it must be an
 * http(s) address a person can open (a `javascript:` one would run in a dashboard that links
 * it), of at most 2,000 characters.
 */
export function invalidSourceUrl(url: string): string | null {
  if (url.length > 2_000) return `is ${url.length.toLocaleString('en')} characters long; the limit is 2,000`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not an address (give it as http://… or https://…)';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `is a ${parsed.protocol} address; only http:// and https:// are kept`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds.
  if (/[\u0000-\u0020\u007f]/.test(url)) return 'contains a space or control character';
  return null;
}

/**
 * Parses one source and stores it as a new revision in a single transaction.
 * Re-importing identical bytes changes nothing; changed bytes for the same agency
 * and year add a revision that becomes current, and earlier revisions stay readable.
 * With `strict`, a report with error-level findings is rolled back and its findings returned.
 */
export async function importReport(
  db: Db,
  source: ReportSource,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const name = baseName(source.fileName) ?? '';
  const damaged = damagedName(name);
  if (damaged) {
    return {
      ok: false,
      fileName: source.fileName,
      problems: [
        {
          code: 'INVALID_NAME',
          severity: 'error',
          text: name,
          message: `The file name ${JSON.stringify(name)} ${damaged}. Nothing was stored; rename the file.`,
        },
      ],
    };
  }
  const { format, encoding, result } = source.parsed ?? (await parseDocument(source.bytes, options));
  if (!result.ok) return { ok: false, fileName: source.fileName, problems: result.problems };
  const parsed = result.report;
  const stored = (await storedAgencyKinds(db, [parsed.agencyName])).get(parsed.agencyName);
  if (stored !== undefined && stored !== parsed.synthetic)
    return { ok: false, fileName: source.fileName, problems: [kindConflict(parsed, stored)] };
  const outcome = await storeReport(
    db,
    {
      report: parsed,
      bytes: source.bytes,
      fileName: source.fileName,
      sourceUrl: source.sourceUrl ?? null,
      format: format ?? 'text',
      encoding: encoding ?? 'utf-8',
      unchangedWhenSameFigures: options.unchangedWhenSameFigures,
    },
    (findings) => !(options.strict && findings.some(isBlocking)),
    options.audit,
  );
  if ('kindConflict' in outcome)
    return { ok: false, fileName: source.fileName, problems: [kindConflict(parsed, outcome.kindConflict)] };
  if ('stored' in outcome) {
    const { stored } = outcome;
    if (stored.outcome !== 'UNCHANGED') {
      await announceCommitted(db, [
        {
          agencyId: stored.agencyId,
          agencyName: parsed.agencyName,
          year: parsed.year,
          revisionNumber: stored.revisionNumber,
          outcome: stored.outcome,
        },
      ]);
    }
    const given = source.sourceUrl ?? null;
    return {
      ok: true,
      value: {
        ...stored,
        parsed:
          given === null || given === stored.sourceUrl
            ? parsed
            : { ...parsed, warnings: [...parsed.warnings, sourceUrlNotRecorded(given, stored.sourceUrl)] },
      },
    };
  }
  const findings = outcome.refused.filter(isBlocking);
  return {
    ok: false,
    fileName: source.fileName,
    findings,
    problems: findings.map((f) => ({
      code: 'FAILED_CHECK',
      severity: 'error',
      ruleId: f.ruleId,
      cellCode: f.cells.find((c) => c.side === 'ACTUAL')?.code,
      message: `${f.ruleId}: ${f.messageEn} Nothing was stored (strict import); correct the figures, or import without strict to keep the report as published.`,
    })),
  };
}

/**
 * A report naming exactly an agency whose reports are of the other kind: a published report for a
 * generated demo agency of the same name (the demo names real places' departments), or the other
 * way round. Filing it there would mix generated figures with published ones.
 */
export function kindConflict(report: Pick<ParsedReport, 'agencyName'>, storedSynthetic: boolean): Problem {
  const message = storedSynthetic
    ? `The agency ${report.agencyName} is stored as a generated demo agency (synthetic), and this report is a published one: it is not filed with generated figures. Nothing was stored. Import it into a database without the demo (a server started without --demo, or another DATABASE_URL), or give the agency's name in another form (--agency, e.g. without the places above it).`
    : `The agency ${report.agencyName} holds published reports, and this report is generated (synthetic: its text says 合成数据): it is not filed with published figures. Nothing was stored.`;
  return { code: 'AGENCY_KIND_CONFLICT', severity: 'error', text: report.agencyName, message };
}

/** One line per problem, prefixed with the file name, for terminals and logs. */
export function formatProblems(
  fileName: string,
  problems: readonly Pick<Problem, 'line' | 'message'>[],
): string {
  return problems.map((p) => `${fileName}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n');
}
