/**
 * Stores one parsed report as a revision in a single transaction: agency and report rows,
 * the revision (or the earlier one with the same bytes made current again) and its findings.
 * Parsing and the strict policy belong to the import use case (src/import/).
 */
import { agencyKindOf } from '../catalogue/regions.ts';
import type { ParsedReport } from '../ingest/types.ts';
import { type FindingDraft, figuresOf } from '../validation/check.ts';
import { identityKeyOf, lockIdentityKeys } from './agency-identity.ts';
import { counted } from './aggregate-maintenance.ts';
import { type AuditOf, audited } from './audit-log.ts';
import { type Db, type SqlTransaction, writeTransaction } from './db.ts';
import { encodeFigures, intArrayLiteral } from './figures.ts';
import { refreshFindings, storedFindings } from './findings.ts';
import { inferAgencyPlace } from './regions.ts';
import { insertRevisions } from './revisions.ts';
import { sha256Hex } from './sha256.ts';

/**
 * CREATED: the report's first revision. NEW_REVISION: changed bytes, now current.
 * RESTORED: the bytes of an earlier revision, which is current again (a bad import undone).
 * UNCHANGED: the current revision's bytes; nothing changed.
 */
export type ImportOutcome = 'CREATED' | 'NEW_REVISION' | 'RESTORED' | 'UNCHANGED';

export interface StoredRevision {
  outcome: ImportOutcome;
  agencyId: number;
  reportId: number;
  revisionId: number;
  revisionNumber: number;
  /** The source address the revision keeps: for UNCHANGED and RESTORED, the one it was first stored with. */
  sourceUrl: string | null;
  /** Findings of the stored revision (within the report and against the year before). */
  findings: FindingDraft[];
}

export interface RevisionSource {
  report: ParsedReport;
  bytes: Uint8Array;
  fileName: string;
  sourceUrl: string | null;
  format: string;
  encoding: string;
  /**
   * New bytes that read as exactly the current revision's figures (its statuses and values: the
   * same report in another format, a web page whose view counter changed) add no revision: they
   * are UNCHANGED, the current revision. Collect sets it, where one report comes as a page and
   * its attachments and is asked again; an import of files adds a revision for any new bytes.
   */
  unchangedWhenSameFigures?: boolean;
}

/** Thrown inside the transaction to roll back a new or restored revision its `keep` check refused. */
class Refused extends Error {
  constructor(readonly findings: FindingDraft[]) {
    super('revision refused');
  }
}

/**
 * Thrown inside the transaction where the agency of the report's exact name is of the other kind
 * (published or generated demo), stored since the use case checked.
 */
class KindConflict extends Error {
  constructor(readonly storedSynthetic: boolean) {
    super('agency of the other kind');
  }
}

export const sha256 = sha256Hex;

/**
 * Stores a parsed report in one transaction. Identical bytes change nothing; the bytes of an
 * earlier revision make it current again; other bytes add a revision that becomes current.
 * A new or restored revision whose findings `keep` refuses is rolled back: nothing is
 * stored or made current, and the findings come back as `refused`.
 */
export async function storeReport(
  db: Db,
  source: RevisionSource,
  keep: (findings: FindingDraft[]) => boolean = () => true,
  audit?: AuditOf<StoredRevision>,
): Promise<{ stored: StoredRevision } | { refused: FindingDraft[] } | { kindConflict: boolean }> {
  try {
    return { stored: await store(db, source, keep, audit) };
  } catch (error) {
    if (error instanceof KindConflict) return { kindConflict: error.storedSynthetic };
    if (!(error instanceof Refused)) throw error;
    return { refused: error.findings };
  }
}

async function store(
  db: Db,
  source: RevisionSource,
  keep: (findings: FindingDraft[]) => boolean,
  audit: AuditOf<StoredRevision> | undefined,
): Promise<StoredRevision> {
  const parsed = source.report;
  const checksum = sha256(source.bytes);
  const stored = await writeTransaction(
    db,
    async (tx) =>
      counted(tx, async () => {
        const place = await inferAgencyPlace(tx, parsed.agencyName);
        // The agency of that exact name, else the one holding the name's identity key (printed
        // otherwise), else the one an agency with that key was merged into, else a new one
        // (store/agency-identity.ts). Imports and merges of one key take turns.
        const key = identityKeyOf(parsed.agencyName, parsed.synthetic);
        await lockIdentityKeys(tx, [key]);
        // Then the agency it will be, whichever way it is reached, before its region may be set
        // and its report changed (write-locks.ts): an agency reached through an alias too.
        const locked = await tx.$queryRaw<{ name: string; synthetic: boolean }[]>`
        SELECT name, synthetic FROM agency
        WHERE name = ${parsed.agencyName} OR identity_key = ${key}
           OR id IN (SELECT agency_id FROM agency_alias WHERE identity_key = ${key})
        ORDER BY id FOR UPDATE`;
        // Checked again here, after the locks (the use case checks before the transaction): an
        // agency of the name stored since is found now, and one inserted meanwhile meets
        // agency_name_key, and the transaction is run again (retryingConflicts) to find it.
        const named = locked.find((a) => a.name === parsed.agencyName);
        if (named && named.synthetic !== parsed.synthetic) throw new KindConflict(named.synthetic);
        const [agency] = await tx.$queryRaw<{ id: number }[]>`
        WITH named AS (
          UPDATE agency SET region_code = COALESCE(region_code, ${place.regionCode}),
            level = COALESCE(level, ${place.level}::"AdministrativeLevel")
          WHERE name = ${parsed.agencyName} RETURNING id),
        aliased AS (
          SELECT agency_id AS id FROM agency_alias
          WHERE identity_key = ${key} AND NOT EXISTS (SELECT 1 FROM named)),
        inserted AS (
          INSERT INTO agency (name, identity_key, kind, region_code, level, synthetic)
          SELECT ${parsed.agencyName}, ${key}, ${agencyKindOf(parsed.agencyName)}::"AgencyKind",
                 ${place.regionCode}, ${place.level}::"AdministrativeLevel", ${parsed.synthetic}
          WHERE NOT EXISTS (SELECT 1 FROM named) AND NOT EXISTS (SELECT 1 FROM aliased)
          ON CONFLICT (identity_key) DO UPDATE SET region_code = COALESCE(agency.region_code, EXCLUDED.region_code),
            level = COALESCE(agency.level, EXCLUDED.level)
          RETURNING id)
        SELECT id FROM named UNION ALL SELECT id FROM aliased UNION ALL SELECT id FROM inserted`;
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
          select: { id: true, number: true, sourceUrl: true, currentOf: { select: { id: true } } },
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
          // Made current like a new revision, so refused like one (a strict import must not
          // make a revision with error findings current by sending its bytes again).
          if (!keep(findings)) throw new Refused(findings);
          return {
            outcome: 'RESTORED' as const,
            agencyId: agency.id,
            reportId: report.id,
            revision: existing,
            findings,
          };
        }
        const same = source.unchangedWhenSameFigures
          ? await currentWithFigures(tx, report.id, parsed)
          : undefined;
        if (same) {
          return {
            outcome: 'UNCHANGED' as const,
            agencyId: agency.id,
            reportId: report.id,
            revision: same,
            findings: await storedFindings(tx, same.id),
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
            encoding: source.encoding,
            format: source.format,
            fileName: source.fileName,
            sourceUrl: source.sourceUrl,
          },
        ]);
        const revision = { id: revisionId as number, number, sourceUrl: source.sourceUrl };
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
        if (!keep(findings)) throw new Refused(findings);
        return {
          findings,
          outcome: number === 1 ? ('CREATED' as const) : ('NEW_REVISION' as const),
          agencyId: agency.id,
          reportId: report.id,
          revision,
        };
      }).then(async (stored) => {
        const revision: StoredRevision = {
          outcome: stored.outcome,
          agencyId: stored.agencyId,
          reportId: stored.reportId,
          revisionId: stored.revision.id,
          revisionNumber: stored.revision.number,
          sourceUrl: stored.revision.sourceUrl,
          findings: stored.findings,
        };
        return audited(tx, audit, revision);
      }),
    { timeout: 30_000 },
  );
  return stored;
}

/** The report's current revision when its stored figures are exactly these (statuses and values). */
async function currentWithFigures(
  tx: SqlTransaction,
  reportId: number,
  report: ParsedReport,
): Promise<{ id: number; number: number; sourceUrl: string | null } | undefined> {
  const figures = encodeFigures(report.cells);
  const [same] = await tx.$queryRaw<{ id: number; number: number; sourceUrl: string | null }[]>`
    SELECT rr.id, rr.number, rr.source_url AS "sourceUrl"
    FROM report r JOIN report_revision rr ON rr.id = r.current_revision_id
    JOIN revision_figures f ON f.revision_id = rr.id
    WHERE r.id = ${reportId} AND f.template_version = ${report.templateVersion}::"TemplateVersion"
      AND f.statuses = convert_to(${figures.statuses}, 'UTF8')
      AND f.int_values = ${intArrayLiteral(figures.intValues)}::int[]
      AND f.decimal_values = ${JSON.stringify(figures.decimalValues)}::jsonb`;
  return same;
}

/** A stored source: its checksum, the report and revision it is, and the address it was stored with. */
export interface StoredSource {
  sha: string;
  agencyId: number;
  agency: string;
  year: number;
  number: number;
  url: string | null;
}

/** Which of these source checksums are stored already, and as which agency, year and revision. */
export function findStoredSources(db: Db, shas: readonly string[]): Promise<StoredSource[]> {
  return db.$queryRaw<StoredSource[]>`
    SELECT rr.source_sha256 AS sha, a.id AS "agencyId", a.name AS agency, r.year, rr.number, rr.source_url AS url
    FROM report_revision rr JOIN report r ON r.id = rr.report_id JOIN agency a ON a.id = r.agency_id
    WHERE rr.source_sha256 = ANY(${[...shas]}::text[])`;
}
