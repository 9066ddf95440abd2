/**
 * Ctrl-C during an import on the embedded PostgreSQL. The embedded server runs in a process group
 * of its own now (src/store/own-process-group.ts); where the signal reaches it too (a server
 * started by an earlier version, or signalled by hand) and stops it at once, the import
 * still stops as on a server: the report being stored rolls back, the summary says how far it
 * got, and the same command goes on. (It used to exit 0 without a word: stopping the embedded
 * server waited for an exit that had already happened, and the process ran out of work.)
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesDone, importFolder, signalGroup, writeReportFolder } from '../support/interrupted-import.ts';

let parent: string;
let folder: string;
let files: number;

beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), 'disclosure-interrupt-embedded-'));
  // As root the embedded server runs as the postgres user, who must be able to enter it.
  chmodSync(parent, 0o755);
  folder = join(parent, 'reports');
  mkdirSync(folder);
  files = 0;
});

afterAll(() => {
  rmSync(parent, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('an import on the embedded PostgreSQL stopped by Ctrl-C', () => {
  it('stops with its summary and exit code 130, and the same command goes on', async () => {
    files = writeReportFolder(folder);
    const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_POSTGRES_DIR: join(parent, 'pg') };
    delete env.DATABASE_URL;
    const first = importFolder(folder, [], env);
    await first.stored(20, 120_000);
    signalGroup(first.child, 'SIGINT');
    const { code, out } = await first.exited;
    expect(code).toBe(130);
    const done = filesDone(out);
    expect(done).toBeGreaterThanOrEqual(20);
    expect(out).toContain(`Stopped by SIGINT after ${done} of ${files} files; nothing is half-written.`);

    // The report being stored when PostgreSQL stopped is named: its commit may have got there.
    const open =
      /^PostgreSQL stopped too, while (\S+) was being stored: stored whole if the commit got there first, else not at all\./m.exec(
        out,
      );
    const rest = await importFolder(folder, ['--batch', '200'], env).exited;
    expect(rest.code, rest.err).toBe(0);
    // What the first run counted was stored, found again by checksum, and at most the one named.
    const unchanged = Number(/^ {2}unchanged +(\d+) /m.exec(rest.out)?.[1]);
    expect(
      unchanged === done || (open !== null && unchanged === done + 1),
      `${unchanged} after ${done}`,
    ).toBe(true);
    if (unchanged === done + 1) expect(rest.out).toContain(`${open?.[1]}: UNCHANGED`);
    expect(rest.out).toMatch(new RegExp(`imported +${files - unchanged} `));
  }, 240_000);
});
