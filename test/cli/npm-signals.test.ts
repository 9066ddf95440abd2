/**
 * A process manager that runs `npm start` or `npm run cli -- serve` (systemd, a supervisor, a
 * container whose command is npm) stops it by signalling npm alone. npm passes the signal to
 * the shell running the script, and without `exec` in the script that shell died and left the
 * server running, holding its port and its database connections.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { freePort } from '../../src/store/embedded-postgres.ts';
import { databaseUrl } from '../support/db.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function until(done: () => boolean, ms: number, what: () => string) {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('SIGTERM to npm alone stops the server its script runs, which then closes its port', async () => {
  const port = await freePort();
  const npm = spawn('npm', ['run', '--silent', 'cli', '--', 'serve', '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl() },
    // A process group of its own, for the cleanup below to reach a server npm failed to stop.
    detached: true,
  });
  let err = '';
  npm.stderr.on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
  try {
    await until(
      () => err.includes('GraphQL server ready'),
      60_000,
      () => err,
    );
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    npm.kill('SIGTERM');
    await until(
      () => err.includes('Stopped.'),
      30_000,
      () => err,
    );
    await exited;
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  } finally {
    try {
      process.kill(-(npm.pid ?? 0), 'SIGKILL');
    } catch {
      // The group is gone: everything in it stopped.
    }
  }
}, 120_000);
