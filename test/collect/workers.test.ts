import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCollect, runWorker } from '../../src/cli/collect.ts';
import type { ImportIo } from '../../src/cli/import.ts';
import { collect, DEFAULT_FETCH_SETTINGS, DEFAULT_RUN_SETTINGS } from '../../src/collect/index.ts';
import type { Db } from '../../src/store/db.ts';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
import { type FixtureSite, startFixtureSite } from '../support/fixture-site.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

const startWorker = () =>
  startWorkerProcess(databaseUrl(), ['--concurrency', '2', '--polling', '0.5', '--maintenance', '1']);

const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const SETTINGS = {
  ...DEFAULT_RUN_SETTINGS,
  fetch: { ...DEFAULT_FETCH_SETTINGS, delayMs: 0, perHost: 4, timeoutMs: 5_000, retries: 1, backoffMs: 0 },
  // A dead worker's job is retried this soon; the live ones finish theirs well within it.
  jobExpirySeconds: 4,
};

describe('collection workers sharing one queue', () => {
  let db: Db;
  let site: FixtureSite;
  const workers: WorkerProcess[] = [];

  beforeAll(() => {
    db = testDb();
  });
  beforeEach(async () => {
    await resetDatabase(db);
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) w.child.kill('SIGKILL');
    await site?.close();
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  it('three workers, one SIGKILLed mid-run: every report is stored exactly once and the run completes', {
    timeout: 120_000,
  }, async () => {
    site = await startFixtureSite({ bulk: 24, bulkLatencyMs: 250 });
    workers.push(...(await Promise.all([startWorker(), startWorker(), startWorker()])));
    const victim = workers[0] as WorkerProcess;

    let victimHeld: string[] = [];
    const finished = collect(db, databaseUrl(), {
      start: { seeds: [site.bulkSeed], settings: SETTINGS, startedBy: 'test' },
      concurrency: 0, // only the three workers work
      worker: { actor: 'test' },
    });
    // Kill the first worker while it holds report links (its fetches take 250 ms each).
    await waitFor('the first worker to hold report links', async () => {
      const held = await db.collectionItem.findMany({
        where: { kind: 'REPORT', state: 'TAKEN', worker: victim.name },
        select: { url: true },
      });
      victimHeld = held.map((h) => h.url);
      return victimHeld.length > 0;
    });
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBeNull();

    const summary = await finished;
    expect(summary.run.status).toBe('DONE');
    expect(summary.counts).toMatchObject({ found: 24, done: 24, imported: 24, failed: 0, refused: 0 });

    // Each report once: one revision per agency and year, all 24 there.
    const stored = await db.$queryRaw<{ agency: string; year: number; revisions: number }[]>`
      SELECT a.name AS agency, r.year, count(rr.id)::int AS revisions
      FROM report r JOIN agency a ON a.id = r.agency_id JOIN report_revision rr ON rr.report_id = r.id
      GROUP BY a.name, r.year`;
    expect(stored).toHaveLength(24);
    expect(stored.every((s) => s.revisions === 1)).toBe(true);
    expect(new Set(stored.map((s) => `${s.agency}/${s.year}`))).toEqual(
      new Set(site.bulkReports.map((r) => `${r.agency}/${r.year}`)),
    );

    // What the dead worker held was taken again by a live one and finished there.
    const retaken = await db.collectionItem.findMany({ where: { url: { in: victimHeld }, kind: 'REPORT' } });
    for (const item of retaken) {
      expect(item.state).toBe('DONE');
      expect(item.attempts).toBeGreaterThanOrEqual(2);
      expect(item.worker).not.toBe(victim.name);
    }
    // The others did all the work, and both did some.
    const byWorker = await db.collectionItem.groupBy({
      by: ['worker'],
      where: { kind: 'REPORT' },
      _count: true,
    });
    expect(byWorker.map((w) => w.worker).sort()).toEqual([workers[1]?.name, workers[2]?.name].sort());

    // A clean stop: SIGTERM ends a worker with code 0.
    const live = workers[1] as WorkerProcess;
    live.child.kill('SIGTERM');
    expect(await live.exited).toBe(0);
    expect(live.output()).toContain('stopped');
  });

  it('a run stopped while a dead worker held links ends as STOPPED once their jobs expire; it does not wait for ever', {
    timeout: 120_000,
  }, async () => {
    site = await startFixtureSite({ bulk: 12, bulkLatencyMs: 400 });
    const victim = await startWorker();
    workers.push(victim);
    const following = new AbortController();
    // The run is started and stopped here; the victim alone works on it until it is killed.
    const first = collect(db, databaseUrl(), {
      start: { seeds: [site.bulkSeed], settings: SETTINGS, startedBy: 'test' },
      concurrency: 0,
      worker: { actor: 'test' },
      signal: following.signal,
    });
    await waitFor(
      'the worker to hold report links',
      async () => (await db.collectionItem.count({ where: { kind: 'REPORT', state: 'TAKEN' } })) > 0,
    );
    victim.child.kill('SIGKILL');
    await victim.exited;
    following.abort();
    const held = await db.collectionItem.count({ where: { kind: 'REPORT', state: 'TAKEN' } });
    expect(held).toBeGreaterThan(0);
    const runId = (await db.collectionRun.findFirstOrThrow({ select: { id: true } })).id;
    await waitFor('the run to be stopping', async () => {
      const run = await db.collectionRun.findUniqueOrThrow({ where: { id: runId } });
      return run.status === 'STOPPING';
    });

    // Following it says what it waits for, rather than waiting in silence.
    const err: string[] = [];
    const io: ImportIo = { out: () => {}, err: (l) => err.push(l), stderrIsTTY: false };
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = databaseUrl();
    let summary: Awaited<ReturnType<typeof collect>>;
    try {
      const watcher = runCollect(['--follow', String(runId), '--no-work'], io);
      await waitFor('the note on a stopping run', async () => err.join('').includes('is stopping'));
      // Following it with a worker: the dead worker's jobs expire (4 s) and come back, and hand
      // their links back instead of holding the run open.
      summary = await collect(db, databaseUrl(), {
        start: { runId },
        concurrency: 2,
        worker: { actor: 'test', pollingSeconds: 0.5 },
        maintenanceSeconds: 1,
      });
      await watcher;
    } finally {
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
    }
    expect(err.join('')).toContain(
      `Run ${runId} is stopping: it takes no new links. It ends (STOPPED) when the links workers hold are finished; those of a worker that died come back after the job expiry (4 s)`,
    );
    await first;
    expect(summary.run.status).toBe('STOPPED');
    expect(summary.stopped).toBe(true);
    expect(await db.collectionItem.count({ where: { state: 'TAKEN' } })).toBe(0);
  });

  it('a follower that only watches stops watching on Ctrl-C; a stopped run is taken up again by following it with work', {
    timeout: 120_000,
  }, async () => {
    // Two links at a time of 600 ms each: the run is stopped long before its 12 are done.
    site = await startFixtureSite({ bulk: 12, bulkLatencyMs: 600 });
    const out: string[] = [];
    const err: string[] = [];
    const io: ImportIo = { out: (l) => out.push(l), err: (l) => err.push(l), stderrIsTTY: false };
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = databaseUrl();
    try {
      expect(await runCollect([site.bulkSeed, '--detach', '--delay', '0'], io)).toBe(0);
      const runId = Number(/Run (\d+) queued/.exec(out.join('\n'))?.[1]);
      const status = async () => (await db.collectionRun.findUniqueOrThrow({ where: { id: runId } })).status;

      // Watching, then Ctrl-C: the run is not stopped (it stopped it, and nothing took it up again).
      const watch = new AbortController();
      const watching = runCollect(['--follow', String(runId), '--no-work'], io, watch.signal);
      await waitFor('the watcher to start', async () => err.join('').includes(`Collection run ${runId}`));
      watch.abort();
      expect(await watching).toBe(130);
      expect(out.join('\n')).toContain(
        `Run ${runId} goes on where workers work on it; follow it again with: npm run cli -- collect --follow ${runId} --no-work`,
      );
      expect(await status()).toBe('RUNNING');

      // Following with work, stopped after some reports: STOPPED, with links left.
      out.length = 0;
      const stop = new AbortController();
      const working = runCollect(
        ['--follow', String(runId), '--polling', '0.5', '--concurrency', '2'],
        io,
        stop.signal,
      );
      await waitFor(
        'some reports done',
        async () => (await db.collectionItem.count({ where: { kind: 'REPORT', state: 'DONE' } })) > 0,
      );
      stop.abort();
      expect(await working).toBe(130);
      expect(await status()).toBe('STOPPED');
      expect(out.join('\n')).toContain(
        `Stopped early (collect --follow ${runId} takes it up where it stopped)`,
      );
      const left = await db.collectionItem.count({ where: { kind: 'REPORT', state: 'PENDING' } });
      expect(left).toBeGreaterThan(0);

      // The same command again takes it up: every report stored once, the run DONE.
      out.length = 0;
      const code = await runCollect(['--follow', String(runId), '--polling', '0.5'], io);
      expect(code, out.join('\n')).toBe(0);
      expect(await status()).toBe('DONE');
      expect(out.join('\n')).toMatch(/imported\s+12/);
      expect(await db.reportRevision.count()).toBe(12);
    } finally {
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
    }
  });

  it('a worker that stops hands its links back, and the next worker finishes the run', async () => {
    site = await startFixtureSite({ bulk: 12, bulkLatencyMs: 400 });
    const out: string[] = [];
    const io: ImportIo = { out: (l) => out.push(l), err: () => {}, stderrIsTTY: false };
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = databaseUrl();
    try {
      // Queue the run without working on it.
      expect(await runCollect([site.bulkSeed, '--detach', '--delay', '0'], io)).toBe(0);
      const runId = Number(/Run (\d+) queued/.exec(out.join('\n'))?.[1]);
      expect(runId).toBeGreaterThan(0);
      // An in-process worker starts, takes links, and is stopped while it holds some.
      const stop = new AbortController();
      const working = runWorker(['--concurrency', '3', '--polling', '0.5'], io, stop.signal);
      await waitFor(
        'links in flight',
        async () => (await db.collectionItem.count({ where: { state: 'TAKEN', kind: 'REPORT' } })) > 0,
      );
      stop.abort();
      expect(await working).toBe(0);
      expect(await db.collectionItem.count({ where: { state: 'TAKEN' } })).toBe(0);
      const run = await db.collectionRun.findUniqueOrThrow({ where: { id: runId } });
      expect(run.finishedAt).toBeNull();

      // Following the run with work finishes it; nothing is stored twice.
      out.length = 0;
      const code = await runCollect(['--follow', String(runId), '--polling', '0.5'], io);
      expect(code, out.join('\n')).toBe(0);
      expect(out.join('\n')).toMatch(/imported\s+12/);
      const revisions = await db.reportRevision.count();
      expect(revisions).toBe(12);
    } finally {
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
    }
  });
});
