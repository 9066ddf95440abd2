/**
 * Who hears about committed imports. The use case calls `announceCommitted` once a
 * transaction has committed; the server listens (live dashboards), and so does a CLI that
 * runs beside a server with REDIS_URL. Listeners hang off the database handle, so every
 * entry point (API, CLI, bulk) announces without passing a publisher through each call.
 */

import type { Db } from '../store/db.ts';
import type { ImportOutcome } from '../store/import-report.ts';

/** One report whose current revision a committed transaction changed. */
export interface CommittedImport {
  agencyId: number;
  agencyName: string;
  year: number;
  /** The revision that is current now. */
  revisionNumber: number;
  /** UNCHANGED is never announced: nothing was written. */
  outcome: Exclude<ImportOutcome, 'UNCHANGED'>;
}

/** A committed import as dashboards receive it: with the data version it is visible at. */
export interface ImportAnnouncement extends CommittedImport {
  dataVersion: string;
}

/** Called after the commit; must not throw (a listener logs its own failures). */
export type CommitListener = (imports: CommittedImport[]) => void | Promise<void>;

const listeners = new WeakMap<Db, Set<CommitListener>>();

/** Calls `listener` after every import committed through `db`; returns the way to stop. */
export function onCommitted(db: Db, listener: CommitListener): () => void {
  const set = listeners.get(db) ?? new Set<CommitListener>();
  listeners.set(db, set);
  set.add(listener);
  return () => void set.delete(listener);
}

/** Tells every listener of `db` about imports whose transaction has committed. */
export async function announceCommitted(db: Db, imports: CommittedImport[]): Promise<void> {
  const set = listeners.get(db);
  if (!set || imports.length === 0) return;
  // An announcement is best effort: the data is stored whatever a listener does.
  await Promise.allSettled([...set].map(async (listener) => listener(imports)));
}
