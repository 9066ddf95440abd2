/**
 * Collection runs and their items (collection_run, collection_item): what a run was asked to
 * collect, which links it found, which worker is on which, and what became of each. Workers on
 * any machine write here; a run's progress and summary are read from here.
 */

import type { Db, Prisma } from './db.ts';

export type RunStatus = 'RUNNING' | 'STOPPING' | 'DONE' | 'STOPPED';
export type ItemKind = 'SEED' | 'PAGE' | 'REPORT';
export type ItemOutcome = 'IMPORTED' | 'UNCHANGED' | 'REFUSED' | 'FAILED' | 'DISALLOWED' | 'READ';

export interface CollectionRunRow {
  id: number;
  seeds: string[];
  settings: unknown;
  status: RunStatus;
  maxReports: number | null;
  /** Report links taken so far, against maxReports. */
  taken: number;
  startedBy: string;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface RunCounts {
  /** Listing pages read. */
  pages: number;
  /** Report links found. */
  found: number;
  /** Report links finished, whatever the outcome. */
  done: number;
  /** Report links a worker is on now. */
  inFlight: number;
  imported: number;
  unchanged: number;
  refused: number;
  failed: number;
  disallowed: number;
}

export interface RunProblem {
  kind: ItemKind;
  url: string;
  outcome: ItemOutcome;
  reason: string;
}

const runOf = (row: {
  id: number;
  seeds: string[];
  settings: Prisma.JsonValue;
  status: string;
  maxReports: number | null;
  taken: number;
  startedBy: string;
  startedAt: Date;
  finishedAt: Date | null;
}): CollectionRunRow => ({ ...row, status: row.status as RunStatus });

const RUN_FIELDS = {
  id: true,
  seeds: true,
  settings: true,
  status: true,
  maxReports: true,
  taken: true,
  startedBy: true,
  startedAt: true,
  finishedAt: true,
} as const;

/** A new run with one SEED item per seed, in one transaction. */
export async function createRun(
  db: Db,
  run: { seeds: readonly string[]; settings: object; maxReports: number | null; startedBy: string },
): Promise<CollectionRunRow> {
  return db.$transaction(async (tx) => {
    const created = await tx.collectionRun.create({
      data: {
        seeds: [...run.seeds],
        settings: run.settings as Prisma.InputJsonValue,
        maxReports: run.maxReports,
        startedBy: run.startedBy,
      },
      select: RUN_FIELDS,
    });
    await tx.collectionItem.createMany({
      data: run.seeds.map((url) => ({ runId: created.id, kind: 'SEED', url })),
      skipDuplicates: true,
    });
    return runOf(created);
  });
}

export async function findRun(db: Db, id: number): Promise<CollectionRunRow | null> {
  const row = await db.collectionRun.findUnique({ where: { id }, select: RUN_FIELDS });
  return row ? runOf(row) : null;
}

/** The latest runs first. */
export async function listRuns(db: Db, limit: number): Promise<CollectionRunRow[]> {
  const rows = await db.collectionRun.findMany({
    orderBy: { id: 'desc' },
    take: limit,
    select: RUN_FIELDS,
  });
  return rows.map(runOf);
}

/**
 * Adds the items not in the run yet and returns the URLs of those still waiting for a worker
 * (new ones, and ones an earlier attempt of the same job added but did not hand out).
 */
export async function addItems(
  db: Db,
  runId: number,
  kind: ItemKind,
  items: readonly { url: string; title?: string | null }[],
): Promise<string[]> {
  if (items.length === 0) return [];
  await db.collectionItem.createMany({
    data: items.map((item) => ({ runId, kind, url: item.url, title: item.title ?? null })),
    skipDuplicates: true,
  });
  const pending = await db.collectionItem.findMany({
    where: { runId, kind, state: 'PENDING', url: { in: items.map((i) => i.url) } },
    select: { url: true },
  });
  return pending.map((p) => p.url);
}

export type Take =
  | { taken: true; attempt: number }
  | { taken: false; why: 'done' | 'busy' | 'stopped' | 'gone' };

/**
 * A job takes its item before working on it. Refused when the item is finished, when another
 * job holds it (a duplicate job: the holder finishes it, or the holder's own retry does), when
 * the run is stopping, or, for a report's first attempt, when the run's report limit is
 * reached, which also starts stopping the run. A retry of the holding job takes it back, and
 * so does any job once the holder has held it past the job expiry (on a stopping run, such a
 * job hands it back instead, so that the run can end). The run row is locked so that the limit
 * holds across workers.
 */
export async function takeItem(
  db: Db,
  runId: number,
  kind: ItemKind,
  url: string,
  holder: { worker: string; jobId: string; expirySeconds: number },
): Promise<Take> {
  return db.$transaction(async (tx) => {
    const [run] = await tx.$queryRaw<{ status: string; max_reports: number | null; taken: number }[]>`
      SELECT status, max_reports, taken FROM collection_run WHERE id = ${runId} FOR UPDATE`;
    if (!run) return { taken: false, why: 'gone' } as const;
    const item = await tx.collectionItem.findUnique({
      where: { runId_kind_url: { runId, kind, url } },
      select: { state: true, attempts: true, jobId: true, takenAt: true },
    });
    if (!item) return { taken: false, why: 'gone' } as const;
    if (item.state === 'DONE') return { taken: false, why: 'done' } as const;
    const heldElsewhere =
      item.state === 'TAKEN' &&
      item.jobId !== holder.jobId &&
      (item.takenAt?.getTime() ?? 0) > Date.now() - holder.expirySeconds * 1000;
    if (heldElsewhere) return { taken: false, why: 'busy' } as const;
    if (run.status !== 'RUNNING') {
      // Still TAKEN here means its holder died (this is its job's retry, or the hold expired):
      // the item waits again, or a stopping run would wait for it for ever.
      if (item.state === 'TAKEN')
        await tx.collectionItem.update({
          where: { runId_kind_url: { runId, kind, url } },
          data: { state: 'PENDING', worker: null, jobId: null },
        });
      return { taken: false, why: 'stopped' } as const;
    }
    const first = item.attempts === 0;
    if (kind === 'REPORT' && first) {
      if (run.max_reports !== null && run.taken >= run.max_reports) {
        await tx.$executeRaw`UPDATE collection_run SET status = 'STOPPING' WHERE id = ${runId}`;
        return { taken: false, why: 'stopped' } as const;
      }
      await tx.$executeRaw`UPDATE collection_run SET taken = taken + 1 WHERE id = ${runId}`;
    }
    await tx.collectionItem.update({
      where: { runId_kind_url: { runId, kind, url } },
      data: {
        state: 'TAKEN',
        attempts: { increment: 1 },
        worker: holder.worker,
        jobId: holder.jobId,
        takenAt: new Date(),
      },
    });
    return { taken: true, attempt: item.attempts + 1 } as const;
  });
}

/**
 * A job still working on its item says so: the item stays its job's past the expiry, which is
 * for a worker that died, not for one that is slow.
 */
export async function keepItem(
  db: Db,
  runId: number,
  kind: ItemKind,
  url: string,
  jobId: string,
): Promise<void> {
  await db.collectionItem.updateMany({
    where: { runId, kind, url, jobId, state: 'TAKEN' },
    data: { takenAt: new Date() },
  });
}

/**
 * Records what became of an item, then finishes the run if nothing is left to do. An item a
 * slow attempt imported stays IMPORTED when a later attempt finds the report UNCHANGED.
 */
export async function finishItem(
  db: Db,
  runId: number,
  kind: ItemKind,
  url: string,
  result: { outcome: ItemOutcome; reason?: string | null; revisionId?: number | null },
): Promise<void> {
  await db.collectionItem.updateMany({
    where: {
      runId,
      kind,
      url,
      ...(result.outcome === 'UNCHANGED' ? { NOT: { state: 'DONE', outcome: 'IMPORTED' } } : {}),
    },
    data: {
      state: 'DONE',
      outcome: result.outcome,
      reason: result.reason ?? null,
      revisionId: result.revisionId ?? null,
      finishedAt: new Date(),
    },
  });
  await settleRun(db, runId);
}

/**
 * Records the other reports a report link held (its attachments), as done items of their own so
 * that the run counts them; one already recorded (its own link in the listing) keeps its record.
 */
export function recordLinkedReports(
  db: Db,
  runId: number,
  reports: readonly {
    url: string;
    outcome: ItemOutcome;
    reason?: string | null;
    revisionId?: number | null;
  }[],
): Promise<void> {
  return recordDone(db, runId, 'REPORT', reports);
}

/** Records listing pages read (or not) by a seed's job; a page already recorded keeps its record. */
export function recordPages(
  db: Db,
  runId: number,
  pages: readonly { url: string; outcome: 'READ' | 'FAILED' | 'DISALLOWED'; reason?: string }[],
): Promise<void> {
  return recordDone(db, runId, 'PAGE', pages);
}

/** Items done as they are recorded, never taken by a job; one already recorded keeps its record. */
async function recordDone(
  db: Db,
  runId: number,
  kind: ItemKind,
  items: readonly { url: string; outcome: ItemOutcome; reason?: string | null; revisionId?: number | null }[],
): Promise<void> {
  if (items.length === 0) return;
  await db.collectionItem.createMany({
    data: items.map((item) => ({
      runId,
      kind,
      url: item.url,
      state: 'DONE',
      outcome: item.outcome,
      reason: item.reason ?? null,
      revisionId: item.revisionId ?? null,
      finishedAt: new Date(),
    })),
    skipDuplicates: true,
  });
}

/**
 * Finishes the run once no item is being worked on and, unless it is stopping, none waits:
 * DONE when every item was handled, STOPPED otherwise. Safe to call from any worker at any
 * time; only the first call that finds the run complete changes it.
 */
export async function settleRun(db: Db, runId: number): Promise<void> {
  await db.$executeRaw`
    UPDATE collection_run r
    SET finished_at = now(),
        status = CASE WHEN EXISTS (SELECT 1 FROM collection_item i WHERE i.run_id = r.id AND i.state = 'PENDING')
                      THEN 'STOPPED' ELSE 'DONE' END
    WHERE r.id = ${runId} AND r.finished_at IS NULL
      AND NOT EXISTS (
        SELECT 1 FROM collection_item i
        WHERE i.run_id = r.id AND (i.state = 'TAKEN' OR (i.state = 'PENDING' AND r.status = 'RUNNING')))`;
}

/**
 * Takes a STOPPED run up again: RUNNING, and the URLs of its items still waiting, by kind, for
 * their jobs to be queued again. Null when the run is not stopped, nothing of it waits, or it
 * stopped at its report limit (taken up, it would stop there again).
 */
export async function reopenRun(db: Db, runId: number): Promise<{ kind: ItemKind; url: string }[] | null> {
  return db.$transaction(async (tx) => {
    const reopened = await tx.$executeRaw`
      UPDATE collection_run SET status = 'RUNNING', finished_at = NULL
      WHERE id = ${runId} AND status = 'STOPPED' AND (max_reports IS NULL OR taken < max_reports)
        AND EXISTS (SELECT 1 FROM collection_item WHERE run_id = ${runId} AND state = 'PENDING')`;
    if (reopened === 0) return null;
    const waiting = await tx.collectionItem.findMany({
      where: { runId, state: 'PENDING' },
      select: { kind: true, url: true },
      orderBy: [{ kind: 'asc' }, { url: 'asc' }],
    });
    return waiting.map((w) => ({ kind: w.kind as ItemKind, url: w.url }));
  });
}

/** Stops taking new items; the items in flight finish, then the run is STOPPED. */
export async function stopRun(db: Db, runId: number): Promise<void> {
  await db.$executeRaw`UPDATE collection_run SET status = 'STOPPING' WHERE id = ${runId} AND status = 'RUNNING'`;
  await settleRun(db, runId);
}

/** Counts of one run's items, by what became of them. */
export async function runCounts(db: Db, runId: number): Promise<RunCounts> {
  const [row] = await db.$queryRaw<Record<keyof RunCounts, number>[]>`
    SELECT
      count(*) FILTER (WHERE kind = 'PAGE' AND outcome = 'READ')::int AS pages,
      count(*) FILTER (WHERE kind = 'REPORT')::int AS found,
      count(*) FILTER (WHERE kind = 'REPORT' AND state = 'DONE')::int AS done,
      count(*) FILTER (WHERE kind = 'REPORT' AND state = 'TAKEN')::int AS "inFlight",
      count(*) FILTER (WHERE kind = 'REPORT' AND outcome = 'IMPORTED')::int AS imported,
      count(*) FILTER (WHERE kind = 'REPORT' AND outcome = 'UNCHANGED')::int AS unchanged,
      count(*) FILTER (WHERE kind = 'REPORT' AND outcome = 'REFUSED')::int AS refused,
      count(*) FILTER (WHERE outcome = 'FAILED')::int AS failed,
      count(*) FILTER (WHERE outcome = 'DISALLOWED')::int AS disallowed
    FROM collection_item WHERE run_id = ${runId}`;
  return (
    row ?? {
      pages: 0,
      found: 0,
      done: 0,
      inFlight: 0,
      imported: 0,
      unchanged: 0,
      refused: 0,
      failed: 0,
      disallowed: 0,
    }
  );
}

/** Every failed, refused or disallowed item of a run, in URL order. */
export async function runProblems(db: Db, runId: number, limit = 10_000): Promise<RunProblem[]> {
  const rows = await db.collectionItem.findMany({
    where: { runId, outcome: { in: ['FAILED', 'REFUSED', 'DISALLOWED'] } },
    orderBy: [{ url: 'asc' }],
    take: limit,
    select: { kind: true, url: true, outcome: true, reason: true },
  });
  return rows.map((r) => ({
    kind: r.kind as ItemKind,
    url: r.url,
    outcome: r.outcome as ItemOutcome,
    reason: r.reason ?? '',
  }));
}

/** The listing pages a run read that held no report link (their reason says so), in URL order. */
export async function emptyListingPages(db: Db, runId: number): Promise<RunProblem[]> {
  const rows = await db.collectionItem.findMany({
    where: { runId, kind: 'PAGE', outcome: 'READ', reason: { not: null } },
    orderBy: [{ url: 'asc' }],
    select: { url: true, reason: true },
  });
  return rows.map((r) => ({ kind: 'PAGE', url: r.url, outcome: 'READ', reason: r.reason ?? '' }));
}

/** When a revision was imported: tells a retried job's "unchanged" apart from its own earlier import. */
export async function revisionImportedAt(db: Db, revisionId: number): Promise<Date | null> {
  const row = await db.reportRevision.findUnique({ where: { id: revisionId }, select: { importedAt: true } });
  return row?.importedAt ?? null;
}

/** Keeps the error of a failed attempt on its item, for the summary if no attempt succeeds. */
export async function noteItemError(
  db: Db,
  runId: number,
  kind: ItemKind,
  url: string,
  message: string,
): Promise<void> {
  await db.collectionItem.updateMany({
    where: { runId, kind, url, state: { not: 'DONE' } },
    data: { reason: message },
  });
}

/**
 * A job's attempts are spent (errors, or workers that died on it): its item fails with the
 * last error seen, and the run can finish.
 */
export async function giveUpItem(db: Db, runId: number, kind: ItemKind, url: string): Promise<void> {
  const item = await db.collectionItem.findUnique({
    where: { runId_kind_url: { runId, kind, url } },
    select: { state: true, attempts: true, reason: true },
  });
  if (!item || item.state === 'DONE') return;
  const last = item.reason ?? 'its worker stopped without finishing';
  await finishItem(db, runId, kind, url, {
    outcome: 'FAILED',
    reason: `${last} (gave up after ${item.attempts} attempt${item.attempts === 1 ? '' : 's'})`,
  });
}

/** An item its job stopped working on (the run is stopping) waits again; the run can then settle. */
export async function handBack(db: Db, runId: number, kind: ItemKind, url: string): Promise<void> {
  await db.$executeRaw`
    UPDATE collection_item SET state = 'PENDING', worker = NULL, job_id = NULL
    WHERE run_id = ${runId} AND kind = ${kind} AND url = ${url} AND state = 'TAKEN'`;
  await settleRun(db, runId);
}

/**
 * A worker that stops hands back the items it held: they wait for the next worker, or are
 * left behind by a stopping run, which can then finish.
 */
export async function releaseWorkerItems(db: Db, worker: string): Promise<void> {
  const released = await db.$queryRaw<{ run_id: number }[]>`
    UPDATE collection_item SET state = 'PENDING', worker = NULL, job_id = NULL
    WHERE worker = ${worker} AND state = 'TAKEN'
    RETURNING run_id`;
  for (const runId of new Set(released.map((r) => r.run_id))) await settleRun(db, runId);
}
