import { createHash } from 'node:crypto';
import { type ParseOptions, parseReportBytes } from '../ingest/parse-report.ts';
import type { ParsedReport, Problem } from '../ingest/types.ts';
import type { Db } from './db.ts';

export interface ReportSource {
  bytes: Uint8Array;
  /** Shown in every message about this source. */
  fileName: string;
  sourceUrl?: string | null;
}

export type ImportOutcome = 'CREATED' | 'NEW_REVISION' | 'UNCHANGED';

export interface StoredReport {
  outcome: ImportOutcome;
  agencyId: number;
  reportId: number;
  revisionId: number;
  revisionNumber: number;
  parsed: ParsedReport;
}

export type ImportResult =
  | { ok: true; value: StoredReport }
  | { ok: false; fileName: string; problems: Problem[] };

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A people's government (…人民政府, …街道办事处) or one of its departments (…局, …人民政府办公室). */
function kindOf(name: string): 'GOVERNMENT' | 'DEPARTMENT' {
  return /(人民政府|街道办事处)$/.test(name) ? 'GOVERNMENT' : 'DEPARTMENT';
}

/**
 * Parses one source and stores it as a new revision in a single transaction.
 * Re-importing identical bytes changes nothing; changed bytes for the same agency
 * and year add a revision that becomes current, and earlier revisions stay readable.
 */
export async function importReport(
  db: Db,
  source: ReportSource,
  options: ParseOptions = {},
): Promise<ImportResult> {
  const { encoding, result } = parseReportBytes(source.bytes, options);
  if (!result.ok) return { ok: false, fileName: source.fileName, problems: result.problems };
  const parsed = result.report;
  const checksum = sha256(source.bytes);

  const stored = await db.$transaction(
    async (tx) => {
      const [agency] = await tx.$queryRaw<{ id: number }[]>`
        INSERT INTO agency (name, kind) VALUES (${parsed.agencyName}, ${kindOf(parsed.agencyName)}::"AgencyKind")
        ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
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
        select: { id: true, number: true },
      });
      if (existing) {
        return {
          outcome: 'UNCHANGED' as const,
          agencyId: agency.id,
          reportId: report.id,
          revision: existing,
        };
      }
      const last = await tx.reportRevision.aggregate({
        where: { reportId: report.id },
        _max: { number: true },
      });
      const number = (last._max.number ?? 0) + 1;
      const revision = await tx.reportRevision.create({
        data: {
          reportId: report.id,
          number,
          templateVersion: parsed.templateVersion,
          agencyNameAsPrinted: parsed.agencyName,
          title: parsed.title,
          publishedOn: parsed.publishedOn ? new Date(`${parsed.publishedOn}T00:00:00Z`) : null,
          contact: { ...parsed.contact },
          narrative: parsed.narrative.map((s) => ({ ...s })),
          gaps: parsed.gaps.map((g) => ({ ...g })),
          sourceBytes: Buffer.from(source.bytes),
          sourceSha256: checksum,
          sourceEncoding: encoding ?? 'utf-8',
          sourceFormat: 'text',
          sourceFileName: source.fileName,
          sourceUrl: source.sourceUrl ?? null,
        },
        select: { id: true, number: true },
      });
      await tx.cellValue.createMany({
        data: parsed.cells.map((cell) => ({
          revisionId: revision.id,
          cellCode: cell.code,
          value: cell.value,
          status: cell.status,
          rawText: cell.rawText,
          sourceLine: cell.line,
        })),
      });
      await tx.report.update({ where: { id: report.id }, data: { currentRevisionId: revision.id } });
      return {
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
    },
  };
}

/** One line per problem, prefixed with the file name, for terminals and logs. */
export function formatProblems(fileName: string, problems: readonly Problem[]): string {
  return problems.map((p) => `${fileName}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n');
}
