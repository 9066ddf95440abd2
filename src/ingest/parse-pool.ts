import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { detectFormat } from './detect-format.ts';
import { type DocumentParseResult, parseDocument } from './document.ts';
import { DEFAULT_PARSE_LIMITS, MAX_MILLISECONDS } from './limits.ts';
import type { ParseOptions } from './parse-report.ts';

/**
 * Parses documents on a fixed number of worker threads, in the order they are asked
 * for. With no workers it parses on the calling thread.
 */
export interface ParsePool {
  parse(bytes: Uint8Array, options: ParseOptions): Promise<DocumentParseResult>;
  close(): Promise<void>;
}

// Workers start without the parent's loader flags, so the TypeScript loader is registered in each.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then(({ register }) => { register(); return import(workerData.entry); });
`;

/** Bounds on a pool that parses untrusted uploads. */
export interface PoolLimits {
  /** Heap of each worker, in MB; a worker past it is killed (its job refused), and replaced. */
  memoryMb?: number;
  /** Wall-clock time of one parse, in ms; past it the worker is killed and replaced. */
  timeoutMs?: number;
  /** Parses waiting for a worker; more are refused at once rather than queued without bound. */
  maxQueue?: number;
}

/**
 * PARSE_WORKERS, PARSE_MEMORY_MB and PARSE_TIMEOUT_MS from an environment, as the server reads
 * them (0 workers parses on the calling thread, without either bound); a bad value is an error naming it.
 */
export function readParseLimits(env: Readonly<Record<string, string | undefined>>): {
  workers: number;
  memoryMb: number;
  timeoutMs: number;
} {
  const read = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a whole number of 0 or more, got "${raw}".`);
    // Past it Node fires the timer at once, and every file would be refused as too slow.
    if (name === 'PARSE_TIMEOUT_MS' && Number(raw) > MAX_MILLISECONDS)
      throw new Error(`${name} must be at most ${MAX_MILLISECONDS} (about 24.8 days), got "${raw}".`);
    return Number(raw);
  };
  return {
    workers: read('PARSE_WORKERS', DEFAULT_PARSE_LIMITS.workers),
    memoryMb: read('PARSE_MEMORY_MB', DEFAULT_PARSE_LIMITS.memoryMb),
    timeoutMs: read('PARSE_TIMEOUT_MS', DEFAULT_PARSE_LIMITS.timeoutMs),
  };
}

/**
 * Parses through the pool; a file the pool stopped (past its heap or time limit) or could not
 * take (its queue full) comes back as the parser's own refusal of it, TOO_LARGE naming the
 * limit, like any file that cannot be read.
 */
export async function parseOrRefuse(
  pool: Pick<ParsePool, 'parse'>,
  bytes: Uint8Array,
  options: ParseOptions,
): Promise<DocumentParseResult> {
  try {
    return await pool.parse(bytes, options);
  } catch (error) {
    if (!(error instanceof ParseLimitError || error instanceof ParserExitError)) throw error;
    const code = error instanceof ParseLimitError ? 'TOO_LARGE' : 'UNREADABLE_DOCUMENT';
    return {
      format: null,
      encoding: null,
      result: { ok: false, problems: [{ code, severity: 'error', message: error.message }] },
    };
  }
}

/** A parse whose worker ended without a word (no result, no error): the file is refused, not the run. */
export class ParserExitError extends Error {
  constructor(readonly exitCode: number) {
    super(
      `The parser stopped while reading the file (its worker exited with code ${exitCode}), so nothing of it was read or stored. The file is probably damaged: download it again, or save it in another format (.docx, PDF, HTML) and import that.`,
    );
  }
}

/** A parse the pool refused or stopped: which bound, said for the person who sent the file. */
export class ParseLimitError extends Error {
  constructor(
    readonly limit: 'memory' | 'time' | 'queue',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Text and web pages parse on the calling thread (their parse is bounded by what the parser
 * counts: lines, elements, cells, and a worker would cost more than it saves), PDF and Word
 * files on one worker started when the first comes, under the limits, since what their
 * libraries do with a file (pdf.js reading a page's drawing, a Word file's structure) is
 * bounded only by time and heap: a 40 kB PDF whose page draws 60 MB of boxes held the calling
 * thread for 40 s and 3 GB.
 */
export function createInlineTextPool(limits: PoolLimits): ParsePool {
  const here = createParsePool(0);
  let worker: ParsePool | undefined;
  return {
    parse(bytes, options) {
      const detected = detectFormat(bytes);
      if (detected.kind === 'supported' && (detected.format === 'text' || detected.format === 'html')) {
        return here.parse(bytes, options);
      }
      worker ??= createParsePool(1, limits);
      return worker.parse(bytes, options);
    },
    close: async () => {
      await worker?.close();
    },
  };
}

/** `entry`: the worker's module, another only in tests (a worker that exits mid-parse). */
export function createParsePool(
  workers: number,
  limits: PoolLimits = {},
  entry = new URL('./parse-worker.ts', import.meta.url).href,
): ParsePool {
  if (workers <= 0) {
    // One document at a time, each after a turn of the event loop, so pending I/O runs between
    // documents: a batch being stored meanwhile gets its statements' replies and sends the next
    // instead of waiting until the whole next batch is parsed. (Documents asked for together
    // and each only waiting for setImmediate would all run in one turn, with no I/O between.)
    let tail: Promise<unknown> = Promise.resolve();
    return {
      parse: (bytes, options) => {
        const parsed = tail
          .then(() => new Promise((resolve) => setImmediate(resolve)))
          .then(() => parseDocument(bytes, options));
        tail = parsed.catch(() => {});
        return parsed;
      },
      close: async () => {},
    };
  }
  // The ESM build of tsx's API (the exports map pairs index.cjs with index.mjs).
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  type Job = {
    id: number;
    bytes: Uint8Array;
    options: ParseOptions;
    resolve: (r: DocumentParseResult) => void;
    reject: (e: Error) => void;
  };
  const queue: Job[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job>();
  /** Workers still loading the parser; they join `idle` when they say they are ready. */
  const starting = new Set<Worker>();
  let nextId = 0;
  let closed = false;

  const timers = new Map<Worker, NodeJS.Timeout>();
  /** Takes a worker out of service: its job (if any) is refused with `error`, and a fresh worker replaces it. */
  // A worker that dies before finishing anything (a heap too small to even load the parser)
  // must not be replaced forever: after a few in a row, queued files are refused.
  let failuresInARow = 0;
  /** Workers in service; one retired is dropped first, so its own 'exit' is not taken for a crash. */
  const live = new Set<Worker>();
  const retire = (worker: Worker, error: Error) => {
    if (!live.delete(worker)) return;
    failuresInARow++;
    clearTimeout(timers.get(worker));
    timers.delete(worker);
    const job = busy.get(worker);
    busy.delete(worker);
    const at = idle.indexOf(worker);
    if (at >= 0) idle.splice(at, 1);
    starting.delete(worker);
    job?.reject(error);
    void worker.terminate();
    if (closed) return;
    if (failuresInARow > 3 * workers) {
      // Stop replacing workers; the next file asked for tries again.
      for (const waiting of queue.splice(0)) waiting.reject(error);
      return;
    }
    spawn();
    dispatch();
  };
  const dispatch = () => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop();
      const job = queue.shift();
      if (!worker || !job) return;
      busy.set(worker, job);
      if (limits.timeoutMs) {
        const ms = limits.timeoutMs;
        timers.set(
          worker,
          setTimeout(
            () =>
              retire(
                worker,
                new ParseLimitError(
                  'time',
                  `Parsing the file took longer than ${ms} ms (PARSE_TIMEOUT_MS) and was stopped.`,
                ),
              ),
            ms,
          ),
        );
      }
      worker.postMessage({ id: job.id, bytes: job.bytes, options: job.options });
    }
  };
  const spawn = () => {
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      execArgv: [],
      workerData: { tsx, entry },
      ...(limits.memoryMb ? { resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb } } : {}),
    });
    worker.unref();
    worker.on(
      'message',
      (message: { id: number; ready?: true; parsed?: DocumentParseResult; error?: string }) => {
        if (message.ready) {
          starting.delete(worker);
          idle.push(worker);
          dispatch();
          return;
        }
        failuresInARow = 0;
        clearTimeout(timers.get(worker));
        timers.delete(worker);
        const job = busy.get(worker);
        busy.delete(worker);
        idle.push(worker);
        if (job && message.parsed) job.resolve(message.parsed);
        else job?.reject(new Error(`Parser crashed: ${message.error ?? 'no result'}`));
        dispatch();
      },
    );
    worker.on('error', (error) => {
      const outOfMemory = (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      retire(
        worker,
        outOfMemory
          ? new ParseLimitError(
              'memory',
              `Parsing the file needed more than ${limits.memoryMb} MB (PARSE_MEMORY_MB) and was stopped.`,
            )
          : error,
      );
    });
    // A worker can end without an 'error' (process.exit in a library, a native abort of its
    // own): its job would wait for ever, and the pool would be a worker short.
    worker.on('exit', (code) => retire(worker, new ParserExitError(code)));
    live.add(worker);
    starting.add(worker);
  };
  for (let i = 0; i < workers; i++) spawn();

  return {
    parse(bytes, options) {
      return new Promise((resolve, reject) => {
        // Waiting means: beyond the jobs the free and starting workers are about to take.
        if (limits.maxQueue !== undefined && queue.length - idle.length - starting.size >= limits.maxQueue) {
          reject(
            new ParseLimitError(
              'queue',
              `${queue.length} files are already waiting to be parsed (PARSE_QUEUE); try again in a moment.`,
            ),
          );
          return;
        }
        queue.push({ id: nextId++, bytes, options, resolve, reject });
        while (!closed && idle.length + busy.size + starting.size < workers) spawn();
        dispatch();
      });
    },
    async close() {
      closed = true;
      live.clear();
      for (const timer of timers.values()) clearTimeout(timer);
      for (const job of queue.splice(0)) job.reject(new Error('The parser pool was closed.'));
      await Promise.all([...idle, ...starting, ...busy.keys()].map((w) => w.terminate()));
    },
  };
}
