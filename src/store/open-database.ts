import { fileURLToPath } from 'node:url';
import { closeDb, createDb, type Db } from './db.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { applyMigrations } from './migrations.ts';

/** Where the embedded PostgreSQL keeps its data when DATABASE_URL is not set. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../.data/postgres', import.meta.url));

export interface OpenDatabase {
  url: string;
  db: Db;
  embedded: boolean;
  close: () => Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL when it is unset, and
 * applies pending migrations either way.
 */
export async function openDatabase(
  options: {
    log?: (message: string) => void;
    dataDir?: string;
    url?: string;
    statementTimeoutMs?: number;
  } = {},
): Promise<OpenDatabase> {
  const log = options.log ?? (() => {});
  const configured = options.url ?? process.env.DATABASE_URL;
  const embedded = configured
    ? null
    : await startEmbeddedPostgres({
        dataDir: options.dataDir ?? DEFAULT_DATA_DIR,
        database: 'disclosure',
        log,
      });
  const url = configured ?? embedded?.url;
  if (!url) throw new Error('No database URL');
  log(
    embedded
      ? `Using embedded PostgreSQL (data in ${options.dataDir ?? DEFAULT_DATA_DIR})`
      : 'Using DATABASE_URL',
  );
  try {
    const { applied } = await applyMigrations(url, { log });
    if (applied.length > 0) log(`Applied migrations: ${applied.join(', ')}`);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const db = createDb(url, { statementTimeoutMs: options.statementTimeoutMs ?? 0 });
  return {
    url,
    db,
    embedded: embedded !== null,
    close: async () => {
      await closeDb(db);
      await embedded?.stop();
    },
  };
}
