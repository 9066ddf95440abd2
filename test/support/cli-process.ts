// The CLI as a user runs it: a separate Node process on src/cli/main.ts, with the embedded
// PostgreSQL's data in a folder of the test's own (never DATABASE_URL, never .data/postgres).
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A data folder for an embedded cluster, as the other embedded tests make it: inside a
 * folder of the system temp folder that other users can enter (as root, PostgreSQL runs as
 * the postgres user, which cannot enter mkdtemp's private folders).
 */
export function embeddedDataFolder(prefix: string): { parent: string; dataDir: string } {
  const parent = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(parent, 0o755);
  return { parent, dataDir: join(parent, 'pg') };
}

function cliEnv(dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_POSTGRES_DIR: dataDir, NODE_ENV: 'test' };
  delete env.DATABASE_URL;
  return { ...env, ...extra };
}

function spawnCli(args: string[], dataDir: string, extra?: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: cliEnv(dataDir, extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one CLI command to its end (`extra`: variables beside the embedded data folder). */
export function runCli(args: string[], dataDir: string, extra?: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, dataDir, extra);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServeProcess {
  child: ChildProcess;
  /** http://localhost:PORT */
  origin: string;
  /** The connection string serve printed. */
  databaseUrl: string;
  stderr: () => string;
  /** SIGTERM (a clean stop), SIGKILL after 30 s; resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Starts `serve --port 0` on the data folder and waits until it says it is ready. */
export function startServe(dataDir: string, args: string[] = []): Promise<ServeProcess> {
  const child = spawnCli(['serve', '--port', '0', ...args], dataDir);
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  return new Promise((resolve, reject) => {
    child.stdout?.resume();
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const ready = /GraphQL server ready at http:\/\/localhost:(\d+)\/graphql/.exec(stderr);
      const database = /PostgreSQL \(embedded\): (\S+)/.exec(stderr);
      if (ready && database?.[1])
        resolve({
          child,
          origin: `http://localhost:${ready[1]}`,
          databaseUrl: database[1],
          stderr: () => stderr,
          stop,
        });
    });
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`serve exited (${code}) before it was ready:\n${stderr}`)));
  });
}
