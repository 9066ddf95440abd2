/**
 * Bulk import: many reports per transaction with set-based statements (arrays through
 * unnest), for loading tens of thousands of reports at once. Stores exactly the rows the
 * one-report path (import-report.ts) stores — source bytes and checksum, cells, findings,
 * inferred region — and each report is either written completely or not at all.
 */
import type { TemplateVersion } from '../catalogue/template.ts';
import type { DocumentParseResult } from '../ingest/document.ts';
import { createParsePool } from '../ingest/parse-pool.ts';
import type { ParseOptions } from '../ingest/parse-report.ts';
import type { ParsedReport, Problem } from '../ingest/types.ts';
import { checkCarryOver, checkReport, figuresOf, type YearFigures } from '../validation/check.ts';
import { type Db, type SqlTransaction, withPgTransaction } from './db.ts';
import { figureColumnsSql, type StoredFigures } from './figures.ts';
import { CROSS_YEAR_RULES, carryOverFigures, type Row, replaceFindings, toRow } from './findings.ts';
import { type ImportOutcome, kindOf, type ReportSource, sha256 } from './import-report.ts';
import { placeAgency, type RegionRow } from './regions.ts';
import { insertRevisions } from './revisions.ts';

export interface BulkImportOptions extends ParseOptions {
  /** Reports per transaction (default 500). */
  batchSize?: number;
  /** Parser threads (default 0: the calling thread). Parsing overlaps with storing. */
  jobs?: number;
  /** Mark newly created agencies as synthetic (generated data, not published reports). */
  synthetic?: boolean;
  onBatch?: (progress: BulkProgress) => void;
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
  outcomes: { fileName: string; outcome: ImportOutcome; reportId: number; revisionId: number }[];
}

interface Parsed {
  source: ReportSource;
  report: ParsedReport;
  format: string;
  encoding: string;
  checksum: string;
}

/** Regions whose names occur in an agency name, found through a two-character index. */
class PlaceFinder {
  private readonly byBigram = new Map<string, RegionRow[]>();
  private readonly cache = new Map<string, ReturnType<typeof placeAgency>>();
  constructor(regions: readonly RegionRow[]) {
    for (const region of regions) {
      if (region.name.length < 2) continue;
      const key = region.name.slice(0, 2);
      const list = this.byBigram.get(key) ?? [];
      list.push(region);
      this.byBigram.set(key, list);
    }
  }
  place(name: string) {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const found = new Set<RegionRow>();
    for (let i = 0; i < name.length - 1; i++) {
      for (const region of this.byBigram.get(name.slice(i, i + 2)) ?? []) {
        if (name.startsWith(region.name, i)) found.add(region);
      }
    }
    const place = placeAgency(name, [...found]);
    this.cache.set(name, place);
    return place;
  }
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
  const regions = await db.$queryRaw<RegionRow[]>`
    SELECT code, name, level::text AS level, parent_code AS "parentCode" FROM region`;
  const finder = new PlaceFinder(regions);
  const parseOptions: ParseOptions = {
    ...(options.allowPartial !== undefined ? { allowPartial: options.allowPartial } : {}),
    ...(options.agencyName !== undefined ? { agencyName: options.agencyName } : {}),
    ...(options.year !== undefined ? { year: options.year } : {}),
  };
  const result: BulkResult = { stored: 0, unchanged: 0, rejected: 0, rejections: [], outcomes: [] };

  const parseBatch = async (batch: ReportSource[]): Promise<Parsed[]> => {
    const parsed = await Promise.all(
      batch.map(async (source) => source.parsed ?? (await pool.parse(source.bytes, parseOptions))),
    );
    const ok: Parsed[] = [];
    for (const [i, outcome] of parsed.entries()) {
      const source = batch[i] as ReportSource;
      if (!outcome.result.ok) {
        result.rejected++;
        result.rejections.push({ fileName: source.fileName, problems: outcome.result.problems });
        continue;
      }
      ok.push(toParsed(source, outcome));
    }
    return ok;
  };

  let pending: Parsed[] = [];
  let storing: Promise<void> = Promise.resolve();
  const store = async (reports: Parsed[]) => {
    // The same agency and year twice in one batch: the later one goes into the next round.
    let rest = reports;
    while (rest.length > 0) {
      const seen = new Set<string>();
      const now: Parsed[] = [];
      const later: Parsed[] = [];
      for (const p of rest) {
        const key = `${p.report.agencyName}\u0000${p.report.year}`;
        (seen.has(key) ? later : now).push(p);
        seen.add(key);
      }
      const outcomes = await storeBatch(db, now, finder, options.synthetic ?? false);
      for (const o of outcomes) {
        if (o.outcome === 'UNCHANGED') result.unchanged++;
        else result.stored++;
        result.outcomes.push(o);
      }
      rest = later;
    }
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

function toParsed(source: ReportSource, outcome: DocumentParseResult): Parsed {
  if (!outcome.result.ok) throw new Error('toParsed needs a parsed report');
  return {
    source,
    report: outcome.result.report,
    format: outcome.format ?? 'text',
    encoding: outcome.encoding ?? 'utf-8',
    checksum: sha256(source.bytes),
  };
}

async function storeBatch(
  db: Db,
  reports: Parsed[],
  finder: PlaceFinder,
  synthetic: boolean,
): Promise<BulkResult['outcomes']> {
  if (reports.length === 0) return [];
  const names = [...new Set(reports.map((p) => p.report.agencyName))];
  // Generated reports say so in their text, so the marker survives a round trip through files.
  const markedSynthetic = new Set(reports.filter((p) => p.report.synthetic).map((p) => p.report.agencyName));
  const places = names.map((name) => finder.place(name));
  return withPgTransaction(db, async (tx) => {
    const agencies = await tx.$queryRaw<{ id: number; name: string }[]>`
        INSERT INTO agency (name, kind, region_code, level, synthetic)
        SELECT name, kind::"AgencyKind", region_code, level::"AdministrativeLevel", synthetic
        FROM unnest(${names}::text[], ${names.map(kindOf)}::text[], ${places.map((p) => p.regionCode)}::text[],
                    ${places.map((p) => p.level)}::text[], ${names.map((name) => synthetic || markedSynthetic.has(name))}::boolean[])
             AS t(name, kind, region_code, level, synthetic)
        ORDER BY name
        ON CONFLICT (name) DO UPDATE SET region_code = COALESCE(agency.region_code, EXCLUDED.region_code),
          level = COALESCE(agency.level, EXCLUDED.level)
        RETURNING id, name`;
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

    const outcomes: BulkResult['outcomes'] = [];
    const fresh: { p: Parsed; reportId: number; agencyId: number; number: number }[] = [];
    for (const [i, p] of reports.entries()) {
      const rid = reportIds[i] as number;
      const same = existing.get(`${rid}/${p.checksum}`);
      if (same) {
        outcomes.push({
          fileName: p.source.fileName,
          outcome: 'UNCHANGED',
          reportId: rid,
          revisionId: same.id,
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

    const revisionIds = await insertRevisions(
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
    );

    await refreshBatchFindings(tx, fresh, revisionIds);
    for (const [i, f] of fresh.entries()) {
      outcomes.push({
        fileName: f.p.source.fileName,
        outcome: f.number === 1 ? 'CREATED' : 'NEW_REVISION',
        reportId: f.reportId,
        revisionId: revisionIds[i] as number,
      });
    }
    return outcomes;
  });
}

/**
 * Findings of the new revisions (within the report and against the year before) and the
 * cross-year findings of stored next years, as refreshFindings computes them one by one.
 */
async function refreshBatchFindings(
  tx: SqlTransaction,
  fresh: { p: Parsed; agencyId: number }[],
  revisionIds: number[],
) {
  const agencyIds = [...new Set(fresh.map((f) => f.agencyId))].sort((a, b) => a - b);
  await tx.$executeRaw`
    SELECT pg_advisory_xact_lock(hashtext('finding'), id) FROM (SELECT unnest(${agencyIds}::int[]) AS id) s`;
  const rows = await tx.$queryRaw<
    ({
      agencyId: number;
      year: number;
      revisionId: number;
      templateVersion: TemplateVersion;
    } & StoredFigures)[]
  >`
    SELECT r.agency_id AS "agencyId", r.year, r.current_revision_id AS "revisionId",
           rv.template_version::text AS "templateVersion", ${figureColumnsSql('f')}
    FROM report r
    JOIN (SELECT DISTINCT agency_id, year FROM unnest(${fresh.map((f) => f.agencyId)}::int[],
            ${fresh.map((f) => f.p.report.year)}::int[]) AS q(agency_id, year)) q
      ON r.agency_id = q.agency_id AND r.year IN (q.year - 1, q.year + 1)
    JOIN report_revision rv ON rv.id = r.current_revision_id
    LEFT JOIN revision_figures f ON f.revision_id = rv.id`;
  const years = new Map(rows.map((row) => [`${row.agencyId}/${row.year}`, row]));
  const stored = (agencyId: number, year: number) => {
    const row = years.get(`${agencyId}/${year}`);
    return row
      ? {
          year,
          revisionId: row.revisionId,
          figures: carryOverFigures(row),
        }
      : null;
  };
  const isNew = new Set(revisionIds);
  const written: Row[] = [];
  const crossYearOf: number[] = [];
  for (const [i, f] of fresh.entries()) {
    const revisionId = revisionIds[i] as number;
    const report = f.p.report;
    const figures = figuresOf(report.cells);
    const thisYear: YearFigures = { year: report.year, figures };
    const own = checkReport({
      templateVersion: report.templateVersion,
      year: report.year,
      figures,
      narrative: report.narrative,
    });
    const previous = stored(f.agencyId, report.year - 1);
    written.push(...own.map((x) => toRow(revisionId, null, x)));
    if (previous)
      written.push(
        ...checkCarryOver(thisYear, previous).map((x) => toRow(revisionId, previous.revisionId, x)),
      );
    const next = stored(f.agencyId, report.year + 1);
    if (next && !isNew.has(next.revisionId)) {
      crossYearOf.push(next.revisionId);
      written.push(...checkCarryOver(next, thisYear).map((x) => toRow(next.revisionId, revisionId, x)));
    }
  }
  // New revisions have no findings yet; only the stored next years' cross-year ones are replaced.
  await replaceFindings(tx, { revisionIds: crossYearOf, rules: CROSS_YEAR_RULES }, written);
}
