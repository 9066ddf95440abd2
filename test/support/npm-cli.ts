/**
 * The CLI as a user types it, `npm run --silent cli -- …`, in a process group of its own, so a
 * test can signal it as a terminal's Ctrl-C does: the signal reaches npm and the CLI both, and
 * npm passes its copy on, so the CLI gets it twice.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface NpmCli {
  child: ChildProcess;
  /** npm's exit: its code, or the signal that ended it (npm ends on a second Ctrl-C of its own). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>;
  /** Resolves once stdout (or stderr) matches. */
  printed: (pattern: RegExp, ms?: number) => Promise<void>;
  /** Signals npm's whole process group, as a terminal does. */
  group: (signal: NodeJS.Signals) => void;
  /** Kills whatever is left of the group (cleanup). */
  kill: () => void;
}

export function startNpmCli(args: string[], env: NodeJS.ProcessEnv): NpmCli {
  const child = spawn('npm', ['run', '--silent', 'cli', '--', ...args], { cwd: ROOT, env, detached: true });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    out: string;
    err: string;
  }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err })));
  const printed = async (pattern: RegExp, ms = 120_000) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(out) && !pattern.test(err)) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`never printed ${pattern}:\n${out}\n${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const group = (signal: NodeJS.Signals) => process.kill(-(child.pid ?? 0), signal);
  const kill = () => {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // The group is gone: everything in it stopped.
    }
  };
  return { child, exited, printed, group, kill };
}
