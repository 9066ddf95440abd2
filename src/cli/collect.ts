/** `collect` and `worker`: reports from agency websites' 政府信息公开年报 columns, through the job queue. */
import {
  type CollectCounts,
  type CollectSummary,
  collect,
  DEFAULT_FETCH_SETTINGS,
  DEFAULT_RUN_SETTINGS,
  isUnreadableRobots,
  joinWork,
  NoSuchRunError,
  type RunSettings,
  startRun,
  workerName,
} from '../collect/index.ts';
import { cliActor, createParsePool, type ParsePool, readParseLimits } from '../import/index.ts';
import { readInputLimits } from '../ingest/limits.ts';
import { JobQueue } from '../store/job-queue.ts';
import { openDatabase } from '../store/open-database.ts';
import { COLLECT_HELP } from './help.ts';
import type { ImportIo } from './import.ts';
import { RecentRate } from './import-progress.ts';
import { signalExitCode, stopOnSignals } from './signals.ts';
import { parseCommandArgs, readOptionFile, reportingUsageErrors, UsageError } from './usage.ts';

const processIo: ImportIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (text) => process.stderr.write(text),
  stderrIsTTY: Boolean(process.stderr.isTTY),
};

function whole(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`${name} must be a whole number ≥ 0, got "${value}".`);
  return n;
}

/**
 * Below these every site would fail, each link with the same reason: robots.txt and listing
 * pages are read under --max-bytes too (a robots.txt over it reads as "allows nothing"), and
 * no site answers in no time.
 */
const LEAST: Record<'--max-bytes' | '--timeout', { least: number; why: string }> = {
  '--max-bytes': {
    least: 1024 * 1024,
    why: 'bytes, 1 MiB: robots.txt files and listing pages are read under it too',
  },
  '--timeout': { least: 100, why: 'milliseconds: no site answers sooner' },
};

function atLeast(name: keyof typeof LEAST, value: string | undefined, fallback: number): number {
  const n = whole(name, value, fallback);
  const { least, why } = LEAST[name];
  if (n < least) throw new UsageError(`${name} must be at least ${least} (${why}), got "${value}".`);
  return n;
}

function seconds(name: string, value: string | undefined, fallback: number, least: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < least)
    throw new UsageError(`${name} must be a number of seconds ≥ ${least}, got "${value}".`);
  return n;
}

function progressLine(counts: CollectCounts, rate: number): string {
  const left = counts.found - counts.done;
  const eta = rate > 0 && left > 0 ? `, ETA ${Math.ceil(left / rate)}s` : '';
  return `${counts.pages} pages, ${counts.found} reports found, ${counts.done} done (${counts.inFlight} in flight): ${counts.imported} imported, ${counts.unchanged} unchanged, ${counts.refused} refused, ${counts.failed} failed, ${rate.toFixed(1)} reports/s${eta}`;
}

/** Following a run that is stopping: what it waits for, since it may wait minutes in silence. */
function stoppingNote(run: CollectSummary['run']): string {
  const expiry = { ...DEFAULT_RUN_SETTINGS, ...(run.settings as Partial<RunSettings>) }.jobExpirySeconds;
  return `Run ${run.id} is stopping: it takes no new links. It ends (STOPPED) when the links workers hold are finished; those of a worker that died come back after the job expiry (${expiry} s) while a worker runs. Once it has ended, collect --follow ${run.id} takes it up where it stopped.`;
}

export async function runCollect(
  args: string[],
  io: ImportIo = processIo,
  signal?: AbortSignal,
): Promise<number> {
  return reportingUsageErrors(() => collectCommand(args, io, signal), io.err);
}

/** What the summary's first line says of a run that did not get to its end. */
function stoppedHow(summary: CollectSummary): string {
  const { run } = summary;
  if (summary.watchingStopped) return 'Stopped following (the run goes on): ';
  if (!summary.stopped) return '';
  if (run.maxReports !== null && run.taken >= run.maxReports)
    return `Stopped at its limit of ${run.maxReports} report${run.maxReports === 1 ? '' : 's'} (--max-reports; collect the seeds again with a higher one for the rest: what is stored is skipped): `;
  return `Stopped early (collect --follow ${run.id} takes it up where it stopped): `;
}

function printSummary(io: ImportIo, summary: CollectSummary, elapsed: number) {
  const c = summary.counts;
  io.out('');
  io.out(
    `${stoppedHow(summary)}Run ${summary.run.id}: ${c.pages} listing page${c.pages === 1 ? '' : 's'}, ${c.found} report link${c.found === 1 ? '' : 's'}, ${c.done} handled in ${elapsed.toFixed(1)} s (${(c.done / Math.max(elapsed, 0.001)).toFixed(1)} reports/s):`,
  );
  const line = (label: string, n: number, note: string) =>
    io.out(`  ${label.padEnd(12)}${String(n).padStart(6)}  ${note}`);
  line('imported', c.imported, 'new reports or revisions');
  line('unchanged', c.unchanged, 'already stored (skipped, 304 or same bytes)');
  line('robots.txt', c.disallowed, summary.disallowed.length > 0 ? 'links not fetched for robots.txt:' : '');
  // One line per reason: a site that is down refuses every link it lists for the same reason.
  const byReason = new Map<string, string[]>();
  for (const d of summary.disallowed) byReason.set(d.reason, [...(byReason.get(d.reason) ?? []), d.url]);
  for (const [reason, urls] of byReason)
    io.out(`    ${urls[0]}${urls.length > 1 ? ` and ${urls.length - 1} more` : ''}: ${reason}`);
  line('refused', c.refused, summary.refusals.length > 0 ? 'fetched, but no report in them:' : '');
  for (const r of summary.refusals) io.out(`    ${r.url}: ${r.reason}`);
  line('failed', c.failed, summary.failures.length > 0 ? 'could not be fetched:' : '');
  for (const f of summary.failures) io.out(`    ${f.url}: ${f.reason}`);
  const empty = summary.emptyPages;
  if (empty.length > 0) {
    io.out(
      `  warning: ${empty.length} listing page${empty.length === 1 ? '' : 's'} read with ${empty[0]?.reason}:`,
    );
    for (const p of empty.slice(0, 10)) io.out(`    ${p.url}`);
    if (empty.length > 10) io.out(`    and ${empty.length - 10} more`);
  }
}

async function collectCommand(args: string[], io: ImportIo, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandArgs('collect', {
    args,
    allowPositionals: true,
    options: {
      seeds: { type: 'string' },
      'per-host': { type: 'string' },
      delay: { type: 'string' },
      timeout: { type: 'string' },
      retries: { type: 'string' },
      'max-reports': { type: 'string' },
      'max-bytes': { type: 'string' },
      'max-listing-pages': { type: 'string' },
      recheck: { type: 'boolean', default: false },
      'allow-private-addresses': { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      'job-expiry': { type: 'string' },
      detach: { type: 'boolean', default: false },
      follow: { type: 'string' },
      'no-work': { type: 'boolean', default: false },
      polling: { type: 'string' },
      progress: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(COLLECT_HELP);
    return 0;
  }
  const follow = values.follow === undefined ? undefined : whole('--follow', values.follow, 0);
  const seeds = [...positionals];
  if (values.seeds) {
    const lines = readOptionFile(values.seeds, 'the seeds file').split('\n');
    seeds.push(...lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
  }
  if (follow !== undefined && seeds.length > 0)
    throw new UsageError('--follow continues an existing run; give seeds or --follow, not both.');
  if (follow === undefined && seeds.length === 0)
    throw new UsageError('collect needs at least one seed URL. See --help.');
  for (const seed of seeds) {
    if (!URL.canParse(seed) || !/^https?:$/.test(new URL(seed).protocol)) {
      throw new UsageError(`"${seed}" is not an http(s) URL.`);
    }
  }
  const perHost = whole('--per-host', values['per-host'], DEFAULT_FETCH_SETTINGS.perHost);
  if (perHost < 1) throw new UsageError('--per-host must be at least 1.');
  const delayMs = whole('--delay', values.delay, DEFAULT_FETCH_SETTINGS.delayMs);
  const settings: RunSettings = {
    fetch: {
      ...DEFAULT_FETCH_SETTINGS,
      perHost,
      maxBytes: atLeast('--max-bytes', values['max-bytes'], DEFAULT_FETCH_SETTINGS.maxBytes),
      delayMs,
      timeoutMs: atLeast('--timeout', values.timeout, DEFAULT_FETCH_SETTINGS.timeoutMs),
      retries: whole('--retries', values.retries, DEFAULT_FETCH_SETTINGS.retries),
      // Backoff in step with the delay, so --delay 0 (tests, a local mirror) does not wait a second per retry.
      backoffMs: Math.min(DEFAULT_FETCH_SETTINGS.backoffMs, delayMs * 2),
      allowPrivateAddresses: values['allow-private-addresses'],
    },
    maxReports: values['max-reports'] ? whole('--max-reports', values['max-reports'], 0) : null,
    jobExpirySeconds: seconds('--job-expiry', values['job-expiry'], DEFAULT_RUN_SETTINGS.jobExpirySeconds, 1),
    jobRetries: DEFAULT_RUN_SETTINGS.jobRetries,
    recheck: values.recheck,
    maxListingPages: whole(
      '--max-listing-pages',
      values['max-listing-pages'],
      DEFAULT_RUN_SETTINGS.maxListingPages,
    ),
  };
  if (settings.maxListingPages < 1) throw new UsageError('--max-listing-pages must be at least 1.');
  const concurrency = values.detach || values['no-work'] ? 0 : whole('--concurrency', values.concurrency, 8);
  const pollingSeconds = seconds('--polling', values.polling, 0.5, 0.5);
  const limits = readInputLimits(process.env);
  const parseLimits = readParseLimits(process.env);

  const database = await openDatabase({ log: (m) => io.err(`${m}\n`) });
  const parser = fetchedDocumentParser(concurrency, parseLimits);
  const stop = new AbortController();
  const signals = stopOnSignals((received) => {
    io.err(
      concurrency === 0 && follow !== undefined
        ? `\n${received}: no longer following run ${follow}; the run goes on.\n`
        : `\n${received}: stopping: finishing the documents in flight; run again to resume (${received} again stops at once).\n`,
    );
    stop.abort();
  });
  const started = performance.now();
  const showProgress = io.stderrIsTTY || values.progress;
  let lastPlain = 0;
  const recent = new RecentRate();
  let shown = false;
  const clear = () => {
    if (shown && io.stderrIsTTY) io.err('\r\x1b[K');
    shown = false;
  };
  try {
    if (values.detach) {
      const queue = await JobQueue.open(database.url);
      try {
        const run = await startRun(database.db, queue, seeds, settings, cliActor());
        io.out(
          `Run ${run.id} queued (${seeds.length} seed${seeds.length === 1 ? '' : 's'}). Workers (npm run cli -- worker) do it; follow with: npm run cli -- collect --follow ${run.id} --no-work`,
        );
        return 0;
      } finally {
        await queue.stop(1_000);
      }
    }
    const summary = await collect(database.db, database.url, {
      start: follow !== undefined ? { runId: follow } : { seeds, settings, startedBy: cliActor() },
      concurrency,
      worker: {
        actor: cliActor(),
        parse: { limits },
        ...(parser ? { parser } : {}),
        pollingSeconds,
        onLine: (line) => {
          clear();
          io.out(line);
        },
      },
      signal: signal ? AbortSignal.any([signal, stop.signal]) : stop.signal,
      onStarted: (run) => {
        io.err(`Collection run ${run.id}${follow !== undefined ? ' (following)' : ''}\n`);
        if (run.status === 'STOPPING') io.err(`${stoppingNote(run)}\n`);
      },
      onProgress: (counts) => {
        if (!showProgress) return;
        recent.observe(counts.done);
        const text = progressLine(counts, recent.perSecond());
        if (io.stderrIsTTY) {
          io.err(`\r\x1b[K${text}`);
          shown = true;
        } else if (performance.now() - lastPlain > 1000) {
          io.err(`progress: ${text}\n`);
          lastPlain = performance.now();
        }
      },
    }).catch((error: unknown) => {
      if (!(error instanceof NoSuchRunError)) throw error;
      throw new UsageError(
        `${error.message} --follow takes the number collect printed when the run started; the collectionRuns query lists them.`,
      );
    });
    clear();
    printSummary(io, summary, (performance.now() - started) / 1000);
    if (summary.watchingStopped) {
      io.out(
        `Run ${summary.run.id} goes on where workers work on it; follow it again with: npm run cli -- collect --follow ${summary.run.id} --no-work`,
      );
      return signalExitCode(signals.signal ?? 'SIGINT');
    }
    // Stopped by a signal (or the caller's abort, as Ctrl-C): the run is not done, which a script
    // must not read as success.
    const stoppedBy = signals.signal ?? (signal?.aborted ? 'SIGINT' : undefined);
    if (stoppedBy && summary.stopped) return signalExitCode(stoppedBy);
    const unreachable = summary.disallowed.some((d) => isUnreadableRobots(d.reason));
    return summary.counts.failed > 0 || summary.counts.refused > 0 || unreachable ? 1 : 0;
  } finally {
    signals.dispose();
    clear();
    await Promise.all([database.close(), parser?.close()]);
  }
}

/**
 * Fetched documents come from sites nobody here controls: they are parsed on worker threads
 * under the upload limits (PARSE_WORKERS, PARSE_MEMORY_MB, PARSE_TIMEOUT_MS), so one that would
 * take minutes or gigabytes is refused, naming the limit, while the run goes on. None for a
 * process that only follows a run.
 */
function fetchedDocumentParser(
  concurrency: number,
  limits: ReturnType<typeof readParseLimits>,
): ParsePool | undefined {
  if (concurrency === 0) return undefined;
  return createParsePool(Math.min(limits.workers, concurrency), limits);
}

export async function runWorker(
  args: string[],
  io: ImportIo = processIo,
  signal?: AbortSignal,
): Promise<number> {
  return reportingUsageErrors(async () => {
    const { values } = parseCommandArgs('worker', {
      args,
      options: {
        concurrency: { type: 'string' },
        polling: { type: 'string' },
        maintenance: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      io.out(COLLECT_HELP.slice(COLLECT_HELP.indexOf('  worker')));
      return 0;
    }
    const concurrency = whole('--concurrency', values.concurrency, 8);
    if (concurrency < 1) throw new UsageError('--concurrency must be at least 1.');
    const pollingSeconds = seconds('--polling', values.polling, 2, 0.5);
    const maintenanceSeconds = seconds('--maintenance', values.maintenance, 30, 1);
    const parseLimits = readParseLimits(process.env);
    const database = await openDatabase({ log: (m) => io.err(`${m}\n`) });
    const parser = fetchedDocumentParser(concurrency, parseLimits);
    const queue = await JobQueue.open(database.url, {
      pollingSeconds,
      maintenanceSeconds,
      onError: (error) => io.err(`Job queue: ${error.message}\n`),
    });
    const stop = new AbortController();
    const name = workerName();
    const leave = await joinWork(database.db, queue, {
      concurrency,
      name,
      actor: cliActor(),
      parse: { limits: readInputLimits(process.env) },
      ...(parser ? { parser } : {}),
      pollingSeconds,
      signal: stop.signal,
      onLine: (line) => io.out(line),
    });
    io.err(`Worker ${name} joined the job queue (${concurrency} at once). Ctrl-C stops it.\n`);
    let signals: ReturnType<typeof stopOnSignals> | undefined;
    await new Promise<void>((resolve) => {
      const done = (why: string) => {
        io.err(`${why}: handing back unfinished jobs, then stopping…\n`);
        resolve();
      };
      if (signal?.aborted) return done('Stopped');
      signal?.addEventListener('abort', () => done('Stopped'), { once: true });
      // One Ctrl-C arrives more than once (npm passes it on): a listener that left after the
      // first let the echo kill the worker while it was handing its jobs back.
      signals = stopOnSignals(done);
    });
    stop.abort();
    await leave();
    signals?.dispose();
    await Promise.all([database.close(), parser?.close()]);
    io.err(`Worker ${name} stopped.\n`);
    return 0;
  }, io.err);
}
