/**
 * A PostgreSQL that stops answering without closing its connections (a stopped or frozen
 * process, a network that drops packets). statement_timeout is the server's own clock, so only
 * the client can end the wait: requests used to hang until the server came back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import { createApp } from '../../src/server/app.ts';
import { ANSWER_GRACE_MS, answerTimeoutOf, closeDb, createDb, type Db } from '../../src/store/db.ts';
import { createToken } from '../../src/store/tokens.ts';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { type FreezingProxy, startFreezingProxy } from '../support/freezing-proxy.ts';
import { testConfig } from '../support/graphql.ts';

const STATEMENT_TIMEOUT_MS = 500;
const COUNT = '{ agencies(first: 1) { ... on QueryAgenciesConnection { totalCount } } }';

describe('when PostgreSQL stops answering', () => {
  let proxy: FreezingProxy;
  let db: Db;
  /** The database itself, not through the relay: to look while the relay is frozen. */
  const direct = testDb();
  let watching: ((sql: string) => void) | null = null;
  const logged: unknown[] = [];
  let app: ReturnType<typeof createApp>;
  const config = testConfig({ STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) });
  const post = (query: string) =>
    app.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });

  beforeAll(async () => {
    proxy = await startFreezingProxy(databaseUrl());
    db = createDb(proxy.url, {
      poolSize: 2,
      statementTimeoutMs: STATEMENT_TIMEOUT_MS,
      onQuery: (sql) => watching?.(sql),
    });
    app = createApp({ db, config, logError: (error) => logged.push(error) });
  });
  afterAll(async () => {
    proxy.thaw();
    await closeDb(db);
    await direct.$disconnect();
    await proxy.close();
  });

  it('waits for an answer the statement timeout and a grace longer, and no more', () => {
    expect(answerTimeoutOf({ statementTimeoutMs: 15_000 })).toBe(15_000 + ANSWER_GRACE_MS);
    expect(answerTimeoutOf({})).toBe(0);
    expect(answerTimeoutOf({ statementTimeoutMs: 15_000, answerTimeoutMs: 0 })).toBe(0);
    // Node fires a longer timer at once.
    expect(answerTimeoutOf({ statementTimeoutMs: 2 ** 31 - 1 })).toBe(2 ** 31 - 1);
  });

  it('answers DATABASE_UNANSWERED after the answer timeout, for every request waiting, then recovers', async () => {
    const warm = (await (await post(COUNT)).json()) as { data?: unknown; errors?: unknown };
    expect(warm.errors).toBeUndefined();

    proxy.freeze();
    const started = performance.now();
    // More requests than the pool has connections: the third waits for one, and is bounded too.
    const answers = await Promise.all([post(COUNT), post(COUNT), post(COUNT)]);
    const elapsed = performance.now() - started;
    const expectedMs = STATEMENT_TIMEOUT_MS + ANSWER_GRACE_MS;
    expect(elapsed).toBeGreaterThanOrEqual(expectedMs - 100);
    expect(elapsed).toBeLessThan(3 * expectedMs);
    const bodies = (await Promise.all(answers.map((response) => response.json()))) as {
      data: unknown;
      errors: { message: string; extensions: { code: string } }[];
    }[];
    for (const body of bodies) expect(body.data).toBeNull();
    // A request on a connection of the pool had its statement sent: whether it ran is unknown.
    const unanswered = bodies.filter((body) => body.errors[0]?.extensions.code === 'DATABASE_UNANSWERED');
    expect(unanswered.length).toBeGreaterThan(0);
    expect(unanswered[0]?.errors[0]?.message).toMatch(
      new RegExp(`did not answer within ${expectedMs} ms.*A write may or may not have been stored`),
    );
    // One that had to open a connection never sent its statement: unavailable, nothing written.
    const codes = new Set(bodies.map((body) => body.errors[0]?.extensions.code));
    expect([...codes].filter((code) => code !== 'DATABASE_UNANSWERED')).toEqual(
      codes.size > 1 ? ['DATABASE_UNAVAILABLE'] : [],
    );
    for (const body of bodies.filter((b) => b.errors[0]?.extensions.code === 'DATABASE_UNAVAILABLE')) {
      expect(body.errors[0]?.message).toMatch(
        new RegExp(`^No database connection could be had within ${expectedMs} ms`),
      );
    }
    expect(logged.length).toBeGreaterThan(0);

    // /csv says so with 503, worth a retry.
    const csv = await app.fetch(
      `http://yoga/csv?query=${encodeURIComponent('{ agencies(first: 5) { ... on QueryAgenciesConnection { edges { node { name } } } } }')}`,
    );
    expect(csv.status).toBe(503);

    proxy.thaw();
    // The connections that gave up are not handed out again behind their unanswered statement.
    const after = (await (await post(COUNT)).json()) as { data?: unknown; errors?: unknown };
    expect(after.errors).toBeUndefined();
    expect(after.data).toMatchObject({ agencies: { totalCount: expect.any(Number) } });
  }, 60_000);

  it('a write cut off mid-transaction is not kept, and leaves no session in its transaction', async () => {
    await resetDatabase(direct);
    const { token } = await createToken(direct, 'admin', ['admin']);
    const text = fixtureText(REAL_V2019);
    expect((await importReport(direct, { bytes: Buffer.from(text), fileName: 'a.txt' })).ok).toBe(true);
    expect((await importReport(direct, { bytes: Buffer.from(`${text}\n`), fileName: 'b.txt' })).ok).toBe(
      true,
    );
    const current = () =>
      direct.report.findFirstOrThrow({ select: { currentRevision: { select: { number: true } } } });
    expect((await current()).currentRevision?.number).toBe(2);
    // Frozen once the switch's transaction has locked the report: its next statement is not answered.
    let began = false;
    watching = (sql) => {
      if (began || !/FROM report WHERE agency_id = .* FOR UPDATE/s.test(sql)) return;
      began = true;
      proxy.freeze();
    };
    const started = performance.now();
    const response = await app.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query:
          'mutation { useRevision(agencyName: "中卫市科学技术局", year: 2020, number: 1) { __typename } }',
      }),
    });
    watching = null;
    const body = (await response.json()) as { errors?: { extensions: { code: string } }[] };
    expect(began).toBe(true);
    expect(body.errors?.[0]?.extensions.code).toBe('DATABASE_UNANSWERED');
    // Its ROLLBACK did not wait behind the cut statement for a second timeout.
    expect(performance.now() - started).toBeLessThan(2 * (STATEMENT_TIMEOUT_MS + ANSWER_GRACE_MS));
    proxy.thaw();
    // Once the server answers again, no session sits in the cut transaction (its connection is
    // closed, so the server rolls it back), and the next request does not run inside it.
    await expect
      .poll(
        async () =>
          (
            await direct.$queryRaw<{ n: number }[]>`
            SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND state LIKE 'idle in transaction%'`
          )[0]?.n,
        { timeout: 15_000 },
      )
      .toBe(0);
    for (let i = 0; i < 3; i++)
      expect(((await (await post(COUNT)).json()) as { errors?: unknown }).errors).toBeUndefined();
    expect((await current()).currentRevision?.number).toBe(2);
  }, 60_000);
});
