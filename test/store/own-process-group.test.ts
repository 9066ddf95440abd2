/**
 * inOwnProcessGroup swaps child_process.spawn for a wrapper while its work starts the server.
 * Two starts that overlapped each took the other's wrapper for the original: the later one,
 * finishing last, put the earlier one's wrapper back, and every spawn after it was detached.
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { afterEach, expect, it } from 'vitest';
import { inOwnProcessGroup } from '../../src/store/own-process-group.ts';

const original = childProcess.spawn;
afterEach(() => {
  childProcess.spawn = original;
  syncBuiltinESMExports();
});

it('two overlapping starts each spawn detached, and spawn is itself again after both', async () => {
  // Nothing is really started: the spawn the wrapper calls through only records its options.
  const options: (childProcess.SpawnOptions | undefined)[] = [];
  const recorder = ((_command: string, _args: readonly string[], o?: childProcess.SpawnOptions) => {
    options.push(o);
    return {} as childProcess.ChildProcess;
  }) as typeof childProcess.spawn;
  childProcess.spawn = recorder;
  syncBuiltinESMExports();

  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  // The first start is still in its work when the second is asked for, and the second finishes
  // last: it is the one that put back what it had taken for the original.
  const first = inOwnProcessGroup('postgres', async () => {
    childProcess.spawn('/opt/pg/bin/postgres', [], { stdio: 'ignore' });
    await held;
  });
  const second = inOwnProcessGroup('postgres', async () => {
    childProcess.spawn('/opt/pg/bin/postgres', [], { stdio: 'ignore' });
    await first;
  });
  release();
  await Promise.all([first, second]);

  expect(options).toEqual([
    { stdio: 'ignore', detached: true },
    { stdio: 'ignore', detached: true },
  ]);
  expect(childProcess.spawn).toBe(recorder);
  // Another program's spawn, after both, is as asked.
  childProcess.spawn('/usr/bin/postgres', [], { stdio: 'ignore' });
  expect(options.at(-1)).toEqual({ stdio: 'ignore' });
});
