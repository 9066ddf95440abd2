import { readdirSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Test files that never open a database (parser, validator rules, generator, schema files,
 * architecture). They run first and in parallel; the rest share one database and run one
 * file at a time. `--project database` runs only the rest: CI's second pass, against a
 * PostgreSQL server, has nothing new to learn from the parser.
 */
const withoutDatabase = (file: string) =>
  (file.startsWith('test/ingest/') && !file.endsWith('stored-real-documents.test.ts')) ||
  [
    'test/architecture.test.ts',
    'test/validation/rules.test.ts',
    'test/validation/cli-validate.test.ts',
    'test/synthetic/generator.test.ts',
    'test/graphql/schema-file.test.ts',
    'test/server/env-example.test.ts',
  ].includes(file);
const testFiles = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .map((path) => `test/${path.split(sep).join('/')}`)
  .filter((file) => file.endsWith('.test.ts'));

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS entry for Pothos and yoga; Vite would pick the .mjs one
    // for our own imports, and graphql refuses to mix the two.
    alias: { graphql: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) },
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'pure',
          include: testFiles.filter(withoutDatabase),
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'database',
          include: testFiles.filter((file) => !withoutDatabase(file)),
          globalSetup: ['test/support/global-setup.ts'],
          // The database's tests share one database and truncate it between tests.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
