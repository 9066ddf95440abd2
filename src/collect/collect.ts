/**
 * The collect use case: start a run (or pick one up), work on it in this process beside any
 * other workers, follow its progress from the database and sum it up. Everything a run did
 * is in its items, so the summary is the same whichever workers did the work.
 */
import {
  type CollectionRunRow,
  emptyListingPages,
  findRun,
  type RunCounts,
  type RunProblem,
  runCounts,
  runProblems,
  stopRun,
} from '../store/collection-runs.ts';
import { ConnectionLostError, databaseReason, isDatabaseUnavailable } from '../store/database-errors.ts';
import type { Db } from '../store/db.ts';
import { JobQueue } from '../store/job-queue.ts';
import { joinWork, type RunSettings, resumeRun, startRun, type WorkerOptions } from './runs.ts';

export type CollectCounts = RunCounts;

export interface CollectSummary {
  run: CollectionRunRow;
  counts: CollectCounts;
  failures: RunProblem[];
  refusals: RunProblem[];
  disallowed: RunProblem[];
  /** Listing pages read without a report link on them: a wrong page or charset, said rather than a silent 0. */
  emptyPages: RunProblem[];
  /** Stopped before every link was handled: running again resumes. */
  stopped: boolean;
  /** A follower that only watched (no work) stopped watching; the run goes on. */
  watchingStopped?: boolean;
}

export interface CollectOptions {
  /** A new run of these seeds, or an existing run to follow. */
  start: { seeds: readonly string[]; settings: RunSettings; startedBy: string } | { runId: number };
  /** Jobs worked on in this process at once; 0 only follows (workers elsewhere do the work). */
  concurrency: number;
  worker: Omit<WorkerOptions, 'concurrency' | 'signal'>;
  /** Stops the run: no new link is taken, those in flight finish. */
  signal?: AbortSignal;
  onStarted?: (run: CollectionRunRow) => void;
  onProgress?: (counts: CollectCounts) => void | Promise<void>;
  /** How often progress is read from the database. */
  progressMs?: number;
  /** How often expired jobs (of dead workers) are retried, when this process does it. */
  maintenanceSeconds?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads a finished (or running) run's summary. */
export async function summarize(db: Db, run: CollectionRunRow): Promise<CollectSummary> {
  const counts = await runCounts(db, run.id);
  const problems = await runProblems(db, run.id);
  return {
    run,
    counts,
    failures: problems.filter((p) => p.outcome === 'FAILED'),
    refusals: problems.filter((p) => p.outcome === 'REFUSED'),
    disallowed: problems.filter((p) => p.outcome === 'DISALLOWED'),
    emptyPages: await emptyListingPages(db, run.id),
    stopped: run.status === 'STOPPED' || run.status === 'STOPPING',
  };
}

/** `collect` was asked to follow a run that is not stored. */
export class NoSuchRunError extends Error {
  constructor(readonly runId: number) {
    super(`There is no collection run ${runId}.`);
  }
}

/** Collects through the queue and returns when the run is finished. Expected failures are in the summary. */
export async function collect(db: Db, databaseUrl: string, options: CollectOptions): Promise<CollectSummary> {
  const queue = await JobQueue.open(databaseUrl, {
    pollingSeconds: options.worker.pollingSeconds,
    maintenanceSeconds: options.maintenanceSeconds,
  });
  const working = new AbortController();
  let leave: (() => Promise<void>) | undefined;
  try {
    const found =
      'runId' in options.start
        ? await findRun(db, options.start.runId)
        : await startRun(db, queue, options.start.seeds, options.start.settings, options.start.startedBy);
    if (!found) throw new NoSuchRunError((options.start as { runId: number }).runId);
    // Following a stopped run with work to give it takes it up where it stopped (Ctrl-C, then
    // the same command); a follower that only watches leaves it as it is.
    const run =
      found.status === 'STOPPED' && options.concurrency > 0 && !options.signal?.aborted
        ? await resumeRun(db, queue, found)
        : found;
    options.onStarted?.(run);
    // Already stopped (Ctrl-C while starting): no worker joins, so nothing is fetched or
    // imported before the loop below stops the run.
    if (options.concurrency > 0 && !options.signal?.aborted) {
      leave = await joinWork(db, queue, {
        ...options.worker,
        concurrency: options.concurrency,
        signal: working.signal,
      });
    }
    let stopping = false;
    let lost: unknown;
    for (;;) {
      try {
        if (options.signal?.aborted && !stopping) {
          // A follower that only watches stops watching: the run is the workers'.
          if (options.concurrency === 0 && 'runId' in options.start) {
            const now = await findRun(db, run.id);
            if (now) return { ...(await summarize(db, now)), watchingStopped: true };
          }
          await stopRun(db, run.id);
          stopping = true;
        }
        const now = await findRun(db, run.id);
        if (!now) throw new Error(`Collection run ${run.id} was deleted.`);
        await options.onProgress?.(await runCounts(db, run.id));
        if (now.finishedAt) return await summarize(db, now);
        lost = undefined;
      } catch (error) {
        // One connection dropped (a restart of a pooler, pg_terminate_backend) is no reason to end
        // a run the workers go on with: the next read opens another. Twice in a row, it ends here.
        if (!isDatabaseUnavailable(error)) throw error;
        if (lost) throw connectionLost(run.id, lost, error);
        lost = error;
      }
      await sleep(lost ? 1_000 : (options.progressMs ?? 250));
    }
  } finally {
    working.abort();
    await (leave ? leave() : queue.stop(5_000)).catch((error: unknown) => {
      // Leaving without a database fails too; what ended the run says more.
      if (!isDatabaseUnavailable(error)) throw error;
    });
  }
}

function connectionLost(runId: number, first: unknown, again: unknown): ConnectionLostError {
  const [was, is] = [databaseReason(first) ?? 'closed', databaseReason(again) ?? 'closed'];
  return new ConnectionLostError(
    `The connection to PostgreSQL was lost during collection run ${runId} (${was}), and a new one failed too${is === was ? '' : ` (${is})`}. The run is left as it was: what was stored stays stored, and its links wait. Once PostgreSQL answers, pick the run up where it stopped with: npm run cli -- collect --follow ${runId}`,
  );
}
