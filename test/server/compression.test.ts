/**
 * Responses are compressed as the client accepts (brotli, else gzip), streamed results and
 * small answers are not, and GraphiQL is a small page plus cacheable files.
 */
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { chooseEncoding } from '../../src/server/compression.ts';
import { GRAPHIQL_ASSETS } from '../../src/server/graphiql.ts';
import { testDb } from '../support/db.ts';
import { testConfig } from '../support/graphql.ts';

const db = testDb();
const app = createApp({ db, config: testConfig() });
afterAll(async () => {
  await app.close();
  await db.$disconnect();
});

// Large enough to be compressed: the schema's own documentation.
const INTROSPECTION = '{ __schema { types { name description fields { name description } } } }';

const post = (query: string, acceptEncoding?: string) =>
  app.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }),
    },
    body: JSON.stringify({ query }),
  });

describe('compression', () => {
  it('chooses brotli before gzip and honours q=0', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip;q=1.0, br;q=0.5')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('identity')).toBeNull();
    expect(chooseEncoding('gzip;q=0, br;q=0')).toBeNull();
    expect(chooseEncoding(null)).toBeNull();
  });

  it('compresses a GraphQL answer with brotli or gzip, and the bytes decode to the same JSON', async () => {
    const plain = await post(INTROSPECTION);
    expect(plain.headers.get('content-encoding')).toBeNull();
    const expected = await plain.json();

    const br = await post(INTROSPECTION, 'gzip, deflate, br');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/Accept-Encoding/i);
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(Number(br.headers.get('content-length'))).toBe(brBytes.byteLength);
    expect(JSON.parse(brotliDecompressSync(brBytes).toString('utf8'))).toEqual(expected);
    // Against the bytes sent uncompressed (UTF-8: a CJK description is three bytes a character).
    expect(brBytes.byteLength).toBeLessThan(Buffer.byteLength(JSON.stringify(expected)) / 3);

    const gz = await post(INTROSPECTION, 'gzip');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(JSON.parse(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8'))).toEqual(expected);
  });

  it('leaves small answers and refused encodings alone', async () => {
    const small = await post('{ __typename }', 'br');
    expect(small.headers.get('content-encoding')).toBeNull();
    expect(await small.json()).toEqual({ data: { __typename: 'Query' } });
    const refused = await post(INTROSPECTION, 'br;q=0, gzip;q=0');
    expect(refused.headers.get('content-encoding')).toBeNull();
  });

  it('never compresses a streamed (server-sent events) result', async () => {
    const response = await app.fetch(`http://yoga/graphql?query=${encodeURIComponent(INTROSPECTION)}`, {
      headers: { accept: 'text/event-stream', 'accept-encoding': 'br' },
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    // yoga marks event streams `content-encoding: none` so proxies leave them alone too.
    expect(response.headers.get('content-encoding') ?? 'none').toBe('none');
    expect(await response.text()).toContain('__schema');
  });

  it('does not decompress request bodies (a compressed upload could pass the size limit)', async () => {
    const response = await app.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: new Uint8Array(gzipSync(JSON.stringify({ query: '{ __typename }' }))),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
  });
});

describe('GraphiQL', () => {
  it('is a page of a few kilobytes that loads versioned, cacheable, compressed files', async () => {
    const page = await app.fetch('http://yoga/graphql', { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(html.length).toBeLessThan(4096);
    expect(html).toContain('政府信息公开年度报告 GraphQL');
    expect(html).toContain(`${GRAPHIQL_ASSETS}graphiql.js`);
    expect(html).toContain('query SampleReport');

    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(urls).toEqual(
      expect.arrayContaining([`${GRAPHIQL_ASSETS}graphiql.css`, `${GRAPHIQL_ASSETS}favicon.ico`]),
    );
    const workers = ['editor', 'json', 'graphql'].map((w) => `${GRAPHIQL_ASSETS}${w}.worker.js`);
    for (const url of [...urls, ...workers]) {
      const response = await app.fetch(`http://yoga${url}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(response.status, url).toBe(200);
      expect(response.headers.get('cache-control'), url).toMatch(/immutable/);
      expect((await response.arrayBuffer()).byteLength, url).toBeGreaterThan(1000);
    }
    const js = await app.fetch(`http://yoga${GRAPHIQL_ASSETS}graphiql.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(js.headers.get('content-encoding')).toBe('gzip');
    const bytes = Buffer.from(await js.arrayBuffer());
    expect(gunzipSync(bytes).toString('utf8')).toContain('renderYogaGraphiQL');
    expect(bytes.byteLength).toBeLessThan(2_500_000);
  });

  it('answers 404 for any other path under /graphiql/', async () => {
    for (const path of ['/graphiql/', `${GRAPHIQL_ASSETS}../package.json`, '/graphiql/0.0.0/graphiql.js']) {
      expect((await app.fetch(`http://yoga${path}`)).status, path).toBe(404);
    }
  });
});
