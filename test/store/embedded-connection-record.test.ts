/**
 * The connection record a server leaves in the embedded data folder: a stale one (its server
 * was killed) is ignored and removed, and the orphaned PostgreSQL is recovered as after any
 * crash; a folder in use by a process that shares nothing gets a one-line message.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONNECTION_RECORD_FILE, findSharedEmbedded } from '../../src/store/embedded-postgres.ts';
import { embeddedDataFolder, runCli, startServe } from '../support/cli-process.ts';
import { fixturePath, REAL_V2019 } from '../support/fixtures.ts';

const CHILD = fileURLToPath(new URL('../support/embedded-child.ts', import.meta.url));

const postmasterPid = (dataDir: string) =>
  Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

describe.runIf(process.platform === 'linux')('the embedded connection record', () => {
  it('a record whose server is gone is removed, and nothing is connected to', async () => {
    const { parent, dataDir } = embeddedDataFolder('record-stale-');
    try {
      mkdirSync(dataDir);
      // A process that has certainly exited.
      const gone = spawnSync(process.execPath, ['-e', '']).pid;
      writeFileSync(
        join(dataDir, CONNECTION_RECORD_FILE),
        JSON.stringify({
          pid: gone,
          url: 'postgresql://postgres:postgres@127.0.0.1:1/disclosure',
          port: 1,
          dataDir,
          startedAt: new Date().toISOString(),
        }),
      );
      const logged: string[] = [];
      expect(await findSharedEmbedded(dataDir, (m) => logged.push(m))).toBeNull();
      expect(existsSync(join(dataDir, CONNECTION_RECORD_FILE))).toBe(false);
      expect(logged).toEqual([
        `Removed the stale connection record of server process ${gone} (it is no longer running).`,
      ]);
      // A damaged record is of no use either.
      writeFileSync(join(dataDir, CONNECTION_RECORD_FILE), '{"pid": ');
      expect(await findSharedEmbedded(dataDir)).toBeNull();
      expect(existsSync(join(dataDir, CONNECTION_RECORD_FILE))).toBe(false);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('an empty DATABASE_URL (a `.env` line `DATABASE_URL=`) is unset: the embedded PostgreSQL is used and stopped', async () => {
    const { parent, dataDir } = embeddedDataFolder('record-empty-url-');
    try {
      // It started a cluster, then failed with "No database URL" and left the cluster running.
      const listed = await runCli(['token', 'list'], dataDir, { DATABASE_URL: '' });
      expect(listed.stderr).not.toMatch(/No database URL|\bat .*\.ts:\d+/);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain('No tokens.');
      expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('after the server was SIGKILLed, a CLI command ignores its record, recovers its PostgreSQL and runs', async () => {
    const { parent, dataDir } = embeddedDataFolder('record-killed-');
    try {
      const serve = await startServe(dataDir);
      const orphan = postmasterPid(dataDir);
      await serve.stop('SIGKILL');
      // The record and the database outlived their server.
      expect(existsSync(join(dataDir, CONNECTION_RECORD_FILE))).toBe(true);
      expect(alive(orphan)).toBe(true);

      const listed = await runCli(['token', 'list'], dataDir);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain('No tokens.');
      expect(listed.stderr).toContain(
        `Removed the stale connection record of server process ${serve.child.pid} (it is no longer running).`,
      );
      expect(listed.stderr).toContain(`Stopping the PostgreSQL (process ${orphan}) left running on`);
      expect(listed.stderr).not.toContain('run by the server');
      expect(alive(orphan)).toBe(false);
      // The command started its own cluster and stopped it; it recorded nothing.
      expect(existsSync(join(dataDir, CONNECTION_RECORD_FILE))).toBe(false);
      expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  }, 120_000);

  it('a folder held by a process that shares nothing gets one line saying what to do, not a stack trace', async () => {
    const { parent, dataDir } = embeddedDataFolder('record-busy-');
    const holder = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready ')) resolve();
        });
        holder.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
      });
      const postmaster = postmasterPid(dataDir);
      const refused = await runCli(['import', fixturePath(REAL_V2019)], dataDir);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      // One line naming the holder by its command line (cut at 100 characters, so how much of
      // it shows depends on where the project sits).
      const lines = refused.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        `Error: The embedded PostgreSQL in ${dataDir} is in use by process ${holder.pid} (${process.execPath} --import tsx `,
      );
      expect(lines[0]).toMatch(
        /\), which does not share it \(only a running server does\)\. Wait for it to finish or stop it, then run this again; or set DATABASE_URL to use another PostgreSQL\.$/,
      );
      expect(alive(postmaster)).toBe(true);
    } finally {
      holder.kill('SIGTERM'); // the package's exit hook stops its PostgreSQL
      if (holder.exitCode === null) await new Promise((r) => holder.once('exit', r));
      rmSync(parent, { recursive: true, force: true });
    }
  }, 120_000);
});
