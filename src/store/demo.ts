/** What the database holds of the synthetic demo, so serve --demo loads it only once. */
import type { Db } from './db.ts';

/**
 * Synthetic agencies in all, and how many agencies named in `focus` (the README's examples) are
 * there: synthetic ones, and published ones of those names, which the demo leaves as they are.
 */
export async function countSyntheticAgencies(
  db: Db,
  focus: readonly string[],
): Promise<{ synthetic: number; focus: number } | undefined> {
  const [row] = await db.$queryRaw<{ synthetic: number; focus: number }[]>`
    SELECT count(*) FILTER (WHERE synthetic)::int AS synthetic,
           count(*) FILTER (WHERE name = ANY(${[...focus]}::text[]))::int AS focus
    FROM agency`;
  return row;
}
