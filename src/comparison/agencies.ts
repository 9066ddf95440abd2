/**
 * Agency lists by the agency filter: one page of ids and how many match in all. Without a
 * name the list is in id order; with `nameContains` it is a search ranked by similarity.
 */
import { agencyNameVariants, characterBigrams } from '../catalogue/agency-names.ts';
import { type AgencyFilterInput, agencyCondition } from './filter.ts';
import { join, type SqlFragment, type SqlRunner, sql } from './sql.ts';

/**
 * A row's place in an agency list: its id, and for a name search its similarity too (the list
 * is ordered by score, then id). Given as the place itself rather than as a row to look up, so
 * a page still starts there after that agency is gone (merged into another, say).
 */
export interface AgencyPosition {
  id: number;
  /** The row's `score` as PostgreSQL printed it (exact numeric text); null outside a name search. */
  score: string | null;
}

export interface AgencyPageRequest {
  /** Where the page starts after (before, when `take` is negative); null for the first or last page. */
  from: AgencyPosition | null;
  /** Ids to return; negative takes the last ones before `from`, as Prisma's cursor paging does. */
  take: number;
}

export interface AgencyPage {
  /** In list order (id order, or by similarity for a name search), also when paging backwards. */
  ids: number[];
  /** Each id's position, in the same order: what a cursor of that row holds. */
  positions: AgencyPosition[];
  total: number;
}

/** Whether the filter makes the list a name search (ordered by similarity) rather than by id. */
export const isNameSearch = (filter: { nameContains?: string | null } | null | undefined) =>
  !!filter?.nameContains?.trim();

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
  const name = isNameSearch(filter) ? (filter?.nameContains ?? null) : null;
  // The search ranks by similarity; every other condition filters as in the comparisons.
  const others = agencyCondition({ ...filter, nameContains: null });
  const hits = name
    ? sql`scored AS (SELECT a.id, ${nameSearchColumns(name)} FROM agency a WHERE ${others}),
      -- Near matches only when nothing contains the text: an exact part of a name is never
      -- crowded out, and a list that found names before finds the same ones.
      hits AS (SELECT id, score FROM scored
               WHERE exact OR (coverage >= ${NEAR_MATCH_COVERAGE} AND NOT EXISTS (SELECT 1 FROM scored WHERE exact)))`
    : sql`hits AS (SELECT a.id, NULL::numeric AS score FROM agency a WHERE ${others})`;
  // Beyond the position itself, not beyond the row at it: a cursor whose agency has since been
  // merged away still pages on from where it was (looking its row up gave NULL, an empty page).
  // The order is total (score, then id), so no row is repeated or skipped at the position.
  const from = page.from;
  const beyond =
    from === null
      ? sql`TRUE`
      : name
        ? backward
          ? sql`(score > ${from.score}::numeric OR (score = ${from.score}::numeric AND id < ${from.id}))`
          : sql`(score < ${from.score}::numeric OR (score = ${from.score}::numeric AND id > ${from.id}))`
        : backward
          ? sql`id < ${from.id}`
          : sql`id > ${from.id}`;
  const order = backward ? sql`score ASC, id DESC` : sql`score DESC, id ASC`;
  const [row] = await runner.query<{ total: number; ids: number[]; scores: (string | null)[] }>(sql`
    WITH ${hits},
    page AS (SELECT id, score FROM hits WHERE ${beyond} ORDER BY ${order} LIMIT ${Math.abs(page.take)})
    SELECT (SELECT count(*)::int FROM hits) AS total,
           ARRAY(SELECT id FROM page ORDER BY score DESC, id) AS ids,
           ARRAY(SELECT score::text FROM page ORDER BY score DESC, id) AS scores`);
  const ids = row?.ids ?? [];
  const scores = row?.scores ?? [];
  return {
    ids,
    positions: ids.map((id, i) => ({ id, score: name ? (scores[i] ?? null) : null })),
    total: row?.total ?? 0,
  };
}
