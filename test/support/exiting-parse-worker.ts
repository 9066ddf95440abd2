/**
 * A parse worker for the pool's tests that ends its thread, without an error, on a file
 * starting with "EXIT", as a library calling process.exit would, and parses anything else.
 */
import { parentPort } from 'node:worker_threads';
import { parseDocument } from '../../src/ingest/document.ts';
import type { ParseRequest } from '../../src/ingest/parse-worker.ts';

parentPort?.on('message', async ({ id, bytes, options }: ParseRequest) => {
  if (Buffer.from(bytes.subarray(0, 4)).toString() === 'EXIT') process.exit(7);
  parentPort?.postMessage({ id, parsed: await parseDocument(bytes, options) });
});
parentPort?.postMessage({ ready: true });
