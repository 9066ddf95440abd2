/**
 * Instructions per parsed report, counted by valgrind (callgrind), which unlike a clock gives
 * the same figure on a busy or a quiet machine. Node runs with --single-threaded, so its
 * compiler's work is counted too: the first reports pay for it, the later ones run compiled.
 * Prints both: the first WARM reports, and the next MEASURE ones (steady state, which is what
 * `npm run bench`'s parse rate, timed after a warm-up, sees).
 * Usage: npx tsx scripts/parse-instructions.ts [--warm 1200] [--measure 3600]
 * Needs valgrind (Debian: apt-get install valgrind). Takes a few minutes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { countOption, scriptArgs } from './script-args.ts';

const { warm, measure } = scriptArgs(
  `Usage: npx tsx scripts/parse-instructions.ts [--warm 1200] [--measure 3600]
Counts the instructions per parsed report with callgrind: over the first --warm generated
reports (compiling included), then over the next --measure. Needs valgrind; takes minutes.`,
  {
    options: { warm: { type: 'string', default: '1200' }, measure: { type: 'string', default: '3600' } },
  },
  ({ values }) => ({
    warm: countOption('--warm', values.warm),
    measure: countOption('--measure', values.measure),
  }),
);
try {
  execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
} catch {
  console.error(
    'valgrind was not found on PATH; install it (Debian: apt-get install valgrind) and run again.',
  );
  process.exit(1);
}

// Inside the project, so that the bundle's imports of packages resolve to node_modules.
const cache = fileURLToPath(new URL('../node_modules/.cache/', import.meta.url));
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'parse-instructions-'));
const bundle = join(dir, 'runner.mjs');
await build({
  entryPoints: [fileURLToPath(new URL('./bench/parse-runner.ts', import.meta.url))],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  // As tsx compiles what `npm run bench` and the server run: it names every closure as it is
  // made, which the parser's hot paths avoid (src/ingest/header-positions.ts, CellsAround).
  keepNames: true,
  outfile: bundle,
  logLevel: 'error',
});

/** Instructions for a whole run of node parsing `count` reports. */
function instructions(count: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'valgrind',
      [
        '--tool=callgrind',
        '--callgrind-out-file=/dev/null',
        'node',
        '--single-threaded',
        bundle,
        String(count),
      ],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const collected = /Collected : (\d+)/.exec(stderr);
      if (code !== 0 || !collected)
        reject(new Error(`valgrind with ${count} reports exited ${code}:\n${stderr.slice(-2000)}`));
      else resolve(Number(collected[1]));
    });
  });
}

const started = performance.now();
console.error(
  `Counting instructions for 0, ${warm} and ${warm + measure} reports (three runs under valgrind)…`,
);
try {
  const [none, warmed, all] = await Promise.all([
    instructions(0),
    instructions(warm),
    instructions(warm + measure),
  ]);
  const millions = (n: number) => `${(n / 1e6).toFixed(2)} M`;
  console.log(
    `first ${warm} reports (compiling included): ${millions((warmed - none) / warm)} instructions a report`,
  );
  console.log(
    `next ${measure} reports (steady state): ${millions((all - warmed) / measure)} instructions a report`,
  );
  console.error(`(${((performance.now() - started) / 1000).toFixed(0)} s)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
