/**
 * Sorting and cutting the entries of a comparison (rows, agencies) by one value, shared by
 * compare and change so that "top 5" means the same everywhere: a shared rank for equal
 * values, a deterministic position behind it, and a tie policy at the limit.
 */
import { fail, type Result } from './filter.ts';
import { checkOffset, MAX_ROWS } from './pipeline.ts';
import { raw, type SqlFragment, sql } from './sql.ts';

export type SortDirection = 'DESC' | 'ASC';
/** INCLUDE: every entry tied with the last one inside the limit is kept; CUT: exactly `limit`. */
export type TiePolicy = 'INCLUDE' | 'CUT';

export interface Cut {
  direction: SortDirection;
  limit: number | null;
  offset: number;
  ties: TiePolicy;
}

/** Checks limit (0–MAX_ROWS, or none; 0 answers the counts without entries) and offset (0–MAX_OFFSET). */
export function checkCut(input: {
  direction?: SortDirection | null;
  limit?: number | null;
  offset?: number | null;
  ties?: TiePolicy | null;
}): Result<Cut> {
  if (input.limit != null && (input.limit < 0 || input.limit > MAX_ROWS)) {
    return fail(`limit must be between 0 and ${MAX_ROWS}; leave it out for all.`, 'limit');
  }
  const offsetProblem = input.offset == null ? null : checkOffset(input.offset);
  if (offsetProblem) return offsetProblem;
  return {
    ok: true,
    value: {
      direction: input.direction ?? 'DESC',
      limit: input.limit ?? null,
      offset: input.offset ?? 0,
      ties: input.ties ?? 'INCLUDE',
    },
  };
}

/**
 * Window columns over `key`: rk (equal values share it: 1, 2, 2, 4), pos (1, 2, 3, 4: equal
 * values in `tiebreak` order) and tie_count. Entries without a value come last in either
 * direction and are never tied.
 */
export function rankColumns(key: SqlFragment, cut: Cut, tiebreak: SqlFragment): SqlFragment {
  const order = sql`${key} ${raw(cut.direction === 'ASC' ? 'ASC' : 'DESC')} NULLS LAST`;
  return sql`rank() OVER (ORDER BY ${order})::int AS rk,
    row_number() OVER (ORDER BY ${order}, ${tiebreak})::int AS pos,
    (CASE WHEN ${key} IS NULL THEN 1 ELSE count(*) OVER (PARTITION BY ${key}) END)::int AS tie_count`;
}

/**
 * Condition on the columns of `rankColumns` (on row `alias`): the entries the cut keeps.
 * With INCLUDE, a page at `offset` also leaves out the entries tied with the one at position
 * `offset`: the page before (offset − limit) ended there and, keeping its ties, showed them
 * already. Pages at offset 0, limit, 2·limit… so neither repeat nor skip an entry (they
 * repeated a tie group crossing a page boundary); the page at offset 0 is as before.
 */
export function keptCondition(cut: Cut, key: SqlFragment, alias = 'p'): SqlFragment {
  const col = (name: string) => raw(`${alias}.${name}`);
  // rk <= offset < pos: tied with the entry at `offset` (entries without a value are never tied).
  const after =
    cut.ties === 'INCLUDE' && cut.offset > 0
      ? sql`${col('pos')} > ${cut.offset} AND NOT (${col('rk')} <= ${cut.offset} AND ${key} IS NOT NULL)`
      : sql`${col('pos')} > ${cut.offset}`;
  if (cut.limit === null) return after;
  const end = cut.offset + cut.limit;
  if (cut.ties === 'CUT') return sql`${after} AND ${col('pos')} <= ${end}`;
  return sql`${after} AND (${col('pos')} <= ${end} OR (${col('rk')} <= ${end} AND ${key} IS NOT NULL))`;
}
