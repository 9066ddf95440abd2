/**
 * Typed factories for comparison tests: reports written straight into the tables with
 * exactly the figures a test states, every other cell of the version a reported 0.
 */
import { createHash } from 'node:crypto';
import { cellsOfVersion } from '../../src/catalogue/cells.ts';
import type { TemplateVersion } from '../../src/catalogue/template.ts';
import type { ParsedCell } from '../../src/ingest/types.ts';
import { counted } from '../../src/store/aggregate-maintenance.ts';
import type { Db } from '../../src/store/db.ts';
import { encodeFigures, intArrayLiteral } from '../../src/store/figures.ts';
import { inferAgencyPlace } from '../../src/store/regions.ts';

/** ABSENT leaves the cell out of the stored figures altogether (it then reads as MISSING). */
export type Figure = number | 'NOT_REPORTED' | 'MISSING' | 'ABSENT';

export interface ReportSeed {
  agency: string;
  year: number;
  version: TemplateVersion;
  /** Table-3 outcome rows by row code (总计 column); （七）总计 and 一 are derived unless given. */
  outcomes?: Record<string, Figure>;
  /** Table-3 rows 一/二/四 by row code (总计 column). */
  requests?: { NEW_REQUESTS?: number; CARRIED_OVER?: number; CARRIED_FORWARD?: number };
  /** Any other cell by full code, e.g. T4.REVIEW.CORRECTED or T3.GRANTED.NATURAL_PERSON. */
  cells?: Record<string, Figure>;
}

/** Cells of a seed: 总计 column as given, 自然人 equal to it unless set, other applicants 0. */
export function seedCells(seed: ReportSeed): Map<string, Figure> {
  const cells = new Map<string, Figure>(cellsOfVersion(seed.version).map((c) => [c.code, 0]));
  const outcomes = seed.outcomes ?? {};
  const numeric = Object.values(outcomes).filter((v): v is number => typeof v === 'number');
  const total = outcomes.OUTCOMES_TOTAL ?? numeric.reduce((a, b) => a + b, 0);
  const forward = seed.requests?.CARRIED_FORWARD ?? 0;
  const over = seed.requests?.CARRIED_OVER ?? 0;
  const rows: Record<string, Figure> = {
    ...outcomes,
    OUTCOMES_TOTAL: total,
    CARRIED_OVER: over,
    CARRIED_FORWARD: forward,
    NEW_REQUESTS: seed.requests?.NEW_REQUESTS ?? (typeof total === 'number' ? total + forward - over : 0),
  };
  for (const [row, value] of Object.entries(rows)) {
    for (const column of ['TOTAL', 'NATURAL_PERSON']) {
      const code = `T3.${row}.${column}`;
      if (!cells.has(code)) throw new Error(`${seed.version} has no cell ${code}`);
      cells.set(code, value);
    }
  }
  for (const [code, value] of Object.entries(seed.cells ?? {})) {
    if (!cells.has(code)) throw new Error(`${seed.version} has no cell ${code}`);
    cells.set(code, value);
  }
  return cells;
}

/** Stores one report as the current revision; the agency is placed by name like an import does. */
export async function seedReport(db: Db, seed: ReportSeed): Promise<{ agencyId: number; reportId: number }> {
  // One transaction that counts the report into the aggregates, as the store's writes do.
  return db.$transaction((tx) => counted(tx, () => seedReportIn(tx as unknown as Db, seed)));
}

async function seedReportIn(db: Db, seed: ReportSeed): Promise<{ agencyId: number; reportId: number }> {
  const place = await inferAgencyPlace(db, seed.agency);
  const kind = /(人民政府|街道办事处)$/.test(seed.agency) ? 'GOVERNMENT' : 'DEPARTMENT';
  const [agency] = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO agency (name, kind, region_code, level)
    VALUES (${seed.agency}, ${kind}::"AgencyKind", ${place.regionCode}, ${place.level}::"AdministrativeLevel")
    ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`;
  if (!agency) throw new Error('no agency');
  const [report] = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO report (agency_id, year) VALUES (${agency.id}, ${seed.year}) RETURNING id`;
  if (!report) throw new Error('no report');
  const text = `${seed.agency} ${seed.year} seeded`;
  const [revision] = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO report_revision (report_id, number, template_version, agency_name_as_printed, source_bytes,
                                 source_sha256, source_encoding, source_format)
    VALUES (${report.id}, 1, ${seed.version}::"TemplateVersion", ${seed.agency}, ${Buffer.from(text)},
            ${createHash('sha256').update(text).digest('hex')}, 'utf-8', 'text')
    RETURNING id`;
  if (!revision) throw new Error('no revision');
  const cells: ParsedCell[] = [...seedCells(seed)]
    .filter(([, v]) => v !== 'ABSENT')
    .map(([code, v]) => ({
      code,
      status: typeof v === 'number' ? 'REPORTED' : v === 'NOT_REPORTED' ? 'NOT_REPORTED' : 'MISSING',
      value: typeof v === 'number' ? String(v) : null,
      rawText: typeof v === 'number' ? String(v) : v === 'NOT_REPORTED' ? '/' : null,
      line: null,
    }));
  const figures = encodeFigures(cells);
  await db.$executeRaw`
    INSERT INTO revision_figures (revision_id, template_version, statuses, int_values, decimal_values)
    VALUES (${revision.id}, ${seed.version}::"TemplateVersion", convert_to(${figures.statuses}, 'UTF8'), ${intArrayLiteral(figures.intValues)}::int[],
            ${JSON.stringify(figures.decimalValues)}::jsonb)`;
  await db.$executeRaw`UPDATE report SET current_revision_id = ${revision.id} WHERE id = ${report.id}`;
  return { agencyId: agency.id, reportId: report.id };
}
