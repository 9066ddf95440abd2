/** Making an earlier revision current again, announced like an import once it has committed. */
import type { AuditOf } from '../store/audit-log.ts';
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
 * Makes revision `number` of a report current (the store does it in one transaction, with its
 * audit entry where one is asked for: that of a refusal too); a
 * change is announced as RESTORED, the outcome of an import that brings back earlier bytes.
 */
export async function useRevision(
  db: Db,
  target: { agencyName: string; year: number; number: number },
  audit?: AuditOf<UseRevisionResult>,
): Promise<UseRevisionResult> {
  const result = await chooseRevision(db, target, audit);
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

/** The audit entry of choosing a revision, written in its transaction: a refusal's too. */
export const useRevisionAudit = (
  actor: AuditOf<UseRevisionResult>['actor'],
  target: { agencyName: string; year: number; number: number },
): AuditOf<UseRevisionResult> => ({
  actor,
  entry: (result) => ({
    action: 'useRevision',
    outcome: result.ok ? (result.changed ? 'CHANGED' : 'UNCHANGED') : 'REJECTED',
    detail: { agency: target.agencyName, year: target.year, number: target.number },
  }),
});
