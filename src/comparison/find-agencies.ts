/** Stored agencies by name, for the command line: the search behind `agencies(filter: { nameContains })`. */

import type { Db } from '../store/db.ts';
import { sqlRunner } from '../store/sql-runner.ts';
import { agencyPage } from './agencies.ts';

export interface FoundAgency {
  id: number;
  name: string;
  regionCode: string | null;
  years: number[];
}

/** The first `limit` agencies the name search finds, most similar first, and how many it finds in all. */
export async function findAgencies(
  db: Db,
  text: string,
  limit: number,
): Promise<{ agencies: FoundAgency[]; total: number }> {
  const { ids, total } = await agencyPage(sqlRunner(db), { nameContains: text }, { from: null, take: limit });
  const rows = await db.$queryRaw<FoundAgency[]>`
    SELECT a.id, a.name, a.region_code AS "regionCode",
           ARRAY(SELECT r.year FROM report r WHERE r.agency_id = a.id ORDER BY r.year) AS years
    FROM agency a WHERE a.id = ANY(${ids})`;
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { agencies: ids.flatMap((id) => byId.get(id) ?? []), total };
}

/**
 * Why a name given to look an agency up finds none, with the stored agencies the name search
 * finds for it: 中卫科技局 is no stored name nor another way of printing one, though the search
 * finds 中卫市科学技术局. Said so an answer of "no report" is never mistaken for a name not known.
 * `search` names the way to run the search where the question came from.
 */
export async function unknownAgencyMessage(db: Db, name: string, search: string): Promise<string> {
  const { agencies, total } = await findAgencies(db, name, 3);
  const years = (a: FoundAgency) =>
    a.years.length === 0
      ? 'no reports'
      : a.years.length === 1
        ? `${a.years[0]}`
        : `${a.years[0]}–${a.years[a.years.length - 1]}`;
  const found = agencies.map((a) => `${a.name} (${years(a)})`).join(', ');
  return `No stored agency is named "${name}", with or without the places above it. ${
    total === 0
      ? `The name search (${search}) finds none like it either.`
      : `The name search (${search}) finds ${found}${total > agencies.length ? ` and ${total - agencies.length} more` : ''}; give the agency's name as one of those.`
  }`;
}
