/**
 * .env.example lists every setting the code reads, and nothing it does not, with the
 * defaults the code uses: a stale example misleads every new deployer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INPUT_LIMITS, INPUT_LIMIT_VARIABLES } from '../../src/ingest/limits.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? entry.name === 'prisma-client'
        ? []
        : sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** `NAME=value` of every line, commented out or not. */
const example = new Map(
  readFileSync(join(ROOT, '.env.example'), 'utf8')
    .split('\n')
    .map((line) => /^#?\s?([A-Z][A-Z0-9_]+)=(\S*)/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1] as string, match[2] as string]),
);

describe('.env.example', () => {
  it('names exactly the variables the code reads', () => {
    const read = new Set<string>(Object.values(INPUT_LIMIT_VARIABLES));
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/env\.([A-Z][A-Z0-9_]+)/g))
        read.add(match[1] as string);
    }
    // Set by the test runner and by npm (the folder a command was typed in), not by a deployer.
    read.delete('VITEST');
    read.delete('INIT_CWD');
    expect([...example.keys()].sort()).toEqual([...read].sort());
  });

  it('gives the input limits the code uses by default', () => {
    for (const [key, variable] of Object.entries(INPUT_LIMIT_VARIABLES)) {
      expect(example.get(variable), variable).toBe(
        String(DEFAULT_INPUT_LIMITS[key as keyof typeof DEFAULT_INPUT_LIMITS]),
      );
    }
  });
});
