/**
 * Settings fail closed, CORS is an allow-list, and one rate limit covers every way into
 * GraphQL (however the path is spelled, /csv too), keyed by an address a client cannot choose,
 * shared across instances through Redis.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { loadServerConfig } from '../../src/server/config.ts';
import { testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { graphqlClient, TEST_IMPORT_TOKEN, testConfig } from '../support/graphql.ts';

const db = testDb();
afterAll(() => db.$disconnect());

describe('settings are parsed strictly', () => {
  it('reads every spelling of a switch, and stops on anything else, naming the variable', () => {
    for (const on of ['true', 'TRUE', 'True', '1', 'yes', 'on']) {
      expect(loadServerConfig({ READS_REQUIRE_TOKEN: on }).readsRequireToken, on).toBe(true);
    }
    for (const off of ['false', 'FALSE', '0', 'no', 'off']) {
      expect(loadServerConfig({ READS_REQUIRE_TOKEN: off }).readsRequireToken, off).toBe(false);
    }
    expect(() => loadServerConfig({ READS_REQUIRE_TOKEN: 'ture' })).toThrow(
      'READS_REQUIRE_TOKEN="ture": must be true or false (or 1/0, yes/no, on/off)',
    );
    expect(() => loadServerConfig({ NODE_ENV: 'prodution' })).toThrow(/NODE_ENV="prodution"/);
    expect(() => loadServerConfig({ RATE_LIMIT_PER_MINUTE: '10k' })).toThrow(
      /RATE_LIMIT_PER_MINUTE="10k": must be a whole number/,
    );
    expect(() => loadServerConfig({ CORS_ORIGINS: 'https://a.example/path' })).toThrow(/CORS_ORIGINS/);
    expect(loadServerConfig({ TRUST_PROXY: '2' }).trustedProxies).toBe(2);
    expect(loadServerConfig({ TRUST_PROXY: 'yes' }).trustedProxies).toBe(1);
  });

  it('with VALIDATE_REQUIRES_TOKEN, anonymous validation is refused before the upload is read', async () => {
    const app = createApp({ db, config: testConfig({ VALIDATE_REQUIRES_TOKEN: 'yes' }) });
    const response = await app.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query ($input: ValidateReportInput!) { validateReport(input: $input) { __typename } }',
        variables: { input: { text: 'x' } },
      }),
    });
    const answer = await response.json();
    expect(answer.errors?.[0]).toMatchObject({
      message: expect.stringContaining('needs an API token with the import scope'),
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('a validation is never answered from the response cache, which would not ask for the token', async () => {
    const gql = graphqlClient(db, [], testConfig({ VALIDATE_REQUIRES_TOKEN: 'yes', RESPONSE_CACHE: 'on' }));
    const query = 'query ($input: ValidateReportInput!) { validateReport(input: $input) { __typename } }';
    const variables = { input: { text: fixtureText(REAL_V2019) } };
    const withToken = await gql(query, variables, { token: TEST_IMPORT_TOKEN });
    expect(withToken.errors).toBeUndefined();
    expect(withToken.data?.validateReport.__typename).toBe('ValidateReportPayload');
    expect(withToken.extensions?.responseCache).toMatchObject({ didCache: false });
    const anonymous = await gql(query, variables);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('an anonymous validation sent beside the same one with a token is refused, not given its answer', async () => {
    // Identical queries at one data version run once and share the answer; the token check is
    // the resolver's, so a request that waited on another's run was never asked for its own.
    const gql = graphqlClient(db, [], testConfig({ VALIDATE_REQUIRES_TOKEN: 'yes', RESPONSE_CACHE: 'on' }));
    const query = 'query ($input: ValidateReportInput!) { validateReport(input: $input) { __typename } }';
    const variables = { input: { text: fixtureText(REAL_V2019) } };
    // Once first, so that neither request below writes the token (or its use) in between.
    expect((await gql(query, variables, { token: TEST_IMPORT_TOKEN })).errors).toBeUndefined();
    const running = gql(query, variables, { token: TEST_IMPORT_TOKEN });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [withToken, anonymous] = await Promise.all([running, gql(query, variables)]);
    expect(withToken.data?.validateReport.__typename).toBe('ValidateReportPayload');
    expect(anonymous.data?.validateReport ?? null).toBeNull();
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a public production server asks for a token to validate uploads unless told otherwise', () => {
    expect(loadServerConfig({ NODE_ENV: 'production' }).validateRequiresToken).toBe(true);
    expect(
      loadServerConfig({ NODE_ENV: 'production', VALIDATE_REQUIRES_TOKEN: 'false' }).validateRequiresToken,
    ).toBe(false);
    expect(loadServerConfig({}).validateRequiresToken).toBe(false);
  });
});

const preflight = (app: ReturnType<typeof createApp>, origin: string) =>
  app.fetch('http://yoga/graphql', {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });

describe('CORS', () => {
  it('answers no other origin by default, and never allows credentials', async () => {
    const app = createApp({ db, config: testConfig() });
    const response = await preflight(app, 'https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('allows exactly the listed origins', async () => {
    const app = createApp({
      db,
      config: testConfig({ CORS_ORIGINS: 'https://dash.example.org, https://other.example.org' }),
    });
    const allowed = await preflight(app, 'https://dash.example.org');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dash.example.org');
    expect(allowed.headers.get('access-control-allow-credentials')).not.toBe('true');
    const refused = await preflight(app, 'https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('never allows the origin null, and tells caches the answer depends on the Origin', async () => {
    const app = createApp({
      db,
      config: testConfig({ CORS_ORIGINS: 'https://a.example.org,https://b.example.org' }),
    });
    // A sandboxed iframe or a file:// page sends `Origin: null`; yoga answered it with
    // `Access-Control-Allow-Origin: null`, which such a page takes as an allowance.
    for (const origin of ['null', 'https://evil.example']) {
      const refused = await preflight(app, origin);
      expect(refused.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(refused.headers.get('access-control-allow-headers'), origin).toBeNull();
      expect(refused.headers.get('vary'), origin).toMatch(/\bOrigin\b/);
    }
    const vary = async (headers: Record<string, string>) => {
      const response = await app.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip', ...headers },
        body: JSON.stringify({ query: '{ findingRules { rule } }' }),
      });
      return {
        allowed: response.headers.get('access-control-allow-origin'),
        vary: response.headers.get('vary') ?? '',
      };
    };
    const allowed = await vary({ origin: 'https://b.example.org' });
    expect(allowed.allowed).toBe('https://b.example.org');
    expect(allowed.vary).toMatch(/\bOrigin\b/);
    expect(allowed.vary).toMatch(/\bAccept-Encoding\b/);
    for (const headers of [{ origin: 'null' }, { origin: 'https://evil.example' }, {}] as Record<
      string,
      string
    >[]) {
      const other = await vary(headers);
      expect(other.allowed, JSON.stringify(headers)).toBeNull();
      expect(other.vary, JSON.stringify(headers)).toMatch(/\bOrigin\b/);
    }
  });
});

const query = JSON.stringify({ query: '{ findingRules { rule } }' });
const post = (app: ReturnType<typeof createApp>, path: string, headers: Record<string, string> = {}) =>
  app.fetch(`http://yoga${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: query,
  });

describe('one rate limit for every way in', () => {
  it('counts /graphql, its path variants and /csv against one bucket', async () => {
    const app = createApp({ db, config: testConfig({ RATE_LIMIT_PER_MINUTE: '6', RATE_LIMIT_BURST: '4' }) });
    const statuses = [];
    for (const path of ['/graphql', '/graphql/', '//graphql', '/csv', '/GRAPHQL', '/csv']) {
      statuses.push((await post(app, path)).status);
    }
    expect(statuses.slice(4)).toEqual([429, 429]);
    expect(statuses.slice(0, 4).every((s) => s !== 429)).toBe(true);
  });

  it('behind one proxy, a client cannot pick its bucket with X-Forwarded-For', async () => {
    const app = createApp({
      db,
      config: testConfig({ RATE_LIMIT_PER_MINUTE: '6', RATE_LIMIT_BURST: '3', TRUST_PROXY: '1' }),
    });
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      // The client writes the left entry; the proxy appends the address it saw.
      statuses.push((await post(app, '/graphql', { 'x-forwarded-for': `10.9.8.${i}, 203.0.113.7` })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('an upload costs one request per 64 KB', async () => {
    const app = createApp({
      db,
      config: testConfig({ RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '10' }),
    });
    const validate = (bytes: number) =>
      app.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'query ($input: ValidateReportInput!) { validateReport(input: $input) { __typename } }',
          variables: { input: { text: 'x'.repeat(bytes) } },
        }),
      });
    const answer = await (await validate(1024 * 1024)).json();
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    expect(answer.errors?.[0]?.message).toMatch(/one request per 64 KB/);
  });

  it.runIf(process.env.CI || process.env.REDIS_TEST)(
    'with REDIS_URL, instances share the bucket',
    async () => {
      const env = {
        RATE_LIMIT_PER_MINUTE: '6',
        RATE_LIMIT_BURST: '3',
        REDIS_URL: 'redis://127.0.0.1:6379',
        TRUST_PROXY: '1',
      };
      const a = createApp({ db, config: testConfig(env) });
      const b = createApp({ db, config: testConfig(env) });
      // A client of its own: the bucket outlives the test in Redis for half a minute, and CI runs
      // this file twice at once (the embedded and the server pass).
      const client = {
        'x-forwarded-for': `2001:db8::${randomBytes(6)
          .toString('hex')
          .replace(/(.{4})(?!$)/g, '$1:')}`,
      };
      const statuses = [];
      for (const app of [a, b, a, b, a]) statuses.push((await post(app, '/graphql', client)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      await Promise.all([a.close(), b.close()]);
    },
  );
});
