import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
// Every script that reads its options through scriptArgs, found by reading them, so a new one is
// covered too.
const scripts = readdirSync('scripts')
  .filter((f) => f.endsWith('.ts') && f !== 'script-args.ts')
  .filter((f) => readFileSync(`scripts/${f}`, 'utf8').includes('scriptArgs('));

const tsx = async (file: string, ...args: string[]) => {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `scripts/${file}`, ...args], {
      env: { ...process.env, DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/never' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

// Each case starts Node with tsx compiling a script's whole import graph (bench.ts loads the
// server), two or three at once: on a loaded 2-core machine that took past vitest's 30 s.
const SCRIPT_TIMEOUT_MS = 120_000;

describe('the scripts under scripts/ read their command line like the CLI', () => {
  it('covers the benchmark and check scripts', () => {
    expect(scripts).toEqual(expect.arrayContaining(['bench.ts', 'load.ts', 'hostile.ts', 'check-docker.ts']));
  });

  it.each(scripts)(
    '%s: --help prints the usage and exits 0; an unknown option is one line and the usage, exit 2',
    async (file) => {
      const [help, unknown] = await Promise.all([tsx(file, '--help'), tsx(file, '--no-such-option')]);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage: /);
      expect(help.stderr).toBe('');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/^Error: Unknown option '--no-such-option'\.?.*\n\nUsage: /);
      expect(unknown.stderr).not.toMatch(/\n\s+at /);
      expect(unknown.stdout).toBe('');
    },
    SCRIPT_TIMEOUT_MS,
  );

  it(
    'a value the script cannot use names the option instead of running with NaN',
    async () => {
      const [runs, scales, load] = await Promise.all([
        tsx('bench.ts', '--runs', 'ten'),
        tsx('bench.ts', '--scales', '300,30'),
        tsx('bench.ts', '--load', 'fast'),
      ]);
      expect([runs.code, scales.code, load.code]).toEqual([2, 2, 2]);
      expect(runs.stderr).toMatch(/^Error: --runs must be a whole number, got "ten"\./);
      expect(scales.stderr).toMatch(/^Error: --scales must be a whole number of at least 50, got "30"\./);
      expect(load.stderr).toMatch(/^Error: --load is one of auto, import, direct, got "fast"\./);
    },
    SCRIPT_TIMEOUT_MS,
  );
});
