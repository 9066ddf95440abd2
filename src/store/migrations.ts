/**
 * Applies prisma/migrations/<timestamp>_<name>/migration.sql without the Prisma CLI.
 *
 * `prisma migrate deploy` needs the native schema engine, which Prisma 7 downloads on
 * first use, so it cannot run offline. This runner keeps Prisma's on-disk and in-database
 * formats byte for byte (folder layout, `_prisma_migrations` DDL, checksums, advisory lock
 * key), so a machine that does have the CLI sees the same history and can take over.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sha256Hex } from './sha256.ts';

export interface MigrationFolder {
  /** Folder name, e.g. `20250101120000_init`; this is what `_prisma_migrations.migration_name` holds. */
  name: string;
  /** Absolute path of the folder's migration.sql. */
  file: string;
  script: string;
  /** sha256 hex of the migration.sql bytes, as Prisma stores it. */
  checksum: string;
}

export interface ApplyMigrationsOptions {
  /** Defaults to the project's prisma/migrations. */
  migrationsDir?: string;
  log?: (msg: string) => void;
}

/** Row of Prisma's migrations table, as far as this runner needs it. */
interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  logs: string | null;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** The project's prisma/migrations, independent of the process's working directory. */
export const defaultMigrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/**
 * Prisma Migrate's own lock key (72707369 in prisma-engines' postgres flavour). Using the
 * same key means this runner and a `prisma migrate deploy` elsewhere also exclude each other.
 */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

// Copied from prisma-engines (sql-schema-connector, postgres flavour `create_migrations_table`),
// so the table is indistinguishable from one the Prisma CLI created.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
`;

// Prisma does not count these as "the schema is not empty" (PostGIS creates them on its own).
const IGNORED_TABLES = /^(spatial_ref_sys|geometry_columns)$/i;

/**
 * Prisma's comparison (schema-connector `script_matches_checksum`): git may rewrite line
 * endings on checkout, and very old Prisma versions stored the hex without zero padding.
 * Being as lenient as Prisma avoids failing on a history Prisma itself accepts.
 */
function scriptMatchesChecksum(script: string, stored: string): boolean {
  const variants = [script, script.replace(/\r\n/g, '\n'), script.replace(/\n/g, '\r\n')];
  return variants.some((variant) => {
    const digest = createHash('sha256').update(variant, 'utf8').digest();
    const hex =
      stored.length !== 0 && stored.length !== 64
        ? [...digest].map((byte) => byte.toString(16)).join('')
        : digest.toString('hex');
    return hex === stored;
  });
}

/** Reads the migration folders the way the Prisma CLI lists them. */
export async function readMigrations(
  migrationsDir: string = defaultMigrationsDir,
): Promise<MigrationFolder[]> {
  if (!existsSync(migrationsDir)) return [];
  await checkLockfile(migrationsDir);
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  // Prisma sorts with localeCompare; timestamp prefixes make this the chronological order.
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  const folders: MigrationFolder[] = [];
  for (const name of names) {
    const file = join(migrationsDir, name, 'migration.sql');
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      // Prisma also refuses a folder without a script rather than skipping it silently.
      throw new Error(
        `Migration folder ${name} has no readable migration.sql (${file}): ${errorMessage(error)}`,
      );
    }
    folders.push({ name, file, script: bytes.toString('utf8'), checksum: sha256Hex(bytes) });
  }
  return folders;
}

/** Prisma refuses to apply a history that was generated for another database provider (P3019). */
async function checkLockfile(migrationsDir: string): Promise<void> {
  const lockfile = join(migrationsDir, 'migration_lock.toml');
  if (!existsSync(lockfile)) return;
  const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(await readFile(lockfile, 'utf8'))?.[1];
  if (provider !== undefined && provider !== 'postgresql') {
    throw new Error(
      `${lockfile} says these migrations were written for "${provider}", but this database is PostgreSQL. ` +
        'Use a migrations folder created for PostgreSQL.',
    );
  }
}

/**
 * Prisma reads the PostgreSQL schema from a `?schema=` URL parameter, which node-postgres
 * does not understand; splitting it off keeps both tools pointed at the same schema.
 */
export function parseDatabaseUrl(connectionString: string): { connectionString: string; schema: string } {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    // Not a URL (e.g. a keyword/value string): node-postgres can still use it as is.
    return { connectionString, schema: 'public' };
  }
  const schema = url.searchParams.get('schema') || 'public';
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), schema };
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function connect(connectionString: string): Promise<{ client: pg.Client; schema: string }> {
  const parsed = parseDatabaseUrl(connectionString);
  const client = new pg.Client({ connectionString: parsed.connectionString });
  // A dropped connection is also reported to the pending query; without a listener the
  // 'error' event would crash the whole process instead.
  client.on('error', () => {});
  await client.connect();
  try {
    // Prisma's engine pins search_path to the target schema, and the generated scripts use
    // unqualified names, so they must run with the same search_path to land in the same place.
    await client.query(`SET search_path TO ${quoteIdent(parsed.schema)}`);
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return { client, schema: parsed.schema };
}

async function schemaExists(client: pg.ClientBase, schema: string): Promise<boolean> {
  const result = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  return (result.rowCount ?? 0) > 0;
}

async function migrationsTableExists(client: pg.ClientBase, schema: string): Promise<boolean> {
  const result = await client.query(
    `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = '_prisma_migrations' AND c.relkind IN ('r', 'p')`,
    [schema],
  );
  return (result.rowCount ?? 0) > 0;
}

async function loadAppliedRows(client: pg.ClientBase, schema: string): Promise<MigrationRow[]> {
  if (!(await migrationsTableExists(client, schema))) return [];
  const result = await client.query<MigrationRow>(
    `SELECT id, checksum, migration_name, logs, started_at, finished_at, rolled_back_at
     FROM ${quoteIdent(schema)}._prisma_migrations ORDER BY started_at, migration_name`,
  );
  return result.rows;
}

/** Rows Prisma treats as part of the history: a rolled-back attempt is only an audit trail. */
function liveRows(rows: MigrationRow[]): MigrationRow[] {
  return rows.filter((row) => row.rolled_back_at === null);
}

/**
 * Names of migration folders that are not (successfully) applied to the database yet.
 * Read-only and lock-free, so a readiness probe can call it while another process migrates.
 */
export async function pendingMigrations(
  connectionString: string,
  options: { migrationsDir?: string } = {},
): Promise<string[]> {
  const folders = await readMigrations(options.migrationsDir);
  const { client, schema } = await connect(connectionString);
  try {
    const finished = new Set(
      liveRows(await loadAppliedRows(client, schema))
        .filter((row) => row.finished_at !== null)
        .map((row) => row.migration_name),
    );
    return folders.filter((folder) => !finished.has(folder.name)).map((folder) => folder.name);
  } finally {
    await client.end();
  }
}

/**
 * Applies every migration folder not yet recorded in `_prisma_migrations`, oldest first.
 *
 * Unlike Prisma, each migration runs in one transaction together with its bookkeeping row,
 * so a failure leaves neither half-applied DDL nor a "failed migration" row behind: fix the
 * script and run again.
 */
export async function applyMigrations(
  connectionString: string,
  options: ApplyMigrationsOptions = {},
): Promise<{ applied: string[] }> {
  const log = options.log ?? (() => {});
  const migrationsDir = options.migrationsDir ?? defaultMigrationsDir;
  const folders = await readMigrations(migrationsDir);
  const { client, schema } = await connect(connectionString);
  const table = `${quoteIdent(schema)}._prisma_migrations`;
  try {
    // Session-level lock on this one connection: it survives the per-migration transactions
    // and is released by the server even if this process dies mid-way.
    const locked = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
      PRISMA_ADVISORY_LOCK_KEY,
    ]);
    if (!locked.rows[0]?.ok) {
      log('Another process is applying migrations to this database; waiting for it to finish.');
      await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    }
    try {
      await ensureMigrationsTable(client, schema);
      const rows = liveRows(await loadAppliedRows(client, schema));
      checkHistory(rows, folders, migrationsDir, log);

      const recorded = new Set(rows.map((row) => row.migration_name));
      const pending = folders.filter((folder) => !recorded.has(folder.name));
      const applied: string[] = [];
      const started = performance.now();
      for (const folder of pending) {
        await applyOne(client, table, folder);
        applied.push(folder.name);
      }
      // One line per run, whatever happened: operators grep for it, and a start-up log that
      // lists every migration of a fresh database buries the lines that matter.
      log(
        applied.length === 0
          ? `Migrations: up to date (${folders.length} applied).`
          : `Migrations: applied ${applied.length} of ${folders.length} in ${Math.round(performance.now() - started)} ms, latest ${applied.at(-1)}.`,
      );
      return { applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

async function ensureMigrationsTable(client: pg.Client, schema: string): Promise<void> {
  if (!(await schemaExists(client, schema))) {
    // Prisma's engine creates a missing `?schema=` schema on connect; do the same.
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  }
  if (await migrationsTableExists(client, schema)) return;

  // Same guard as Prisma (P3005): applying the first migration on top of tables nobody
  // recorded would fail half-way or, worse, silently diverge from the history.
  const existing = await client.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
    [schema],
  );
  const tables = existing.rows.map((row) => row.relname).filter((name) => !IGNORED_TABLES.test(name));
  if (tables.length > 0) {
    throw new Error(
      `The PostgreSQL schema "${schema}" already has tables (${tables.slice(0, 5).join(', ')}` +
        `${tables.length > 5 ? ', ...' : ''}) but no _prisma_migrations table, so it was not created by ` +
        'these migrations. Use an empty database, or baseline it: make sure the schema matches the ' +
        'migrations, then record them as applied (what `prisma migrate resolve --applied <name>` does).',
    );
  }
  await client.query(CREATE_MIGRATIONS_TABLE);
}

/** Refuses to build on a history that Prisma would also consider broken. */
function checkHistory(
  rows: MigrationRow[],
  folders: MigrationFolder[],
  migrationsDir: string,
  log: (msg: string) => void,
): void {
  // A row without finished_at comes from a failed `prisma migrate deploy` (this runner's own
  // failures roll back their row). Its DDL may be half-applied, so a human must look (P3009).
  const failed = rows.filter((row) => row.finished_at === null);
  if (failed.length > 0) {
    const details = failed
      .map((row) => {
        const logs = row.logs?.trim();
        return `  - ${row.migration_name} (id ${row.id}, started ${row.started_at.toISOString()})${logs ? `:\n${indent(logs, 6)}` : ''}`;
      })
      .join('\n');
    throw new Error(
      `The database has failed migrations, so no new migrations were applied:\n${details}\n` +
        'Repair the database by hand (finish or undo what the failed script did), then mark the attempt ' +
        "as rolled back, e.g. UPDATE _prisma_migrations SET rolled_back_at = now() WHERE id = '<id>' " +
        '(this is what `prisma migrate resolve --rolled-back <name>` does), and run the migrations again.',
    );
  }

  const byName = new Map(folders.map((folder) => [folder.name, folder]));
  for (const row of rows) {
    const folder = byName.get(row.migration_name);
    if (!folder) {
      // Prisma's deploy ignores these too; most likely a newer checkout already ran here.
      log(
        `Warning: migration ${row.migration_name} is applied in the database but missing from ${migrationsDir}.`,
      );
      continue;
    }
    if (folder.checksum !== row.checksum && !scriptMatchesChecksum(folder.script, row.checksum)) {
      throw new Error(
        `Migration ${folder.name} was modified after it was applied to this database ` +
          `(checksum recorded ${row.checksum}, file now ${folder.checksum}: ${folder.file}). ` +
          'Applied migrations must not change: restore the original migration.sql (e.g. from git) and put ' +
          'the change into a new migration (npx tsx scripts/create-migration.ts <name>). If this database is ' +
          'disposable, you can instead drop and recreate it.',
      );
    }
  }
}

async function applyOne(client: pg.Client, table: string, folder: MigrationFolder): Promise<void> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    // Same row lifecycle as Prisma's engine (started -> step count -> finished), so the
    // result is identical to what `prisma migrate deploy` records for a successful script.
    await client.query(
      `INSERT INTO ${table} (id, checksum, started_at, migration_name) VALUES ($1, $2, clock_timestamp(), $3)`,
      [id, folder.checksum, folder.name],
    );
    try {
      // No parameters: node-postgres then uses the simple query protocol, which accepts a
      // whole multi-statement script just like Prisma's `raw_cmd`.
      await client.query(folder.script);
    } catch (error) {
      throw new Error(
        `Migration ${folder.name} failed and was rolled back: ${describePgError(error, folder.script)}`,
        {
          cause: error,
        },
      );
    }
    await client.query(`UPDATE ${table} SET applied_steps_count = applied_steps_count + 1 WHERE id = $1`, [
      id,
    ]);
    await client.query(`UPDATE ${table} SET finished_at = clock_timestamp() WHERE id = $1`, [id]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** PostgreSQL reports the error position as a character offset; a line number is what people look for. */
function describePgError(error: unknown, script: string): string {
  if (!(error instanceof Error)) return String(error);
  const pgError = error as Error & { code?: string; detail?: string; hint?: string; position?: string };
  const where: string[] = [];
  if (pgError.code) where.push(`SQLSTATE ${pgError.code}`);
  const position = Number(pgError.position);
  if (Number.isInteger(position) && position > 0) {
    where.push(`line ${script.slice(0, position - 1).split('\n').length} of migration.sql`);
  }
  let text = where.length ? `${pgError.message} (${where.join(', ')})` : pgError.message;
  if (pgError.detail) text += `. Detail: ${pgError.detail}`;
  if (pgError.hint) text += `. Hint: ${pgError.hint}`;
  return text;
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
