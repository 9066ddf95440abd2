import { readdirSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { isPdfjsStrayRejection } from './src/ingest/pdf.ts';

/**
 * Three projects:
 * - database: everything that opens the suite's database: two files at a time, each worker on
 *   an embedded cluster of its own, or one at a time on a fresh database of the DATABASE_URL
 *   server;
 * - pure: files that never open a database (parser, validator rules, generator, schema
 *   files, architecture), two at a time;
 * - own-database: files that start PostgreSQL clusters of their own (the embedded one's
 *   sharing, recovery and exit codes, a database that goes away), two at a time.
 * All three run as one group of two workers: the database files first (the longest), then the
 * others, so neither core waits for another project's last file. Vitest runs a group with one
 * worker count, so where the database files run one at a time (DATABASE_URL, or
 * DATABASE_TEST_WORKERS=1) the other two run after them. `--project database` runs only
 * the first: CI's second pass, against a PostgreSQL server, learns nothing new from the others.
 */
const withoutDatabase = (file: string) =>
  (file.startsWith('test/ingest/') && !file.endsWith('stored-real-documents.test.ts')) ||
  [
    'test/architecture.test.ts',
    'test/web/labels.test.ts',
    'test/validation/rules.test.ts',
    'test/validation/table2-rules.test.ts',
    'test/validation/shortcut.test.ts',
    'test/validation/cli-validate.test.ts',
    'test/synthetic/generator.test.ts',
    'test/graphql/schema-file.test.ts',
    'test/server/env-example.test.ts',
    'test/server/fresh-reads.test.ts',
    'test/import/detached.test.ts',
    'test/store/exact-arithmetic.test.ts',
    'test/server/json-bytes.test.ts',
    'test/cli/usage.test.ts',
    'test/cli/file-names.test.ts',
    'test/store/database-errors.test.ts',
    'test/scripts/script-args.test.ts',
    'test/store/shared-copy.test.ts',
    'test/collect/report-titles.test.ts',
    'test/store/own-process-group.test.ts',
  ].includes(file);
const OWN_DATABASE = [
  'test/cli/beside-server.test.ts',
  'test/cli/import-interrupt-embedded.test.ts',
  'test/cli/serve-interrupt.test.ts',
  'test/server/database-down.test.ts',
  'test/store/embedded-connection-record.test.ts',
  'test/store/embedded-exit-code.test.ts',
  'test/store/embedded-postgres-access.test.ts',
  'test/store/embedded-recovery.test.ts',
];
/**
 * Files of the database project run side by side, each worker on an embedded cluster of its own
 * (test/support/global-setup.ts says why clusters); on a DATABASE_URL server, one at a time.
 */
const DATABASE_WORKERS = Number(process.env.DATABASE_TEST_WORKERS ?? (process.env.DATABASE_URL ? 1 : 2));
if (!Number.isInteger(DATABASE_WORKERS) || DATABASE_WORKERS < 1)
  throw new Error(
    `DATABASE_TEST_WORKERS must be a whole number of at least 1, not "${process.env.DATABASE_TEST_WORKERS}"`,
  );
if (DATABASE_WORKERS > 1 && process.env.DATABASE_URL)
  throw new Error(
    `DATABASE_TEST_WORKERS=${DATABASE_WORKERS} needs the embedded PostgreSQL (a cluster per worker): on the DATABASE_URL server the database files run one at a time. Unset DATABASE_TEST_WORKERS, or DATABASE_URL.`,
  );
const PURE_WORKERS = 2;
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
    // pdf.js itself, on a rare damaged PDF in test/ingest/damage.property.test.ts, leaves a
    // rejection of one of its own promises unhandled (see isPdfjsStrayRejection). The property
    // still fails on anything our parser throws or returns wrongly; only pdf.js's own
    // exceptions are let through.
    onUnhandledError: (error) => (isPdfjsStrayRejection(error) ? false : undefined),
    projects: [
      {
        extends: true,
        test: {
          name: 'pure',
          include: testFiles.filter(withoutDatabase),
          // Two at a time even on two cores (the default leaves one for the main process).
          maxWorkers: PURE_WORKERS,
          // A worker keeps its process from file to file: each file importing the parser, pdf.js
          // and the CLI afresh cost 196 s of imports against 25 s (and 386 s of CPU against 238)
          // over the project's 90 files. What one file stubs or spies on is undone after each
          // test, so no file sees another's.
          isolate: false,
          unstubEnvs: true,
          restoreMocks: true,
          sequence: { groupOrder: DATABASE_WORKERS === PURE_WORKERS ? 0 : 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'own-database',
          include: OWN_DATABASE,
          // Each starts and stops clusters of its own, in folders of its own on free ports, so
          // it runs beside the others' files, in their group (after the database files).
          maxWorkers: PURE_WORKERS,
          sequence: { groupOrder: DATABASE_WORKERS === PURE_WORKERS ? 0 : 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'database',
          include: testFiles.filter((file) => !withoutDatabase(file) && !OWN_DATABASE.includes(file)),
          globalSetup: ['test/support/global-setup.ts'],
          // Each worker has a database of its own (global-setup.ts), whose tests truncate it
          // between tests.
          maxWorkers: DATABASE_WORKERS,
          // A worker keeps its process from file to file: each file importing the server,
          // Prisma and the schema afresh cost ~1.8 s a file, a third of the project's time.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
    ],
  },
});
