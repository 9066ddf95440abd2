/**
 * Offline replacement for `prisma migrate dev --create-only`.
 *
 * Prisma 7's `migrate` commands download the native schema engine, which this project
 * cannot rely on. The same engine ships as WebAssembly (@prisma/schema-engine-wasm) and
 * talks to PostgreSQL through a driver adapter, so the SQL it writes is the SQL the CLI
 * would write. The "before" state is a throwaway database built by our own migration
 * runner, which also proves the existing history still applies cleanly.
 *
 * Usage: npx tsx scripts/create-migration.ts <name> [--dry-run] [--schema <file|dir>]
 *                                            [--migrations-dir <dir>] [--verbose]
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PrismaPg } from '@prisma/adapter-pg';
// Not a direct dependency, but always installed with @prisma/adapter-pg: it is the glue
// Prisma itself uses to hand a JS adapter to a Wasm engine (results as {ok, value} objects).
import { bindSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type * as SchemaEngineModule from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';
import {
  applyMigrations,
  defaultMigrationsDir,
  parseDatabaseUrl,
  quoteIdent,
} from '../src/store/migrations.ts';

type SchemaEngine = SchemaEngineModule.SchemaEngine;

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const defaultSchemaPath = join(projectRoot, 'prisma', 'schema.prisma');
const noFilters = { externalTables: [], externalEnums: [] };

const HELP = `Create a Prisma migration without the Prisma CLI (works offline).

Usage:
  npx tsx scripts/create-migration.ts <name> [options]

Builds a temporary database on the server at DATABASE_URL, applies the existing
prisma/migrations to it, asks Prisma's schema engine (WebAssembly build) for the SQL
that turns that state into prisma/schema.prisma, and writes it to
prisma/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql. The temporary database is
dropped afterwards; the database named in DATABASE_URL itself is never changed.
Nothing is written when the schema and the migrations already agree.

Options:
  --dry-run               Print the SQL instead of writing a migration folder.
  --schema <path>         Prisma schema file or folder (default: prisma/schema.prisma).
  --migrations-dir <dir>  Migrations folder (default: prisma/migrations).
  --verbose               Show the schema engine's log.
  -h, --help              Show this help.

Environment:
  DATABASE_URL            Required. Any database on the PostgreSQL server to use; the
                          role needs CREATEDB. A ?schema=<name> parameter is honoured.

Example:
  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
    npx tsx scripts/create-migration.ts add_report_tags

Apply migrations with applyMigrations() from src/store/migrations.ts.`;

class UsageError extends Error {}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      'dry-run': { type: 'boolean' },
      schema: { type: 'string' },
      'migrations-dir': { type: 'string' },
      verbose: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] === undefined) {
    throw new UsageError('Expected exactly one argument: the migration name, e.g. add_report_tags.');
  }
  const name = migrationSlug(positionals[0]);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    throw new UsageError(
      'DATABASE_URL is not set. It must point at a PostgreSQL server where this script may create and drop ' +
        'a temporary database, e.g.\n  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres ' +
        'npx tsx scripts/create-migration.ts <name>',
    );
  }
  const schemaPath = resolve(values.schema ?? defaultSchemaPath);
  const migrationsDir = resolve(values['migrations-dir'] ?? defaultMigrationsDir);
  const schemaFiles = await readSchemaFiles(schemaPath);
  const log = (msg: string) => console.log(msg);

  return withScratchDatabase(databaseUrl, async (scratchUrl) => {
    log('Applying existing migrations to a temporary database...');
    const { applied } = await applyMigrations(scratchUrl, { migrationsDir });
    log(`  ${applied.length} migration(s) applied.`);

    const { engine, close } = await openSchemaEngine(scratchUrl, schemaFiles, Boolean(values.verbose));
    try {
      const diff = await diffDatabaseToSchema(engine, schemaFiles);
      if (diff === null) {
        log(
          `No difference: the migrations already produce ${relative(process.cwd(), schemaPath) || schemaPath}. Nothing written.`,
        );
        return 0;
      }
      log(`\nChanges:\n${indent(diff.summary.trim(), 2)}\n`);
      printRiskyStatements(diff.script);

      if (values['dry-run']) {
        process.stdout.write(diff.script);
        return 0;
      }

      const folderName = `${utcTimestamp()}_${name}`;
      const folder = join(migrationsDir, folderName);
      if (existsSync(folder)) throw new Error(`The migration directory already exists at ${folder}`);
      await warnIfOutOfOrder(migrationsDir, folderName);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'migration.sql'), diff.script, 'utf8');
      await writeLockfile(migrationsDir);

      // Round trip on the same scratch database: a script the runner cannot apply, or one
      // that leaves a remaining difference, would otherwise only show up at deploy time.
      try {
        await applyMigrations(scratchUrl, { migrationsDir });
      } catch (error) {
        await rm(folder, { recursive: true, force: true });
        throw new Error(
          `The generated migration does not apply cleanly, so it was not kept: ${messageOf(error)}`,
        );
      }
      const remaining = await diffDatabaseToSchema(engine, schemaFiles);
      if (remaining !== null) {
        console.warn(
          `Warning: after applying it, a difference remains:\n${indent(remaining.summary.trim(), 2)}`,
        );
      }
      log(`Created ${relative(process.cwd(), join(folder, 'migration.sql'))}`);
      log('Review it, commit it, and it is applied by applyMigrations() on the next start.');
      return 0;
    } finally {
      await close();
    }
  });
}

/** Same rules as the Prisma CLI (slugify with "_" separator, at most 200 characters). */
function migrationSlug(raw: string): string {
  const slug = raw
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
  if (!slug)
    throw new UsageError(`"${raw}" is not a usable migration name; use letters, digits and underscores.`);
  return slug;
}

/** Prisma names folders with the UTC time, so folders sort in creation order on every machine. */
function utcTimestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

async function readSchemaFiles(schemaPath: string): Promise<{ path: string; content: string }[]> {
  if (!existsSync(schemaPath)) throw new UsageError(`Prisma schema not found: ${schemaPath}`);
  if (!statSync(schemaPath).isDirectory()) {
    return [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }];
  }
  // A schema folder (Prisma's multi-file schema) is all .prisma files below it.
  const entries = await readdir(schemaPath, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.prisma'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  if (files.length === 0) throw new UsageError(`No .prisma files in ${schemaPath}`);
  return Promise.all(files.map(async (path) => ({ path, content: await readFile(path, 'utf8') })));
}

/**
 * Creates a database next to the one in `databaseUrl`, runs `fn` with its URL and drops it
 * again, even when `fn` fails, so repeated runs leave nothing behind.
 */
async function withScratchDatabase<T>(
  databaseUrl: string,
  fn: (scratchUrl: string) => Promise<T>,
): Promise<T> {
  const { connectionString } = parseDatabaseUrl(databaseUrl);
  const scratchName = `prisma_create_migration_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString });
  admin.on('error', () => {});
  await admin.connect();
  try {
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(scratchName)}`);
    } catch (error) {
      throw new Error(
        `Could not create the temporary database ${scratchName} (the DATABASE_URL role needs CREATEDB): ${messageOf(error)}`,
      );
    }
    try {
      const scratchUrl = new URL(databaseUrl);
      scratchUrl.pathname = `/${scratchName}`;
      return await fn(scratchUrl.toString());
    } finally {
      await admin
        .query(`DROP DATABASE IF EXISTS ${quoteIdent(scratchName)} WITH (FORCE)`)
        // WITH (FORCE) needs PostgreSQL 13; older servers get the plain form.
        .catch(() => admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratchName)}`))
        .catch((error: unknown) =>
          console.warn(`Warning: could not drop the temporary database ${scratchName}: ${messageOf(error)}`),
        );
    }
  } finally {
    await admin.end();
  }
}

let engineModule: Promise<typeof SchemaEngineModule> | undefined;
let lastWasmPanic: string | undefined;

interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: Record<string, object>): Promise<{ exports: Record<string, unknown> }>;
}

/**
 * The package's entry point does `import "./schema_engine_bg.wasm"`, which Node 20 only
 * supports behind --experimental-wasm-modules. Instantiating the bytes by hand and handing
 * the exports to the JS glue is what Prisma's own test harness does instead.
 */
function loadSchemaEngineModule(): Promise<typeof SchemaEngineModule> {
  engineModule ??= (async () => {
    const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const gluePath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(join(dirname(gluePath), 'schema_engine_bg.wasm'));
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const instance = await wasm.instantiate(await wasm.compile(bytes), { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    // Rust panics report their reason through this global; without it a panic surfaces as
    // a bare "unreachable" RuntimeError.
    (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = {
      set_message: (message: string) => {
        lastWasmPanic = message;
      },
    };
    return glue;
  })();
  return engineModule;
}

/**
 * node-postgres' adapter (7.10) cannot map PostgreSQL's internal one-byte `"char"` type
 * (oid 18), which the engine's catalog queries return for pg_constraint.contype and the like,
 * and fails the whole introspection with "Column type 'char' could not be deserialized".
 * Those values are plain strings on the wire, so announcing them as text is lossless.
 */
const CATALOG_TEXT_OIDS = new Set([
  18 /* "char" */, 22 /* int2vector */, 30 /* oidvector */, 194 /* pg_node_tree */,
]);
const TEXT_OID = 25;

function relabelCatalogTypes<R>(result: R): R {
  for (const part of Array.isArray(result) ? result : [result]) {
    const fields = (part as { fields?: { dataTypeID: number }[] } | undefined)?.fields;
    for (const field of fields ?? []) {
      if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}

class CatalogFriendlyClient extends pg.Client {
  override query(...args: unknown[]): never {
    const callbackIndex = args.findIndex((arg) => typeof arg === 'function');
    if (callbackIndex >= 0) {
      const callback = args[callbackIndex] as (error: Error | null, result: unknown) => void;
      args[callbackIndex] = (error: Error | null, result: unknown) =>
        callback(error, error ? result : relabelCatalogTypes(result));
    }
    const returned = (pg.Client.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
    if (returned instanceof Promise) return returned.then(relabelCatalogTypes) as never;
    return returned as never;
  }
}

async function openSchemaEngine(
  databaseUrl: string,
  schemaFiles: { path: string; content: string }[],
  verbose: boolean,
): Promise<{ engine: SchemaEngine; close: () => Promise<void> }> {
  const { SchemaEngine } = await loadSchemaEngineModule();
  const { connectionString, schema } = parseDatabaseUrl(databaseUrl);
  // Our own pool so it is closed before the scratch database is dropped; the engine only
  // ever sees the adapter.
  const pool = new pg.Pool({
    connectionString,
    max: 2,
    Client: CatalogFriendlyClient as unknown as new () => pg.ClientBase,
  });
  pool.on('error', () => {});
  const factory = bindSqlAdapterFactory(new PrismaPg(pool, { schema }));
  const logEngine = (line: string) => {
    if (verbose) console.error(`[schema-engine] ${line}`);
  };
  try {
    const engine = await SchemaEngine.new(
      { datamodels: schemaFiles.map((file): [string, string] => [file.path, file.content]) },
      logEngine,
      factory,
    );
    return {
      engine,
      close: async () => {
        engine.free();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw engineError(error);
  }
}

/**
 * The Wasm engine dropped `--from-url`, and its `createMigration` cannot get a PostgreSQL
 * shadow database through an adapter; `diff` with `schemaDatasource` (the adapter's live
 * database) as the starting point is the supported route, i.e. `prisma migrate diff
 * --from-config-datasource --to-schema --script`.
 */
async function diffDatabaseToSchema(
  engine: SchemaEngine,
  schemaFiles: { path: string; content: string }[],
): Promise<{ script: string; summary: string } | null> {
  const from = { tag: 'schemaDatasource' as const, files: schemaFiles, configDir: projectRoot };
  const to = { tag: 'schemaDatamodel' as const, files: schemaFiles };
  try {
    const result = await engine.diff({ from, to, script: true, exitCode: true, filters: noFilters });
    // exitCode 2 is the engine's "the diff is not empty" signal (`migrate diff --exit-code`).
    if (result.exitCode !== 2) return null;
    const summary = await engine.diff({ from, to, script: false, exitCode: null, filters: noFilters });
    return { script: result.stdout ?? '', summary: summary.stdout ?? '' };
  } catch (error) {
    throw engineError(error);
  }
}

function engineError(error: unknown): Error {
  if (error instanceof Error && error.name === 'RuntimeError' && lastWasmPanic) {
    return new Error(`The schema engine crashed: ${lastWasmPanic}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * `prisma migrate dev` prefixes data-loss warnings; the engine's diff command does not
 * compute them, so at least point at the statements that deserve a second look.
 */
function printRiskyStatements(script: string): void {
  const risky = script
    .split('\n')
    .filter(
      (line) =>
        /\bDROP\b|SET DATA TYPE|SET NOT NULL|ADD VALUE|RENAME\b/i.test(line) && !line.startsWith('--'),
    );
  if (risky.length === 0) return;
  console.warn('Review before committing; these statements can lose data or fail on existing rows:');
  for (const line of risky) console.warn(`  ${line.trim()}`);
  console.warn('');
}

async function warnIfOutOfOrder(migrationsDir: string, folderName: string): Promise<void> {
  if (!existsSync(migrationsDir)) return;
  const later = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && entry.name.localeCompare(folderName) > 0)
    .map((entry) => entry.name);
  if (later.length > 0) {
    console.warn(`Warning: ${later.join(', ')} sort after the new migration; check the system clock.`);
  }
}

/** Byte-for-byte what the Prisma CLI writes, so switching tools causes no diff. */
async function writeLockfile(migrationsDir: string): Promise<void> {
  const content =
    '# Please do not edit this file manually\n' +
    '# It should be added in your version-control system (e.g., Git)\n' +
    'provider = "postgresql"\n';
  const path = join(migrationsDir, 'migration_lock.toml');
  if (existsSync(path) && (await readFile(path, 'utf8')) === content) return;
  await writeFile(path, content, 'utf8');
}

function indent(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((line) => (line.trim() ? ' '.repeat(spaces) + line : ''))
    .join('\n');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\nRun with --help for usage.`);
      process.exitCode = 2;
    } else {
      console.error(`create-migration failed: ${messageOf(error)}`);
      process.exitCode = 1;
    }
  },
);
