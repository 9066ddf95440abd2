/**
 * Races played step by step: a second connection holds a lock so that a writer stops where
 * the test wants it, and the test waits until the sessions it expects wait for a lock.
 */
import pg from 'pg';
import type { Db } from '../../src/store/db.ts';
import { databaseUrl } from './db.ts';

export function lockWaits(db: Db) {
  /** Runs `statement` in a transaction of its own connection and keeps it open until released. */
  async function holding(statement: string): Promise<() => Promise<void>> {
    const client = new pg.Client({ connectionString: databaseUrl() });
    await client.connect();
    await client.query('BEGIN');
    await client.query(statement);
    return async () => {
      await client.query('COMMIT');
      await client.end();
    };
  }

  /**
   * Resolves once `count` sessions of this database wait for a lock, or once `unless` settles
   * (a writer that did not wait at all). Polls, since waiting is not announced.
   */
  async function waiting(count: number, unless?: Promise<unknown>): Promise<void> {
    let settled = false;
    unless?.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    const deadline = Date.now() + 30_000;
    while (!settled) {
      const [row] = await db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      if ((row?.n ?? 0) >= count) return;
      if (Date.now() > deadline) throw new Error(`${row?.n} sessions wait for a lock, not ${count}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  return { holding, waiting };
}
