/**
 * Collection runs (`npm run cli -- collect`, done by any number of `worker`s): their progress,
 * counts and every failure, for the dashboard and for whoever runs the crawl. Read from the
 * runs' items, so the figures are the same whichever workers did the work.
 */

import { emptyList } from '../../comparison/filter.ts';
import {
  type CollectionRunRow,
  findRun,
  type ItemOutcome,
  listRuns,
  type RunCounts,
  type RunProblem,
  runCounts,
  runProblems,
} from '../../store/collection-runs.ts';
import { builder, type Context } from '../builder.ts';
import { perRequest } from '../per-request.ts';
import { badUserInput } from './errors.ts';

const CollectionRunStatusEnum = builder.enumType('CollectionRunStatus', {
  description: 'Where a collection run is.',
  values: {
    RUNNING: { description: 'Workers are taking its links.' },
    STOPPING: { description: 'Asked to stop: no new link is taken; those in flight finish.' },
    DONE: { description: 'Every link it found was handled.' },
    STOPPED: { description: 'Stopped before every link was handled; a new run of the same seeds resumes.' },
  } as const,
});

const CollectionOutcomeEnum = builder.enumType('CollectionOutcome', {
  description: 'What became of a listing page, a report link or an attachment.',
  values: {
    IMPORTED: { description: 'Stored as a new report or revision by this run.' },
    UNCHANGED: {
      description: 'Already stored: skipped, answered 304, or the same bytes as a stored revision.',
    },
    REFUSED: { description: 'Fetched, but no report could be read from it; the reason says why.' },
    FAILED: { description: 'Could not be fetched (HTTP error, timeout, too large) or its worker gave up.' },
    DISALLOWED: { description: 'robots.txt does not allow fetching it.' },
    READ: { description: 'A listing page that was read.' },
  } as const,
});

const CollectionItemKindEnum = builder.enumType('CollectionItemKind', {
  description: 'What a run item is.',
  values: {
    SEED: { description: 'A seed: the job that reads a column’s listing.' },
    PAGE: { description: 'A listing page of a column.' },
    REPORT: { description: 'A link titled as a report, with its attachments.' },
  } as const,
});

const CollectionCountsRef = builder.objectRef<RunCounts>('CollectionCounts').implement({
  description: 'How far a run is, counted from its items.',
  fields: (t) => ({
    pages: t.exposeInt('pages', { description: 'Listing pages read.' }),
    found: t.exposeInt('found', { description: 'Links titled as reports, each counted once.' }),
    done: t.exposeInt('done', { description: 'Report links handled, whatever the outcome.' }),
    inFlight: t.exposeInt('inFlight', { description: 'Report links a worker is on now.' }),
    imported: t.exposeInt('imported', { description: 'Report links stored as a new report or revision.' }),
    unchanged: t.exposeInt('unchanged', { description: 'Report links already stored.' }),
    refused: t.exposeInt('refused', { description: 'Report links fetched with no readable report.' }),
    failed: t.exposeInt('failed', { description: 'Pages and report links that could not be fetched.' }),
    disallowed: t.exposeInt('disallowed', { description: 'Links robots.txt does not allow.' }),
  }),
});

const CollectionProblemRef = builder.objectRef<RunProblem>('CollectionProblem').implement({
  description: 'A page or link a run could not use, with the reason: what to look at.',
  fields: (t) => ({
    kind: t.expose('kind', {
      type: CollectionItemKindEnum,
      description: 'A listing page or a report link.',
    }),
    url: t.exposeString('url', { description: 'The address as found on the listing page.' }),
    outcome: t.expose('outcome', {
      type: CollectionOutcomeEnum,
      description: 'FAILED, REFUSED or DISALLOWED.',
    }),
    reason: t.exposeString('reason', {
      description: 'Why, e.g. "HTTP 404 Not Found" or "no complete answer within 20000 ms".',
    }),
  }),
});

/**
 * A run's counts, read once per request: `counts` and `reportsPerSecond` then come from the same
 * reading of a live run, and the two fields cost one statement, not two.
 */
const countsOfRequest = perRequest(() => new Map<number, Promise<RunCounts>>());
function countsOnce(context: Context, runId: number): Promise<RunCounts> {
  const byRun = countsOfRequest(context);
  let counts = byRun.get(runId);
  if (!counts) {
    counts = runCounts(context.db, runId);
    byRun.set(runId, counts);
  }
  return counts;
}

const CollectionRunRef = builder.objectRef<CollectionRunRow>('CollectionRun').implement({
  description:
    'One `collect` run: the seeds it started from and how far the workers got. Never served from the response cache, so polling it shows live progress.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'The run number `collect --follow` takes.' }),
    status: t.expose('status', {
      type: CollectionRunStatusEnum,
      description: 'RUNNING until every link is handled (DONE) or it stops (STOPPED).',
    }),
    seeds: t.exposeStringList('seeds', { description: 'The column index pages it started from.' }),
    startedBy: t.exposeString('startedBy', { description: 'Who started it (user@host for the CLI).' }),
    startedAt: t.expose('startedAt', {
      type: 'DateTime',
      description: 'When it was started.',
    }),
    finishedAt: t.expose('finishedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the last link was handled or the run stopped; null while it runs.',
    }),
    maxReports: t.exposeInt('maxReports', {
      nullable: true,
      description: 'The report-link limit it was started with, if any.',
    }),
    counts: t.field({
      type: CollectionCountsRef,
      description: 'Its pages and links so far, by what became of them.',
      resolve: (run, _args, context) => countsOnce(context, run.id),
    }),
    reportsPerSecond: t.float({
      description: 'Report links handled per second since the start (until the finish, once finished).',
      resolve: async (run, _args, context) => {
        const { done } = await countsOnce(context, run.id);
        const end = run.finishedAt ?? new Date();
        const seconds = (end.getTime() - run.startedAt.getTime()) / 1000;
        return seconds > 0 ? Math.round((done / seconds) * 100) / 100 : 0;
      },
    }),
    problems: t.field({
      type: [CollectionProblemRef],
      description: 'Every failed, refused or disallowed page and link, in URL order.',
      args: {
        outcomes: t.arg({
          type: [CollectionOutcomeEnum],
          required: false,
          description:
            'Only these of FAILED, REFUSED and DISALLOWED (default all three; an empty list is refused).',
        }),
        limit: t.arg.int({
          required: false,
          defaultValue: 100,
          description: 'At most this many (default 100, at most 10000).',
        }),
      },
      resolve: async (run, { outcomes, limit }, { db }) => {
        const empty = emptyList(outcomes, 'outcomes', 'all three');
        if (empty) throw badUserInput(empty.message, empty.argument);
        const wanted = new Set<ItemOutcome>(outcomes ?? ['FAILED', 'REFUSED', 'DISALLOWED']);
        const problems = await runProblems(db, run.id, Math.min(Math.max(limit ?? 100, 0), 10_000));
        return problems.filter((p) => wanted.has(p.outcome));
      },
    }),
  }),
});

builder.queryFields((t) => ({
  collectionRuns: t.field({
    type: [CollectionRunRef],
    description: 'The latest collection runs, newest first.',
    authScopes: { publicRead: true },
    args: {
      limit: t.arg.int({
        required: false,
        defaultValue: 20,
        description: 'At most this many (default 20); more than 200 gives 200.',
      }),
    },
    resolve: (_root, { limit }, { db }) => listRuns(db, Math.min(Math.max(limit ?? 20, 0), 200)),
  }),
  collectionRun: t.field({
    type: CollectionRunRef,
    nullable: true,
    description: 'One collection run by its number; null when there is none.',
    authScopes: { publicRead: true },
    args: { id: t.arg.int({ required: true, description: 'The run number.' }) },
    resolve: (_root, { id }, { db }) => findRun(db, id),
  }),
}));
