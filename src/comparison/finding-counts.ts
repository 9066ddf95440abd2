/**
 * Counts of validation findings over the current revisions of the reports in scope, per
 * agency and year or per region and year, as SQL aggregates. Agencies are chosen with the
 * same agency filter as every comparison.
 */
import { AGENCY_LEVEL_INFO, type AgencyLevel } from '../catalogue/regions.ts';
import {
  type AgencyFilterInput,
  agencyCondition,
  checkAgencyFilter,
  emptyList,
  fail,
  type InputIssue,
  type Result,
  yearOutOfRange,
} from './filter.ts';
import { join, type SqlFragment, type SqlRunner, sql } from './sql.ts';

export type FindingSeverity = 'ERROR' | 'WARNING' | 'INFO';
export type FindingStatus = 'VIOLATED' | 'INCOMPLETE';

/** Which findings: of which rules, severity and status, in reports of which agencies and years. */
export interface FindingFilter {
  rules?: readonly string[] | null;
  severity?: FindingSeverity | null;
  status?: FindingStatus | null;
  agency?: AgencyFilterInput | null;
  /** Report years. */
  years?: readonly number[] | null;
  /** Also findings of revisions a later import replaced (lists only; counts are of current revisions). */
  includeSuperseded?: boolean | null;
}

export interface FindingCounts {
  reports: number;
  reportsWithFindings: number;
  findings: number;
  errors: number;
  warnings: number;
  infos: number;
}

export interface AgencyFindingCounts extends FindingCounts {
  agencyId: number;
  year: number;
}

export interface RegionFindingCounts extends FindingCounts {
  /** Null for agencies without a region, and for every row when grouped nationally. */
  regionCode: string | null;
  regionName: string | null;
  year: number;
}

export const MAX_COUNT_ROWS = 1000;

/** Checks a finding filter; `argument` is where the agency conditions sit in the caller's arguments. */
export function checkFindingFilter(
  filter: FindingFilter | null | undefined,
  argument = 'filter',
): InputIssue | null {
  return (
    emptyList(filter?.rules, `${argument}.rules`, 'every rule') ??
    emptyList(filter?.years, `${argument}.years`, 'every year') ??
    yearOutOfRange(filter?.years ?? [], `${argument}.years`) ??
    checkAgencyFilter(filter?.agency, argument)
  );
}

/** The filter as SQL over `report r JOIN agency a` and `finding f` (current revisions only). */
function conditions(filter: FindingFilter | null | undefined) {
  const report: SqlFragment[] = [sql`r.current_revision_id IS NOT NULL`, agencyCondition(filter?.agency)];
  if (filter?.years?.length) report.push(sql`r.year = ANY(${[...filter.years]}::int[])`);
  const finding: SqlFragment[] = [sql`f.revision_id = r.current_revision_id`];
  if (filter?.rules?.length) finding.push(sql`f.rule_id = ANY(${[...filter.rules]}::text[])`);
  if (filter?.severity) finding.push(sql`f.severity = ${filter.severity}::"FindingSeverity"`);
  if (filter?.status) finding.push(sql`f.status = ${filter.status}::"FindingStatus"`);
  return { report: join(report, ' AND '), finding: join(finding, ' AND ') };
}

const COUNT_COLUMNS = sql`
  count(DISTINCT r.id)::int AS reports,
  count(DISTINCT r.id) FILTER (WHERE f.id IS NOT NULL)::int AS "reportsWithFindings",
  count(f.id)::int AS findings,
  count(f.id) FILTER (WHERE f.severity = 'ERROR')::int AS errors,
  count(f.id) FILTER (WHERE f.severity = 'WARNING')::int AS warnings,
  count(f.id) FILTER (WHERE f.severity = 'INFO')::int AS infos`;

/**
 * Matching findings per agency and year, most findings first; a report with no matching
 * finding counts with zeros. At most `limit` rows (0–1000, default 100), after skipping `offset`
 * (the order is total: findings, then year, then agency id, so pages neither skip nor repeat a
 * row while nothing is imported).
 */
export async function findingCountsByAgency(
  runner: SqlRunner,
  input: { filter?: FindingFilter | null; limit?: number | null; offset?: number | null },
): Promise<Result<AgencyFindingCounts[]>> {
  const issue = checkFindingFilter(input.filter);
  if (issue) return { ok: false, issue };
  const limit = input.limit ?? 100;
  if (limit < 0 || limit > MAX_COUNT_ROWS) {
    return fail(`limit must be between 0 and ${MAX_COUNT_ROWS}, got ${limit}.`, 'limit');
  }
  const offset = input.offset ?? 0;
  if (offset < 0) return fail(`offset must be 0 or more, got ${offset}.`, 'offset');
  const where = conditions(input.filter);
  const rows = await runner.query<AgencyFindingCounts>(sql`
    SELECT a.id AS "agencyId", r.year, ${COUNT_COLUMNS}
    FROM report r
    JOIN agency a ON a.id = r.agency_id
    LEFT JOIN finding f ON ${where.finding}
    WHERE ${where.report}
    GROUP BY a.id, r.year
    ORDER BY count(f.id) DESC, r.year DESC, a.id
    LIMIT ${limit} OFFSET ${offset}`);
  return { ok: true, value: rows };
}

/**
 * Matching findings per region and year. Agencies are grouped into the division of level
 * `groupBy` (default PROVINCE) that contains them, so a city department stays at its city
 * when grouping by county; NATIONAL gives one row per year.
 */
export async function findingCountsByRegion(
  runner: SqlRunner,
  input: { filter?: FindingFilter | null; groupBy?: AgencyLevel | null },
): Promise<Result<RegionFindingCounts[]>> {
  const issue = checkFindingFilter(input.filter);
  if (issue) return { ok: false, issue };
  const level = input.groupBy ?? 'PROVINCE';
  const length = AGENCY_LEVEL_INFO[level].prefixLength;
  const group =
    length === 0
      ? sql`NULL::text`
      : length <= 6
        ? sql`rpad(left(a.region_code, ${length}), 6, '0')`
        : sql`left(a.region_code, ${length})`;
  const where = conditions(input.filter);
  const rows = await runner.query<RegionFindingCounts>(sql`
    SELECT c.*, g.name AS "regionName"
    FROM (
      SELECT ${group} AS "regionCode", r.year, ${COUNT_COLUMNS}
      FROM report r
      JOIN agency a ON a.id = r.agency_id
      LEFT JOIN finding f ON ${where.finding}
      WHERE ${where.report}
      GROUP BY 1, r.year
    ) c
    LEFT JOIN region g ON g.code = c."regionCode"
    ORDER BY c."regionCode" NULLS LAST, c.year`);
  return { ok: true, value: rows };
}

/**
 * ERROR findings (identities that do not hold) of the current report of each agency in `year`,
 * by agency id; agencies without a report that year are left out. One statement for a page of
 * ranking entries or comparison rows, so that a ratio above 1 can be seen to come from a report
 * that does not add up.
 */
export async function errorFindingsOf(
  runner: SqlRunner,
  year: number,
  agencyIds: readonly number[],
): Promise<Map<number, number>> {
  const rows = await runner.query<{ agencyId: number; errors: number }>(sql`
    SELECT r.agency_id AS "agencyId", count(f.id)::int AS errors
    FROM report r
    LEFT JOIN finding f ON f.revision_id = r.current_revision_id AND f.severity = 'ERROR'
    WHERE r.year = ${year} AND r.agency_id = ANY(${[...agencyIds]}::int[])
    GROUP BY r.agency_id`);
  return new Map(rows.map((r) => [r.agencyId, r.errors]));
}
