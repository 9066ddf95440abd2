/** Agency lists by the agency filter: one page of ids in id order, and how many match in all. */
import { type AgencyFilterInput, agencyCondition } from './filter.ts';
import { type SqlRunner, sql } from './sql.ts';

export interface AgencyPageRequest {
  /** Id the page starts after (before, when `take` is negative); null for the first or last page. */
  cursor: number | null;
  /** Ids to return; negative takes the last ones before the cursor, as Prisma's cursor paging does. */
  take: number;
}

export interface AgencyPage {
  /** In ascending id order, also when paging backwards. */
  ids: number[];
  total: number;
}

/** The page and the total in one statement, so a listing costs no more round trips than before. */
export async function agencyPage(
  runner: SqlRunner,
  filter: AgencyFilterInput | null | undefined,
  page: AgencyPageRequest,
): Promise<AgencyPage> {
  const backward = page.take < 0;
  const beyond =
    page.cursor === null ? sql`TRUE` : backward ? sql`id < ${page.cursor}` : sql`id > ${page.cursor}`;
  const [row] = await runner.query<{ total: number; ids: number[] }>(sql`
    WITH matched AS (SELECT a.id FROM agency a WHERE ${agencyCondition(filter)})
    SELECT (SELECT count(*)::int FROM matched) AS total,
           ARRAY(SELECT id FROM matched WHERE ${beyond}
                 ORDER BY id ${backward ? sql`DESC` : sql`ASC`} LIMIT ${Math.abs(page.take)}) AS ids`);
  const ids = row?.ids ?? [];
  return { ids: backward ? ids.reverse() : ids, total: row?.total ?? 0 };
}
