/**
 * The per-host schedule every collection worker shares: one row per host with the time the
 * next request may start, moved forward atomically by each reservation, so the delay between
 * requests to a site holds however many workers on however many machines fetch from it. Times
 * are the database's, so the workers' clocks need not agree.
 */
import type { Db } from './db.ts';

/** Reserves the next start for `host`, `delayMs` after the one before; resolves to the wait in ms. */
export async function reserveHostSlot(db: Db, host: string, delayMs: number): Promise<number> {
  const delay = `${Math.max(0, Math.round(delayMs))} milliseconds`;
  const [row] = await db.$queryRaw<{ wait_ms: number }[]>`
    INSERT INTO collect_host AS h (host, next_start) VALUES (${host}, now() + ${delay}::interval)
    ON CONFLICT (host) DO UPDATE SET next_start = greatest(h.next_start, now()) + ${delay}::interval
    RETURNING (extract(epoch FROM (next_start - ${delay}::interval - now())) * 1000)::float8 AS wait_ms`;
  return Math.max(0, row?.wait_ms ?? 0);
}

/** No request to `host` starts for `ms` (its Retry-After), whichever worker reserves next. */
export async function holdHost(db: Db, host: string, ms: number): Promise<void> {
  const hold = `${Math.max(0, Math.round(ms))} milliseconds`;
  await db.$executeRaw`
    INSERT INTO collect_host AS h (host, next_start) VALUES (${host}, now() + ${hold}::interval)
    ON CONFLICT (host) DO UPDATE SET next_start = greatest(h.next_start, EXCLUDED.next_start)`;
}
