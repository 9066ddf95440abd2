/**
 * Chooses which stored revision of a report is current (how an auditor undoes a bad import
 * without re-sending a file): the revision's findings, and the next year's cross-year ones,
 * are recomputed in the same transaction.
 */
import type { TemplateVersion } from '../catalogue/template.ts';
import { figuresOf, type NarrativeText } from '../validation/check.ts';
import { agencyIdByName } from './agency-identity.ts';
import { counted } from './aggregate-maintenance.ts';
import { type AuditOf, audited } from './audit-log.ts';
import { type Db, type SqlTransaction, writeTransaction } from './db.ts';
import { decodeFigures, figureColumnsSql, type StoredFigures } from './figures.ts';
import { refreshFindings } from './findings.ts';
import { lockAgenciesOfReports } from './write-locks.ts';

export type UseRevisionResult =
  | {
      ok: true;
      agencyId: number;
      reportId: number;
      revisionId: number;
      previousNumber: number | null;
      changed: boolean;
    }
  | {
      ok: false;
      message: string;
      /** What is wrong: no agency by that name, no report that year, or no such revision. */
      argument: 'agencyName' | 'year' | 'number';
    };

export async function useRevision(
  db: Db,
  target: { agencyName: string; year: number; number: number },
  audit?: AuditOf<UseRevisionResult>,
): Promise<UseRevisionResult> {
  return writeTransaction(
    db,
    async (tx) =>
      counted(tx, async (): Promise<UseRevisionResult> => {
        // The agency first, then its report, then the revisions (write-locks.ts): a report read
        // in the statement that locks it would be the report as the writer before committed it,
        // joined to revisions as this statement's snapshot had them (one that writer added
        // missing, the current one it replaced named as current).
        const agencyId = await lockedAgency(tx, target.agencyName);
        const [report] = await tx.$queryRaw<{ id: number }[]>`
          SELECT id FROM report WHERE agency_id = ${agencyId} AND year = ${target.year} FOR UPDATE`;
        const [row] = report
          ? await tx.$queryRaw<
              ({
                reportId: number;
                agencyId: number;
                revisionId: number | null;
                currentNumber: number | null;
                numbers: number[];
                templateVersion: TemplateVersion | null;
                narrative: NarrativeText[] | null;
                sources: unknown;
              } & StoredFigures)[]
            >`
        SELECT r.id AS "reportId", r.agency_id AS "agencyId", rv.id AS "revisionId",
               cur.number AS "currentNumber",
               (SELECT array_agg(number ORDER BY number) FROM report_revision WHERE report_id = r.id) AS numbers,
               rv.template_version::text AS "templateVersion", rv.narrative, rv.cell_sources AS sources,
               ${figureColumnsSql('f')}
        FROM report r
        LEFT JOIN report_revision cur ON cur.id = r.current_revision_id
        LEFT JOIN report_revision rv ON rv.report_id = r.id AND rv.number = ${target.number}
        LEFT JOIN revision_figures f ON f.revision_id = rv.id
        WHERE r.id = ${report.id}`
          : [];
        if (!row) {
          return {
            ok: false,
            message: `No stored report of ${target.agencyName} for ${target.year}.`,
            argument: agencyId === 0 ? 'agencyName' : 'year',
          } as const;
        }
        if (row.revisionId === null || row.templateVersion === null) {
          return {
            ok: false,
            message: `${target.agencyName} ${target.year} has no revision ${target.number}; its revisions are ${row.numbers.join(', ')}.`,
            argument: 'number',
          } as const;
        }
        const changed = row.currentNumber !== target.number;
        if (changed) {
          await tx.$executeRaw`UPDATE report SET current_revision_id = ${row.revisionId} WHERE id = ${row.reportId}`;
          await refreshFindings(tx, {
            agencyId: row.agencyId,
            revisionId: row.revisionId,
            report: {
              templateVersion: row.templateVersion,
              year: target.year,
              figures: figuresOf(decodeFigures(row.templateVersion, row, { sources: row.sources })),
              narrative: row.narrative ?? [],
            },
          });
        }
        return {
          ok: true,
          agencyId: row.agencyId,
          reportId: row.reportId,
          revisionId: row.revisionId,
          previousNumber: row.currentNumber,
          changed,
        } as const;
      }).then((result) => audited(tx, audit, result)),
    { timeout: 30_000 },
  );
}

/**
 * The agency a name refers to, locked for changing its reports (write-locks.ts); 0 when none.
 * Found again when it was merged away while this waited: the name now leads to the agency it
 * was merged into.
 */
async function lockedAgency(tx: SqlTransaction, agencyName: string): Promise<number> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const agencyId = await agencyIdByName(tx, agencyName);
    if (agencyId === null) return 0;
    if ((await lockAgenciesOfReports(tx, [agencyId])).length > 0) return agencyId;
  }
  return 0;
}

/** One stored revision of a report, as `revision list` shows it. */
export interface RevisionListing {
  number: number;
  current: boolean;
  importedAt: Date;
  templateVersion: TemplateVersion;
  format: string;
  fileName: string | null;
  sourceUrl: string | null;
  sha256: string;
  /** Error-level findings its figures break. */
  errors: number;
}

/**
 * The revisions of a report, oldest first, so an auditor can choose which to make current
 * (useRevision). By when each was imported: a merge numbers the merged agency's revisions after
 * the other's, however old they are. The agency as useRevision finds it: its stored name or another way it prints it.
 */
export async function listRevisions(
  db: Db,
  target: { agencyName: string; year: number },
): Promise<{ ok: true; agencyName: string; revisions: RevisionListing[] } | { ok: false; message: string }> {
  const agencyId = (await agencyIdByName(db, target.agencyName)) ?? 0;
  const revisions = await db.$queryRaw<(RevisionListing & { agencyName: string })[]>`
    SELECT rv.number, rv.id = r.current_revision_id AS current, rv.imported_at AS "importedAt",
           rv.template_version::text AS "templateVersion", rv.source_format AS format,
           rv.source_file_name AS "fileName", rv.source_url AS "sourceUrl", rv.source_sha256 AS sha256,
           (SELECT count(*)::int FROM finding x
             WHERE x.revision_id = rv.id AND x.severity = 'ERROR' AND x.status = 'VIOLATED') AS errors,
           a.name AS "agencyName"
    FROM report r JOIN agency a ON a.id = r.agency_id JOIN report_revision rv ON rv.report_id = r.id
    WHERE r.agency_id = ${agencyId} AND r.year = ${target.year}
    ORDER BY rv.imported_at, rv.number`;
  const [first] = revisions;
  if (!first) return { ok: false, message: `No stored report of ${target.agencyName} for ${target.year}.` };
  return { ok: true, agencyName: first.agencyName, revisions: revisions.map(({ agencyName: _, ...r }) => r) };
}
