/**
 * The CLI's output into a pipe, as `npm run -s cli -- … | jq` or `| head` takes it: a separate
 * process, its stdout a pipe whose reader is slower than the writer or stops early.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
import { EXAMPLE_V2021, fixturePath } from '../support/fixtures.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = 'node --import tsx src/cli/main.ts';

/** Runs a bash pipeline from the project folder; pipefail makes its code the CLI's. */
function pipeline(
  command: string,
  settings: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
    delete env.DATABASE_URL;
    Object.assign(env, settings);
    execFile(
      'bash',
      ['-c', `set -o pipefail; ${command}`],
      { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('output into a pipe', () => {
  let folder: string;
  const FILES = 250;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'disclosure-piped-'));
    for (let i = 0; i < FILES; i++) copyFileSync(fixturePath(EXAMPLE_V2021), join(folder, `r${i}.txt`));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('reaches a slow reader whole: the exit waits for the pipe (it stopped at 64 kB)', async () => {
    const { code, stdout, stderr } = await pipeline(`${CLI} validate ${folder} --json | (sleep 1; cat)`);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.length).toBeGreaterThan(65_536);
    expect(JSON.parse(stdout)).toHaveLength(FILES);
  }, 60_000);

  it('ends quietly with code 0 when the reader stops early', async () => {
    const { code, stdout, stderr } = await pipeline(`${CLI} validate ${folder} --json | head -c 100`);
    expect(stdout).toHaveLength(100);
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect(code).toBe(0);
  }, 60_000);

  it('an import goes on to its last report when the reader stops early (it stopped there, 3 of 100 stored, code 0)', async () => {
    const reports = mkdtempSync(join(tmpdir(), 'disclosure-piped-import-'));
    const db = testDb();
    try {
      await resetDatabase(db);
      const text = readFileSync(fixturePath(EXAMPLE_V2021), 'utf8');
      const AGENCY = '宁夏回族自治区中卫市沙坡头区卫生健康局';
      for (let i = 0; i < 40; i++)
        writeFileSync(
          join(reports, `r${i}.txt`),
          text.replaceAll(AGENCY, AGENCY.replace('卫生健康局', `第${i}局`)),
        );
      const { code, stdout, stderr } = await pipeline(`${CLI} import ${reports} | head -1`, {
        DATABASE_URL: databaseUrl(),
      });
      expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
      expect(stderr).not.toMatch(/EPIPE|Error|at /);
      expect(code).toBe(0);
      expect(await db.report.count()).toBe(40);
    } finally {
      rmSync(reports, { recursive: true, force: true });
      await db.$disconnect();
    }
  }, 120_000);
});
