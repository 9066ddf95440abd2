/**
 * The one place that reads the stored neighbours of a report (the current revisions of the
 * year before and after, of the same agency) with the figures the cross-year rules compare.
 */
import { CARRY_OVER_LINKS } from '../catalogue/identities.ts';
import { TABLE2_ITEM_LINKS } from '../catalogue/table2-rules.ts';
import type { TemplateVersion } from '../catalogue/template.ts';
import { figuresOf, type YearFigures } from '../validation/check.ts';
import { agencyIdByName } from './agency-identity.ts';
import type { Db, SqlTransaction } from './db.ts';
import { decodeFigures, figureColumnsSql, type StoredFigures } from './figures.ts';

type Tx = SqlTransaction | Db;

export interface StoredYear extends YearFigures {
  revisionId: number;
}

export interface Neighbours {
  previous: StoredYear | null;
  next: StoredYear | null;
}

/** The cells cross-year rules compare; only these are decoded for neighbouring years. */
const CARRY_CODES = [
  ...CARRY_OVER_LINKS.flatMap((l) => [l.previousYear.cell, l.thisYear.cell]),
  ...TABLE2_ITEM_LINKS.flatMap((l) => [...l.previousYear.cells, ...l.thisYear.cells]),
];

/** The figures of a stored neighbouring year that cross-year rules compare: only the carry-over cells are decoded. */
export const carryOverFigures = (row: StoredFigures & { templateVersion: TemplateVersion }) =>
  figuresOf(decodeFigures(row.templateVersion, row, { only: CARRY_CODES }));

type NeighbourRow = {
  agencyId: number;
  year: number;
  revisionId: number;
  templateVersion: TemplateVersion;
} & StoredFigures;

const storedYear = (row: NeighbourRow): StoredYear => ({
  year: row.year,
  revisionId: row.revisionId,
  figures: carryOverFigures(row),
});

/** The current revisions of year−1 and year+1 of one agency, with the figures cross-year rules need. */
export async function loadNeighbours(
  tx: Tx,
  agency: { id: number } | { name: string },
  year: number,
): Promise<Neighbours> {
  // By name: the stored agency that name, or another printed form of it, refers to.
  const agencyId = 'id' in agency ? agency.id : ((await agencyIdByName(tx, agency.name)) ?? 0);
  const rows = await tx.$queryRaw<NeighbourRow[]>`
    SELECT r.agency_id AS "agencyId", r.year, r.current_revision_id AS "revisionId",
           rv.template_version::text AS "templateVersion", ${figureColumnsSql('f')}
    FROM report r
    JOIN report_revision rv ON rv.id = r.current_revision_id
    LEFT JOIN revision_figures f ON f.revision_id = rv.id
    WHERE r.agency_id = ${agencyId} AND r.year IN (${year - 1}, ${year + 1})`;
  const neighbour = (wanted: number): StoredYear | null => {
    const row = rows.find((r) => r.year === wanted);
    return row ? storedYear(row) : null;
  };
  return { previous: neighbour(year - 1), next: neighbour(year + 1) };
}

/**
 * The neighbours of many reports in one statement (bulk import): `stored(agencyId, year)`
 * answers the current revision of that agency and year if it is a neighbour of one of them.
 */
export async function loadNeighboursOfMany(
  tx: Tx,
  reports: readonly { agencyId: number; year: number }[],
): Promise<(agencyId: number, year: number) => StoredYear | null> {
  const rows = await tx.$queryRaw<NeighbourRow[]>`
    SELECT r.agency_id AS "agencyId", r.year, r.current_revision_id AS "revisionId",
           rv.template_version::text AS "templateVersion", ${figureColumnsSql('f')}
    FROM report r
    JOIN (SELECT DISTINCT agency_id, year FROM unnest(${reports.map((r) => r.agencyId)}::int[],
            ${reports.map((r) => r.year)}::int[]) AS q(agency_id, year)) q
      ON r.agency_id = q.agency_id AND r.year IN (q.year - 1, q.year + 1)
    JOIN report_revision rv ON rv.id = r.current_revision_id
    LEFT JOIN revision_figures f ON f.revision_id = rv.id`;
  const years = new Map(rows.map((row) => [`${row.agencyId}/${row.year}`, row]));
  return (agencyId, year) => {
    const row = years.get(`${agencyId}/${year}`);
    return row ? storedYear(row) : null;
  };
}
