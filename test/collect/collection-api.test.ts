import { describe, expect, it } from 'vitest';
import { collect, DEFAULT_FETCH_SETTINGS, DEFAULT_RUN_SETTINGS } from '../../src/collect/index.ts';
import { addItems, createRun, finishItem } from '../../src/store/collection-runs.ts';
import { createDb, type Db } from '../../src/store/db.ts';
import { databaseUrl } from '../support/db.ts';
import type { FixtureSite } from '../support/fixture-site.ts';
import { graphqlClient, testConfig } from '../support/graphql.ts';
import { freshSiteEachTest } from './site-suite.ts';

const SETTINGS = {
  ...DEFAULT_RUN_SETTINGS,
  fetch: { ...DEFAULT_FETCH_SETTINGS, delayMs: 0, timeoutMs: 3_000, retries: 2, backoffMs: 0 },
};

const RUN_QUERY = /* GraphQL */ `
  query Run($id: Int!) {
    collectionRun(id: $id) {
      id
      status
      seeds
      finishedAt
      counts { pages found done inFlight imported unchanged refused failed disallowed }
      reportsPerSecond
      problems { kind url outcome reason }
    }
  }
`;

describe('collection runs in the API', () => {
  let db: Db;
  let site: FixtureSite;
  freshSiteEachTest({ slowMs: 8000 }, (d, s) => {
    db = d;
    site = s;
  });
  /** A run of the fixture site, as `collect` starts one, with nothing found yet. */
  const newRun = () =>
    createRun(db, { seeds: [site.seed], settings: SETTINGS, maxReports: null, startedBy: 'test' });

  it('lists runs with their counts and every failure, and shows progress live even with the response cache on', async () => {
    // The cache on, as in production: run progress must still never come from it.
    const gql = graphqlClient(db, [], testConfig({ RESPONSE_CACHE: 'on' }));
    const seen: { status: string; done: number }[] = [];
    let runId = 0;
    const summary = await collect(db, databaseUrl(), {
      start: { seeds: [site.seed], settings: SETTINGS, startedBy: 'test' },
      concurrency: 4,
      worker: { actor: 'test', pollingSeconds: 0.5 },
      onStarted: (run) => {
        runId = run.id;
      },
      onProgress: async () => {
        const { data } = await gql<{ collectionRun: { status: string; counts: { done: number } } }>(
          RUN_QUERY,
          {
            id: runId,
          },
        );
        if (data?.collectionRun)
          seen.push({ status: data.collectionRun.status, done: data.collectionRun.counts.done });
      },
    });
    expect(summary.run.status).toBe('DONE');

    const { data, errors } = await gql(RUN_QUERY, { id: runId });
    expect(errors).toBeUndefined();
    const run = data?.collectionRun;
    expect(run).toMatchObject({
      id: runId,
      status: 'DONE',
      seeds: [site.seed],
      counts: {
        pages: 3,
        found: 11,
        done: 11,
        inFlight: 0,
        imported: 7,
        refused: 1,
        failed: 2,
        disallowed: 1,
      },
    });
    expect(run.finishedAt).toEqual(expect.any(String));
    expect(run.reportsPerSecond).toBeGreaterThan(0);
    expect(run.problems).toEqual(
      expect.arrayContaining([
        {
          kind: 'REPORT',
          url: `${site.url}/xxgk/ndbg/202101/missing.html`,
          outcome: 'FAILED',
          reason: 'HTTP 404 Not Found',
        },
        expect.objectContaining({ url: `${site.url}/xxgk/private/2021.html`, outcome: 'DISALLOWED' }),
        expect.objectContaining({ url: `${site.url}/xxgk/ndbg/202401/t20240112_3.html`, outcome: 'REFUSED' }),
      ]),
    );
    // Progress read while it ran went up (never a cached, stale count), and ended DONE.
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]?.done).toBeGreaterThanOrEqual(seen[i - 1]?.done ?? 0);
    expect(new Set(seen.map((s) => s.done)).size).toBeGreaterThan(1);

    const list = await gql(`{ collectionRuns(limit: 5) { id status counts { imported } } }`);
    expect(list.data?.collectionRuns).toEqual([{ id: runId, status: 'DONE', counts: { imported: 7 } }]);
    const none = await gql(RUN_QUERY, { id: runId + 1 });
    expect(none.data?.collectionRun).toBeNull();
  });

  it('answers a run from the database every time: no import happens between two polls, yet the counts move', async () => {
    const gql = graphqlClient(db, [], testConfig({ RESPONSE_CACHE: 'on' }));
    const run = await newRun();
    const ask = async () =>
      (await gql<{ collectionRun: { counts: { found: number; failed: number } } }>(RUN_QUERY, { id: run.id }))
        .data?.collectionRun.counts;
    expect(await ask()).toMatchObject({ found: 0, failed: 0 });
    await addItems(db, run.id, 'REPORT', [{ url: `${site.url}/a.html` }, { url: `${site.url}/b.html` }]);
    expect(await ask()).toMatchObject({ found: 2, failed: 0 });
    await finishItem(db, run.id, 'REPORT', `${site.url}/a.html`, { outcome: 'FAILED', reason: 'HTTP 500' });
    expect(await ask()).toMatchObject({ found: 2, failed: 1 });
  });

  it("reads a run's counts once for counts and reportsPerSecond, so the two agree on a live run", async () => {
    const statements: string[] = [];
    const watched = createDb(databaseUrl(), { poolSize: 2, onQuery: (sql) => statements.push(sql) });
    try {
      const gql = graphqlClient(watched, [], testConfig({ RESPONSE_CACHE: 'on' }));
      const run = await newRun();
      await addItems(db, run.id, 'REPORT', [{ url: `${site.url}/a.html` }, { url: `${site.url}/b.html` }]);
      await finishItem(db, run.id, 'REPORT', `${site.url}/a.html`, { outcome: 'FAILED', reason: 'HTTP 500' });
      statements.length = 0;
      const { data } = await gql<{ collectionRun: { counts: { done: number }; reportsPerSecond: number } }>(
        RUN_QUERY,
        { id: run.id },
      );
      expect(data?.collectionRun.counts.done).toBe(1);
      expect(data?.collectionRun.reportsPerSecond).toBeGreaterThan(0);
      expect(statements.filter((sql) => sql.includes("kind = 'PAGE' AND outcome = 'READ'"))).toHaveLength(1);
      // Each request reads them afresh.
      await gql(RUN_QUERY, { id: run.id });
      expect(statements.filter((sql) => sql.includes("kind = 'PAGE' AND outcome = 'READ'"))).toHaveLength(2);
    } finally {
      await watched.$disconnect();
    }
  });
});
