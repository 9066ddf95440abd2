/**
 * Only POST /graphql runs a mutation. Every other way in (GET, /csv by GET or POST, any
 * content type, a request marked read-only) refuses it before anything is written, even with
 * a token that may import.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { resetDatabase, tableCounts, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { IMPORT_MUTATION, TEST_IMPORT_TOKEN, testConfig } from '../support/graphql.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(async () => {
  await resetDatabase(db);
  await db.$executeRaw`
    INSERT INTO api_token (name, token_hash, scopes)
    VALUES ('test-import', ${createHash('sha256').update(TEST_IMPORT_TOKEN).digest('hex')}, ARRAY['import'])`;
});

describe('mutations only by POST /graphql', () => {
  const app = createApp({ db, config: testConfig() });
  const auth = { authorization: `Bearer ${TEST_IMPORT_TOKEN}` };
  const variables = { input: { text: fixtureText(REAL_V2019), fileName: 'r.txt' } };
  const body = JSON.stringify({ query: IMPORT_MUTATION, variables });

  it('refuses a mutation through /csv and GET, whatever the method and content type, and writes nothing', async () => {
    const before = await tableCounts(db);
    const query = encodeURIComponent(IMPORT_MUTATION);
    const vars = encodeURIComponent(JSON.stringify(variables));
    const attempts: [string, RequestInit][] = [
      [`/csv?query=${query}&variables=${vars}`, { method: 'GET', headers: auth }],
      ['/csv', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body }],
      ['/csv', { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body }],
      [`/graphql?query=${query}&variables=${vars}`, { method: 'GET', headers: auth }],
      [
        '/graphql',
        {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json', 'x-read-only': '1' },
          body,
        },
      ],
    ];
    for (const [path, init] of attempts) {
      const response = await app.fetch(`http://yoga${path}`, init);
      const text = await response.text();
      expect(
        response.status >= 400 || /READ_ONLY_REQUEST|only read/.test(text),
        `${init.method} ${path}: ${text}`,
      ).toBe(true);
      expect(text, path).not.toMatch(/CREATED/);
    }
    expect(await tableCounts(db)).toEqual(before);
  });

  it('/csv still exports a query by GET and POST', async () => {
    const query = '{ findingRules { rule severity } }';
    const get = await app.fetch(`http://yoga/csv?query=${encodeURIComponent(query)}`);
    expect(get.status).toBe(200);
    expect(await get.text()).toContain('T3_BALANCE');
    const post = await app.fetch('http://yoga/csv', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    expect(post.status).toBe(200);
  });

  it('the same mutation by POST /graphql with the token is stored', async () => {
    const response = await app.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body,
    });
    expect(await response.text()).toContain('CREATED');
  });
});
