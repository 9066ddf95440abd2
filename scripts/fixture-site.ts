/**
 * Serves the imitation agency website collect's tests use, for trying collect by hand:
 *   npx tsx scripts/fixture-site.ts [--bulk N] [--latency MS]   (prints the seeds; Ctrl-C stops it)
 * --bulk adds a /bulk/ column of N synthetic reports, each page answering after --latency ms.
 */
import { parseArgs } from 'node:util';
import { startFixtureSite } from '../test/support/fixture-site.ts';

const { values } = parseArgs({ options: { bulk: { type: 'string' }, latency: { type: 'string' } } });
const site = await startFixtureSite({
  bulk: Number(values.bulk ?? 0),
  bulkLatencyMs: Number(values.latency ?? 0),
});
console.log(
  `Fixture site at ${site.url}; collect from:\n  npm run cli -- collect ${site.seed} --delay 0 --timeout 2000`,
);
if (site.bulkReports.length > 0)
  console.log(
    `Its bulk column (${site.bulkReports.length} reports), for several workers (npm run cli -- worker):\n  npm run cli -- collect ${site.bulkSeed} --delay 0 --per-host 8 --detach`,
  );
process.once('SIGINT', () => void site.close().then(() => process.exit(0)));
