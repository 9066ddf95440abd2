import { createHash } from 'node:crypto';
import { type DocumentParseResult, parseDocument } from '../ingest/document.ts';
import type { ParseOptions } from '../ingest/parse-report.ts';
import { damagedName } from '../ingest/text.ts';
import type { ParsedReport, Problem } from '../ingest/types.ts';
import { type FindingDraft, figuresOf, isBlocking } from '../validation/check.ts';
import type { Db } from './db.ts';
import { refreshFindings, storedFindings } from './findings.ts';
import { inferAgencyPlace } from './regions.ts';
import { baseName, insertRevisions } from './revisions.ts';

export interface ReportSource {
  bytes: Uint8Array;
  /** Shown in every message about this source. */
  fileName: string;
  sourceUrl?: string | null;
  /** The bytes already parsed (batch import parses in worker threads); parsed here when absent. */
  parsed?: DocumentParseResult;
}

/**
 * CREATED: the report's first revision. NEW_REVISION: changed bytes, now current.
 * RESTORED: the bytes of an earlier revision, which is current again (a bad import undone).
 * UNCHANGED: the current revision's bytes; nothing changed.
 */
export type ImportOutcome = 'CREATED' | 'NEW_REVISION' | 'RESTORED' | 'UNCHANGED';

export interface StoredReport {
  outcome: ImportOutcome;
  agencyId: number;
  reportId: number;
  revisionId: number;
  revisionNumber: number;
  parsed: ParsedReport;
  /** Findings of the stored revision (within the report and against the year before). */
  findings: FindingDraft[];
}

export interface ImportOptions extends ParseOptions {
  /** Reject, storing nothing, a report with error-level findings (identities that do not add up). */
  strict?: boolean;
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

/** Thrown inside the transaction to roll a strict import back. */
class StrictRejection extends Error {
  constructor(readonly findings: FindingDraft[]) {
    super('strict import rejected');
  }
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A people's government (…人民政府, …街道办事处) or one of its departments (…局, …人民政府办公室). */
export function kindOf(name: string): 'GOVERNMENT' | 'DEPARTMENT' {
  return /(人民政府|街道办事处)$/.test(name) ? 'GOVERNMENT' : 'DEPARTMENT';
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
  try {
    return await parseAndStore(db, source, options);
  } catch (error) {
    if (!(error instanceof StrictRejection)) throw error;
    return {
      ok: false,
      fileName: source.fileName,
      findings: error.findings,
      problems: error.findings.map((f) => ({
        code: 'FAILED_CHECK',
        severity: 'error',
        ruleId: f.ruleId,
        cellCode: f.cells.find((c) => c.side === 'ACTUAL')?.code,
        message: `${f.ruleId}: ${f.messageEn} Nothing was stored (strict import); correct the figures, or import without strict to keep the report as published.`,
      })),
    };
  }
}

async function parseAndStore(db: Db, source: ReportSource, options: ImportOptions): Promise<ImportResult> {
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
  const checksum = sha256(source.bytes);

  const stored = await db.$transaction(
    async (tx) => {
      const place = await inferAgencyPlace(tx, parsed.agencyName);
      const [agency] = await tx.$queryRaw<{ id: number }[]>`
        INSERT INTO agency (name, kind, region_code, level, synthetic)
        VALUES (${parsed.agencyName}, ${kindOf(parsed.agencyName)}::"AgencyKind", ${place.regionCode}, ${place.level}::"AdministrativeLevel", ${parsed.synthetic})
        ON CONFLICT (name) DO UPDATE SET region_code = COALESCE(agency.region_code, EXCLUDED.region_code),
          level = COALESCE(agency.level, EXCLUDED.level)
        RETURNING id`;
      if (!agency) throw new Error('agency upsert returned no row');
      const [report] = await tx.$queryRaw<{ id: number }[]>`
        INSERT INTO report (agency_id, year) VALUES (${agency.id}, ${parsed.year})
        ON CONFLICT (agency_id, year) DO UPDATE SET year = EXCLUDED.year
        RETURNING id`;
      if (!report) throw new Error('report upsert returned no row');
      // Serialises concurrent imports of the same agency and year so revision numbers never collide.
      await tx.$queryRaw`SELECT id FROM report WHERE id = ${report.id} FOR UPDATE`;

      const existing = await tx.reportRevision.findUnique({
        where: { reportId_sourceSha256: { reportId: report.id, sourceSha256: checksum } },
        select: { id: true, number: true, currentOf: { select: { id: true } } },
      });
      if (existing?.currentOf) {
        return {
          outcome: 'UNCHANGED' as const,
          agencyId: agency.id,
          reportId: report.id,
          revision: existing,
          findings: await storedFindings(tx, existing.id),
        };
      }
      if (existing) {
        // The bytes of an earlier revision: it becomes current again, and its findings (and the
        // next year's cross-year ones) are recomputed against today's neighbours.
        await tx.$executeRaw`UPDATE report SET current_revision_id = ${existing.id} WHERE id = ${report.id}`;
        const findings = await refreshFindings(tx, {
          agencyId: agency.id,
          revisionId: existing.id,
          report: {
            templateVersion: parsed.templateVersion,
            year: parsed.year,
            figures: figuresOf(parsed.cells),
            narrative: parsed.narrative,
          },
        });
        return {
          outcome: 'RESTORED' as const,
          agencyId: agency.id,
          reportId: report.id,
          revision: existing,
          findings,
        };
      }
      const last = await tx.reportRevision.aggregate({
        where: { reportId: report.id },
        _max: { number: true },
      });
      const number = (last._max.number ?? 0) + 1;
      const [revisionId] = await insertRevisions(tx, [
        {
          reportId: report.id,
          number,
          report: parsed,
          bytes: source.bytes,
          checksum,
          encoding: encoding ?? 'utf-8',
          format: format ?? 'text',
          fileName: source.fileName,
          sourceUrl: source.sourceUrl ?? null,
        },
      ]);
      const revision = { id: revisionId as number, number };
      const findings = await refreshFindings(tx, {
        agencyId: agency.id,
        revisionId: revision.id,
        report: {
          templateVersion: parsed.templateVersion,
          year: parsed.year,
          figures: figuresOf(parsed.cells),
          narrative: parsed.narrative,
        },
      });
      if (options.strict && findings.some(isBlocking)) throw new StrictRejection(findings.filter(isBlocking));
      return {
        findings,
        outcome: number === 1 ? ('CREATED' as const) : ('NEW_REVISION' as const),
        agencyId: agency.id,
        reportId: report.id,
        revision,
      };
    },
    { timeout: 30_000 },
  );
  return {
    ok: true,
    value: {
      outcome: stored.outcome,
      agencyId: stored.agencyId,
      reportId: stored.reportId,
      revisionId: stored.revision.id,
      revisionNumber: stored.revision.number,
      parsed,
      findings: stored.findings,
    },
  };
}

/** One line per problem, prefixed with the file name, for terminals and logs. */
export function formatProblems(
  fileName: string,
  problems: readonly Pick<Problem, 'line' | 'message'>[],
): string {
  return problems.map((p) => `${fileName}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n');
}
