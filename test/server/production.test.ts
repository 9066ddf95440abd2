import { pino } from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import { createApp } from '../../src/server/app.ts';
import { loadServerConfig } from '../../src/server/config.ts';
import { startHttpServer } from '../../src/server/http.ts';
import { createLogger } from '../../src/server/observability.ts';
import { createDb } from '../../src/store/db.ts';
import { databaseUrl, resetDatabase, tableCounts, testDb } from '../support/db.ts';
import { EXAMPLE_V2021, fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { graphqlClient, IMPORT_MUTATION, testConfig } from '../support/graphql.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));

const importSample = (text = fixtureText(REAL_V2019)) =>
  importReport(db, { bytes: new TextEncoder().encode(text), fileName: 'sample.txt' });

describe('query limits', () => {
  const gql = graphqlClient(db);

  const post = async (body: string, contentType = 'application/json') => {
    const app = createApp({ db, config: testConfig() });
    const response = await app.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': contentType, accept: 'application/graphql-response+json' },
      body,
    });
    return { status: response.status, body: (await response.json()) as { errors?: GraphQLErrorShape[] } };
  };
  type GraphQLErrorShape = { message: string; extensions?: Record<string, unknown> };
  const refused = async (query: string) => {
    const { status, body } = await post(JSON.stringify({ query }));
    // Refused in validation (HTTP 400 under the GraphQL-over-HTTP media type), with a code.
    expect(status, query).toBe(400);
    expect(body.errors?.[0]?.extensions?.code, query).toBe('QUERY_TOO_COMPLEX');
    return body.errors?.[0];
  };

  it('rejects a query of more tokens than the limit, naming the variable', async () => {
    const long = `{ ${Array.from({ length: 1500 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const { status, body } = await post(JSON.stringify({ query: long }));
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(
        /^The query has more than 4,000 tokens .*the limit is 4,000 \(MAX_QUERY_TOKENS\)\./,
      ),
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'tokens', allowed: 4000 },
    });
  });

  it('rejects a query nested deeper than the limit, naming the variable and what to do', async () => {
    const deep = `{ agencies { ... on QueryAgenciesConnection { edges { node { region { parent { parent { parent { parent { parent { parent { parent { parent { name } } } } } } } } } } } } } }`;
    expect(await refused(deep)).toMatchObject({
      message:
        'The query nests 14 levels deep; the limit is 12 (MAX_QUERY_DEPTH). Select fewer nested levels, or split the query.',
      extensions: { limit: 'depth', allowed: 12, found: 14 },
    });
  });

  it('rejects an alias bomb', async () => {
    const aliases = Array.from(
      { length: 50 },
      (_, i) => `a${i}: agencies { ... on QueryAgenciesConnection { totalCount } }`,
    ).join(' ');
    expect((await refused(`{ ${aliases} }`))?.message).toMatch(
      /^The query has 50 aliases; the limit is 20 \(MAX_QUERY_ALIASES\)/,
    );
  });

  it('counts aliases of __typename, and says what a query of too many repeated fields is', async () => {
    const repeated = (n: number, field: (i: number) => string) =>
      `{ ${Array.from({ length: n }, (_, i) => field(i)).join(' ')} }`;
    expect((await refused(repeated(50, (i) => `a${i}: __typename`)))?.message).toMatch(
      /^The query has 50 aliases; the limit is 20 \(MAX_QUERY_ALIASES\)/,
    );
    expect(await refused(repeated(1000, () => '__typename'))).toMatchObject({
      message:
        'The query repeats the same fields or fragments too often for the server to check that they agree. Ask for each field once on each level, or split the query.',
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'repetition' },
    });
    // Repeating a field is allowed as such: the answer has it once.
    expect(await post(JSON.stringify({ query: repeated(100, () => '__typename') }))).toMatchObject({
      status: 200,
      body: { data: { __typename: 'Query' } },
    });
  });

  it('rejects lists inside lists whose rows multiply past MAX_QUERY_ROWS, literals and variables alike', async () => {
    // Under the cost limit, which weighs shape only: 10,000 rows, each with its agency's
    // reports and their table 3 (28 MB in 10 s on a database of 1,200 reports).
    const tables = 'reports { current { table3 { rows { total { value } } } } }';
    const nested = `query Q($limit: Int) { compare(metrics: [{ metric: T3_GRANTED }], limit: $limit) {
      ... on Comparison { rows { agency { ${tables} } } } } }`;
    const { status, body } = await post(JSON.stringify({ query: nested, variables: { limit: 10000 } }));
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message:
        'The query may return 250,000 rows (the most nested: rows 10,000 × reports ~5 × rows ~5); the limit is 100,000 (MAX_QUERY_ROWS). Ask for smaller pages (first, limit), or select the nested list in a query of its own.',
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'rows', allowed: 100_000, found: 250_000 },
    });
    // It answers with the status the limits checked in validation answer, whatever the client
    // accepts: 200 where yoga answers application/json, 400 in the GraphQL-over-HTTP media type.
    const aliases = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    for (const accept of [
      'application/json',
      'application/json, application/graphql-response+json',
      'application/graphql-response+json;q=0.9, application/json',
      '*/*',
    ]) {
      const statuses: number[] = [];
      for (const query of [nested, aliases]) {
        const app = createApp({ db, config: testConfig() });
        const response = await app.fetch('http://yoga/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept },
          body: JSON.stringify({ query, variables: { limit: 10000 } }),
        });
        expect((await response.json()).errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
        statuses.push(response.status);
      }
      expect(statuses[0], accept).toBe(statuses[1]);
    }
    // The operation's own default for a variable left out counts, not the field's default.
    const defaulted = nested.replace('query Q($limit: Int)', 'query Q($limit: Int = 10000)');
    expect((await refused(defaulted))?.message).toMatch(/^The query may return 250,000 rows/);
    // Aliases add up: twelve comparisons of 10,000 rows each, none alone past the limit.
    const aliased = Array.from(
      { length: 12 },
      (_, i) =>
        `c${i}: compare(metrics: [{ metric: T3_GRANTED }], limit: 10000) { ... on Comparison { rows { year } } }`,
    ).join(' ');
    expect((await refused(`{ ${aliased} }`))?.message).toMatch(/^The query may return 120,000 rows/);
    // Through a named fragment, under a ranking without a limit (all of a year: counted as 10,000).
    const fragment = `fragment Tables on Agency { ${tables} }
      { ranking(metric: { metric: T3_GRANTED }, year: 2022) { ... on Ranking { entries { agency { ...Tables } } } } }`;
    expect((await refused(fragment))?.message).toContain(
      '250,000 rows (the most nested: entries 10,000 × reports ~5 × rows ~5)',
    );
    // compare's default page (1,000 rows) with the same lists is within the limit; so are flat pages.
    for (const query of [
      nested,
      '{ ranking(metric: { metric: T3_GRANTED }, year: 2022, limit: 10000) { ... on Ranking { entries { rank } } } }',
      '{ agencies(first: 100) { ... on QueryAgenciesConnection { edges { node { reports { year } } } } } }',
      // A page of 10,000 rows with their values, and the totals with theirs: counted once.
      '{ compare(metrics: [{ metric: T3_GRANTED }], limit: 10000) { ... on Comparison { rows { values { value } } totals { values { value } } } } }',
      // Its default page is 100 rows (the schema says so), not "all".
      '{ findingCountsByAgency { ... on FindingCountsByAgencySuccess { counts { agency { reports { current { table3 { rows { code } } } } } } } } }',
    ]) {
      const answer = await post(JSON.stringify({ query }));
      expect(answer.body.errors, query).toBeUndefined();
    }
  });

  it('rejects a page too costly to answer, and a directive bomb', async () => {
    expect(
      (await refused('{ agencies(first: 100000) { ... on QueryAgenciesConnection { totalCount } } }'))
        ?.message,
    ).toMatch(
      /^The query would cost 725,000 .*; the limit is 50,000 \(MAX_QUERY_COST\)\. Ask for fewer rows/,
    );
    expect((await refused(`{ __typename ${'@include(if: true) '.repeat(30)}}`))?.message).toMatch(
      /^The query has 30 directives; the limit is 20 \(MAX_QUERY_DIRECTIVES\)/,
    );
  });

  it('answers a body it cannot read with 415 and what it takes', async () => {
    const { status, body } = await post('{ __typename }', 'text/plain');
    expect(status).toBe(415);
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(
        /^POST \/graphql takes a JSON body .*this request's content type is "text\/plain"\.$/,
      ),
      extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
    });
  });

  it('rejects batched requests (an array of operations)', async () => {
    const app = createApp({ db, config: testConfig() });
    const response = await app.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { query: '{ agencies { ... on QueryAgenciesConnection { totalCount } } }' },
        { query: '{ agencies { ... on QueryAgenciesConnection { totalCount } } }' },
      ]),
    });
    expect(response.status).toBe(400);
  });

  it('treats SQL metacharacters in filters as plain text', async () => {
    await importSample();
    const before = await tableCounts(db);
    for (const evil of ["'; DROP TABLE agency; --", '%', '_', '\\', "中卫市' OR '1'='1"]) {
      const { data, errors } = await gql(
        `query ($name: String!) { agencies(filter: { nameContains: $name }) { ... on QueryAgenciesConnection { totalCount } } report(agencyName: $name, year: 2020) { year } }`,
        { name: evil },
      );
      // The name finds no agency: refused as a name not known, the search's SQL run on it too.
      expect(
        errors?.map((e) => [e.extensions?.code, e.extensions?.argument]),
        evil,
      ).toEqual([['BAD_USER_INPUT', 'agencyName']]);
      expect(errors?.[0]?.message, evil).toContain(`No stored agency is named "${evil}"`);
      expect(data?.agencies.totalCount, evil).toBe(0);
      expect(data?.report, evil).toBeNull();
    }
    expect(await tableCounts(db)).toEqual(before);
  });

  it('refuses a page over 100 instead of cutting it short without a word, saying how to page', async () => {
    const first = '"first" is at most 100; fetch the next page with after: pageInfo.endCursor.';
    const last = '"last" is at most 100; fetch the next page with before: pageInfo.startCursor.';
    // reports has no error union: a GraphQL error.
    const { errors } = await gql('{ reports(first: 1000) { edges { cursor } } }');
    expect(errors?.[0]).toMatchObject({
      message: first,
      extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
    });
    expect((await gql('{ reports(last: 101) { edges { cursor } } }')).errors?.[0]?.message).toBe(last);
    expect((await gql('{ reports(first: 100) { edges { cursor } } }')).errors).toBeUndefined();
    // agencies and findings answer InvalidInputError, so the query's other fields still answer.
    for (const [field, type] of [
      ['agencies', 'QueryAgenciesConnection'],
      ['findings', 'QueryFindingsConnection'],
    ] as const) {
      const page = (args: string) =>
        gql(
          `{ findingRules { rule } ${field}(${args}) { ... on ${type} { edges { cursor } } ... on InvalidInputError { message argument } } }`,
        );
      const refused = await page('first: 1000');
      expect(refused.errors, field).toBeUndefined();
      expect(refused.data?.findingRules.length, field).toBeGreaterThan(0);
      expect(refused.data?.[field], field).toEqual({ message: first, argument: 'first' });
      expect((await page('last: 101')).data?.[field], field).toEqual({ message: last, argument: 'last' });
      expect((await page('first: 100')).data?.[field].edges, field).toBeDefined();
      // A selection of __typename alone, which the Prisma plugin answers without the resolver,
      // names the error too (it named the connection).
      const typename = (args: string) => gql(`{ ${field}(${args}) { __typename } }`);
      expect((await typename('first: 1000')).data?.[field], field).toEqual({
        __typename: 'InvalidInputError',
      });
      expect((await typename('first: 2')).data?.[field], field).toEqual({ __typename: type });
    }
    expect((await gql('{ reports(first: 1000) { __typename } }')).errors?.[0]?.message).toBe(first);
    // And a filter the field refuses, likewise.
    expect((await gql('{ agencies(filter: { regionCode: "64x" }) { __typename } }')).data?.agencies).toEqual({
      __typename: 'InvalidInputError',
    });
    expect((await gql('{ reports(year: 1900) { __typename } }')).errors?.[0]?.extensions).toMatchObject({
      argument: 'year',
    });
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a client has used its burst', async () => {
    const app = createApp({ db, config: testConfig({ RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '3' }) });
    const send = () =>
      app.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ agencies { ... on QueryAgenciesConnection { totalCount } } }' }),
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await send();
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    const error = (await limited.json()).errors[0];
    expect(error).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    // The burst refused it, well under a minute's 60: the message names both settings.
    expect(error.message).toMatch(
      /the limit is 3 requests in 3 s \(RATE_LIMIT_BURST\), 60 per minute on average \(RATE_LIMIT_PER_MINUTE\)\. Retry after \d+ s\.$/,
    );
  });
});

describe('response cache', () => {
  const QUERY = '{ report(agencyName: "中卫市科学技术局", year: 2020) { revisionCount current { number } } }';

  for (const backend of ['memory', 'redis'] as const) {
    // Redis on 127.0.0.1:6379, as CI starts it (REDIS_TEST=1 runs it elsewhere).
    it.runIf(backend === 'memory' || process.env.CI || process.env.REDIS_TEST)(
      `serves repeated dashboard queries from the cache (${backend}) and never serves data older than an import`,
      async () => {
        const env = {
          RESPONSE_CACHE: 'on',
          ...(backend === 'redis' ? { REDIS_URL: 'redis://127.0.0.1:6379/15' } : {}),
        };
        const appA = createApp({ db, config: testConfig(env) });
        // A second instance: with Redis it shares the cache, in memory it has its own.
        const appB = createApp({ db, config: testConfig(env) });
        const query = async (app: typeof appA) => {
          const response = await app.fetch('http://yoga/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: QUERY }),
          });
          return (await response.json()) as {
            data: { report: { revisionCount: number } | null };
            extensions?: { responseCache?: { hit: boolean } };
          };
        };
        await importSample();
        const first = await query(appA);
        expect(first.data.report?.revisionCount).toBe(1);
        expect(first.extensions?.responseCache?.hit).toBe(false);
        expect((await query(appA)).extensions?.responseCache?.hit).toBe(true);
        expect((await query(appB)).extensions?.responseCache?.hit).toBe(backend === 'redis');

        // An import from outside the server (as the CLI does) is seen at once by both instances.
        await importSample(fixtureText(REAL_V2019).replace('\t+2\t49', '\t+2\t50'));
        const afterA = await query(appA);
        expect(afterA.extensions?.responseCache?.hit).toBe(false);
        expect(afterA.data.report?.revisionCount).toBe(2);
        const afterB = await query(appB);
        // With Redis, B reuses the fresh entry A just stored.
        expect(afterB.extensions?.responseCache?.hit).toBe(backend === 'redis');
        expect(afterB.data.report?.revisionCount).toBe(2);
        await appA.close();
        await appB.close();
      },
    );
  }

  it('runs identical queries that arrive together once, and gives each request the answer', async () => {
    await importSample();
    const statements: string[] = [];
    const counted = createDb(databaseUrl(), { poolSize: 4, onQuery: (sql) => statements.push(sql) });
    const compare = (
      year: number,
    ) => `{ compare(metrics: [{ metric: T3_NEW_REQUESTS }], filter: { years: [${year}] }) {
      ... on Comparison { rowCount rows { agency { name } values { value } } } } }`;
    try {
      const gql = graphqlClient(counted, [], testConfig({ RESPONSE_CACHE: 'on' }));
      const comparisons = () => statements.filter((sql) => sql.includes('base AS MATERIALIZED')).length;
      const together = await Promise.all(Array.from({ length: 8 }, () => gql(compare(2020))));
      expect(comparisons()).toBe(1);
      for (const response of together) {
        expect(response.errors).toBeUndefined();
        expect(response.data).toEqual(together[0]?.data);
      }
      expect(together[0]?.data).toMatchObject({ compare: { rowCount: 1 } });
      // A different question is not shared.
      await Promise.all([gql(compare(2020)), gql(compare(2019))]);
      expect(comparisons()).toBe(2);
    } finally {
      await counted.$disconnect();
    }
  });

  it('sends entity tags quoted, as HTTP does, and answers 304 to them in any form', async () => {
    await importSample();
    const app = createApp({ db, config: testConfig({ RESPONSE_CACHE: 'on' }) });
    const url = `http://yoga/graphql?query=${encodeURIComponent('{ agencies { ... on QueryAgenciesConnection { totalCount } } }')}`;
    const get = (headers: Record<string, string> = {}) => app.fetch(url, { headers });
    const first = await get();
    expect(first.status).toBe(200);
    const tag = first.headers.get('etag') ?? '';
    expect(tag).toMatch(/^"[0-9a-f]{64}"$/);
    // Keep it, but ask again: an import changes the answer at any time.
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const bare = tag.slice(1, -1);
    for (const sent of [tag, `W/${tag}`, bare, `${tag}, "other"`]) {
      const again = await get({ 'if-none-match': sent });
      expect(again.status, sent).toBe(304);
      expect(again.headers.get('etag'), sent).toBe(tag);
    }
    expect((await get({ 'if-none-match': '"other"' })).status).toBe(200);
    // Only a GET revalidates: a POST (a mutation, say) sent with a cached tag was answered 304
    // before its operation was read, and never ran.
    const posted = await app.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'if-none-match': tag },
      body: JSON.stringify({ query: '{ agencies { ... on QueryAgenciesConnection { totalCount } } }' }),
    });
    expect(posted.status).toBe(200);
  });

  it("answers 304 only to this query's tag at the current data version", async () => {
    await importSample();
    const app = createApp({ db, config: testConfig({ RESPONSE_CACHE: 'on' }) });
    const urlOf = (query: string) => `http://yoga/graphql?query=${encodeURIComponent(query)}`;
    const count = urlOf('{ agencies { ... on QueryAgenciesConnection { totalCount } } }');
    const other = urlOf('{ metrics(kind: RATIO) { metric } }');
    const get = (url: string, headers: Record<string, string> = {}) => app.fetch(url, { headers });
    const countTag = (await get(count)).headers.get('etag') ?? '';
    const otherTag = (await get(other)).headers.get('etag') ?? '';
    expect(countTag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(otherTag).toMatch(/^"[0-9a-f]{64}"$/);
    expect((await get(count, { 'if-none-match': countTag })).status).toBe(304);
    // Another query's tag, live in the cache, says nothing of this one's answer.
    const crossed = await get(count, { 'if-none-match': otherTag });
    expect(crossed.status).toBe(200);
    expect(crossed.headers.get('etag')).toBe(countTag);
    // A report imported: the old tag names an answer that is no longer current, though it is
    // still in the cache (for the TTL) under that tag.
    await importSample(fixtureText(EXAMPLE_V2021));
    const after = await get(count, { 'if-none-match': countTag });
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({
      data: { agencies: { totalCount: 2 } },
      extensions: expect.anything(),
    });
    const newTag = after.headers.get('etag') ?? '';
    expect(newTag).not.toBe(countTag);
    expect((await get(count, { 'if-none-match': newTag })).status).toBe(304);
    // Collection runs are never kept (their items move without an import): no tag to send back.
    const runs = urlOf('{ collectionRuns { id } }');
    const first = await get(runs);
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBeNull();
    expect((await get(runs, { 'if-none-match': newTag })).status).toBe(200);
    expect((await get(runs, { 'if-none-match': '*' })).status).toBe(200);
  });

  it("a 304 keeps the answer's other headers: CORS and the request id", async () => {
    const origin = 'https://dash.example.org';
    const app = createApp({ db, config: testConfig({ RESPONSE_CACHE: 'on', CORS_ORIGINS: origin }) });
    const url = `http://yoga/graphql?query=${encodeURIComponent('{ findingRules { rule } }')}`;
    const first = await app.fetch(url, { headers: { origin } });
    expect(first.status).toBe(200);
    const tag = first.headers.get('etag') ?? '';
    expect(tag).not.toBe('');
    const again = await app.fetch(url, { headers: { origin, 'if-none-match': tag } });
    expect(again.status).toBe(304);
    for (const name of ['access-control-allow-origin', 'access-control-allow-methods', 'x-request-id']) {
      expect(first.headers.get(name), name).not.toBeNull();
      expect(again.headers.get(name), name).not.toBeNull();
    }
    expect(again.headers.get('content-type')).toBeNull();
    // One tag, quoted (the cached answer's own bare ETag is not sent beside it).
    expect(again.headers.get('etag')).toBe(tag);
  });

  it('does not cache mutations, nor answer one from the cache', async () => {
    const gql = graphqlClient(db, [], testConfig({ RESPONSE_CACHE: 'on' }));
    const outcomes = [];
    // The third comes under the same data version as the second (UNCHANGED changes nothing):
    // it was answered from the cache, not run, with no audit record.
    for (let i = 0; i < 3; i++) {
      const { data, extensions } = await gql(IMPORT_MUTATION, { input: { text: fixtureText(REAL_V2019) } });
      outcomes.push(data?.importReport.outcome);
      expect(extensions?.responseCache, `import ${i + 1}`).toBeUndefined();
    }
    expect(outcomes).toEqual(['CREATED', 'UNCHANGED', 'UNCHANGED']);
    const [audited] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM audit_log WHERE action = 'importReport'`;
    expect(audited?.n).toBe(3);
  });
});

describe('observability', () => {
  it('exposes Prometheus metrics with per-operation latency and database pool gauges', async () => {
    const app = createApp({ db, config: testConfig() });
    await app.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query DashboardAgencies { agencies { ... on QueryAgenciesConnection { totalCount } } }',
      }),
    });
    const metrics = await (await app.fetch('http://yoga/metrics')).text();
    expect(metrics).toMatch(
      /graphql_envelop_request_duration_bucket\{[^}]*operationName="DashboardAgencies"/,
    );
    expect(metrics).toMatch(/disclosure_db_pool_connections\{state="total"\} \d+/);
    expect(metrics).toMatch(/graphql_yoga_http_duration_count/);
    expect(metrics).toMatch(/graphql_envelop_phase_execute_count/);
    // Not kept: each costs every request, for figures the histograms give or fields this schema lacks.
    expect(metrics).not.toMatch(
      /graphql_envelop_request_time_summary|graphql_envelop_deprecated_field|graphql_envelop_phase_parse/,
    );
  });

  it('answers /metrics only with the METRICS_TOKEN when one is set, saying what to send', async () => {
    const token = 'scrape-9f2c1e7d4b6a8350';
    const app = createApp({ db, config: { ...testConfig(), metricsToken: token } });
    const scrape = async (authorization?: string) => {
      const response = await app.fetch('http://yoga/metrics', {
        headers: authorization ? { authorization } : {},
      });
      return {
        status: response.status,
        text: await response.text(),
        challenge: response.headers.get('www-authenticate'),
      };
    };
    expect(await scrape()).toEqual({
      status: 401,
      text: 'The metrics need the token set in METRICS_TOKEN: send "Authorization: Bearer <token>".\n',
      challenge: 'Bearer realm="metrics"',
    });
    for (const wrong of [`Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, 'Bearer ', `Basic ${token}`]) {
      expect((await scrape(wrong)).status, wrong).toBe(401);
    }
    const allowed = await scrape(`Bearer ${token}`);
    expect(allowed.status).toBe(200);
    expect(allowed.text).toMatch(/disclosure_db_pool_connections/);
    // Only /metrics is guarded: the API and the probes answer as before.
    expect((await app.fetch('http://yoga/health')).status).toBe(200);
    expect(() => loadServerConfig({ METRICS_TOKEN: 'short' })).toThrow(
      'METRICS_TOKEN="short": must be 16 or more printable characters without spaces',
    );
  });

  it('keeps the label values a client chooses bounded: long or many operation names, GET query strings, error paths', async () => {
    const app = createApp({ db, config: testConfig() });
    const post = (query: string) =>
      app.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
    await post(`query Op${'a'.repeat(100_000)} { __typename }`);
    for (let i = 0; i < 250; i++) await post(`query Name${i} { __typename }`);
    for (let i = 0; i < 5; i++) await app.fetch(`http://yoga/graphql?query={__typename}&x=${i}`);
    await post('{ a1: node(id: "x") { id } a2: node(id: "y") { id } }');
    const metrics = await (await app.fetch('http://yoga/metrics')).text();
    expect(metrics.length).toBeLessThan(2_000_000);
    expect(metrics).not.toContain('a'.repeat(65));
    expect(metrics).toMatch(/operationName="Name0"/);
    expect(metrics).toMatch(/operationName="other"/);
    expect(metrics).not.toMatch(/operationName="Name249"/);
    expect(metrics).toMatch(/url="\/graphql"/);
    expect(metrics).not.toMatch(/url="[^"]*\?/);
    // At most 200 names kept, plus Anonymous and other.
    const names = new Set(
      [...metrics.matchAll(/graphql_envelop_request\{[^}]*operationName="([^"]*)"/g)].map((m) => m[1]),
    );
    expect(names.size).toBeLessThanOrEqual(202);
  });

  it('echoes or assigns a request id', async () => {
    const app = createApp({ db, config: testConfig() });
    const given = await app.fetch(
      'http://yoga/graphql?query={agencies{...on QueryAgenciesConnection{totalCount}}}',
      {
        headers: { 'x-request-id': 'abc-123' },
      },
    );
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const assigned = await app.fetch(
      'http://yoga/graphql?query={agencies{...on QueryAgenciesConnection{totalCount}}}',
    );
    expect(assigned.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs one line per request with its operation name, and static assets and probes at debug level', async () => {
    const lines: { level: number; path: string; operation?: string; status: number }[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const app = createApp({ db, config: testConfig(), logger });
    await app.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'query A { agencies { ... on QueryAgenciesConnection { totalCount } } } query DashboardRanking { agencies { ... on QueryAgenciesConnection { totalCount } } }',
        operationName: 'DashboardRanking',
      }),
    });
    await app.fetch('http://yoga/graphql?query={agencies{...on QueryAgenciesConnection{totalCount}}}');
    await app.fetch('http://yoga/assets/index.js');
    await app.fetch('http://yoga/health');
    const requests = lines.filter((line) => 'path' in line);
    const byPath = (path: string) => requests.filter((line) => line.path === path);
    expect(byPath('/graphql').map((line) => [line.level, line.operation])).toEqual([
      [30, 'query DashboardRanking'],
      [30, 'query anonymous'],
    ]);
    // yoga answers /health before any plugin sees it: never an info line.
    expect(byPath('/health').filter((line) => line.level >= 30)).toEqual([]);
    expect(byPath('/assets/index.js').map((line) => line.level)).toEqual([20]);
  });

  it('names the operation of a request the response cache answered, which executes nothing', async () => {
    const lines: { path?: string; operation?: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const app = createApp({ db, config: testConfig({ RESPONSE_CACHE: 'on' }), logger });
    const ask = async (body: Record<string, unknown>) => {
      const response = await app.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await response.json()) as { extensions?: { responseCache?: { hit: boolean } } };
    };
    const two = 'query A { findingRules { rule } }\n# a comment\nquery Named { findingRules { rule } }';
    for (const body of [
      { query: 'query Named { findingRules { rule } }' },
      { query: '{ findingRules { rule } }' },
      { query: two, operationName: 'Named' },
    ]) {
      await ask(body);
      expect((await ask(body)).extensions?.responseCache?.hit).toBe(true);
    }
    expect(lines.filter((line) => line.path === '/graphql').map((line) => line.operation)).toEqual([
      'query Named',
      'query Named',
      'query anonymous',
      'query anonymous',
      'query Named',
      'query Named',
    ]);
    await app.close();
  });
});

describe('HTTP front', () => {
  it('refuses bodies over the limit with 413 before reading them, and bodies without a length with 411', async () => {
    const config = testConfig({ MAX_BODY_BYTES: '1000' });
    const app = createApp({ db, config });
    const running = await startHttpServer(app, {
      port: 0,
      host: '127.0.0.1',
      maxBodyBytes: 1000,
      logger: createLogger(config),
    });
    try {
      const url = `http://127.0.0.1:${running.port}/graphql`;
      const big = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: '{ agencies { ... on QueryAgenciesConnection { totalCount } } }',
          variables: { pad: 'x'.repeat(5000) },
        }),
      });
      expect(big.status).toBe(413);
      expect((await big.json()).errors[0].message).toMatch(/the limit is 1000/);
      const ok = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ agencies { ... on QueryAgenciesConnection { totalCount } } }' }),
      });
      expect(ok.status).toBe(200);
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(
            new TextEncoder().encode(
              '{"query":"{ agencies { ... on QueryAgenciesConnection { totalCount } } }"}',
            ),
          );
          controller.close();
        },
      });
      const chunked = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(411);
    } finally {
      await running.close();
    }
  });

  it('the app itself holds bodies to MAX_BODY_BYTES: by Content-Length, or counted when there is none', async () => {
    const app = createApp({ db, config: testConfig({ MAX_BODY_BYTES: '1000' }) });
    const query = '{ agencies { ... on QueryAgenciesConnection { totalCount } } }';
    const post = (body: BodyInit, headers: Record<string, string> = {}) =>
      app.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        duplex: 'half',
      } as RequestInit);
    const padded = JSON.stringify({ query, variables: { pad: 'x'.repeat(5000) } });
    const streamOf = (text: string) =>
      new ReadableStream({
        start(controller) {
          // In chunks, so the limit is crossed part way.
          const bytes = new TextEncoder().encode(text);
          for (let at = 0; at < bytes.length; at += 300) controller.enqueue(bytes.slice(at, at + 300));
          controller.close();
        },
      });

    const declared = await post(padded, { 'content-length': String(padded.length) });
    expect(declared.status).toBe(413);
    expect((await declared.json()).errors[0]).toMatchObject({
      message: expect.stringMatching(
        /5\d{3} bytes; the limit is 1000 \(MAX_BODY_BYTES\)\. The API takes one report of up to 5 MiB per request .* import it with the command line \(npm run cli -- import FILE\)/,
      ),
      extensions: { code: 'PAYLOAD_TOO_LARGE' },
    });
    const counted = await post(streamOf(padded));
    expect(counted.status).toBe(413);
    expect((await counted.json()).errors[0].message).toMatch(/more than 1000 bytes/);
    const forged = await post(JSON.stringify({ query }), { 'content-length': '12, 12' });
    expect(forged.status).toBe(400);
    expect((await forged.json()).errors[0].message).toMatch(/Content-Length must be one whole number/);

    for (const body of [JSON.stringify({ query }), streamOf(JSON.stringify({ query }))]) {
      const ok = await post(body);
      expect(ok.status).toBe(200);
      expect((await ok.json()).data.agencies.totalCount).toBe(0);
    }
  });
});

describe('error masking', () => {
  it('hides unexpected errors (here: a database without our tables) behind "Unexpected error."', async () => {
    const url = new URL(databaseUrl());
    url.pathname = '/postgres';
    const wrong = createDb(url.toString(), { poolSize: 1 });
    const logged: unknown[] = [];
    const gql = graphqlClient(wrong, logged);
    const response = await gql('{ agencies { ... on QueryAgenciesConnection { totalCount } } }');
    expect(response.errors).toEqual([expect.objectContaining({ message: 'Unexpected error.' })]);
    const raw = JSON.stringify(response);
    expect(raw).not.toMatch(/agency|SELECT|stack|at \//i);
    expect(logged).toHaveLength(1);
    await wrong.$disconnect();
  });
});
