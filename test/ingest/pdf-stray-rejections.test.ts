import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { isPdfjsStrayRejection } from '../../src/ingest/pdf.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * pdf.js can reject a promise of its own that nobody holds while reading a damaged PDF, after
 * the parse has answered. The threads that parse PDFs (the CLI, the parser workers) must live
 * on; any other unhandled rejection must still end them.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const pdfjs = pathToFileURL(join(root, 'node_modules/pdfjs-dist/legacy/build/pdf.mjs')).href;
const pdfFixture = join(root, 'test/fixtures/formats/report.pdf');

/**
 * A preload that rejects `reason` (an expression) unhandled right after the program under test
 * installs its unhandledRejection listener (the CLI does so before it reads any file).
 */
async function preload(reason: string): Promise<string> {
  const file = join(tempDir('stray-'), 'preload.mjs');
  writeFileSync(
    file,
    `const { InvalidPDFException } = await import(${JSON.stringify(pdfjs)});
     const on = process.on.bind(process);
     let armed = false;
     process.on = (event, listener) => {
       const result = on(event, listener);
       if (event === 'unhandledRejection' && !armed) {
         armed = true;
         setTimeout(() => { Promise.reject(${reason}); });
       }
       return result;
     };`,
  );
  return pathToFileURL(file).href;
}

function cli(preloadUrl: string) {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', preloadUrl, 'src/cli/main.ts', 'validate', pdfFixture, '--allow-partial'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, VITEST: '1' }, timeout: 60_000 },
  );
}

describe('stray rejections from pdf.js', () => {
  it('are told apart by name and by a stack inside pdfjs-dist', async () => {
    const { InvalidPDFException } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    expect(isPdfjsStrayRejection(new InvalidPDFException('Bad (uncompressed) XRef entry: 7R'))).toBe(true);
    // Serialized, as a test runner passes it on.
    expect(
      isPdfjsStrayRejection({
        name: 'FormatError',
        stack:
          'FormatError: bad XRef entry\n    at /x/node_modules/pdfjs-dist/legacy/build/pdf.worker.mjs:59011:13',
      }),
    ).toBe(true);
    const ours = new Error('Bad XRef entry');
    ours.name = 'XRefEntryException';
    expect(isPdfjsStrayRejection(ours)).toBe(false);
    expect(isPdfjsStrayRejection(new TypeError('x'))).toBe(false);
    expect(isPdfjsStrayRejection('XRefEntryException')).toBe(false);
    expect(isPdfjsStrayRejection(null)).toBe(false);
  });

  it('do not end the CLI: the PDF is still read and the stray is named on stderr', async () => {
    const run = cli(await preload(`new InvalidPDFException('Bad (uncompressed) XRef entry: 7R')`));
    expect(run.stderr, run.stderr + run.stdout).toContain('pdf.js raised a further error');
    expect(run.stderr).toContain('InvalidPDFException: Bad (uncompressed) XRef entry: 7R');
    // The fixture's report read and checked: validate's summary, exit 0 or 1 (findings), not a crash.
    expect(run.stdout).toContain('1 file(s): 1 pass');
    expect(run.status).toBe(0);
  }, 60_000);

  it('any other unhandled rejection still ends the CLI', async () => {
    const run = cli(await preload(`new Error('not from pdf.js')`));
    // Ended before the file was read (Node's exit status 1, as validate's own for findings).
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain('file(s)');
    expect(run.stderr).toContain('Error: not from pdf.js');
    expect(run.stderr).not.toContain('pdf.js raised a further error');
  }, 60_000);

  it('do not end a parser worker: it parses the next document', async () => {
    const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/esm/api/index.mjs')).href;
    const worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       import(workerData.tsx)
         .then(({ register }) => { register(); return import(workerData.pdfjs); })
         .then((pdfjs) => import(workerData.entry).then(() => {
           Promise.reject(new pdfjs.InvalidPDFException('stray'));
         }));`,
      {
        eval: true,
        workerData: {
          tsx,
          pdfjs,
          entry: pathToFileURL(join(root, 'src/ingest/parse-worker.ts')).href,
        },
      },
    );
    try {
      const answer = await new Promise<unknown>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('exit', (code) => reject(new Error(`worker ended with ${code}`)));
        worker.on('message', (message: { ready?: boolean; id?: number; parsed?: unknown }) => {
          // After the stray (it is rejected right after the worker says it is ready).
          if (message.ready)
            setTimeout(
              () =>
                worker.postMessage({ id: 1, bytes: new TextEncoder().encode('not a report'), options: {} }),
              200,
            );
          else resolve(message);
        });
      });
      expect(answer).toMatchObject({ id: 1, parsed: { result: { ok: false } } });
    } finally {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
  }, 60_000);
});
