/**
 * The CLI's output into a pipe, as `npm run -s cli -- … | jq` or `| head` takes it: a separate
 * process, its stdout a pipe whose reader is slower than the writer or stops early.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_V2021, fixturePath } from '../support/fixtures.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = 'node --import tsx src/cli/main.ts';

/** Runs a bash pipeline from the project folder; pipefail makes its code the CLI's. */
function pipeline(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
    delete env.DATABASE_URL;
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
});
