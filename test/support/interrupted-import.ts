/**
 * The CLI's `import` in a child process of its own process group, so a test can signal it as a
 * terminal does (Ctrl-C reaches every process of the group, an embedded PostgreSQL included).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SYNTHETIC, syntheticReports } from '../../src/synthetic/index.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Writes 600 synthetic report files: one by one they take far longer than a test waits. */
export function writeReportFolder(folder: string): number {
  let count = 0;
  for (const report of syntheticReports({ ...DEFAULT_SYNTHETIC, agencies: 100 })) {
    writeFileSync(join(folder, report.fileName), report.text);
    count++;
  }
  return count;
}

export function importFolder(folder: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'import', folder, ...args], {
    cwd: ROOT,
    env,
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out, err })),
  );
  /** Resolves once `n` files are reported stored. */
  const stored = async (n: number, ms = 60_000) => {
    const deadline = Date.now() + ms;
    while ((out.match(/^✔ /gm) ?? []).length < n) {
      if (Date.now() > deadline) throw new Error(`import did not store ${n} files in ${ms} ms: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, exited, stored };
}

/** Signals the child's whole process group, as a terminal's Ctrl-C does. */
export const signalGroup = (child: ChildProcess, signal: NodeJS.Signals) =>
  process.kill(-(child.pid ?? 0), signal);

/** The files the summary says were handled before the signal ("151 of 600 files in …"). */
export const filesDone = (out: string) => Number(/^(\d+) of \d+ files in /m.exec(out)?.[1]);
