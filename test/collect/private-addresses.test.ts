/**
 * A listed site (or a compromised one) must not make collect's workers, inside the operator's
 * network, send requests to private addresses: 169.254.169.254's metadata service, an intranet
 * host, this machine. Links and redirects there are refused with the reason, and nothing is
 * sent to them: not even a request for their robots.txt. The seed's own host may be private
 * (the operator named it), and --allow-private-addresses allows the rest.
 */
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkedLookup, PrivateAddressError, privateKind } from '../../src/collect/addresses.ts';
import { DEFAULT_FETCH_SETTINGS, Fetcher } from '../../src/collect/fetcher.ts';
import type { Db } from '../../src/store/db.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { runCollectIn } from './site-suite.ts';

/** A server recording every request it gets; `on` 127.0.0.2 stands for an intranet or metadata host. */
async function recordingServer(
  host: string,
  answer: (path: string) => { status: number; headers?: object; body?: string },
) {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    seen.push(path);
    const { status, headers, body } = answer(path);
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, seen, port: (server.address() as AddressInfo).port };
}

const closeAll = (servers: Server[]) =>
  Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );

const REFUSE = 'collecting from private addresses needs --allow-private-addresses';

describe('collect and private addresses', () => {
  let db: Db;
  const servers: Server[] = [];
  let metadata: Awaited<ReturnType<typeof recordingServer>>;
  let intranet: Awaited<ReturnType<typeof recordingServer>>;
  let seed: string;
  let links: { metadata: string; redirected: string; named: string; namedRedirect: string };

  beforeAll(() => {
    db = testDb();
  });
  afterAll(async () => {
    await db.$disconnect();
  });
  beforeEach(async () => {
    await resetDatabase(db);
    const secret = () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'AKIA-secret' });
    // 127.0.0.2: another host than the seed's 127.0.0.1, as 169.254.169.254 would be.
    metadata = await recordingServer('127.0.0.2', secret);
    // On 127.0.0.1 but reached by a name (localhost) and another port than the seed's.
    intranet = await recordingServer('127.0.0.1', secret);
    links = {
      metadata: `http://127.0.0.2:${metadata.port}/latest/meta-data/iam`,
      redirected: `http://127.0.0.2:${metadata.port}/admin/delete?all=1`,
      named: `http://localhost:${intranet.port}/internal/report.html`,
      namedRedirect: `http://localhost:${intranet.port}/admin/drop`,
    };
    const listing = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><ul>
      <li><a href="${links.metadata}">2022年政府信息公开工作年度报告</a></li>
      <li><a href="go.html">2021年政府信息公开工作年度报告</a></li>
      <li><a href="${links.named}">2020年政府信息公开工作年度报告</a></li>
      <li><a href="go-named.html">2019年政府信息公开工作年度报告</a></li>
    </ul></body></html>`;
    const site = await recordingServer('127.0.0.1', (path) => {
      if (path === '/robots.txt') return { status: 200, headers: { 'content-type': 'text/plain' }, body: '' };
      if (path === '/ndbg/index.html') return { status: 200, body: listing };
      if (path === '/ndbg/go.html') return { status: 302, headers: { location: links.redirected } };
      if (path === '/ndbg/go-named.html') return { status: 302, headers: { location: links.namedRedirect } };
      return { status: 404 };
    });
    servers.push(metadata.server, intranet.server, site.server);
    seed = `http://127.0.0.1:${site.port}/ndbg/index.html`;
  });
  afterEach(() => closeAll(servers));

  const FAST = ['--delay', '0', '--timeout', '3000', '--retries', '0'];

  it('refuses links and redirects to other private hosts, naming the address, and sends them nothing', async () => {
    const { code, summary } = await runCollectIn([seed, ...FAST]);
    const text = summary.join('\n');
    expect(code, text).toBe(1);
    expect(metadata.seen).toEqual([]);
    expect(intranet.seen).toEqual([]);
    expect(text).toMatch(/failed\s+4 {2}could not be fetched:/);
    expect(text).toContain(
      `    ${links.metadata}: refused: ${links.metadata} is 127.0.0.2, a loopback address; ${REFUSE}`,
    );
    expect(text).toContain(
      `${seed.replace('index.html', 'go.html')}: refused a redirect: ${links.redirected} is 127.0.0.2, a loopback address; ${REFUSE}`,
    );
    // localhost may resolve to ::1 first.
    const loopback = '(127\\.0\\.0\\.1|::1), a loopback address';
    expect(text).toMatch(
      new RegExp(`    ${links.named}: refused: ${links.named} resolves to ${loopback}; ${REFUSE}`),
    );
    expect(text).toMatch(
      new RegExp(`/go-named\\.html: refused a redirect: ${links.namedRedirect} resolves to ${loopback}`),
    );
  });

  it('--allow-private-addresses lets them through', async () => {
    await runCollectIn([seed, ...FAST, '--allow-private-addresses']);
    expect(metadata.seen.sort()).toEqual(['/admin/delete?all=1', '/latest/meta-data/iam', '/robots.txt']);
    expect(intranet.seen.sort()).toEqual(['/admin/drop', '/internal/report.html', '/robots.txt']);
  });

  it('a private address however a URL writes it, or a name that resolves to one, is refused before any connection', async () => {
    const fetcher = new Fetcher({ ...DEFAULT_FETCH_SETTINGS, delayMs: 0, retries: 0 });
    const port = metadata.port;
    for (const [url, address] of [
      [`http://2130706434:${port}/a`, '127.0.0.2'],
      [`http://0x7f000002:${port}/b`, '127.0.0.2'],
      [`http://0177.0.0.2:${port}/c`, '127.0.0.2'],
      [`http://[::ffff:127.0.0.2]:${port}/d`, '::ffff:7f00:2'],
    ] as const) {
      const result = await fetcher.fetch(url);
      expect(result, url).toMatchObject({ kind: 'failed' });
      expect((result as { reason: string }).reason).toContain(` is ${address}, a loopback address`);
    }
    expect(metadata.seen).toEqual([]);
    // The check made when connecting, whatever a check before found: a name resolved then to a
    // private address (as a rebinding DNS answers the second time) gets no connection.
    const refused = await new Promise<unknown>((resolve) => {
      get({ host: 'localhost', port: intranet.port, path: '/rebound', lookup: checkedLookup }, resolve).on(
        'error',
        resolve,
      );
    });
    expect(refused).toBeInstanceOf(PrivateAddressError);
    expect(intranet.seen).toEqual([]);
  });

  it('knows the private, loopback, link-local and reserved ranges, also in IPv6 forms', () => {
    const kinds = Object.fromEntries(
      [
        '169.254.169.254',
        '10.0.0.1',
        '172.16.0.1',
        '172.31.255.254',
        '192.168.1.1',
        '100.100.100.200',
        '0.0.0.0',
        '::1',
        'fd00::1',
        'fe80::1',
        '::ffff:a9fe:a9fe',
        '64:ff9b::a00:1',
        '2002:c0a8:101::1',
        '172.32.0.1',
        '8.8.8.8',
        '2001:4860:4860::8888',
        '::ffff:808:808',
      ].map((a) => [a, privateKind(a)?.split(' (')[0] ?? null]),
    );
    expect(kinds).toEqual({
      '169.254.169.254': 'a link-local address',
      '10.0.0.1': 'a private network address',
      '172.16.0.1': 'a private network address',
      '172.31.255.254': 'a private network address',
      '192.168.1.1': 'a private network address',
      '100.100.100.200': 'a shared',
      '0.0.0.0': 'an unspecified address',
      '::1': 'a loopback address',
      'fd00::1': 'a unique local',
      'fe80::1': 'a link-local address',
      '::ffff:a9fe:a9fe': 'a link-local address',
      '64:ff9b::a00:1': 'a private network address',
      '2002:c0a8:101::1': 'a private network address',
      '172.32.0.1': null,
      '8.8.8.8': null,
      '2001:4860:4860::8888': null,
      '::ffff:808:808': null,
    });
  });
});
