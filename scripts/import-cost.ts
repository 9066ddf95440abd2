/**
 * What an import costs: the median of 60 single imports through importReport (the real sample
 * report, one new agency each) and the bulk import of `--agencies N` generated agencies × 6
 * years (rendered, parsed, stored through COPY). Each measure starts from an empty database,
 * `disclosure_import_cost` on the DATABASE_URL server (never the database the URL names).
 *
 * Usage: DATABASE_URL=… npx tsx scripts/import-cost.ts [--agencies 1000] (USAGE below)
 */
import { readFileSync } from 'node:fs';
import type { OpenDatabase } from '../src/store/open-database.ts';
import { countOption, scriptArgs } from './script-args.ts';

const agencies = scriptArgs(
  `Usage: DATABASE_URL=postgresql://…/postgres npx tsx scripts/import-cost.ts [--agencies 1000]
Times 60 single imports of the sample report and the bulk import of --agencies N generated
agencies × 6 years, each into a fresh database disclosure_import_cost on that server.`,
  { options: { agencies: { type: 'string', default: '1000' } } },
  ({ values }) => countOption('--agencies', values.agencies),
);
// Loaded once the command line is read, so that --help and a mistyped option answer at once.
const { default: pg } = await import('pg');
const { importReport } = await import('../src/import/index.ts');
const { openDatabase } = await import('../src/store/open-database.ts');
const { loadReports } = await import('./bench/database.ts');
const server = process.env.DATABASE_URL;
if (!server)
  throw new Error('Set DATABASE_URL to a PostgreSQL server; the script creates its own database there.');
const url = new URL(server);
url.pathname = '/disclosure_import_cost';

async function fresh(): Promise<OpenDatabase> {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS disclosure_import_cost WITH (FORCE)');
  await admin.query('CREATE DATABASE disclosure_import_cost');
  await admin.end();
  return openDatabase({ url: url.toString(), log: () => {} });
}

const sample = readFileSync(
  new URL('../data/sample/zhongwei-science-bureau-2020.txt', import.meta.url),
  'utf8',
);
const single = await fresh();
const times: number[] = [];
for (let i = 0; i < 100; i++) {
  const started = performance.now();
  const result = await importReport(single.db, {
    bytes: new TextEncoder().encode(sample.replaceAll('中卫市科学技术局', `中卫市第${i}局`)),
    fileName: `${i}.txt`,
  });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  // The first 40 warm the connection pool, the parser and PostgreSQL's caches.
  if (i >= 40) times.push(performance.now() - started);
}
await single.close();
times.sort((a, b) => a - b);
console.log(`single import: median ${(times[times.length / 2] ?? 0).toFixed(1)} ms over ${times.length}`);

const bulk = await fresh();
const loaded = await loadReports(bulk, agencies, 'import', () => {});
await bulk.close();
console.log(
  `bulk import: ${Math.round(loaded.reportsPerSecond ?? 0)} reports/s (${agencies} agencies × 6 years)`,
);
