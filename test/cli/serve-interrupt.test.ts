/**
 * Ctrl-C on `npm start` with the embedded PostgreSQL: the terminal's signal goes to the whole
 * foreground group, and npm passes it on, so it arrives two or three times at once. PostgreSQL
 * was in that group and took it as a fast shutdown, cutting the connection of every request the
 * server was finishing; and the echo, after a once-only handler, killed the server itself. A
 * request in flight now gets its answer, and the server says Stopped.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { connectionRecordPath } from '../../src/store/embedded-postgres.ts';
import { signalGroup } from '../support/interrupted-import.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const parent = mkdtempSync(join(tmpdir(), 'disclosure-serve-interrupt-'));
// As root the embedded server runs as the postgres user, who must be able to enter it.
chmodSync(parent, 0o755);
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe.runIf(process.platform === 'linux')('serve on the embedded PostgreSQL stopped by Ctrl-C', () => {
  it('answers the request in flight, then stops', async () => {
    const dataDir = join(parent, 'pg');
    const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_POSTGRES_DIR: dataDir, PORT: '0' };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], {
      cwd: ROOT,
      env,
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 120_000;
    while (!/ready at http:\/\/localhost:\d+/.test(out) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    const port = /ready at http:\/\/localhost:(\d+)/.exec(out)?.[1];
    expect(port, out).toBeDefined();

    // Another session holds the agencies for a while, so the query is in flight at Ctrl-C.
    const { url } = JSON.parse(readFileSync(connectionRecordPath(dataDir), 'utf8')) as { url: string };
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE agency IN ACCESS EXCLUSIVE MODE');
    const answer = fetch(`http://localhost:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: '{ agencies(first: 1) { ... on QueryAgenciesConnection { totalCount } } }',
      }),
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The keypress, and npm passing it on a moment later.
    signalGroup(child, 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 20));
    signalGroup(child, 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await holder.query('COMMIT');
    await holder.end();
    const response = await answer;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: { agencies?: { totalCount?: number } } };
    expect(body.data?.agencies?.totalCount).toBeTypeOf('number');
    expect(await exited, out).toBe(0);
    expect(out).toContain('Stopped.');
  }, 240_000);
});
