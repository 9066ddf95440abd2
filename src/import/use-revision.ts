/** Making an earlier revision current again, announced like an import once it has committed. */
import type { Db } from '../store/db.ts';
import {
  useRevision as chooseRevision,
  listRevisions,
  type RevisionListing,
  type UseRevisionResult,
} from '../store/use-revision.ts';
import { announceCommitted } from './committed.ts';

export type { RevisionListing, UseRevisionResult };
export { listRevisions };

/**
 * Makes revision `number` of a report current (the store does it in one transaction); a
 * change is announced as RESTORED, the outcome of an import that brings back earlier bytes.
 */
export async function useRevision(
  db: Db,
  target: { agencyName: string; year: number; number: number },
): Promise<UseRevisionResult> {
  const result = await chooseRevision(db, target);
  if (result.ok && result.changed) {
    await announceCommitted(db, [
      {
        agencyId: result.agencyId,
        agencyName: target.agencyName,
        year: target.year,
        revisionNumber: target.number,
        outcome: 'RESTORED',
      },
    ]);
  }
  return result;
}
