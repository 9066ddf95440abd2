/**
 * The path every comparison takes: build the facts of the requested metrics, run one
 * statement over them and hand back its single row with the facts that decode it; and the
 * page check of the comparisons that return rows (compare, series).
 */
import type { MetricSpec } from '../catalogue/metrics.ts';
import type { FactsPath } from './aggregates.ts';
import { buildFacts, type Facts } from './facts.ts';
import { fail, type ReportFilter, type Result } from './filter.ts';
import { type SqlFragment, type SqlRunner, sql } from './sql.ts';

export const MAX_ROWS = 10_000;

/**
 * The largest `offset`: far past any list (a million reports), and small enough that offset
 * plus limit stays a PostgreSQL int, which a sorted page compares positions with (2,147,483,647
 * plus 1 failed there as "Unexpected error.").
 */
export const MAX_OFFSET = 1_000_000_000;

/** Why `offset` cannot be used, or null. */
export const checkOffset = (offset: number) =>
  offset < 0 || offset > MAX_OFFSET
    ? fail(`offset must be between 0 and ${MAX_OFFSET.toLocaleString('en')}.`, 'offset')
    : null;

/** A page of rows as asked for: limit 0–10000 (default 1000), offset not negative. */
export function checkPage(input: {
  limit?: number | null;
  offset?: number | null;
}): Result<{ limit: number; offset: number }> {
  const limit = input.limit ?? 1000;
  if (limit < 0 || limit > MAX_ROWS) return fail(`limit must be between 0 and ${MAX_ROWS}.`, 'limit');
  const offset = input.offset ?? 0;
  const offsetProblem = checkOffset(offset);
  if (offsetProblem) return offsetProblem;
  return { ok: true, value: { limit, offset } };
}

/**
 * Runs `WITH facts… <rest>` as one statement. `rest` continues the WITH clause: either more
 * CTEs (starting with a comma) or the final SELECT over `facts` / `facts_all`.
 */
export async function queryFacts<Row>(
  runner: SqlRunner,
  specs: readonly MetricSpec[],
  filter: ReportFilter | null | undefined,
  rest: (facts: Facts) => SqlFragment,
  path: FactsPath = 'AUTO',
  options: Parameters<typeof buildFacts>[3] = {},
): Promise<{ facts: Facts; row: Row | undefined }> {
  const facts = buildFacts(specs, filter, path, options);
  const [row] = await runner.query<Row>(sql`${facts.with}${rest(facts)}`);
  return { facts, row };
}
