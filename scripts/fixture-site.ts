/**
 * Serves the imitation agency website collect's tests use, for trying collect by hand:
 *   npx tsx scripts/fixture-site.ts [--bulk N] [--latency MS]   (prints the seeds; Ctrl-C stops it)
 * --bulk adds a /bulk/ column of N synthetic reports, each page answering after --latency ms.
 */
import { countOption, scriptArgs } from './script-args.ts';

const options = scriptArgs(
  `Usage: npx tsx scripts/fixture-site.ts [--bulk N] [--latency MS]
Serves the imitation agency website of collect's tests and prints the seeds; Ctrl-C stops it.
  --bulk N       a /bulk/ column of N synthetic reports (default 0)
  --latency MS   each bulk page answers after MS milliseconds (default 0)`,
  { options: { bulk: { type: 'string', default: '0' }, latency: { type: 'string', default: '0' } } },
  ({ values }) => ({
    bulk: countOption('--bulk', values.bulk, 0),
    bulkLatencyMs: countOption('--latency', values.latency, 0),
  }),
);
// Loaded once the command line is read, so that --help and a mistyped option answer at once.
const { startFixtureSite } = await import('../test/support/fixture-site.ts');
const site = await startFixtureSite(options);
console.log(
  `Fixture site at ${site.url}; collect from:\n  npm run cli -- collect ${site.seed} --delay 0 --timeout 2000`,
);
if (site.bulkReports.length > 0)
  console.log(
    `Its bulk column (${site.bulkReports.length} reports), for several workers (npm run cli -- worker):\n  npm run cli -- collect ${site.bulkSeed} --delay 0 --per-host 8 --detach`,
  );
process.once('SIGINT', () => void site.close().then(() => process.exit(0)));
