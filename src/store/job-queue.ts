/**
 * The job queue: pg-boss on the project's own PostgreSQL (schema `pgboss`, created and migrated
 * by pg-boss on start, with SQL it ships: nothing is downloaded). Any process that reaches the
 * database can send jobs or work on them, so workers on several machines share one queue.
 *
 * Why pg-boss (10.x) and not graphile-worker: a job whose worker dies (SIGKILL, a lost machine)
 * must run again soon. pg-boss fails an active job once its expiry passes and retries it; the
 * expiry is set per job. graphile-worker keeps a dead worker's jobs locked for four hours.
 * pg-boss 11 and graphile-worker 0.17+ need Node 22; this project runs on Node 20.
 *
 * Jobs are fetched, completed and failed here rather than by pg-boss's `work`: its worker fails
 * a job whose handler runs past the job's expiry, even while the handler is still working, and
 * a job still working must keep its expiry renewed instead (`keepAlive`).
 */
import { setMaxListeners } from 'node:events';
import PgBoss from 'pg-boss';

export const JOB_SCHEMA = 'pgboss';

export interface JobQueueOptions {
  /** How often an idle worker asks for work (pg-boss polls; at least 0.5 s). */
  pollingSeconds?: number;
  /**
   * How often expired jobs are failed and retried. Any one process does it at a time, so the
   * shortest interval among the workers applies.
   */
  maintenanceSeconds?: number;
  /** Connections this process opens at most. */
  maxConnections?: number;
  onError?: (error: Error) => void;
}

export interface JobSpec {
  /** A job that runs longer than this is failed and retried (its worker is presumed dead). */
  expireInSeconds: number;
  /** Further attempts after a failure or an expiry. */
  retryLimit: number;
  /** The queue a job goes to once its attempts are spent. */
  deadLetter?: string;
}

export interface QueuedJob<T> {
  id: string;
  /** The queue it came from. */
  name: string;
  data: T;
  /** Attempts before this one: 0 the first time. */
  retryCount: number;
  retryLimit: number;
}

export class JobQueue {
  private readonly created = new Set<string>();

  /** The fetch loops of `work`, the jobs they are running (id: queue), and their stop. */
  private readonly loops: Promise<void>[] = [];
  private readonly running = new Map<string, string>();
  private readonly stopping = new AbortController();

  private constructor(
    private readonly boss: PgBoss,
    private readonly pollingSeconds: number,
    private readonly onError: (error: Error) => void,
  ) {
    // Every idle loop listens for the stop, each removing its listener when it wakes.
    setMaxListeners(0, this.stopping.signal);
  }

  static async open(url: string, options: JobQueueOptions = {}): Promise<JobQueue> {
    const boss = new PgBoss({
      connectionString: url,
      schema: JOB_SCHEMA,
      max: options.maxConnections ?? 4,
      application_name: 'disclosure-jobs',
      pollingIntervalSeconds: options.pollingSeconds ?? 2,
      maintenanceIntervalSeconds: options.maintenanceSeconds ?? 30,
      // Nothing here is scheduled by cron; the state monitor is not read either.
      schedule: false,
    });
    // pg-boss reports connection trouble as events; without a listener Node would throw them.
    boss.on('error', (error) => options.onError?.(error));
    await boss.start();
    return new JobQueue(boss, options.pollingSeconds ?? 2, (error) => options.onError?.(error));
  }

  /**
   * Creates the queue once per process (pg-boss 10 needs a queue before jobs are sent to it).
   * Workers starting together race to create it, and PostgreSQL may end one of them as a
   * deadlock victim: that one waits a moment and finds the queue the other created.
   */
  private async ensure(name: string): Promise<void> {
    if (this.created.has(name)) return;
    for (let attempt = 1; !(await this.boss.getQueue(name)); attempt++) {
      try {
        await this.boss.createQueue(name);
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
      }
    }
    this.created.add(name);
  }

  async send<T extends object>(name: string, jobs: readonly T[], spec: JobSpec): Promise<void> {
    if (jobs.length === 0) return;
    await this.ensure(name);
    if (spec.deadLetter) await this.ensure(spec.deadLetter);
    await this.boss.insert(
      jobs.map((data) => ({
        name,
        data,
        expireInSeconds: spec.expireInSeconds,
        retryLimit: spec.retryLimit,
        retryDelay: 1,
        retryBackoff: true,
        deadLetter: spec.deadLetter,
      })),
    );
  }

  /**
   * Works on `name` with `concurrency` jobs at a time. A handler that throws fails its job, which
   * is retried while attempts remain; one that returns completes it.
   */
  async work<T>(
    name: string,
    concurrency: number,
    handler: (job: QueuedJob<T>) => Promise<void>,
    pollingSeconds?: number,
  ): Promise<void> {
    await this.ensure(name);
    const idleMs = (pollingSeconds ?? this.pollingSeconds) * 1000;
    for (let i = 0; i < concurrency; i++) this.loops.push(this.loop(name, handler, idleMs));
  }

  private async loop<T>(name: string, handler: (job: QueuedJob<T>) => Promise<void>, idleMs: number) {
    const stopping = this.stopping.signal;
    while (!stopping.aborted) {
      let job: PgBoss.JobWithMetadata<T> | undefined;
      try {
        [job] = await this.boss.fetch<T>(name, { batchSize: 1, includeMetadata: true });
      } catch (error) {
        this.onError(error as Error);
      }
      if (!job) {
        await idle(idleMs, stopping);
        continue;
      }
      this.running.set(job.id, name);
      // Fetched while stopping: failed at once by stop(), so another worker retries it now.
      if (stopping.aborted) return;
      try {
        await handler({
          id: job.id,
          name,
          data: job.data,
          retryCount: job.retryCount,
          retryLimit: job.retryLimit,
        });
        await this.boss.complete(name, job.id);
      } catch (error) {
        const { message, stack } = error as Error;
        await this.boss.fail(name, job.id, { message, stack }).catch((e: Error) => this.onError(e));
      } finally {
        this.running.delete(job.id);
      }
    }
  }

  /**
   * A running job's worker is alive: its expiry is pushed to `seconds` from now. pg-boss 10 has no
   * call for this (its expiry counts from the job's start), so the job's row is updated here, in
   * the one module that knows pg-boss's tables.
   */
  async keepAlive(job: { name: string; id: string }, seconds: number): Promise<void> {
    await this.boss.getDb().executeSql(
      `UPDATE ${JOB_SCHEMA}.job SET expire_in = (now() - started_on) + $3 * interval '1 second'
         WHERE name = $1 AND id = $2 AND state = 'active'`,
      [job.name, job.id, seconds],
    );
  }

  /** Jobs of `name` waiting or running. */
  async pending(name: string): Promise<number> {
    await this.ensure(name);
    return this.boss.getQueueSize(name, { before: 'completed' });
  }

  /**
   * Stops taking jobs and waits up to `timeoutMs` for those running; any still running then
   * are failed, so they are retried at once instead of after their expiry.
   */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.stopping.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.loops),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    for (const [id, name] of this.running)
      await this.boss.fail(name, id, { message: 'its worker stopped' }).catch((e: Error) => this.onError(e));
    await this.boss.stop({ graceful: false, wait: true });
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function idle(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
