/**
 * The SQL seam of the comparison services: they compose statements from these fragments
 * and hand them to a `SqlRunner`, so nothing here knows which client runs them.
 */
import { raw, type SqlFragment } from '../store/sql-runner.ts';

export { empty, join, raw, type SqlFragment, type SqlRunner, sql } from '../store/sql-runner.ts';

/** A column or alias generated from list positions or catalogue constants, never from user input. */
export const id = (name: string): SqlFragment => raw(name);
