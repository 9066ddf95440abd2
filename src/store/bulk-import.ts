/**
 * Bulk storage: many parsed reports per transaction, revisions, figures and findings written
 * through COPY (copy-revisions.ts) and the rest with set-based statements. Stores exactly the
 * rows the one-report path (import-report.ts) stores — source bytes and checksum, cells,
 * findings, inferred region — and each batch is either written completely or not at all; a
 * row PostgreSQL refuses is named by its file. Parsing and batching around it belong to the
 * import use case (src/import/bulk-import.ts).
 */
import { agencyKindOf, RegionIndex, type RegionRow } from '../catalogue/regions.ts';
import type { ParsedReport } from '../ingest/types.ts';
import { checkWithNeighbours, type FindingDraft, figuresOf } from '../validation/check.ts';
import { identityKeyOf, lockIdentityKeys } from './agency-identity.ts';
import { flushAggregates } from './aggregate-maintenance.ts';
import { type AuditOf, recordAudits } from './audit-log.ts';
import { copyFindings, copyRevisions } from './copy-revisions.ts';
import { type CopyTransaction, withCopyTransaction } from './copy-rows.ts';
import type { Db } from './db.ts';
import { CROSS_YEAR_RULES, type Row, replaceFindings, toRow } from './findings.ts';
import type { ImportOutcome } from './import-report.ts';
import { loadNeighboursOfMany } from './neighbours.ts';

/** A parsed report ready to be stored in a batch. */
export interface BatchReport {
  source: { bytes: Uint8Array; fileName: string; sourceUrl?: string | null };
  report: ParsedReport;
  format: string;
  encoding: string;
  checksum: string;
}

/** What happened to one report of a batch. */
export interface BatchOutcome {
  fileName: string;
  outcome: ImportOutcome;
  agencyId: number;
  agencyName: string;
  year: number;
  reportId: number;
  revisionId: number;
  revisionNumber: number;
  /**
   * A new revision's findings, within the report and against the year before, as the
   * one-report path returns them; absent for UNCHANGED, whose stored ones this path never reads.
   */
  findings?: FindingDraft[];
}

/** An index of every stored region, to place the agencies of a batch without a query each. */
export async function loadRegionIndex(db: Db): Promise<RegionIndex> {
  const regions = await db.$queryRaw<RegionRow[]>`
    SELECT code, name, level::text AS level, parent_code AS "parentCode" FROM region`;
  return new RegionIndex(regions);
}

/**
 * Stores one batch in one transaction; identical bytes already stored are UNCHANGED. The same
 * agency and year twice in a batch is stored in rounds of that transaction, the later one as a
 * revision of the earlier, as if imported one after the other; a batch that fails keeps nothing.
 */
export async function storeBatch(
  db: Db,
  reports: BatchReport[],
  finder: RegionIndex,
  synthetic: boolean,
  audit?: AuditOf<BatchOutcome>,
): Promise<BatchOutcome[]> {
  if (reports.length === 0) return [];
  return withCopyTransaction(db, async (tx) => {
    const outcomes: BatchOutcome[] = [];
    let rest = reports;
    while (rest.length > 0) {
      const seen = new Set<string>();
      const now: BatchReport[] = [];
      const later: BatchReport[] = [];
      for (const p of rest) {
        // One agency and year per round, whichever way its name is printed (agency-identity.ts).
        const key = `${identityKeyOf(p.report.agencyName, synthetic || p.report.synthetic)}\u0000${p.report.year}`;
        (seen.has(key) ? later : now).push(p);
        seen.add(key);
      }
      outcomes.push(...(await storeRound(tx, now, finder, synthetic)));
      rest = later;
    }
    // In the batch's transaction: its reports are never stored without their entries.
    if (audit) await recordAudits(tx, audit.actor, outcomes.map(audit.entry));
    return outcomes;
  });
}

/** One round of a batch: no agency and year twice. */
async function storeRound(
  tx: CopyTransaction,
  reports: BatchReport[],
  finder: RegionIndex,
  synthetic: boolean,
): Promise<BatchOutcome[]> {
  const names = [...new Set(reports.map((p) => p.report.agencyName))];
  // Generated reports say so in their text, so the marker survives a round trip through files.
  const markedSynthetic = new Set(reports.filter((p) => p.report.synthetic).map((p) => p.report.agencyName));
  const places = names.map((name) => finder.place(name));
  const keys = names.map((name) => identityKeyOf(name, synthetic || markedSynthetic.has(name)));
  // The batch's keys are locked first (imports and merges of one key take turns), then the
  // stored agencies it names, by name, key or alias, in id order (write-locks.ts: before their
  // regions may be set and their reports changed); new ones are inserted in key order:
  // concurrent batches of the same agencies must not deadlock.
  await lockIdentityKeys(tx, keys);
  const locked = await tx.$queryRaw<{ name: string; synthetic: boolean }[]>`
      SELECT name, synthetic FROM agency WHERE name = ANY(${names}::text[]) OR identity_key = ANY(${keys}::text[])
        OR id IN (SELECT agency_id FROM agency_alias WHERE identity_key = ANY(${keys}::text[]))
      ORDER BY id FOR UPDATE`;
  // The use case refused reports naming an agency of the other kind before the batch; one stored
  // since (another import) is found here, after the locks, and one inserted meanwhile meets
  // agency_name_key, and the batch is run again (retryingConflicts) to find it.
  // The batch's first report of each name, as the message names it.
  const byName = new Map<string, BatchReport>();
  for (const p of reports) if (!byName.has(p.report.agencyName)) byName.set(p.report.agencyName, p);
  for (const agency of locked) {
    const report = byName.get(agency.name);
    if (report && agency.synthetic !== (synthetic || markedSynthetic.has(agency.name)))
      throw new Error(
        `${report.source.fileName}: the agency ${agency.name} was stored as ${agency.synthetic ? 'a generated demo agency' : 'a published one'} by another import while this batch was read, and this report is ${agency.synthetic ? 'published' : 'generated'}; nothing of the batch was kept. Import it again: the file is then refused alone (AGENCY_KIND_CONFLICT).`,
      );
  }
  // As the one-report path: the agency of that exact name, else the one with the name's identity
  // key (one the batch names exactly too, or another), else a new one, named as the batch first
  // prints it.
  const agencies = await tx.$queryRaw<{ id: number; name: string }[]>`
      WITH input AS (
        SELECT * FROM unnest(${names}::text[], ${keys}::text[], ${names.map(agencyKindOf)}::text[],
                             ${places.map((p) => p.regionCode)}::text[], ${places.map((p) => p.level)}::text[],
                             ${names.map((name) => synthetic || markedSynthetic.has(name))}::boolean[])
             WITH ORDINALITY AS t(name, key, kind, region_code, level, synthetic, ord)),
      named AS (
        UPDATE agency SET region_code = COALESCE(agency.region_code, i.region_code),
          level = COALESCE(agency.level, i.level::"AdministrativeLevel")
        FROM input i WHERE agency.name = i.name
        RETURNING agency.id, agency.name, agency.identity_key AS key),
      -- The key of an agency merged into another (agencies merge).
      aliased AS (SELECT identity_key AS key, agency_id AS id FROM agency_alias WHERE identity_key IN (SELECT key FROM input)),
      -- Not a key a named row holds: that row is updated above, and a statement may not update
      -- a row twice.
      inserted AS (
        INSERT INTO agency (name, identity_key, kind, region_code, level, synthetic)
        SELECT DISTINCT ON (key) name, key, kind::"AgencyKind", region_code, level::"AdministrativeLevel", synthetic
        FROM input
        WHERE name NOT IN (SELECT name FROM named) AND key NOT IN (SELECT key FROM named WHERE key IS NOT NULL)
          AND key NOT IN (SELECT key FROM aliased)
        ORDER BY key, ord
        ON CONFLICT (identity_key) DO UPDATE SET region_code = COALESCE(agency.region_code, EXCLUDED.region_code),
          level = COALESCE(agency.level, EXCLUDED.level)
        RETURNING id, identity_key AS key),
      by_key AS (
        SELECT id, key FROM inserted UNION ALL SELECT id, key FROM named WHERE key IS NOT NULL
        UNION ALL SELECT id, key FROM aliased)
      SELECT id, name FROM named
      UNION ALL
      SELECT by_key.id, input.name FROM input JOIN by_key USING (key)
      WHERE input.name NOT IN (SELECT name FROM named)`;
  const agencyId = new Map(agencies.map((a) => [a.name, a.id]));
  const agencyIds = reports.map((p) => agencyId.get(p.report.agencyName) as number);
  const years = reports.map((p) => p.report.year);
  // Rows are locked in id order, as concurrent imports of the same reports must not deadlock.
  const stored = await tx.$queryRaw<{ id: number; agency_id: number; year: number }[]>`
      INSERT INTO report (agency_id, year)
      SELECT agency_id, year FROM unnest(${agencyIds}::int[], ${years}::int[]) AS t(agency_id, year)
      ORDER BY agency_id, year
      ON CONFLICT (agency_id, year) DO UPDATE SET year = EXCLUDED.year
      RETURNING id, agency_id, year`;
  const reportId = new Map(stored.map((r) => [`${r.agency_id}/${r.year}`, r.id]));
  const reportIds = reports.map((p, i) => reportId.get(`${agencyIds[i]}/${p.report.year}`) as number);
  await tx.$queryRaw`SELECT id FROM report WHERE id = ANY(${reportIds}::int[]) ORDER BY id FOR UPDATE`;

  const revisions = await tx.$queryRaw<
    { report_id: number; sha: string; id: number; number: number; max: number }[]
  >`
      SELECT rv.report_id, rv.source_sha256 AS sha, rv.id, rv.number,
             max(rv.number) OVER (PARTITION BY rv.report_id) AS max
      FROM report_revision rv WHERE rv.report_id = ANY(${reportIds}::int[])`;
  const existing = new Map(revisions.map((r) => [`${r.report_id}/${r.sha}`, r]));
  const lastNumber = new Map(revisions.map((r) => [r.report_id, r.max]));

  const outcomes: BatchOutcome[] = [];
  const fresh: { p: BatchReport; reportId: number; agencyId: number; number: number }[] = [];
  for (const [i, p] of reports.entries()) {
    const rid = reportIds[i] as number;
    const same = existing.get(`${rid}/${p.checksum}`);
    if (same) {
      outcomes.push({
        fileName: p.source.fileName,
        outcome: 'UNCHANGED',
        agencyId: agencyIds[i] as number,
        agencyName: p.report.agencyName,
        year: p.report.year,
        reportId: rid,
        revisionId: same.id,
        revisionNumber: same.number,
      });
    } else {
      fresh.push({
        p,
        reportId: rid,
        agencyId: agencyIds[i] as number,
        number: (lastNumber.get(rid) ?? 0) + 1,
      });
    }
  }
  if (fresh.length === 0) return outcomes;

  const copied = await copyRevisions(
    tx,
    fresh.map((f) => ({
      reportId: f.reportId,
      number: f.number,
      report: f.p.report,
      bytes: f.p.source.bytes,
      checksum: f.p.checksum,
      encoding: f.p.encoding,
      format: f.p.format,
      fileName: f.p.source.fileName,
      sourceUrl: f.p.source.sourceUrl ?? null,
    })),
    fresh.map((f) => f.p.source.fileName),
  );
  const revisionIds = copied.ids;

  const findings = await refreshBatchFindings(tx, fresh, revisionIds);
  for (const [i, f] of fresh.entries()) {
    outcomes.push({
      fileName: f.p.source.fileName,
      outcome: f.number === 1 ? 'CREATED' : 'NEW_REVISION',
      agencyId: f.agencyId,
      agencyName: f.p.report.agencyName,
      year: f.p.report.year,
      reportId: f.reportId,
      revisionId: revisionIds[i] as number,
      revisionNumber: f.number,
      findings: findings[i] ?? [],
    });
  }
  await flushAggregates(tx, copied.figures);
  return outcomes;
}

/**
 * Findings of the new revisions (within the report and against the year before) and the
 * cross-year findings of stored next years, as refreshFindings computes them one by one.
 * Returns each new revision's own findings and those against the year before, in order.
 */
async function refreshBatchFindings(
  tx: CopyTransaction,
  fresh: { p: BatchReport; agencyId: number }[],
  revisionIds: number[],
): Promise<FindingDraft[][]> {
  const agencyIds = [...new Set(fresh.map((f) => f.agencyId))].sort((a, b) => a - b);
  await tx.$executeRaw`
    SELECT pg_advisory_xact_lock(hashtext('finding'), id) FROM (SELECT unnest(${agencyIds}::int[]) AS id) s`;
  const stored = await loadNeighboursOfMany(
    tx,
    fresh.map((f) => ({ agencyId: f.agencyId, year: f.p.report.year })),
  );
  const isNew = new Set(revisionIds);
  const written: Row[] = [];
  const writtenFor: string[] = [];
  const crossYearOf: number[] = [];
  const found: FindingDraft[][] = [];
  for (const [i, f] of fresh.entries()) {
    const revisionId = revisionIds[i] as number;
    const report = f.p.report;
    const previous = stored(f.agencyId, report.year - 1);
    const following = stored(f.agencyId, report.year + 1);
    // A next year stored in this same batch gets its findings as a new revision of its own.
    const next = following && !isNew.has(following.revisionId) ? following : null;
    const { own, againstPrevious, ofNext } = checkWithNeighbours(
      {
        templateVersion: report.templateVersion,
        year: report.year,
        figures: figuresOf(report.cells),
        narrative: report.narrative,
      },
      { previous, next },
    );
    const rows = [
      ...own.map((x) => toRow(revisionId, null, x)),
      ...(previous ? againstPrevious.map((x) => toRow(revisionId, previous.revisionId, x)) : []),
      ...(next ? ofNext.map((x) => toRow(next.revisionId, revisionId, x)) : []),
    ];
    found.push([...own, ...(previous ? againstPrevious : [])]);
    if (next) crossYearOf.push(next.revisionId);
    written.push(...rows);
    for (const _ of rows) writtenFor.push(f.p.source.fileName);
  }
  // New revisions have no findings yet: theirs are copied. The stored next years' cross-year
  // ones are replaced, keeping those found again (and their ids) as the one-by-one path does.
  const ofStored = new Set(crossYearOf);
  const replaced = written.filter((row) => ofStored.has(row.revision_id));
  const copied = written.flatMap((row, i) =>
    ofStored.has(row.revision_id) ? [] : [[row, writtenFor[i] ?? ''] as const],
  );
  await replaceFindings(tx, { revisionIds: crossYearOf, rules: CROSS_YEAR_RULES }, replaced);
  await copyFindings(
    tx,
    copied.map(([row]) => row),
    copied.map(([, label]) => label),
  );
  return found;
}
