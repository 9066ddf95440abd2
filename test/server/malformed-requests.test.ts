/**
 * Requests malformed before any GraphQL runs get the client's 400 naming what is wrong, and an
 * error inside the server's own request handling is a logged "Unexpected error.": no answer
 * carries a stack trace.
 */
import { createYoga, type Plugin } from 'graphql-yoga';
import { afterAll, describe, expect, it } from 'vitest';
import { METRICS } from '../../src/catalogue/metrics.ts';
import { schema } from '../../src/graphql/schema/index.ts';
import { createApp } from '../../src/server/app.ts';
import { guardRequestHandlers } from '../../src/server/request-errors.ts';
import { testDb } from '../support/db.ts';
import { testConfig } from '../support/graphql.ts';

const db = testDb();
afterAll(() => db.$disconnect());

const unexpected: unknown[] = [];
const app = createApp({ db, config: testConfig(), logError: (error) => unexpected.push(error) });

async function send(path: string, init: RequestInit = {}) {
  const response = await app.fetch(`http://yoga${path}`, init);
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: () => JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] },
  };
}

const noStack = (text: string) => expect(text).not.toMatch(/\bat .*\.[jt]s:\d+|TypeError|\/work\//);

describe('/csv with a body of the wrong shape', () => {
  const post = (body: string) =>
    send('/csv', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it.each([
    ['null', 'The request body must be a JSON object'],
    ['[]', 'The request body must be a JSON object'],
    ['"{ __typename }"', 'The request body must be a JSON object'],
    ['{"query": "{ findingRules { rule } }", "path": 5}', '"path" must be a string'],
    ['{"query": "{ findingRules { rule } }", "path": {}}', '"path" must be a string'],
    ['{"query": 7}', '"query" must be a string'],
    ['{"query": "{ findingRules { rule } }", "operationName": ["a"]}', '"operationName" must be a string'],
    ['{"query": "{ findingRules { rule } }", "variables": [1]}', '"variables" must be a JSON object'],
    ['{"query": "{ findingRules { rule } }", "variables": "x"}', '"variables" must be a JSON object'],
    ['{"query": "{ findingRules { rule } }", "extensions": 3}', '"extensions" must be a JSON object'],
  ])('%s is a 400 saying what to send', async (body, message) => {
    const answer = await post(body);
    expect(answer.status, answer.text).toBe(400);
    expect(answer.json().errors?.[0]?.message).toContain(message);
    expect(answer.json().errors?.[0]?.message).toContain('send {"query": "..."');
    noStack(answer.text);
  });

  it('a GET whose variables are JSON but not an object is refused the same way', async () => {
    const answer = await send(`/csv?query=${encodeURIComponent('{ findingRules { rule } }')}&variables=5`);
    expect(answer.status).toBe(400);
    expect(answer.json().errors?.[0]?.message).toContain('"variables" must be a JSON object');
  });

  it('the well-formed request still exports', async () => {
    const answer = await post(
      '{"query": "{ findingRules { rule } }", "path": "findingRules", "variables": null}',
    );
    expect(answer.status, answer.text).toBe(200);
    expect(answer.text).toContain('T3_BALANCE');
  });
});

describe('GraphQL parameters that are not JSON', () => {
  const query = encodeURIComponent('query($b: Boolean!) { __typename @include(if: $b) }');

  it.each([
    ['variables', `query=${query}&variables=${encodeURIComponent('{bad')}`],
    ['extensions', `query=${query}&extensions=${encodeURIComponent('{"persistedQuery":')}`],
  ])('a GET with bad %s is the client’s 400 naming the parameter, not a 500', async (name, search) => {
    unexpected.length = 0;
    const answer = await send(`/graphql?${search}`, { headers: { accept: 'application/json' } });
    expect(answer.status, answer.text).toBe(400);
    const error = answer.json().errors?.[0];
    expect(error?.extensions?.code).toBe('BAD_REQUEST');
    expect(error?.message).toMatch(new RegExp(`^The ${name} parameter is not valid JSON \\(`));
    // The example is of the parameter named: extensions was shown how to send variables.
    expect(error?.message).toContain(`URL-encoded: ${name}=`);
    expect(unexpected).toEqual([]);
  });

  it('a form-encoded POST with bad variables is a 400 too', async () => {
    const answer = await send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: `query=${query}&variables=${encodeURIComponent('{bad')}`,
    });
    expect(answer.status, answer.text).toBe(400);
    expect(answer.json().errors?.[0]?.message).toMatch(
      /^The variables or extensions parameter is not valid JSON/,
    );
  });

  it('good variables by GET still run', async () => {
    const answer = await send(`/graphql?query=${query}&variables=${encodeURIComponent('{"b": true}')}`, {
      headers: { accept: 'application/json' },
    });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ data: { __typename: 'Query' } });
  });
});

describe('a POST to /graphql whose body is not JSON', () => {
  const post = (body: string) =>
    send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
    });

  it('is a 400 giving the parse error once and what to send', async () => {
    const answer = await post('not json');
    expect(answer.status, answer.text).toBe(400);
    expect(answer.json().errors).toEqual([
      {
        message:
          'The request body is not valid JSON (Unexpected token \'o\', "not json" is not valid JSON). Send a JSON object: {"query": "{ findingRules { rule } }", "variables": {}}.',
        extensions: { code: 'BAD_REQUEST' },
      },
    ]);
    expect(answer.text.split('\\"not json\\" is not valid JSON').length - 1).toBe(1);
  });

  it.each([
    ['{', "Expected property name or '}' in JSON at position 1"],
    ['{"query": "{ __typename }"', "Expected ',' or '}' after property value in JSON at position 26"],
  ])('%s names where the JSON breaks, once', async (body, where) => {
    const message = (await post(body)).json().errors?.[0]?.message;
    expect(message).toContain(where);
    expect(message).not.toContain(JSON.stringify(body));
  });

  it('does not echo a large body back', async () => {
    const answer = await post(`x${'y'.repeat(100_000)}`);
    expect(answer.status).toBe(400);
    expect(answer.text.length).toBeLessThan(400);
  });
});

describe('an operationName the document does not have', () => {
  const query = 'query Rules { findingRules { rule } } query Other { __typename }';
  const refusal = (message: string) => ({
    errors: [{ message, extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }],
  });
  const unknown =
    'The document has no operation named "Nope"; its operations are "Rules", "Other". Send one of those names as operationName.';
  const post = (path: string, body: object) =>
    send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });

  it('/csv names the operation asked for and lists the document’s, by POST and GET', async () => {
    const posted = await post('/csv', { query, operationName: 'Nope', path: 'findingRules' });
    expect(posted.status, posted.text).toBe(400);
    expect(posted.json()).toEqual(refusal(unknown));
    const got = await send(`/csv?query=${encodeURIComponent(query)}&operationName=Nope&path=findingRules`);
    expect(got.status, got.text).toBe(400);
    expect(got.json()).toEqual(refusal(unknown));
  });

  it('/graphql says the same, and asks for a name when the document has several', async () => {
    expect((await post('/graphql', { query, operationName: 'Nope' })).json()).toEqual(refusal(unknown));
    const unnamed = await post('/graphql', { query: `${query} { __typename }` });
    expect(unnamed.status).toBe(400);
    expect(unnamed.json()).toEqual(
      refusal(
        'The document has 3 operations and no operationName says which to run; its operations are "Rules", "Other", an unnamed query. Send one of those names as operationName.',
      ),
    );
    expect((await post('/graphql', { query: 'fragment F on Query { __typename }' })).json()).toEqual(
      refusal('The document has no operation, only fragments: add a query { … } that uses them.'),
    );
  });

  it('an operation the document has still runs', async () => {
    const answer = await post('/csv', { query, operationName: 'Rules', path: 'findingRules' });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.text).toContain('T3_BALANCE');
    expect((await post('/graphql', { query, operationName: 'Other' })).json()).toEqual({
      data: { __typename: 'Query' },
    });
  });
});

describe('a request with no query', () => {
  it.each([
    ['{}', 'application/json'],
    ['{"variables": {"year": 2022}}', 'application/json'],
    ['{"query": null}', 'application/json'],
    ['{}', 'application/graphql-response+json'],
  ])('POST %s accepting %s is a 400 saying what to send', async (body, accept) => {
    const answer = await send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body,
    });
    expect(answer.status, answer.text).toBe(400);
    const error = answer.json().errors?.[0];
    expect(error?.extensions?.code).toBe('BAD_REQUEST');
    expect(error?.message).toMatch(/^The request has no query\. POST \{"query": /);
  });

  it('a persisted operation’s hash alone, where the server keeps none, says so', async () => {
    const answer = await send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: '{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}',
    });
    expect(answer.status, answer.text).toBe(400);
    expect(answer.json().errors?.[0]?.message).toBe(
      'The request names a persisted operation by its hash, but this server keeps no persisted operations (PERSISTED_OPERATIONS_FILE is not set): send the query text as "query".',
    );
  });

  it('a GET asking for JSON with no query is a 400 too; an empty query is a syntax error', async () => {
    const none = await send('/graphql', { headers: { accept: 'application/json' } });
    expect(none.status, none.text).toBe(400);
    expect(none.json().errors?.[0]?.message).toMatch(/^The request has no query/);
    const empty = await send('/graphql?query=', { headers: { accept: 'application/json' } });
    expect(empty.json().errors?.[0]?.message).toMatch(/Syntax Error|no query/);
  });
});

describe('a body yoga would take another way', () => {
  const post = (body: string) =>
    send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
    });

  it.each([
    ['5', '5'],
    ['true', 'true'],
    ['["A"]', '["A"]'],
  ])('operationName %s (not a string) is a 400 saying it must be a name', async (given, shown) => {
    const answer = await post(`{"query": "{ __typename }", "operationName": ${given}}`);
    expect(answer.status, answer.text).toBe(400);
    expect(answer.json().errors?.[0]).toMatchObject({
      message: `operationName must be a string, the name of an operation in the document (or left out for a document of one operation); got ${shown}.`,
      extensions: { code: 'BAD_REQUEST' },
    });
  });

  it('a list of operations (batching) is a 400 saying to send them one a request', async () => {
    const answer = await post('[{"query": "{ __typename }"}, {"query": "{ __typename }"}]');
    expect(answer.status, answer.text).toBe(400);
    expect(answer.json().errors?.[0]?.message).toBe(
      'The body is a list of 2 operations; this server runs one operation a request (each is answered, cached and rate-limited on its own). Send them as separate requests, or as fields of one query.',
    );
  });

  it('a null operationName still runs the document’s one operation', async () => {
    const answer = await post('{"query": "{ __typename }", "operationName": null}');
    expect(answer.status, answer.text).toBe(200);
  });
});

describe('an error inside a plugin’s request handling', () => {
  it('is logged and answered "Unexpected error." with no stack, thrown or rejected', async () => {
    const logged: unknown[] = [];
    const failing = (path: string, how: 'throw' | 'reject'): Plugin => ({
      onRequest({ url }) {
        if (url.pathname !== path) return;
        const error = new TypeError(`Cannot read properties of null (at /work/main/src/x.ts:${path.length})`);
        if (how === 'throw') throw error;
        return Promise.reject(error);
      },
    });
    const yoga = createYoga({
      schema,
      plugins: guardRequestHandlers([failing('/sync', 'throw'), failing('/async', 'reject')], (e) =>
        logged.push(e),
      ),
    });
    for (const path of ['/sync', '/async']) {
      const response = await yoga.fetch(`http://yoga${path}`);
      const text = await response.text();
      expect(response.status, path).toBe(500);
      expect(JSON.parse(text)).toEqual({
        errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      });
      noStack(text);
    }
    expect(logged).toHaveLength(2);
    // Requests the plugins let through are served as before.
    const ok = await yoga.fetch('http://yoga/graphql?query=%7B__typename%7D');
    expect(ok.status).toBe(200);
  });
});

describe('the client’s mistakes carry BAD_USER_INPUT, as the API’s own refusals do', () => {
  const post = async (query: string, variables?: Record<string, unknown>) =>
    (
      await send('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      })
    ).json().errors?.[0];

  it.each([
    [
      '{ node(id: "Rm9vOjE=") { id } }',
      'The id names a type this API has no objects of; pass back the id of an object it returned.',
    ],
    [
      '{ node(id: "not-base64!!") { id } }',
      '"not-base64!!" is not an id this API gives out; pass back the id of an object it returned.',
    ],
    [
      '{ node(id: "QWdlbmN5") { id } }',
      '"QWdlbmN5" is not an id this API gives out; pass back the id of an object it returned.',
    ],
    ['{ reports(first: -1) { __typename } }', 'Argument "first" must be a non-negative integer'],
    [
      '{ agency(id: "UmVwb3J0OjQw") { id } }',
      "Argument id: the id UmVwb3J0OjQw is a Report's id; this argument takes an Agency's id (its `id` field).",
    ],
    [
      '{ reports(after: "garbage") { __typename } }',
      'Invalid cursor "garbage": pass back the cursor of an edge (or pageInfo\'s endCursor / startCursor) this list returned.',
    ],
    ['{ reports(year: 1900) { edges { cursor } } }', 'Year 1900 is out of range 2000–2100.'],
  ])('%s', async (query, message) => {
    expect(await post(query)).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
  });

  it.each([
    ['{ reports(first: -1) { __typename } }', 'first'],
    ['{ reports(last: -2) { __typename } }', 'last'],
    ['{ reports(after: "garbage") { __typename } }', 'after'],
    ['{ reports(last: 2, before: "garbage") { __typename } }', 'before'],
  ])(
    '%s names the paging argument, as the fields that answer InvalidInputError do',
    async (query, argument) => {
      expect(await post(query)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument } });
    },
  );

  it('a variable of the wrong type, or missing', async () => {
    const query = 'query($y: Int!) { reports(year: $y) { edges { cursor } } }';
    expect(await post(query, { y: 'x' })).toMatchObject({
      message: expect.stringMatching(/^Variable "\$y" got invalid value "x"/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(await post(query, {})).toMatchObject({
      message: expect.stringMatching(/^Variable "\$y" of required type "Int!" was not provided/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('an enum value the enum does not have names the values it takes, in a literal or a variable', async () => {
    expect(
      await post('{ rollup(groupBy: [PROVINCE], metrics: [{ metric: T3_NEW_REQUESTS }]) { __typename } }'),
    ).toMatchObject({
      message:
        'Value "PROVINCE" does not exist in "RollupDimension" enum. RollupDimension takes REGION, LEVEL, KIND, YEAR or TEMPLATE_VERSION.',
    });
    expect(
      await post(
        'query($d: [RollupDimension!]!) { rollup(groupBy: $d, metrics: [{ metric: T3_NEW_REQUESTS }]) { __typename } }',
        { d: ['YEARS'] },
      ),
    ).toMatchObject({
      message: expect.stringMatching(
        /^Variable "\$d" got invalid value "YEARS" at "d\[0\]"; Value "YEARS" does not exist in "RollupDimension" enum\. Did you mean the enum value "YEAR"\? RollupDimension takes REGION, LEVEL, KIND, YEAR or TEMPLATE_VERSION\.$/,
      ),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    // The metrics (79) are not listed: the message says where they are; said once, also when the
    // query's validation is cached.
    for (let i = 0; i < 2; i++) {
      expect(await post('{ ranking(year: 2022, metric: { metric: FOO }) { __typename } }')).toMatchObject({
        message: `Value "FOO" does not exist in "Metric" enum. Metric takes one of ${METRICS.length} values; the \`metrics\` query lists them.`,
      });
    }
  });

  it('findings refuse a year out of range instead of answering nothing', async () => {
    const result = (
      await send('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `{
          list: findings(filter: { years: [1900] }) { ... on InvalidInputError { message argument } }
          byAgency: findingCountsByAgency(filter: { years: [99999] }) { ... on InvalidInputError { message argument } }
        }`,
        }),
      })
    ).json() as unknown as { data: Record<string, unknown> };
    expect(result.data).toEqual({
      list: { message: 'Year 1900 is out of range 2000–2100.', argument: 'filter.years' },
      byAgency: { message: 'Year 99999 is out of range 2000–2100.', argument: 'filter.years' },
    });
  });
});

describe('a body the server does not read: a file part, a compressed body', () => {
  it('a multipart file upload is a 415 saying the file goes in base64, never the file object echoed', async () => {
    const form = new FormData();
    form.set(
      'operations',
      JSON.stringify({
        query: 'mutation($f: String!) { importReport(input: {base64: $f}) { __typename } }',
        variables: { f: null },
      }),
    );
    form.set('map', JSON.stringify({ 0: ['variables.f'] }));
    form.set('0', new Blob([new Uint8Array([0x50, 0x4b, 3, 4])]), 'report.docx');
    const answer = await send('/graphql', { method: 'POST', body: form });
    expect(answer.status, answer.text).toBe(415);
    expect(answer.json().errors?.[0]).toMatchObject({
      message: expect.stringMatching(
        /content type is "multipart\/form-data; boundary=.*"\. A report file is sent in a JSON body, its bytes in base64 as importReport\(input: \{base64: …\}\)\.$/,
      ),
      extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
    });
    expect(answer.text).not.toMatch(/blobParts|_buffer/);
    noStack(answer.text);
  });

  it.each(['gzip', 'br', 'deflate'])(
    'a body sent with content-encoding: %s is a 415 saying to send it uncompressed',
    async (encoding) => {
      const { gzipSync, brotliCompressSync, deflateSync } = await import('node:zlib');
      const json = Buffer.from(JSON.stringify({ query: '{ __typename }' }));
      const body =
        encoding === 'gzip'
          ? gzipSync(json)
          : encoding === 'br'
            ? brotliCompressSync(json)
            : deflateSync(json);
      const answer = await send('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body,
      });
      expect(answer.status, answer.text).toBe(415);
      expect(answer.json().errors?.[0]).toMatchObject({
        message: `The request body is compressed (content-encoding: ${encoding}); this server reads uncompressed bodies only. Send it without content-encoding (answers are compressed where the request sends accept-encoding).`,
        extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
      });
      expect(answer.text).not.toContain('\\u001f');
    },
  );
});
