import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the embedded PostgreSQL keeps its data when DATABASE_URL is not set. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../.data/postgres', import.meta.url));

/** The embedded data folder: EMBEDDED_POSTGRES_DIR when set, else .data/postgres. */
export function embeddedDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.EMBEDDED_POSTGRES_DIR ? resolve(env.EMBEDDED_POSTGRES_DIR) : DEFAULT_DATA_DIR;
}

/** A data folder as the user would type it: relative to the working folder when inside it. */
export function displayPath(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel && !rel.startsWith('..') && !rel.startsWith('/') ? rel : dir;
}

/**
 * Creates a folder and the folders above it that are missing, one at a time. Node's recursive
 * mkdir spins for ever where a level cannot be created and yet does not exist (under /proc:
 * ENOENT again and again); here that level's error is thrown, naming it.
 */
export function makeFolders(path: string): void {
  const missing: string[] = [];
  for (let dir = resolve(path); !existsSync(dir); dir = dirname(dir)) {
    missing.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (error) {
      // Made meanwhile by someone else: as good as made here.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw error;
    }
  }
}
