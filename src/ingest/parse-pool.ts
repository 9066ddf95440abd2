import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type DocumentParseResult, parseDocument } from './document.ts';
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

export function createParsePool(workers: number): ParsePool {
  if (workers <= 0) {
    return {
      parse: async (bytes, options) => {
        // Let pending I/O run between documents, so a batch being stored meanwhile (its
        // statements' replies) is not held up until the whole next batch is parsed.
        await new Promise((resolve) => setImmediate(resolve));
        return parseDocument(bytes, options);
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
  const entry = new URL('./parse-worker.ts', import.meta.url).href;
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
  let nextId = 0;
  let closed = false;

  const dispatch = () => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop();
      const job = queue.shift();
      if (!worker || !job) return;
      busy.set(worker, job);
      worker.postMessage({ id: job.id, bytes: job.bytes, options: job.options });
    }
  };
  const spawn = () => {
    const worker = new Worker(BOOTSTRAP, { eval: true, execArgv: [], workerData: { tsx, entry } });
    worker.unref();
    worker.on('message', (message: { id: number; parsed?: DocumentParseResult; error?: string }) => {
      const job = busy.get(worker);
      busy.delete(worker);
      idle.push(worker);
      if (job && message.parsed) job.resolve(message.parsed);
      else job?.reject(new Error(`Parser crashed: ${message.error ?? 'no result'}`));
      dispatch();
    });
    worker.on('error', (error) => {
      const job = busy.get(worker);
      busy.delete(worker);
      job?.reject(error);
      if (!closed) {
        spawn();
        dispatch();
      }
    });
    idle.push(worker);
  };
  for (let i = 0; i < workers; i++) spawn();

  return {
    parse(bytes, options) {
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, bytes, options, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      await Promise.all([...idle, ...busy.keys()].map((w) => w.terminate()));
    },
  };
}
