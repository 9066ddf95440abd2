/**
 * Ctrl-C (or SIGTERM) during a long import on a PostgreSQL server: the run stops taking files,
 * what it was storing commits or rolls back whole, the summary counts what was done and says
 * how to go on, and the same command run again goes on from there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.ts';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
import { filesDone, importFolder, signalGroup, writeReportFolder } from '../support/interrupted-import.ts';
import { startNpmCli } from '../support/npm-cli.ts';

let db: Db;
let folder: string;
let files: number;

beforeAll(async () => {
  db = testDb();
  await resetDatabase(db);
  folder = mkdtempSync(join(tmpdir(), 'disclosure-interrupt-'));
  files = writeReportFolder(folder);
});

afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  await db.$disconnect();
});

const run = (args: string[]) => importFolder(folder, args, { ...process.env, DATABASE_URL: databaseUrl() });
const storedReports = async () =>
  (await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM report`)[0]?.n ?? 0;

describe('an import stopped by a signal', () => {
  it('stops after the report being stored, says how far it got, and the same command goes on', async () => {
    const first = run([]);
    await first.stored(20);
    signalGroup(first.child, 'SIGINT');
    const { code, out, err } = await first.exited;
    expect(code).toBe(130);
    expect(err).toContain('SIGINT: stopping after the report being stored (SIGINT again stops at once).');
    const done = filesDone(out);
    expect(done).toBeGreaterThanOrEqual(20);
    expect(done).toBeLessThan(files);
    expect(out).toContain(
      `Stopped by SIGINT after ${done} of ${files} files; nothing is half-written. Run the same command again to go on: files already stored are skipped by their checksum.`,
    );
    // What the summary counts is what is stored: no report was half-written or left out.
    expect(await storedReports()).toBe(done);

    const rest = await run(['--batch', '200']).exited;
    expect(rest.code, rest.err).toBe(0);
    expect(rest.out).toMatch(new RegExp(`unchanged +${done} `));
    expect(await storedReports()).toBe(files);
  }, 180_000);

  it('Ctrl-C through npm run, where the signal arrives twice (npm passes its copy on), is still one stop with its summary', async () => {
    await resetDatabase(db);
    const cli = startNpmCli(['import', folder], { ...process.env, DATABASE_URL: databaseUrl() });
    try {
      await cli.printed(/^✔ \[20\//m);
      cli.group('SIGINT');
      const { code, out, err } = await cli.exited;
      expect(code, err).toBe(130);
      expect(err.match(/SIGINT: stopping/g)).toHaveLength(1);
      const done = filesDone(out);
      expect(out).toContain(`Stopped by SIGINT after ${done} of ${files} files; nothing is half-written.`);
      expect(await storedReports()).toBe(done);
    } finally {
      cli.kill();
    }
  }, 180_000);

  it('SIGTERM during a batch: the batch being stored commits whole, and the exit code says SIGTERM', async () => {
    await resetDatabase(db);
    const batched = run(['--batch', '50']);
    await batched.stored(50);
    signalGroup(batched.child, 'SIGTERM');
    const { code, out } = await batched.exited;
    expect(code).toBe(143);
    const done = filesDone(out);
    expect(done % 50).toBe(0);
    expect(await storedReports()).toBe(done);
  }, 180_000);
});
