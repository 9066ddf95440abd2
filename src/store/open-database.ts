import { accessSync, constants, existsSync, readdirSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { firstFew } from '../ingest/first-few.ts';
import { ensureIdentityKeys } from './agency-identity.ts';
import { ensureAggregatesBuilt } from './aggregate-maintenance.ts';
import { displayPath, embeddedDataDir, makeFolders } from './data-dir.ts';
import { checkDatabaseUrl } from './database-errors.ts';
import { closeDb, createDb, type Db } from './db.ts';
import {
  CONNECTION_RECORD_FILE,
  type ConnectionRecord,
  type EmbeddedDatabase,
  EmbeddedDataFolderError,
  findSharedEmbedded,
  startEmbeddedPostgres,
} from './embedded-postgres.ts';
import { applyMigrations } from './migrations.ts';

/**
 * The embedded data folder must be a folder this user can write, holding a cluster or nothing
 * else: mkdir on a file ("EEXIST: file already exists"), a path under a file (ENOTDIR), a
 * folder it cannot write (initdb's "Permission denied") and initdb on a folder with files in
 * it ("directory … exists but is not empty") each stopped the command with their own words and
 * a stack trace, naming neither the setting nor what to do. A missing folder is created here.
 */
function checkDataFolder(dataDir: string) {
  const instead =
    'Set EMBEDDED_POSTGRES_DIR to a new or empty folder this user can write, or unset it for .data/postgres.';
  const refuse = (why: string) =>
    new EmbeddedDataFolderError(
      `The embedded PostgreSQL's data folder ${displayPath(dataDir)} (EMBEDDED_POSTGRES_DIR) ${why}. ${instead}`,
    );
  const reason = (error: unknown) => {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ENOTDIR') return `is under a file, not a folder (${message})`;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      return `cannot be written by this user (${message})`;
    return `cannot be used (${message})`;
  };
  let stats: Stats | undefined;
  try {
    stats = statSync(dataDir, { throwIfNoEntry: false });
    if (!stats) {
      makeFolders(dataDir);
      stats = statSync(dataDir);
    }
  } catch (error) {
    throw refuse(reason(error));
  }
  if (!stats.isDirectory()) throw refuse('is a file, not a folder');
  try {
    accessSync(dataDir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw refuse(reason(error));
  }
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const files = readdirSync(dataDir).filter((name) => name !== CONNECTION_RECORD_FILE);
  if (files.length > 0) {
    const named = firstFew(files);
    throw refuse(`holds files (${named}) but no PostgreSQL cluster, and a new cluster needs an empty folder`);
  }
}

export interface OpenDatabase {
  url: string;
  db: Db;
  /** Started here (embedded), found running beside a server (shared), or DATABASE_URL. */
  source: 'embedded' | 'shared' | 'url';
  embedded: boolean;
  /** The embedded data folder, unless DATABASE_URL is used. */
  dataDir: string | null;
  close: () => Promise<void>;
}

/**
 * Connects to DATABASE_URL or, when it is unset, to the embedded PostgreSQL: the one a running
 * server shares on the data folder (see ConnectionRecord), else one started here. Applies
 * pending migrations either way.
 *
 * `share` is for the server: it never uses another process's PostgreSQL, and records its own
 * so CLI commands run beside it connect to it (and leave it running when they end).
 */
export async function openDatabase(
  options: {
    log?: (message: string) => void;
    dataDir?: string;
    url?: string;
    statementTimeoutMs?: number;
    share?: boolean;
    /**
     * The caller stops on SIGINT/SIGTERM itself, and closes the database: an embedded
     * PostgreSQL started here does not stop the process on them (see startEmbeddedPostgres).
     */
    handlesSignals?: boolean;
  } = {},
): Promise<OpenDatabase> {
  const log = options.log ?? (() => {});
  // Empty is unset, as a `.env` line `DATABASE_URL=` or the config's other variables have it.
  const configured = (options.url ?? process.env.DATABASE_URL) || undefined;
  if (configured) checkDatabaseUrl(configured);
  const dataDir = configured ? null : (options.dataDir ?? embeddedDataDir());
  let shared: ConnectionRecord | null = null;
  let embedded: EmbeddedDatabase | null = null;
  if (dataDir !== null) {
    checkDataFolder(dataDir);
    if (!options.share) shared = await findSharedEmbedded(dataDir, log);
    if (!shared) {
      embedded = await startEmbeddedPostgres({
        dataDir,
        database: 'disclosure',
        log,
        // The sharing process is the server, which stops the database itself on a signal.
        ...(options.share ? { share: true, handlesSignals: true } : {}),
        ...(options.handlesSignals ? { handlesSignals: true } : {}),
      });
    }
  }
  const url = configured ?? shared?.url ?? embedded?.url;
  if (!url) throw new Error('No database URL');
  log(
    embedded
      ? `PostgreSQL (embedded): ${url} (data in ${displayPath(dataDir ?? '')})`
      : shared
        ? `PostgreSQL (embedded, run by the server, process ${shared.pid}): ${url} (data in ${displayPath(dataDir ?? '')})`
        : 'Using DATABASE_URL',
  );
  try {
    await applyMigrations(url, { log });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const db = createDb(url, { statementTimeoutMs: options.statementTimeoutMs ?? 0 });
  try {
    await ensureAggregatesBuilt(db, log);
    const keyed = await ensureIdentityKeys(db, log);
    if (keyed > 0) log(`Gave ${keyed} agencies stored before identity keys theirs.`);
  } catch (error) {
    await closeDb(db);
    await embedded?.stop();
    throw error;
  }
  return {
    url,
    db,
    source: embedded ? 'embedded' : shared ? 'shared' : 'url',
    embedded: embedded !== null,
    dataDir,
    close: async () => {
      await closeDb(db);
      // A shared PostgreSQL belongs to the server: it keeps running.
      await embedded?.stop();
    },
  };
}
