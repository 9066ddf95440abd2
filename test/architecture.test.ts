/**
 * The stage boundaries, checked on the source: each folder imports only the stages below it,
 * GraphQL holds no SQL or storage layout, the CLI holds no SQL, and no file grows past what a
 * reader can hold. A change that reaches past its stage fails here, naming the file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Each stage and the stages it may import (besides itself). */
const ALLOWED: Record<string, string[]> = {
  catalogue: [],
  ingest: ['catalogue'],
  validation: ['catalogue'],
  store: ['catalogue', 'ingest', 'validation'],
  import: ['catalogue', 'ingest', 'validation', 'store'],
  comparison: ['catalogue', 'validation', 'store'],
  collect: ['catalogue', 'ingest', 'validation', 'store', 'import'],
  synthetic: ['catalogue', 'ingest', 'store'],
  graphql: ['catalogue', 'ingest', 'store', 'import', 'comparison'],
  server: ['catalogue', 'ingest', 'store', 'import', 'comparison', 'graphql'],
  cli: [
    'catalogue',
    'ingest',
    'validation',
    'store',
    'import',
    'collect',
    'comparison',
    'graphql',
    'server',
    'synthetic',
  ],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'prisma-client' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && entry.name !== 'prisma-types.ts' ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((path) => ({
  path,
  name: relative(SRC, path),
  stage: relative(SRC, path).split('/')[0] as string,
  text: readFileSync(path, 'utf8'),
}));

/** Relative imports of a file (static, side-effect and dynamic), as paths under src/. */
const importsOf = (file: (typeof files)[number]) =>
  [...file.text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) =>
    relative(SRC, resolve(dirname(file.path), m[1] as string)),
  );

describe('architecture', () => {
  it('every folder of src/ is a known stage', () => {
    expect([...new Set(files.map((f) => f.stage))].filter((s) => !s.endsWith('.ts')).sort()).toEqual(
      Object.keys(ALLOWED).sort(),
    );
  });

  it('each stage imports only the stages below it, and nothing imports the test tree', () => {
    const wrong = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => {
          const stage = target.split('/')[0] as string;
          return stage !== file.stage && !ALLOWED[file.stage]?.includes(stage);
        })
        .map((target) => `${file.name} → ${target}`),
    );
    expect(wrong).toEqual([]);
  });

  it('src/graphql/ holds no SQL, no Prisma client, no figure layout, no parsing or checking (builder.ts aside)', () => {
    const forbidden = /store\/db\.ts|prisma-client|store\/figures\.ts|^ingest\/|^validation\//;
    const wrong = files
      .filter((file) => file.stage === 'graphql' && file.name !== 'graphql/builder.ts')
      .flatMap((file) => [
        ...importsOf(file)
          .filter((target) => forbidden.test(target))
          .map((target) => `${file.name} imports ${target}`),
        ...(/\$queryRaw|\$executeRaw|Prisma\.sql|\bsql`/.test(file.text) ? [`${file.name} writes SQL`] : []),
      ]);
    expect(wrong).toEqual([]);
  });

  it('src/cli/ holds no SQL', () => {
    const sql =
      /\$queryRaw|\$executeRaw|Prisma\.sql|\bsql`|\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\s+[a-z_"*]/;
    expect(files.filter((file) => file.stage === 'cli' && sql.test(file.text)).map((f) => f.name)).toEqual(
      [],
    );
  });

  it('no source file is over 500 lines', () => {
    const long = files
      .map((file) => [file.name, file.text.split('\n').length] as const)
      .filter(([, lines]) => lines > 500);
    expect(long).toEqual([]);
  });
});
