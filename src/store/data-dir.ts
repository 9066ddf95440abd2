import { relative, resolve } from 'node:path';
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
