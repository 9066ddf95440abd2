/**
 * The store's side of the comparison services' SQL seam: statement fragments (Prisma's
 * tagged templates, so they compose with the rest of the store's SQL) and a runner that
 * executes a read-only statement as a prepared statement on the client's pool.
 */
import { type Db, Prisma, queryPrepared } from './db.ts';

export type SqlFragment = Prisma.Sql;
export const sql = Prisma.sql;
export const join = Prisma.join;
export const raw = Prisma.raw;
export const empty = Prisma.empty;

/** Executes one read-only statement; rows come back with json and int columns decoded. */
export interface SqlRunner {
  query<T>(statement: SqlFragment): Promise<T[]>;
}

/** Runs comparison statements on `db`; see `queryPrepared` for why they skip Prisma. */
export function sqlRunner(db: Db): SqlRunner {
  return { query: <T>(statement: SqlFragment) => queryPrepared<T>(db, statement) };
}
