/**
 * Worker-thread entry for batch imports: parsing is CPU-bound (PDF layout, HTML trees),
 * so files are parsed in parallel while the main thread stores the results.
 */
import { parentPort } from 'node:worker_threads';
import { parseDocument } from './document.ts';
import type { ParseOptions } from './parse-report.ts';
import { containPdfjsStrayRejections } from './pdf.ts';

export interface ParseRequest {
  id: number;
  bytes: Uint8Array;
  options: ParseOptions;
}

// Ending this worker on one would fail whichever upload it parses next, not the damaged one.
containPdfjsStrayRejections(() => {});

parentPort?.on('message', async ({ id, bytes, options }: ParseRequest) => {
  try {
    parentPort?.postMessage({ id, parsed: await parseDocument(bytes, options) });
  } catch (error) {
    parentPort?.postMessage({
      id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});

// Loaded: the pool may send work now (its time limit counts parsing, not start-up).
parentPort?.postMessage({ ready: true });
