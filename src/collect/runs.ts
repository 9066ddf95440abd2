/**
 * Collection as jobs in the PostgreSQL queue, so any number of workers on any machines share a
 * run: a seed job reads a column's listing and queues one report job per report link; a report
 * job fetches, imports and records one link. A run's items (collection_item) say which worker
 * is on what and what became of it; the run finishes when none is left.
 *
 * Exactly once: a report link is one item per run, and a job takes its item before working. A
 * job whose worker died is retried after its expiry; the import is idempotent by content
 * (same bytes: UNCHANGED, serialised per agency and year), so a retry never stores a report twice.
 */
import { hostname } from 'node:os';
import { holdHost, reserveHostSlot } from '../store/collect-hosts.ts';
import {
  addItems,
  type CollectionRunRow,
  createRun,
  findRun,
  finishItem,
  giveUpItem,
  handBack,
  type ItemKind,
  type ItemOutcome,
  keepItem,
  noteItemError,
  recordLinkedReports,
  recordPages,
  releaseWorkerItems,
  reopenRun,
  revisionImportedAt,
  settleRun,
  takeItem,
} from '../store/collection-runs.ts';
import type { Db } from '../store/db.ts';
import type { JobQueue, JobSpec, QueuedJob } from '../store/job-queue.ts';
import {
  DEFAULT_MAX_LISTING_PAGES,
  DocumentCollector,
  type DocumentOutcome,
  type DocumentSettings,
} from './documents.ts';
import { DEFAULT_FETCH_SETTINGS, Fetcher, type FetchSettings } from './fetcher.ts';
import { Robots } from './robots.ts';

export const SEED_JOB = 'collect-seed';
export const REPORT_JOB = 'collect-report';
/** Jobs whose attempts are spent arrive here, and their item is recorded as failed. */
export const GAVE_UP_JOB = 'collect-gave-up';

interface ItemJob {
  runId: number;
  /** The run's start (ISO): a job outliving its run never acts on a later run with the same id. */
  runStarted: string;
  kind: ItemKind;
  url: string;
}

/** What a run's creator chose; every worker on the run follows it. */
export interface RunSettings {
  fetch: FetchSettings;
  maxReports: number | null;
  /** A job running longer is presumed dead and retried elsewhere. */
  jobExpirySeconds: number;
  /** Further attempts of a job after a worker error or death. */
  jobRetries: number;
  recheck: boolean;
  /** Listing pages read per seed at most. */
  maxListingPages: number;
}

export const DEFAULT_RUN_SETTINGS: RunSettings = {
  fetch: DEFAULT_FETCH_SETTINGS,
  maxReports: null,
  jobExpirySeconds: 600,
  jobRetries: 3,
  recheck: false,
  maxListingPages: DEFAULT_MAX_LISTING_PAGES,
};

const jobSpec = (settings: RunSettings): JobSpec => ({
  expireInSeconds: settings.jobExpirySeconds,
  retryLimit: settings.jobRetries,
  deadLetter: GAVE_UP_JOB,
});

/** Creates a run and queues its seeds; workers anywhere pick it up. */
export async function startRun(
  db: Db,
  queue: JobQueue,
  seeds: readonly string[],
  settings: RunSettings,
  startedBy: string,
): Promise<CollectionRunRow> {
  const run = await createRun(db, { seeds, settings, maxReports: settings.maxReports, startedBy });
  await queue.send<ItemJob>(
    SEED_JOB,
    seeds.map((url) => ({ runId: run.id, runStarted: run.startedAt.toISOString(), kind: 'SEED', url })),
    jobSpec(settings),
  );
  return run;
}

/**
 * Takes a stopped run up where it stopped: its links still waiting are queued again (a seed's
 * listing is read again; a report link is fetched). Returns the run as it is now, or as it was
 * when there was nothing to take up.
 */
export async function resumeRun(db: Db, queue: JobQueue, run: CollectionRunRow): Promise<CollectionRunRow> {
  const waiting = await reopenRun(db, run.id);
  if (!waiting) return run;
  const settings = { ...DEFAULT_RUN_SETTINGS, ...(run.settings as Partial<RunSettings>) };
  for (const kind of ['SEED', 'REPORT'] as const) {
    await queue.send<ItemJob>(
      kind === 'SEED' ? SEED_JOB : REPORT_JOB,
      waiting
        .filter((w) => w.kind === kind)
        .map(({ url }) => ({ runId: run.id, runStarted: run.startedAt.toISOString(), kind, url })),
      jobSpec(settings),
    );
  }
  return (await findRun(db, run.id)) ?? run;
}

export interface WorkerOptions {
  /** Jobs this process works on at once. */
  concurrency: number;
  /** Shown in each item this worker takes. */
  name?: string;
  actor: string;
  parse?: DocumentSettings['parse'];
  parser?: DocumentSettings['parser'];
  onLine?: (line: string) => void;
  /** Stops fetching; jobs in flight end without recording, and are retried elsewhere. */
  signal: AbortSignal;
  pollingSeconds?: number;
}

export const workerName = () => `${hostname()}:${process.pid}`;

const itemResult = (
  outcome: DocumentOutcome,
): { outcome: ItemOutcome; reason?: string; revisionId?: number | null } => {
  switch (outcome.kind) {
    case 'imported':
      return { outcome: 'IMPORTED', revisionId: outcome.revisionId };
    case 'unchanged':
      return { outcome: 'UNCHANGED', revisionId: outcome.revisionId ?? null };
    case 'refused':
      return { outcome: 'REFUSED', reason: outcome.reason };
    case 'failed':
      return { outcome: 'FAILED', reason: outcome.reason };
    case 'disallowed':
      return { outcome: 'DISALLOWED', reason: outcome.reason };
  }
};

/**
 * Joins the queue: works on seed and report jobs of every run until `signal` aborts. Returns
 * a function that stops: it waits for the jobs in flight, then hands back the items this
 * worker still held, so another worker (or a later run of this one) takes them at once.
 */
export async function joinWork(
  db: Db,
  queue: JobQueue,
  options: WorkerOptions,
): Promise<() => Promise<void>> {
  const name = options.name ?? workerName();
  const runs = new Map<number, { run: CollectionRunRow; collector: DocumentCollector }>();
  const forRun = async (runId: number) => {
    let entry = runs.get(runId);
    if (!entry) {
      const run = await findRun(db, runId);
      if (!run) return undefined;
      const settings = { ...DEFAULT_RUN_SETTINGS, ...(run.settings as Partial<RunSettings>) };
      const fetcher = new Fetcher(
        { ...DEFAULT_FETCH_SETTINGS, ...settings.fetch },
        options.signal,
        {
          reserve: (host, delayMs) => reserveHostSlot(db, host, delayMs),
          hold: (host, ms) => holdHost(db, host, ms),
        },
        run.seeds,
      );
      const robots = new Robots(fetcher);
      const collector = new DocumentCollector(db, fetcher, robots, {
        actor: options.actor,
        parse: options.parse,
        parser: options.parser,
        onLine: options.onLine,
        signal: options.signal,
        recheck: settings.recheck,
        maxListingPages: settings.maxListingPages,
      });
      entry = { run, collector };
      runs.set(runId, entry);
    }
    return entry;
  };

  /** Takes the item, does the work, records it; an error is noted on the item and fails the job. */
  const handle = async (
    job: QueuedJob<ItemJob>,
    work: (entry: { run: CollectionRunRow; collector: DocumentCollector }, attempt: number) => Promise<void>,
  ) => {
    const { runId, kind, url } = job.data;
    const entry = await forRun(runId);
    if (!entry || entry.run.startedAt.toISOString() !== job.data.runStarted) return; // the run is gone
    const settings = { ...DEFAULT_RUN_SETTINGS, ...(entry.run.settings as Partial<RunSettings>) };
    const take = await takeItem(db, runId, kind, url, {
      worker: name,
      jobId: job.id,
      expirySeconds: settings.jobExpirySeconds,
    });
    if (!take.taken) {
      await settleRun(db, runId);
      return;
    }
    // The expiry is for a worker that died: one still working (a long listing, a slow site's
    // Crawl-delay) keeps its job and its item, or the queue would hand them to another worker,
    // which would start over, and at last give up on a job that was being done.
    const beat = setInterval(
      () => {
        Promise.all([
          queue.keepAlive(job, settings.jobExpirySeconds),
          keepItem(db, runId, kind, url, job.id),
        ]).catch(() => {
          // A beat missed (the database away a moment) is made up by the next; without any, the
          // job expires and is retried, as for a dead worker.
        });
      },
      Math.max(250, (settings.jobExpirySeconds * 1000) / 3),
    );
    try {
      await work(entry, take.attempt);
    } catch (error) {
      await noteItemError(db, runId, kind, url, (error as Error).message).catch(() => {});
      throw error;
    } finally {
      clearInterval(beat);
    }
  };

  const stopped = () => {
    // Recording what an aborted fetch returned would turn "stopped" into a failure of the link.
    if (options.signal.aborted) throw new Error(`worker ${name} stopped before finishing`);
  };

  await queue.work<ItemJob>(
    SEED_JOB,
    Math.max(1, Math.min(2, options.concurrency)),
    (job) =>
      handle(job, async ({ run, collector }) => {
        // Each page is recorded as it is read: the run's progress counts them while a long listing goes.
        const listing = await collector.readListing(
          job.data.url,
          (page) => recordPages(db, run.id, [page]),
          async () => (await findRun(db, run.id))?.status !== 'RUNNING',
        );
        stopped();
        // Stopped between pages: the item waits again, and the listing is read from its start
        // when the run is taken up (its pages are where new reports appear).
        if (listing.stopped) return handBack(db, run.id, 'SEED', job.data.url);
        const waiting = await addItems(db, run.id, 'REPORT', listing.reports);
        const settings = { ...DEFAULT_RUN_SETTINGS, ...(run.settings as Partial<RunSettings>) };
        await queue.send<ItemJob>(
          REPORT_JOB,
          waiting.map((url) => ({
            runId: run.id,
            runStarted: run.startedAt.toISOString(),
            kind: 'REPORT',
            url,
          })),
          jobSpec(settings),
        );
        await finishItem(
          db,
          run.id,
          'SEED',
          job.data.url,
          listing.cut ? { outcome: 'FAILED', reason: listing.cut } : { outcome: 'READ' },
        );
      }),
    options.pollingSeconds,
  );

  await queue.work<ItemJob>(
    REPORT_JOB,
    options.concurrency,
    (job) =>
      handle(job, async ({ run, collector }, attempt) => {
        const outcome = await collector.handleReport(job.data.url);
        stopped();
        // A retry finds the reports its dead predecessor stored: this run imported them.
        const resultOf = async (done: DocumentOutcome) => {
          const result = itemResult(done);
          if (done.kind === 'unchanged' && attempt > 1 && done.revisionId !== undefined) {
            const at = await revisionImportedAt(db, done.revisionId);
            if (at && at >= run.startedAt) result.outcome = 'IMPORTED';
          }
          return result;
        };
        const result = await resultOf(outcome);
        const also: Parameters<typeof recordLinkedReports>[2][number][] = [];
        for (const a of outcome.also ?? []) also.push({ url: a.url, ...(await resultOf(a.outcome)) });
        await recordLinkedReports(db, run.id, also);
        await finishItem(db, run.id, 'REPORT', job.data.url, result);
      }),
    options.pollingSeconds,
  );

  await queue.work<ItemJob>(
    GAVE_UP_JOB,
    1,
    async (job) => {
      const entry = await forRun(job.data.runId);
      if (entry && entry.run.startedAt.toISOString() === job.data.runStarted)
        await giveUpItem(db, job.data.runId, job.data.kind, job.data.url);
    },
    options.pollingSeconds,
  );

  return async () => {
    await queue.stop();
    await releaseWorkerItems(db, name);
  };
}
