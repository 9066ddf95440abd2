/** What `regions find` asks of the region table: whether it is loaded, and a region's name. */
import type { Db } from './db.ts';

/** Whether the region table holds any division (`regions load` has run). */
export async function regionsLoaded(db: Db): Promise<boolean> {
  return (await db.region.count()) > 0;
}

/** The name of the region with this code, if it is stored. */
export async function regionName(db: Db, code: string): Promise<string | undefined> {
  const [region] = await db.$queryRaw<{ name: string }[]>`SELECT name FROM region WHERE code = ${code}`;
  return region?.name;
}
