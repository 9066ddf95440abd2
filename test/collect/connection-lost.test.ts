import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { Db } from '../../src/store/db.ts';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
import { runCollectIn as run } from './site-suite.ts';

/**
 * Holds collection_item locked, so that the next read of a run's counts waits on the lock, and
 * ends that waiting connection with pg_terminate_backend `times` times (the next wait each
 * time), as an administrator or a pooler restart would.
 */
async function dropFollowersConnection(times: number) {
  const locker = new pg.Client({ connectionString: databaseUrl() });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE collection_item IN ACCESS EXCLUSIVE MODE');
    for (let dropped = 0; dropped < times; ) {
      // Within a transaction pg_stat_activity is read once, unless its snapshot is cleared.
      await locker.query('SELECT pg_stat_clear_snapshot()');
      // Only what waits for collection_item: the job queue's own connections wait on its advisory
      // locks at times, and ending one of those instead left the follower waiting for ever.
      const { rows } = await locker.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks
         WHERE NOT granted AND relation = 'collection_item'::regclass AND pid <> pg_backend_pid()
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      dropped += rows.length;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await locker.query('COMMIT');
    await locker.end();
  }
}

describe('collect: the connection to PostgreSQL drops', () => {
  let db: Db;
  beforeAll(() => {
    db = testDb();
  });
  beforeEach(async () => {
    await resetDatabase(db);
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  /** A run queued and left to workers, which the tests follow without working. */
  const queueRun = async () => {
    const queued = await run(['http://127.0.0.1:1/xxgk/index.html', '--detach']);
    return Number(/Run (\d+) queued/.exec(queued.out.join('\n'))?.[1]);
  };

  it('once: following goes on with a new connection', async () => {
    const runId = await queueRun();
    const stop = new AbortController();
    const following = run(['--follow', String(runId), '--no-work', '--polling', '0.5'], stop.signal);
    await dropFollowersConnection(1);
    stop.abort();
    const { code, out, err } = await following;
    // Stopping a watcher stops watching, not the run.
    expect(code, err).toBe(130);
    expect(out.join('\n')).toMatch(/^Stopped following \(the run goes on\): Run \d+/m);
  });

  it('twice in a row: says the connection was lost and how to pick the run up, not that the server cannot be reached', async () => {
    const runId = await queueRun();
    const said: string[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation((text) => said.push(String(text)));
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = databaseUrl();
    try {
      const following = main(['collect', '--follow', String(runId), '--no-work', '--polling', '0.5']);
      await dropFollowersConnection(2);
      expect(await following).toBe(3);
    } finally {
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
      error.mockRestore();
    }
    const text = said.join('\n');
    expect(text).toContain(`Error: The connection to PostgreSQL was lost during collection run ${runId}`);
    expect(text).toContain(`npm run cli -- collect --follow ${runId}`);
    expect(text).not.toContain('cannot be reached');
    const left = await db.collectionRun.findUniqueOrThrow({ where: { id: runId } });
    expect(left.status).toBe('RUNNING');
  });
});
