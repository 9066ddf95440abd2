/**
 * Serves the imitation agency website collect's tests use, for trying collect by hand:
 *   npx tsx scripts/fixture-site.ts   (prints the seed URL; Ctrl-C stops it)
 */
import { startFixtureSite } from '../test/support/fixture-site.ts';

const site = await startFixtureSite();
console.log(
  `Fixture site at ${site.url}; collect from:\n  npm run cli -- collect ${site.seed} --delay 0 --timeout 2000`,
);
process.once('SIGINT', () => void site.close().then(() => process.exit(0)));
