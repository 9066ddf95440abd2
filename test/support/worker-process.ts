/**
 * `npm run cli -- worker` as a user starts it on another machine: its own Node process on the
 * same database, for the multi-worker tests and scripts/collect-throughput.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** The name the worker gave itself (host:pid), as it appears in collection_item.worker. */
  name: string;
  exited: Promise<number | null>;
  output: () => string;
}

/** Starts a worker on `databaseUrl` and resolves once it has joined the job queue. */
export function startWorkerProcess(databaseUrl: string, args: readonly string[]): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let joined = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Worker (\S+) joined the job queue/.exec(output);
      if (match && !joined) {
        joined = true;
        resolve({ child, name: match[1] as string, exited, output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      if (!joined) reject(new Error(`worker exited with ${code} before joining the queue:\n${output}`));
    });
  });
}
