// Starts and stops an embedded PostgreSQL, then ends with the exit code given, set the way a test
// runner sets it (process.exitCode, no process.exit): the exit-code test checks nothing overrides it.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'exit-code-'));
chmodSync(dataDir, 0o755); // as root, the postgres user must enter it
const database = await startEmbeddedPostgres({
  dataDir: join(dataDir, 'pg'),
  database: 'x',
  persistent: false,
});
await database.stop();
rmSync(dataDir, { recursive: true, force: true });
process.exitCode = Number(process.argv[2] ?? 0);
