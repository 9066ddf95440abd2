/**
 * The SQL seam of the comparison services: they compose statements from these fragments
 * and hand them to a `SqlRunner`, so nothing here knows which client runs them.
 */
import { raw, type SqlFragment } from '../store/sql-runner.ts';

export { empty, join, raw, type SqlFragment, sql } from '../store/sql-runner.ts';

/** Executes one read-only statement; rows come back with json and int columns decoded. */
export interface SqlRunner {
  query<T>(statement: SqlFragment): Promise<T[]>;
}

/** A column or alias generated from list positions or catalogue constants, never from user input. */
export const id = (name: string): SqlFragment => raw(name);
