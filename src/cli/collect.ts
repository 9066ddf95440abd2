/** `collect`: reports from agency websites' 政府信息公开年报 columns, through the import use case. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type CollectCounts, collect, DEFAULT_FETCH_SETTINGS } from '../collect/index.ts';
import { cliActor } from '../import/index.ts';
import { readInputLimits } from '../ingest/limits.ts';
import { openDatabase } from '../store/open-database.ts';
import type { ImportIo } from './import.ts';
import { reportingUsageErrors, UsageError } from './usage.ts';

export const COLLECT_HELP = `  collect <seed URL>... [--seeds FILE] [options]
      Collect reports from agency websites. Each seed is a 政府信息公开年报 column's index page;
      its pagination is followed (links and the generated index_1.html … pages a
      createPageHTML(n, …) script announces), links titled as reports (年度报告 / 年报 with a
      year) are fetched with their PDF, DOC and DOCX attachments, and whichever of them
      parses is imported (sourceUrl = the link). robots.txt is honoured. Every report page and
      attachment is recorded (final URL, ETag, Last-Modified, SHA-256), so a re-run or a
      resumed run skips what is stored and asks the rest conditionally (304: nothing fetched).
      Ends with a summary listing every failure with its URL and reason; exits 1 if any.
      --seeds FILE         more seed URLs, one a line (# comments)
      --per-host N         requests in flight to one host (default 2)
      --delay MS           pause between request starts to one host (default 500)
      --timeout MS         per request, body included (default 20000)
      --retries N          further attempts after 5xx or a broken connection (default 3;
                           backoff 1 s, doubling); never after 4xx
      --max-reports N      stop after N report links, each with its attachments (run again to resume)
      --progress           show the progress line even when stderr is not a terminal
      --max-bytes N        largest body downloaded, refused while streaming (default 67108864,
                           64 MiB); the INPUT_MAX_* variables limit parsing as for import`;

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

function progressLine(counts: CollectCounts, seconds: number): string {
  const rate = seconds > 0 ? counts.done / seconds : 0;
  const left = counts.found - counts.done;
  const eta = rate > 0 ? `, ETA ${Math.ceil(left / rate)}s` : '';
  return `${counts.pages} pages, ${counts.found} reports found, ${counts.imported} imported, ${counts.unchanged} unchanged, ${counts.refused} refused, ${counts.failed} failed, ${rate.toFixed(1)} reports/s${eta}`;
}

export async function runCollect(
  args: string[],
  io: ImportIo = processIo,
  signal?: AbortSignal,
): Promise<number> {
  return reportingUsageErrors(() => collectCommand(args, io, signal), io.err);
}

async function collectCommand(args: string[], io: ImportIo, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
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
      progress: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(COLLECT_HELP);
    return 0;
  }
  const seeds = [...positionals];
  if (values.seeds) {
    const lines = readFileSync(values.seeds, 'utf8').split('\n');
    seeds.push(...lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
  }
  if (seeds.length === 0) throw new UsageError('collect needs at least one seed URL. See --help.');
  for (const seed of seeds) {
    if (!URL.canParse(seed) || !/^https?:$/.test(new URL(seed).protocol)) {
      throw new UsageError(`"${seed}" is not an http(s) URL.`);
    }
  }
  const perHost = whole('--per-host', values['per-host'], DEFAULT_FETCH_SETTINGS.perHost);
  if (perHost < 1) throw new UsageError('--per-host must be at least 1.');
  const maxBytes = whole('--max-bytes', values['max-bytes'], DEFAULT_FETCH_SETTINGS.maxBytes);
  const maxReports = values['max-reports'] ? whole('--max-reports', values['max-reports'], 0) : undefined;
  const fetch = {
    ...DEFAULT_FETCH_SETTINGS,
    perHost,
    maxBytes,
    delayMs: whole('--delay', values.delay, DEFAULT_FETCH_SETTINGS.delayMs),
    timeoutMs: whole('--timeout', values.timeout, DEFAULT_FETCH_SETTINGS.timeoutMs),
    retries: whole('--retries', values.retries, DEFAULT_FETCH_SETTINGS.retries),
    // Backoff in step with the delay, so --delay 0 (tests, a local mirror) does not wait a second per retry.
    backoffMs: Math.min(DEFAULT_FETCH_SETTINGS.backoffMs, whole('--delay', values.delay, 1000) * 2),
  };
  const limits = readInputLimits(process.env);

  const database = await openDatabase({ log: (m) => io.err(`${m}\n`) });
  const stop = new AbortController();
  const onSignal = () => {
    io.err('\nStopping: finishing the documents in flight; run again to resume.\n');
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  const started = performance.now();
  const showProgress = io.stderrIsTTY || values.progress;
  let lastPlain = 0;
  let shown = false;
  const clear = () => {
    if (shown && io.stderrIsTTY) io.err('\r\x1b[K');
    shown = false;
  };
  try {
    const summary = await collect(database.db, seeds, {
      fetch,
      maxReports,
      signal: signal ? AbortSignal.any([signal, stop.signal]) : stop.signal,
      parse: { limits },
      actor: cliActor(),
      onLine: (line) => {
        clear();
        io.out(line);
      },
      onProgress: (counts) => {
        if (!showProgress) return;
        const text = progressLine(counts, (performance.now() - started) / 1000);
        if (io.stderrIsTTY) {
          io.err(`\r\x1b[K${text}`);
          shown = true;
        } else if (performance.now() - lastPlain > 1000) {
          io.err(`progress: ${text}\n`);
          lastPlain = performance.now();
        }
      },
    });
    clear();
    const seconds = (performance.now() - started) / 1000;
    const c = summary.counts;
    io.out('');
    io.out(
      `${summary.stopped ? 'Stopped early (run again to resume): ' : ''}${c.pages} listing pages, ${c.found} report links, ${c.downloaded} documents downloaded in ${seconds.toFixed(1)} s (${(c.done / Math.max(seconds, 0.001)).toFixed(1)} reports/s):`,
    );
    const line = (label: string, n: number, note: string) =>
      io.out(`  ${label.padEnd(12)}${String(n).padStart(6)}  ${note}`);
    line('imported', c.imported, 'new reports or revisions');
    line('unchanged', c.unchanged, 'already stored (skipped, 304 or same bytes)');
    line('robots.txt', c.disallowed, 'links the site does not allow fetching');
    line('refused', c.refused, summary.refusals.length > 0 ? 'fetched, but no report in them:' : '');
    for (const r of summary.refusals) io.out(`    ${r.url}: ${r.reason}`);
    line('failed', c.failed, summary.failures.length > 0 ? 'could not be fetched:' : '');
    for (const f of summary.failures) io.out(`    ${f.url}: ${f.reason}`);
    return c.failed > 0 || c.refused > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    clear();
    await database.close();
  }
}
