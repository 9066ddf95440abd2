/**
 * A server killed with SIGKILL leaves its embedded PostgreSQL running, orphaned, on the data
 * folder. The next start stops it and starts afresh on the same data, instead of refusing.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres.ts';

const CHILD = fileURLToPath(new URL('../support/embedded-child.ts', import.meta.url));

describe.runIf(process.platform === 'linux')('the embedded PostgreSQL after a crash', () => {
  it('a start after the previous server was SIGKILLed stops the orphaned postmaster and starts', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'recovery-'));
    chmodSync(parent, 0o755);
    const dataDir = join(parent, 'pg');
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          const m = /ready (\S+)/.exec(chunk.toString());
          if (m?.[1]) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
      });
      const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      // The database outlived its server.
      expect(() => process.kill(postmaster, 0)).not.toThrow();
      const orphan = new pg.Client({ connectionString: url });
      await orphan.connect();
      await orphan.query('CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)');
      await orphan.end();

      const restarted = await startEmbeddedPostgres({ dataDir, database: 'x' });
      try {
        expect(() => process.kill(postmaster, 0)).toThrow();
        const client = new pg.Client({ connectionString: restarted.url });
        await client.connect();
        expect((await client.query('SELECT n FROM kept')).rows).toEqual([{ n: 7 }]);
        await client.end();
      } finally {
        await restarted.stop();
      }
      expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  }, 120_000);
});
