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
  const { ids, total } = await agencyPage(
    sqlRunner(db),
    { nameContains: text },
    { cursor: null, take: limit },
  );
  const rows = await db.$queryRaw<FoundAgency[]>`
    SELECT a.id, a.name, a.region_code AS "regionCode",
           ARRAY(SELECT r.year FROM report r WHERE r.agency_id = a.id ORDER BY r.year) AS years
    FROM agency a WHERE a.id = ANY(${ids})`;
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { agencies: ids.flatMap((id) => byId.get(id) ?? []), total };
}
