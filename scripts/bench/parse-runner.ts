/**
 * Parses the first N of the bench's generated reports (tab text) on the main thread, for
 * scripts/parse-instructions.ts to count instructions under valgrind. Usage: node bundle.mjs N
 */
import { parseReportBytes } from '../../src/ingest/parse-report.ts';
import { syntheticReports } from '../../src/synthetic/index.ts';
import { datasetOptions } from './database.ts';

const count = Number(process.argv[2] ?? 0);
const encoder = new TextEncoder();
// The same reports as `npm run bench`'s parse figure, which samples this dataset.
const sample = [...syntheticReports(datasetOptions(500))].map((r) => encoder.encode(r.text));
let parsed = 0;
for (let i = 0; i < count; i++) {
  const bytes = sample[i % sample.length];
  if (bytes && parseReportBytes(bytes).result.ok) parsed++;
}
// A report that stopped parsing would make the count cheaper and the figure a lie.
if (parsed !== count) throw new Error(`${count - parsed} of ${count} generated reports did not parse`);
