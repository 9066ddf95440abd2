/**
 * Collection throughput with 1 and with 3 workers: the fixture site's bulk column (synthetic HTML
 * reports behind generated pagination, each page answering after --latency ms like a far-away
 * agency site), a fresh database per measurement, `worker` processes as users start them, and
 * one run followed to its end. Prints reports/s per worker count.
 *
 *   npx tsx scripts/collect-throughput.ts [--reports 150] [--latency 200] [--workers 1,3]
 *                                         [--concurrency 4]
 *
 * With DATABASE_URL the databases are created on that server (disclosure_collect_bench_<n>,
 * never the database the URL names); without it, in an embedded PostgreSQL under .data/.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OpenDatabase } from '../src/store/open-database.ts';
import { countListOption, countOption, scriptArgs } from './script-args.ts';

const { reports, latency, concurrency, counts } = scriptArgs(
  `Usage: npx tsx scripts/collect-throughput.ts [--reports 150] [--latency 200] [--workers 1,3]
                                              [--concurrency 4]
Collects --reports synthetic reports from the fixture site (each page answering after --latency
ms) with each count of --workers, a fresh database each, and prints reports/s per count.`,
  {
    options: {
      reports: { type: 'string', default: '150' },
      latency: { type: 'string', default: '200' },
      workers: { type: 'string', default: '1,3' },
      concurrency: { type: 'string', default: '4' },
    },
  },
  ({ values }) => ({
    reports: countOption('--reports', values.reports),
    latency: countOption('--latency', values.latency, 0),
    concurrency: countOption('--concurrency', values.concurrency),
    counts: countListOption('--workers', values.workers),
  }),
);
// Loaded once the command line is read, so that --help and a mistyped option answer at once.
const { default: pg } = await import('pg');
const { collect, DEFAULT_FETCH_SETTINGS, DEFAULT_RUN_SETTINGS } = await import('../src/collect/index.ts');
const { openDatabase } = await import('../src/store/open-database.ts');
const { startFixtureSite } = await import('../test/support/fixture-site.ts');
const { startWorkerProcess } = await import('../test/support/worker-process.ts');
const log = (m: string) => console.error(m);

async function freshDatabase(n: number): Promise<OpenDatabase> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const dataDir = fileURLToPath(new URL(`../.data/collect-bench-${n}`, import.meta.url));
    rmSync(dataDir, { recursive: true, force: true });
    return openDatabase({ log, dataDir });
  }
  const name = `disclosure_collect_bench_${n}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return openDatabase({ log, url: url.toString() });
}

const site = await startFixtureSite({ bulk: reports, bulkLatencyMs: latency });
const results: { workers: number; seconds: number; rate: number; imported: number }[] = [];
try {
  for (const n of counts) {
    const database = await freshDatabase(n);
    const workers = await Promise.all(
      Array.from({ length: n }, () =>
        startWorkerProcess(database.url, ['--concurrency', String(concurrency), '--polling', '0.5']),
      ),
    );
    try {
      const started = performance.now();
      const summary = await collect(database.db, database.url, {
        start: {
          seeds: [site.bulkSeed],
          settings: {
            ...DEFAULT_RUN_SETTINGS,
            // One site, so the per-host limit is what parallelism each worker gets there.
            fetch: { ...DEFAULT_FETCH_SETTINGS, delayMs: 0, perHost: concurrency },
          },
          startedBy: 'collect-throughput',
        },
        concurrency: 0,
        worker: { actor: 'collect-throughput' },
        onProgress: (c) => {
          process.stderr.write(`\r${n} worker(s): ${c.done}/${c.found} done   `);
        },
      });
      const seconds = (performance.now() - started) / 1000;
      process.stderr.write('\n');
      results.push({
        workers: n,
        seconds,
        rate: summary.counts.done / seconds,
        imported: summary.counts.imported,
      });
    } finally {
      for (const w of workers) w.child.kill('SIGTERM');
      await database.close();
    }
  }
} finally {
  await site.close();
}

console.log(
  `\ncollect throughput: ${reports} HTML reports, ${latency} ms per report page, ${concurrency} jobs per worker`,
);
console.log('| workers | seconds | reports/s | imported |');
console.log('|---|---|---|---|');
for (const r of results)
  console.log(`| ${r.workers} | ${r.seconds.toFixed(1)} | ${r.rate.toFixed(1)} | ${r.imported} |`);
process.exit(0);
