/**
 * Parse throughput per source format on one core: every fixture in
 * test/fixtures/formats is parsed repeatedly on the main thread (no database).
 * Usage: npx tsx scripts/bench-parse.ts [--seconds N]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { countOption, scriptArgs } from './script-args.ts';

const budgetMs =
  scriptArgs(
    `Usage: npx tsx scripts/bench-parse.ts [--seconds 2]
Parses every fixture in test/fixtures/formats repeatedly on one core for --seconds each and
prints reports/s per format.`,
    { options: { seconds: { type: 'string', default: '2' } } },
    ({ values }) => countOption('--seconds', values.seconds),
  ) * 1000;
// Loaded once the command line is read, so that --help and a mistyped option answer at once.
const { parseDocument } = await import('../src/ingest/document.ts');
const dir = fileURLToPath(new URL('../test/fixtures/formats/', import.meta.url));

const rows: { file: string; format: string; kb: string; first: string; rate: string; perReport: string }[] =
  [];
for (const file of readdirSync(dir).sort()) {
  const bytes = readFileSync(`${dir}${file}`);
  const firstStart = performance.now();
  const first = await parseDocument(bytes);
  const firstMs = performance.now() - firstStart;
  if (!first.result.ok) throw new Error(`${file} does not parse: ${first.result.problems[0]?.message}`);
  // Warm up, then count how many parses fit in the time budget.
  for (let i = 0; i < 3; i++) await parseDocument(bytes);
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < budgetMs) {
    await parseDocument(bytes);
    count++;
  }
  const elapsed = performance.now() - start;
  rows.push({
    file,
    format: first.format ?? '?',
    kb: (bytes.length / 1024).toFixed(1),
    first: firstMs.toFixed(0),
    rate: ((count * 1000) / elapsed).toFixed(1),
    perReport: (elapsed / count).toFixed(2),
  });
}

const header = ['file', 'format', 'KiB', 'first parse ms', 'reports/s', 'ms/report'];
const table = [header, ...rows.map((r) => [r.file, r.format, r.kb, r.first, r.rate, r.perReport])];
const widths = header.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
for (const row of table) console.log(row.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  '));
