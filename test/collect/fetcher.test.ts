import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  type ClientRequest,
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FETCH_SETTINGS, Fetcher, retryAfterMs } from '../../src/collect/fetcher.ts';
import { Robots } from '../../src/collect/robots.ts';
import { holdHost, reserveHostSlot } from '../../src/store/collect-hosts.ts';
import type { Db } from '../../src/store/db.ts';
import { resetDatabase, testDb } from '../support/db.ts';

/** A server that answers each path with the given (status, headers, body) in turn and records when. */
async function serve(
  script: Record<string, { status: number; headers?: Record<string, string>; body?: string }[]>,
): Promise<{ origin: string; times: Map<string, number[]>; server: Server }> {
  const times = new Map<string, number[]>();
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    times.set(path, [...(times.get(path) ?? []), Date.now()]);
    const answers = script[path] ?? [{ status: 404 }];
    const answer = answers.length > 1 ? (answers.shift() as (typeof answers)[number]) : answers[0];
    response.writeHead(answer?.status ?? 404, answer?.headers ?? {}).end(answer?.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, times, server };
}

// The test servers listen on 127.0.0.1, which only an opt-in (or a seed there) lets a fetcher reach.
const settings = {
  ...DEFAULT_FETCH_SETTINGS,
  delayMs: 0,
  backoffMs: 10,
  retries: 2,
  timeoutMs: 5_000,
  allowPrivateAddresses: true,
};

/** The database's host schedule, as the workers of a run share it. */
const sharedSchedule = (db: Db) => ({
  reserve: (host: string, delayMs: number) => reserveHostSlot(db, host, delayMs),
  hold: (host: string, ms: number) => holdHost(db, host, ms),
});

/** A server whose every answer `handler` writes, as a hostile or broken site would. */
async function serveWith(handler: (request: IncomingMessage, response: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('hostile sites', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
    server = undefined;
  });

  it('a gzip answer is capped by what it inflates to, not by its length on the wire', async () => {
    // 100 MB of zeros in about 100 kB, sent with Content-Encoding: gzip and its (small) length.
    const bomb = gzipSync(Buffer.alloc(100 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(200_000);
    const site = await serveWith((_, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip', 'content-length': bomb.length }).end(bomb);
    });
    server = site.server;
    const before = process.memoryUsage().rss;
    const result = await new Fetcher({ ...settings, maxBytes: 1_000_000 }).fetch(`${site.origin}/report.pdf`);
    expect(result).toMatchObject({
      kind: 'failed',
      reason: 'larger than 1,000,000 bytes (--max-bytes); a report is far smaller',
    });
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('a body that trickles in after its headers is cut at the timeout', async () => {
    const site = await serveWith((_, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      const drip = setInterval(() => response.write('<'), 50);
      response.on('close', () => clearInterval(drip));
    });
    server = site.server;
    const started = Date.now();
    const result = await new Fetcher({ ...settings, timeoutMs: 800, retries: 0 }).fetch(
      `${site.origin}/slow.html`,
    );
    expect(result).toMatchObject({ kind: 'failed', reason: 'no complete answer within 800 ms' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a redirect loop stops after maxRedirects hops, naming it', async () => {
    let hops = 0;
    const site = await serveWith((request, response) => {
      hops++;
      response.writeHead(302, { location: request.url === '/a' ? '/b' : '/a' }).end();
    });
    server = site.server;
    const result = await new Fetcher({ ...settings, maxRedirects: 5 }).fetch(`${site.origin}/a`);
    expect(result).toMatchObject({ kind: 'failed', reason: 'more than 5 redirects' });
    expect(hops).toBe(6);
  });

  it('a redirect to no address, or a body not in its Content-Encoding, is the site’s mistake: said once, not retried as a failed connection', async () => {
    let requests = 0;
    const site = await serveWith((request, response) => {
      requests++;
      if (request.url === '/badloc.html') response.writeHead(302, { location: 'http://[broken' }).end();
      else response.writeHead(200, { 'content-encoding': 'gzip' }).end('plain text, not gzip');
    });
    server = site.server;
    const fetcher = new Fetcher({ ...settings, retries: 2 });
    expect(await fetcher.fetch(`${site.origin}/badloc.html`)).toMatchObject({
      kind: 'failed',
      reason: 'HTTP 302 redirects to "http://[broken", which is not an address',
    });
    expect(await fetcher.fetch(`${site.origin}/plain.html`)).toMatchObject({
      kind: 'failed',
      reason:
        'the body does not decode as its Content-Encoding says (Z_DATA_ERROR): the server labels it wrongly',
    });
    expect(requests).toBe(2);
  });
});

describe('polite fetching', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });

  it('waits as long as a 503 Retry-After asks before trying again, then succeeds', async () => {
    const site = await serve({
      '/r.html': [
        { status: 503, headers: { 'retry-after': '1' } },
        { status: 200, body: 'ok' },
      ],
    });
    server = site.server;
    const result = await new Fetcher(settings).fetch(`${site.origin}/r.html`);
    expect(result.kind).toBe('body');
    const [first, second] = site.times.get('/r.html') ?? [];
    // Our own backoff is 10 ms; the server asked for a second.
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("holds a 503's Retry-After for a request already waiting for its turn to the host", async () => {
    const site = await serve({
      '/busy': [
        { status: 503, headers: { 'retry-after': '1' } },
        { status: 200, body: 'ok' },
      ],
      '/queued': [{ status: 200, body: 'q' }],
    });
    server = site.server;
    // /queued waits 100 ms for its turn behind /busy, whose 503 comes before that.
    const fetcher = new Fetcher({ ...settings, delayMs: 100, perHost: 2 });
    const results = await Promise.all(['/busy', '/queued'].map((p) => fetcher.fetch(`${site.origin}${p}`)));
    expect(results.map((r) => r.kind)).toEqual(['body', 'body']);
    const at = (path: string) => site.times.get(path)?.[0] ?? 0;
    expect(at('/queued') - at('/busy')).toBeGreaterThanOrEqual(900);
  });

  it('retries 429 Too Many Requests but no other 4xx, and gives up on a Retry-After past two minutes', async () => {
    const site = await serve({
      '/busy': [
        { status: 429, headers: { 'retry-after': '0' } },
        { status: 200, body: 'ok' },
      ],
      '/gone': [{ status: 410 }],
      '/later': [{ status: 503, headers: { 'retry-after': '86400' } }],
    });
    server = site.server;
    const fetcher = new Fetcher(settings);
    expect((await fetcher.fetch(`${site.origin}/busy`)).kind).toBe('body');
    const gone = await fetcher.fetch(`${site.origin}/gone`);
    expect(gone).toMatchObject({ kind: 'failed', reason: 'HTTP 410 Gone' });
    expect(site.times.get('/gone')).toHaveLength(1);
    const later = await fetcher.fetch(`${site.origin}/later`);
    expect(later).toMatchObject({ kind: 'failed' });
    expect((later as { reason: string }).reason).toContain('asked to retry after 86400 s');
    expect(site.times.get('/later')).toHaveLength(1);
  });

  it("spaces requests to a host by robots.txt's Crawl-delay when it is longer than ours", async () => {
    const site = await serve({
      '/robots.txt': [{ status: 200, body: 'User-agent: *\nCrawl-delay: 1\n' }],
      '/a': [{ status: 200, body: 'a' }],
      '/b': [{ status: 200, body: 'b' }],
    });
    server = site.server;
    const fetcher = new Fetcher(settings);
    const robots = new Robots(fetcher);
    // When each request started, as the fetcher sends it: the server's clock adds how late each
    // arrived, which on a busy machine made a 1 s spacing measure 925 ms.
    const started = new Map<string, number>();
    const onRequest = (message: unknown) => {
      started.set((message as { request: ClientRequest }).request.path, performance.now());
    };
    subscribe('http.client.request.start', onRequest);
    try {
      expect(await robots.refusal(`${site.origin}/a`)).toBeNull();
      await fetcher.fetch(`${site.origin}/a`);
      await fetcher.fetch(`${site.origin}/b`);
    } finally {
      unsubscribe('http.client.request.start', onRequest);
    }
    const at = (path: string) => started.get(path) ?? Number.NaN;
    // The fetcher spaces the starts it reserves; each is sent a timer's turn after its start,
    // which a loaded machine delays by some milliseconds.
    expect(at('/a') - at('/robots.txt')).toBeGreaterThanOrEqual(950);
    expect(at('/b') - at('/a')).toBeGreaterThanOrEqual(950);
    expect(site.times.get('/b')).toHaveLength(1);
  });

  describe('with other workers', () => {
    let db: Db;
    beforeAll(async () => {
      db = testDb();
      await resetDatabase(db);
    });
    afterAll(async () => {
      await db.$disconnect();
    });

    it("holds a 503's Retry-After for every worker's requests to the host, also one already waiting for its turn", async () => {
      const site = await serve({
        '/busy': [
          { status: 503, headers: { 'retry-after': '1' } },
          { status: 200, body: 'ok' },
        ],
        '/queued': [{ status: 200, body: 'q' }],
        '/other': [{ status: 200, body: 'o' }],
      });
      server = site.server;
      const shared = sharedSchedule(db);
      // /queued waits 100 ms for its turn behind /busy, whose 503 comes before that.
      const polite = { ...settings, delayMs: 100, perHost: 2 };
      const first = new Fetcher(polite, undefined, shared);
      const second = new Fetcher(settings, undefined, shared);
      const busy = first.fetch(`${site.origin}/busy`);
      const queued = first.fetch(`${site.origin}/queued`);
      // Another worker (as on another machine) asks the host once the 503 has come.
      while (!site.times.has('/busy')) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 50));
      const other = second.fetch(`${site.origin}/other`);
      expect((await Promise.all([busy, queued, other])).map((r) => r.kind)).toEqual(['body', 'body', 'body']);
      const refused = site.times.get('/busy')?.[0] ?? 0;
      for (const path of ['/queued', '/other'])
        expect((site.times.get(path)?.[0] ?? 0) - refused, path).toBeGreaterThanOrEqual(900);
    });

    it('a request that waited out a Retry-After takes its turn again after it, not together with the retry', async () => {
      const site = await serve({
        '/other': [{ status: 200, body: 'o' }],
        '/busy': [
          { status: 503, headers: { 'retry-after': '2' } },
          { status: 200, body: 'ok' },
        ],
        '/queued': [{ status: 200, body: 'q' }],
      });
      server = site.server;
      const shared = sharedSchedule(db);
      // Another worker, slower to this host, puts its next start a second ahead: /busy waits for
      // it, and /queued reserves the start after /busy's well before /busy's 503 comes, so the
      // Retry-After reaches /queued while it waits for that reserved start.
      await new Fetcher({ ...settings, delayMs: 1000 }, undefined, shared).fetch(`${site.origin}/other`);
      const fetcher = new Fetcher({ ...settings, delayMs: 400, perHost: 2 }, undefined, shared);
      const results = await Promise.all(['/busy', '/queued'].map((p) => fetcher.fetch(`${site.origin}${p}`)));
      expect(results.map((r) => r.kind)).toEqual(['body', 'body']);
      const retried = site.times.get('/busy')?.[1] ?? 0;
      const queued = site.times.get('/queued')?.[0] ?? 0;
      // Both waited for the hold to end; they then go the delay apart, less a round trip to the
      // database (see below), instead of together.
      expect(Math.abs(retried - queued)).toBeGreaterThanOrEqual(250);
    });

    it('keeps the per-host delay between the requests of all workers, not only its own', async () => {
      const paths = ['/1', '/2', '/3', '/4', '/5', '/6'];
      const site = await serve(Object.fromEntries(paths.map((p) => [p, [{ status: 200, body: p }]])));
      server = site.server;
      // Two workers (as on two machines): each has its own gate, both share the database's schedule.
      const polite = { ...settings, delayMs: 400, perHost: 3 };
      const shared = sharedSchedule(db);
      const workers = [new Fetcher(polite, undefined, shared), new Fetcher(polite, undefined, shared)];
      await Promise.all(paths.map((p, i) => workers[i % 2]?.fetch(`${site.origin}${p}`)));
      const starts = paths.map((p) => site.times.get(p)?.[0] ?? 0).sort((a, b) => a - b);
      const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
      // A start is reserved at the database's clock and the request leaves when the reservation's
      // answer arrives, so a gap can fall short of the delay by one round trip to the database;
      // without the shared schedule the two workers' requests start together (gaps near 0).
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(250);
      expect((starts.at(-1) ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(5 * 400 - 150);
    });
  });
});
