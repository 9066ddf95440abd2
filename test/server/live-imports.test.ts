/**
 * Live dashboards: the importCommitted subscription (server-sent events) announces every
 * committed import with its agency, year, revision and data version, never a rejected one;
 * with REDIS_URL across instances. Subscriptions keep every protection of a read, /csv refuses
 * them, and a subscriber that leaves frees what it held.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runImport } from '../../src/cli/import.ts';
import { importReport, useRevision } from '../../src/import/index.ts';
import { createApp } from '../../src/server/app.ts';
import { dataVersion } from '../../src/server/cache.ts';
import type { ServerConfig } from '../../src/server/config.ts';
import { startHttpServer } from '../../src/server/http.ts';
import { createLiveImports } from '../../src/server/live.ts';
import { createLogger } from '../../src/server/observability.ts';
import type { Db } from '../../src/store/db.ts';
import { createToken } from '../../src/store/tokens.ts';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { startFreezingProxy } from '../support/freezing-proxy.ts';
import { IMPORT_MUTATION, testConfig } from '../support/graphql.ts';
import { subscribe, until } from '../support/sse.ts';

const db = testDb();
beforeEach(() => resetDatabase(db));
afterAll(() => db.$disconnect());

const SUBSCRIPTION =
  'subscription Live { importCommitted { agency { id name } year revisionNumber outcome dataVersion } }';
const AGENCY = '中卫市科学技术局';
const REDIS_URL = 'redis://127.0.0.1:6379';
const revised = (n: number) => fixtureText(REAL_V2019).replace('\t+2\t49', `\t+2\t${49 + n}`);

async function serve(config: ServerConfig, database: Db = db) {
  const app = createApp({ db: database, config });
  const running = await startHttpServer(app, {
    port: 0,
    host: '127.0.0.1',
    maxBodyBytes: config.maxBodyBytes,
    logger: createLogger(config),
  });
  return {
    app,
    url: `http://127.0.0.1:${running.port}`,
    running,
    close: async () => {
      await running.close();
      await app.close();
    },
  };
}

async function importThrough(url: string, text: string) {
  const { token } = await createToken(db, `loader-${Math.random()}`, ['import']);
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: IMPORT_MUTATION, variables: { input: { text } } }),
  });
  return (await response.json()).data.importReport as { __typename: string; outcome?: string };
}

const agencyId = async (url: string) => {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ report(agencyName: "${AGENCY}", year: 2020) { agency { id } } }` }),
  });
  return (await response.json()).data.report.agency.id as string;
};

/** The newest transaction that changed data, as the version saw it ("newest:running"). */
const xid = (version: string) => BigInt(version.slice(version.lastIndexOf('/') + 1).split(':')[0] ?? '');

describe('the importCommitted subscription (one instance, no Redis)', () => {
  it('announces each committed import after its commit, never a rejected one, with the data version', async () => {
    const server = await serve(testConfig());
    const live = await subscribe(server.url, SUBSCRIPTION);
    expect(live.response.status).toBe(200);
    expect(live.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // Compression skips event streams: events must reach the client as they happen.
    expect(live.response.headers.get('content-encoding')).not.toMatch(/br|gzip/);
    await until(() => server.app.live.subscribers === 1, 'the subscriber listens');

    const before = await dataVersion(db);
    expect((await importThrough(server.url, 'not a report at all')).__typename).toBe('ReportRejectedError');
    expect((await importThrough(server.url, fixtureText(REAL_V2019))).outcome).toBe('CREATED');
    const after = await dataVersion(db);

    // Events arrive in order, so the rejected import would have come first.
    const created = (await live.next()).data.importCommitted;
    expect(created).toMatchObject({
      agency: { id: await agencyId(server.url), name: AGENCY },
      year: 2020,
      revisionNumber: 1,
      outcome: 'CREATED',
    });
    // The version the response cache keys on, read after the commit.
    expect(created.dataVersion.slice(0, created.dataVersion.lastIndexOf('/'))).toBe(
      before.slice(0, before.lastIndexOf('/')),
    );
    expect(xid(created.dataVersion)).toBeGreaterThan(xid(before));
    expect(xid(created.dataVersion)).toBeLessThanOrEqual(xid(after));

    expect((await importThrough(server.url, fixtureText(REAL_V2019))).outcome).toBe('UNCHANGED');
    expect((await importThrough(server.url, revised(1))).outcome).toBe('NEW_REVISION');
    expect((await live.next()).data.importCommitted).toMatchObject({
      outcome: 'NEW_REVISION',
      revisionNumber: 2,
    });

    // Imports in the server's process that do not come through the API are announced too.
    expect((await importReport(db, { bytes: Buffer.from(revised(2)), fileName: 'r3.txt' })).ok).toBe(true);
    expect((await live.next()).data.importCommitted).toMatchObject({
      outcome: 'NEW_REVISION',
      revisionNumber: 3,
    });
    await useRevision(db, { agencyName: AGENCY, year: 2020, number: 1 });
    expect((await live.next()).data.importCommitted).toMatchObject({
      outcome: 'RESTORED',
      revisionNumber: 1,
    });

    live.close();
    await until(() => server.app.live.subscribers === 0, 'the subscription is released');
    await server.close();
  });

  it('is not served from the response cache: each import is its own event', async () => {
    const server = await serve(testConfig({ RESPONSE_CACHE: 'on' }));
    const live = await subscribe(server.url, SUBSCRIPTION, { method: 'POST' });
    await until(() => server.app.live.subscribers === 1, 'the subscriber listens');
    await importThrough(server.url, fixtureText(REAL_V2019));
    await importThrough(server.url, revised(1));
    const first = await live.next();
    const second = await live.next();
    expect([first.data.importCommitted.revisionNumber, second.data.importCommitted.revisionNumber]).toEqual([
      1, 2,
    ]);
    expect(second.data.importCommitted.dataVersion).not.toBe(first.data.importCommitted.dataVersion);
    expect(first.extensions?.responseCache).toBeUndefined();
    live.close();
    await server.close();
  });

  it('ends open subscriptions when the server stops, so shutdown is not held by them', async () => {
    const server = await serve(testConfig());
    const live = await subscribe(server.url, SUBSCRIPTION);
    await until(() => server.app.live.subscribers === 1, 'the subscriber listens');
    const stopping = Date.now();
    await server.close();
    // The ended stream's keep-alive connection is closed once idle, not waited out for the
    // server's keepAliveTimeout (5 s), which held every shutdown with a subscriber open.
    expect(Date.now() - stopping).toBeLessThan(2_500);
    await live.completed;
    expect(server.app.live.subscribers).toBe(0);
  });
});

describe('subscriptions keep the protections of a read', () => {
  it('/csv refuses a subscription, by GET and by POST', async () => {
    const server = await serve(testConfig());
    const get = await fetch(`${server.url}/csv?${new URLSearchParams({ query: SUBSCRIPTION })}`);
    expect(get.status).toBe(405);
    const post = await fetch(`${server.url}/csv`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: SUBSCRIPTION }),
    });
    expect(post.status).toBe(405);
    expect(server.app.live.subscribers).toBe(0);
    await server.close();
  });

  it('with READS_REQUIRE_TOKEN, an anonymous subscriber is refused and a read token is let in', async () => {
    const server = await serve(testConfig({ READS_REQUIRE_TOKEN: 'true' }));
    const anonymous = await subscribe(server.url, SUBSCRIPTION);
    expect((await anonymous.next()).errors?.[0]).toMatchObject({
      message: expect.stringMatching(/Reads need an API token/),
      extensions: { code: 'UNAUTHENTICATED' },
    });
    await anonymous.completed;
    expect(server.app.live.subscribers).toBe(0);

    const { token } = await createToken(db, 'dashboard', ['read']);
    const reader = await subscribe(server.url, SUBSCRIPTION, {
      headers: { authorization: `Bearer ${token}` },
    });
    await until(() => server.app.live.subscribers === 1, 'the reader listens');
    await importThrough(server.url, fixtureText(REAL_V2019));
    expect((await reader.next()).data.importCommitted.outcome).toBe('CREATED');
    reader.close();
    await server.close();
  });

  it('query limits and the rate limit apply to subscriptions', async () => {
    const limited = await serve(testConfig({ MAX_QUERY_TOKENS: '5' }));
    const tooLong = await subscribe(limited.url, SUBSCRIPTION);
    expect((await tooLong.next()).errors?.[0]?.message).toMatch(/token/i);
    await limited.close();

    const rated = await serve(testConfig({ RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '1' }));
    const first = await subscribe(rated.url, SUBSCRIPTION);
    expect(first.response.status).toBe(200);
    const second = await subscribe(rated.url, SUBSCRIPTION);
    expect(second.response.status).toBe(429);
    first.close();
    await rated.close();
  });
});

describe('subscriptions per client', () => {
  it('are capped, with a code and the variable, and a stream the client closes frees its slot', async () => {
    const server = await serve(testConfig({ MAX_SUBSCRIPTIONS_PER_CLIENT: '2' }));
    try {
      const [a, b] = [await subscribe(server.url, SUBSCRIPTION), await subscribe(server.url, SUBSCRIPTION)];
      const third = await subscribe(server.url, SUBSCRIPTION);
      expect((await third.next()).errors?.[0]).toMatchObject({
        message:
          'This client has 2 subscriptions open; the limit is 2 (MAX_SUBSCRIPTIONS_PER_CLIENT). Close one first: one stream per dashboard is enough.',
        extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
      });
      await third.completed;
      // A refused stream holds no slot, and one the client hangs up on gives its slot back.
      a.close();
      // The server hears of the hang-up a moment later; until then the slot is still taken.
      let again: {
        stream: Awaited<ReturnType<typeof subscribe>>;
        first: ReturnType<Awaited<ReturnType<typeof subscribe>>['next']>;
      } | null = null;
      for (let attempt = 0; attempt < 20 && !again; attempt++) {
        const stream = await subscribe(server.url, SUBSCRIPTION);
        const first = stream.next();
        const refused = await Promise.race([
          first.then((event) => event.errors !== undefined),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 300)),
        ]);
        if (refused) await new Promise((r) => setTimeout(r, 50));
        else again = { stream, first };
      }
      if (!again) throw new Error('the closed stream never gave its slot back');
      await importReport(db, { bytes: new TextEncoder().encode(fixtureText(REAL_V2019)), fileName: 'a.txt' });
      expect((await again.first).data?.importCommitted).toMatchObject({ year: 2020, outcome: 'CREATED' });
      expect((await b.next()).data?.importCommitted).toMatchObject({ year: 2020 });
      again.stream.close();
      b.close();
    } finally {
      await server.close();
    }
  });
});

describe.runIf(process.env.CI || process.env.REDIS_TEST)('with REDIS_URL', () => {
  const redis = new Redis(REDIS_URL);
  afterAll(() => redis.quit());
  const channelSubscribers = async () => {
    const version = await dataVersion(db);
    const channel = `gdr-imports:${version.slice(0, version.lastIndexOf('/'))}`;
    const [, count] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
    return Number(count);
  };

  it('an import on one instance reaches a subscriber of the other, and so does one by the CLI beside them', async () => {
    // Each instance has its own database handle, as separate processes do.
    const dbA = testDb();
    const dbB = testDb();
    const a = await serve(testConfig({ REDIS_URL }), dbA);
    const b = await serve(testConfig({ REDIS_URL }), dbB);
    const live = await subscribe(b.url, SUBSCRIPTION);
    await until(async () => (await channelSubscribers()) === 1, 'B subscribes in Redis');

    expect((await importThrough(a.url, fixtureText(REAL_V2019))).outcome).toBe('CREATED');
    expect((await live.next()).data.importCommitted).toMatchObject({
      agency: { name: AGENCY },
      year: 2020,
      revisionNumber: 1,
      outcome: 'CREATED',
    });

    // The CLI beside the servers (its own process and database connections) announces through Redis.
    const folder = mkdtempSync(join(tmpdir(), 'live-'));
    writeFileSync(join(folder, 'revised.txt'), revised(1));
    const saved = { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL };
    Object.assign(process.env, { DATABASE_URL: databaseUrl(), REDIS_URL });
    try {
      const io = { out: () => {}, err: () => {}, stderrIsTTY: false };
      expect(await runImport([join(folder, 'revised.txt'), '--jobs', '0'], io)).toBe(0);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      rmSync(folder, { recursive: true });
    }
    expect((await live.next()).data.importCommitted).toMatchObject({
      outcome: 'NEW_REVISION',
      revisionNumber: 2,
    });

    live.close();
    await until(() => b.app.live.subscribers === 0, 'B releases the subscription');
    await until(async () => (await channelSubscribers()) === 0, 'B unsubscribes in Redis');
    await a.close();
    await b.close();
    await Promise.all([dbA.$disconnect(), dbB.$disconnect()]);
  });

  it('an outage after a command timeout that passed is said too: a publish that gets through ends the outage', async () => {
    const relay = await startFreezingProxy(REDIS_URL);
    const errors: unknown[] = [];
    const live = createLiveImports(db, relay.url, (error) => errors.push(error));
    const announced = {
      agencyId: 1,
      agencyName: AGENCY,
      year: 2020,
      revisionNumber: 1,
      outcome: 'CREATED' as const,
    };
    try {
      await live.announce([announced]);
      expect(errors).toEqual([]);
      // Redis stalls past the command timeout (2 s) without the connection dropping: said once.
      relay.freeze();
      await live.announce([announced]);
      expect(errors).toHaveLength(1);
      // It answers again; no reconnection says so, only the publish that gets through.
      relay.thaw();
      await live.announce([announced]);
      expect(errors).toHaveLength(1);
      // Then Redis goes away: a new outage, which the log must show.
      await relay.close();
      await live.announce([announced]);
      expect(errors).toHaveLength(2);
    } finally {
      await relay.close();
      await live.close();
    }
  });
});
