/**
 * Agency lists by the agency filter: one page of ids and how many match in all. Without a
 * name the list is in id order; with `nameContains` it is a search ranked by similarity.
 */
import { agencyNameVariants, characterBigrams } from '../catalogue/agency-names.ts';
import { type AgencyFilterInput, agencyCondition } from './filter.ts';
import { join, type SqlFragment, type SqlRunner, sql } from './sql.ts';

export interface AgencyPageRequest {
  /** Id the page starts after (before, when `take` is negative); null for the first or last page. */
  cursor: number | null;
  /** Ids to return; negative takes the last ones before the cursor, as Prisma's cursor paging does. */
  take: number;
}

export interface AgencyPage {
  /** In list order (id order, or by similarity for a name search), also when paging backwards. */
  ids: number[];
  total: number;
}

/** Share of the searched text's character pairs a name must contain to be a near match. */
export const NEAR_MATCH_COVERAGE = 0.6;

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The name search as SQL over `agency a`: `exact` (the name contains the text as typed, or
 * one of its variants: without a leading province, abbreviations written out), `score` (Dice
 * similarity of character pairs, the best over the variants) and `coverage` (the share of the
 * variant's pairs the name contains). Character pairs rather than pg_trgm's trigrams because
 * pg_trgm reads no trigrams from Chinese under the C locale the embedded server uses; the
 * trigram index serves the LIKE on servers whose locale classifies CJK characters.
 */
function nameSearchColumns(text: string): SqlFragment {
  const variants = agencyNameVariants(text);
  if (variants.length === 0) return sql`TRUE AS exact, 1.0 AS score, 1.0 AS coverage`;
  const exact = join(
    variants.map((v) => sql`a.name LIKE ${likePattern(v)}`),
    ' OR ',
  );
  const measured = variants.map((v) => ({ pairs: characterBigrams(v) })).filter((v) => v.pairs.length > 0);
  if (measured.length === 0) return sql`(${exact}) AS exact, 0.0 AS score, 0.0 AS coverage`;
  const found = (pairs: string[]) =>
    sql`(SELECT count(*) FROM unnest(${pairs}::text[]) g WHERE strpos(a.name, g) > 0)`;
  const scores = measured.map(
    ({ pairs }) => sql`2.0 * ${found(pairs)} / (${pairs.length} + greatest(char_length(a.name) - 1, 1))`,
  );
  const coverages = measured.map(({ pairs }) => sql`${found(pairs)}::numeric / ${pairs.length}`);
  return sql`(${exact}) AS exact, greatest(${join(scores)}) AS score, greatest(${join(coverages)}) AS coverage`;
}

/** The page and the total in one statement, so a listing costs no more round trips than before. */
export async function agencyPage(
  runner: SqlRunner,
  filter: AgencyFilterInput | null | undefined,
  page: AgencyPageRequest,
): Promise<AgencyPage> {
  const backward = page.take < 0;
  const name = filter?.nameContains?.trim() ? filter.nameContains : null;
  // The search ranks by similarity; every other condition filters as in the comparisons.
  const others = agencyCondition({ ...filter, nameContains: null });
  const hits = name
    ? sql`scored AS (SELECT a.id, ${nameSearchColumns(name)} FROM agency a WHERE ${others}),
      -- Near matches only when nothing contains the text: an exact part of a name is never
      -- crowded out, and a list that found names before finds the same ones.
      hits AS (SELECT id, row_number() OVER (ORDER BY score DESC, id) AS pos FROM scored
               WHERE exact OR (coverage >= ${NEAR_MATCH_COVERAGE} AND NOT EXISTS (SELECT 1 FROM scored WHERE exact)))`
    : sql`hits AS (SELECT a.id, a.id AS pos FROM agency a WHERE ${others})`;
  const at = page.cursor === null ? null : sql`(SELECT pos FROM hits WHERE id = ${page.cursor})`;
  const beyond = at === null ? sql`TRUE` : backward ? sql`pos < ${at}` : sql`pos > ${at}`;
  const [row] = await runner.query<{ total: number; ids: number[] }>(sql`
    WITH ${hits}
    SELECT (SELECT count(*)::int FROM hits) AS total,
           ARRAY(SELECT id FROM hits WHERE ${beyond}
                 ORDER BY pos ${backward ? sql`DESC` : sql`ASC`} LIMIT ${Math.abs(page.take)}) AS ids`);
  const ids = row?.ids ?? [];
  return { ids: backward ? ids.reverse() : ids, total: row?.total ?? 0 };
}
