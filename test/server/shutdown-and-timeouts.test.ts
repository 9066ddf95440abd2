import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { startHttpServer } from '../../src/server/http.ts';
import { createLogger } from '../../src/server/observability.ts';
import { createDb } from '../../src/store/db.ts';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { graphqlClient, IMPORT_MUTATION, TEST_IMPORT_TOKEN, testConfig } from '../support/graphql.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));

it('cancels a statement that runs longer than the statement timeout', async () => {
  const limited = createDb(databaseUrl(), { poolSize: 1, statementTimeoutMs: 100 });
  await expect(limited.$queryRaw`SELECT pg_sleep(2)`).rejects.toThrow(/statement timeout/);
  // The connection stays usable afterwards.
  expect(await limited.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  await limited.$disconnect();
});

it('answers a query stopped by the statement timeout with STATEMENT_TIMEOUT, naming the setting, not "Unexpected error."', async () => {
  const limited = createDb(databaseUrl(), { poolSize: 2, statementTimeoutMs: 200 });
  const app = createApp({ db: limited, config: testConfig({ STATEMENT_TIMEOUT_MS: '200' }) });
  // The agency table locked elsewhere: the query waits on it past the timeout, on any machine.
  const locker = new pg.Client({ connectionString: databaseUrl() });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE agency IN ACCESS EXCLUSIVE MODE');
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: '{ agencies(first: 5) { ... on QueryAgenciesConnection { totalCount } } }',
      }),
    });
    const body = (await response.json()) as {
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['STATEMENT_TIMEOUT']);
    expect(body.errors?.[0]?.message).toMatch(
      /^The query took longer than this server allows \(STATEMENT_TIMEOUT_MS, 200 ms\) and was stopped; nothing was written\./,
    );
  } finally {
    await locker.query('ROLLBACK');
    await locker.end();
    await app.close();
    await limited.$disconnect();
  }
});

it('gives every pooled connection enough work_mem for comparisons over every report', async () => {
  const pooled = createDb(databaseUrl(), { poolSize: 1 });
  expect(await pooled.$queryRaw`SELECT current_setting('work_mem') AS m`).toEqual([{ m: '32MB' }]);
  await pooled.$disconnect();
  const tuned = createDb(databaseUrl(), { poolSize: 1, workMemMb: 8 });
  expect(await tuned.$queryRaw`SELECT current_setting('work_mem') AS m`).toEqual([{ m: '8MB' }]);
  await tuned.$disconnect();
});

it('graceful shutdown finishes an import that is in flight before closing', async () => {
  await graphqlClient(db)(IMPORT_MUTATION, { input: { text: 'warm-up' } }); // creates the test token
  // Shutdown starts when the import writes its first row, so the request is in flight for
  // certain (its transaction has yet to commit), however fast or slow the machine is.
  let importWrites = () => {};
  const writing = new Promise<void>((resolve) => {
    importWrites = resolve;
  });
  const watched = createDb(databaseUrl(), {
    poolSize: 4,
    onQuery: (sql) => {
      if (/^\s*INSERT\b/i.test(sql)) importWrites();
    },
  });
  const config = testConfig();
  const running = await startHttpServer(createApp({ db: watched, config }), {
    port: 0,
    host: '127.0.0.1',
    maxBodyBytes: config.maxBodyBytes,
    logger: createLogger(config),
  });
  const inFlight = fetch(`http://127.0.0.1:${running.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_IMPORT_TOKEN}` },
    body: JSON.stringify({ query: IMPORT_MUTATION, variables: { input: { text: fixtureText(REAL_V2019) } } }),
  });
  await writing;
  const closed = running.close();
  const response = await inFlight;
  expect(response.status).toBe(200);
  expect((await response.json()).data.importReport.outcome).toBe('CREATED');
  await closed;
  await expect(fetch(`http://127.0.0.1:${running.port}/health`)).rejects.toThrow();
  expect(await db.reportRevision.count()).toBe(1);
  await watched.$disconnect();
});

it('a stop does not wait for a client still sending its request: past the grace its connection is closed', async () => {
  const config = testConfig();
  const app = createApp({ db, config });
  const running = await startHttpServer(app, {
    port: 0,
    host: '127.0.0.1',
    maxBodyBytes: config.maxBodyBytes,
    logger: createLogger({ ...config, logLevel: 'silent' }),
    shutdownGraceMs: 300,
  });
  // A slow-loris upload: its headers, then one byte of a body of 100,000.
  const socket = connect(running.port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(
    'POST /graphql HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{',
  );
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise((r) => setTimeout(r, 200));
  const started = performance.now();
  await running.close();
  await ended;
  // Within the grace and a little, not the client's pleasure (it held a stop for six minutes).
  expect(performance.now() - started).toBeLessThan(5_000);
  await app.close();
});
