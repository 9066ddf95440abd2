/**
 * The locks every writer of agencies and reports takes, and their one order. Taken in this
 * order everywhere, two writers never wait for each other in a cycle (PostgreSQL would abort
 * one with 40P01 "deadlock detected"):
 *
 * 1. identity keys (lockIdentityKeys), sorted: imports and merges deciding which agency a key is;
 * 2. agency rows, in id order: FOR UPDATE by whoever changes an agency (its region, level or
 *    kind, or deletes it), FOR SHARE by whoever changes a report of it (lockAgenciesOfReports);
 * 3. report rows, in id order, FOR UPDATE;
 * 4. the 'finding' advisory lock of each agency, in id order (findings.ts);
 * 5. figure_aggregate rows, in key order, when the transaction counts its changes (last).
 *
 * Why step 2 keeps figure_aggregate exact: the triggers note the state a report was counted
 * in, its current revision and its agency's region, level and kind (figure_aggregates
 * migration). A report's change reads its agency's row, and an agency's change reads its
 * reports' rows, each as its own snapshot has them; with both in flight, each would note the
 * other's old state and one change would be counted out twice. With the agency row locked
 * before either change, the second waits for the first to commit and its next statement
 * reads what the first committed. The lock is on the agency, not on the report rows the
 * agency trigger reads, because a report inserted meanwhile (not yet visible to the trigger)
 * must wait too, and because one lock per agency is one rule for every path.
 */
import type { SqlTransaction } from './db.ts';

/**
 * Locks the agencies whose reports this transaction is about to change (insert, make another
 * revision current, move, delete), in id order, until it commits: an agency's region, level
 * or kind cannot change meanwhile, nor can it be merged away. Call it in a statement before
 * the first change to the reports, so later statements read the agency as committed. Returns
 * the ids still stored (an agency merged away while this waited is missing).
 */
export async function lockAgenciesOfReports(
  tx: SqlTransaction,
  agencyIds: readonly number[],
): Promise<number[]> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    SELECT id FROM agency WHERE id = ANY(${[...agencyIds]}::int[]) ORDER BY id FOR SHARE`;
  return rows.map((r) => r.id);
}
