import { request } from 'node:http';
import { afterAll, expect, it } from 'vitest';
import { type App, createApp } from '../../src/server/app.ts';
import { startHttpServer } from '../../src/server/http.ts';
import { createLogger } from '../../src/server/observability.ts';
import { databaseUrl, testDb } from '../support/db.ts';
import { testConfig } from '../support/graphql.ts';

const db = testDb();
afterAll(() => db.$disconnect());
const app = createApp({ db, config: testConfig() });

it('serves GraphiQL from this server only, so it works without internet access', async () => {
  const response = await app.fetch('http://yoga/graphql', { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  const html = await response.text();
  expect(html).toContain('<title>政府信息公开年度报告 GraphQL</title>');
  expect(html).toContain('report(agencyName: \\"中卫市科学技术局\\", year: 2020)');
  expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
});

it('answers /health while the process is alive', async () => {
  expect((await app.fetch('http://yoga/health')).status).toBe(200);
});

it('answers /ready with the database and migration state', async () => {
  const response = await app.fetch('http://yoga/ready');
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ ready: true, database: 'ok', pendingMigrations: [] });
});

it('is not ready when the database is unreachable', async () => {
  const { createDb } = await import('../../src/store/db.ts');
  const unreachable = createDb('postgresql://postgres@127.0.0.1:1/none', { poolSize: 1 });
  const response = await createApp({ db: unreachable, config: testConfig() }).fetch('http://yoga/ready');
  expect(response.status).toBe(503);
  expect(await response.json()).toEqual({ ready: false, database: 'unreachable', pendingMigrations: [] });
  await unreachable.$disconnect();
});

it('is not ready, within its time, when the database does not answer (held by a lock, as a frozen server)', async () => {
  const { checkReadiness } = await import('../../src/server/readiness.ts');
  const pgModule = await import('pg');
  const holder = new pgModule.default.Client({ connectionString: databaseUrl() });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE _prisma_migrations IN ACCESS EXCLUSIVE MODE');
    const started = performance.now();
    expect(await checkReadiness(db, null, 300)).toEqual({
      ready: false,
      database: 'unanswered',
      pendingMigrations: [],
    });
    expect(performance.now() - started).toBeLessThan(3_000);
  } finally {
    await holder.query('ROLLBACK');
    await holder.end();
  }
});

it('on close, waits for a handler whose client has hung up (its query still uses the pool)', async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started!: () => void;
  const handlerStarted = new Promise<void>((resolve) => {
    started = resolve;
  });
  // Stands in for yoga: the handler runs until released, then answers.
  const slow = {
    handle: async (_req: unknown, res: import('node:http').ServerResponse) => {
      started();
      await released;
      res.end('done');
    },
    live: { endSubscriptions: () => {} },
  } as unknown as App;
  const running = await startHttpServer(slow, {
    port: 0,
    host: '127.0.0.1',
    maxBodyBytes: 1000,
    logger: createLogger({ logLevel: 'silent' }),
  });
  const client = request({ host: '127.0.0.1', port: running.port, path: '/graphql' });
  client.on('error', () => {});
  client.end();
  await handlerStarted;
  client.destroy();
  let closed = false;
  const closing = running.close().then(() => {
    closed = true;
  });
  // The socket is gone; the handler is not: close must not resolve yet.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(closed).toBe(false);
  release();
  await closing;
  expect(closed).toBe(true);
});

it('says why it refuses a request Node rejects before any handler: headers past 16 KB, malformed HTTP', async () => {
  const running = await startHttpServer(app, {
    port: 0,
    host: '127.0.0.1',
    maxBodyBytes: 1024,
    logger: createLogger({ logLevel: 'silent' }),
  });
  try {
    // A name search of 2,000 Chinese characters by GET: 18 KB of URL.
    const search = encodeURIComponent(
      `{ agencies(filter: { nameContains: "${'卫'.repeat(2000)}" }) { __typename } }`,
    );
    const response = await fetch(`http://127.0.0.1:${running.port}/graphql?query=${search}`);
    expect(response.status).toBe(431);
    expect(await response.json()).toEqual({
      errors: [
        {
          message:
            'The request line and headers are over 16 KB (a long GET query string?); send the query by POST with a JSON body.',
          extensions: { code: 'HEADERS_TOO_LARGE' },
        },
      ],
    });
    const raw = await new Promise<string>((resolve, reject) => {
      import('node:net').then(({ connect }) => {
        const socket = connect(running.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
        let text = '';
        socket.on('data', (chunk) => (text += chunk));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(raw).toContain('"message":"The request is not well-formed HTTP."');
  } finally {
    await running.close();
  }
});
