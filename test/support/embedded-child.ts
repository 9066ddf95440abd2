// Starts the embedded PostgreSQL on the folder given and waits to be killed: a server that
// dies without stopping its database, for the recovery test.
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres.ts';

const database = await startEmbeddedPostgres({ dataDir: process.argv[2] ?? '', database: 'x' });
process.stdout.write(`ready ${database.url}\n`);
setInterval(() => {}, 60_000);
