/**
 * GraphQL answers leave the server as the bytes of JSON.stringify (src/server/json-bytes.ts
 * writes them directly): the same text, headers and status codes, for answers and errors, in
 * every media type the client may ask for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { loadRegions } from '../../src/store/regions.ts';
import { seedSynthetic } from '../comparison/synthetic.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { testConfig } from '../support/graphql.ts';

const db = testDb();
const compiled = createApp({ db, config: testConfig() });
const interpreted = createApp({ db, config: testConfig({ COMPILED_EXECUTION: 'off' }) });
beforeAll(async () => {
  await resetDatabase(db);
  await loadRegions(db, { townships: false });
  await seedSynthetic(db, 12);
}, 60_000);
afterAll(async () => {
  await Promise.all([compiled.close(), interpreted.close()]);
  await db.$disconnect();
});

const COMPARE = `{ compare(filter: { agency: { regionCode: "640000" } }, metrics: [{ metric: T3_NEW_REQUESTS }, { metric: DISCLOSURE_RATE }, { metric: T2_FEES_AMOUNT }]) {
  ... on Comparison { rowCount rows { year templateVersion agency { name } values { value nullReason } } } } }`;

const post = (app: typeof compiled, query: string, accept?: string) =>
  app.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) },
    body: JSON.stringify({ query }),
  });

/** The JSON of the answer sent as an event stream. */
async function streamed(app: typeof compiled, query: string) {
  const response = await post(app, query, 'text/event-stream');
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const data = (await response.text()).split('\n').find((line) => line.startsWith('data: {'));
  return data?.slice('data: '.length);
}

describe('JSON answers', () => {
  it('are the text JSON.stringify writes, Chinese names and ratios included, compiled or not', async () => {
    for (const app of [compiled, interpreted]) {
      const response = await post(app, COMPARE);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const text = await response.text();
      // The event-stream processor writes the same result with JSON.stringify.
      expect(text).toBe(await streamed(app, COMPARE));
      const answer = JSON.parse(text);
      expect(answer.data.compare.rowCount).toBe(72);
      expect(answer.data.compare.rows[0].agency.name).toMatch(/^合成机构\d{5}$/);
      expect(
        answer.data.compare.rows.some(
          (r: { values: { value: number }[] }) => !Number.isInteger(r.values[1]?.value),
        ),
      ).toBe(true);
    }
  });

  it('keep yoga’s status codes and error texts for each media type', async () => {
    const cases = [
      { query: '{ nope }', accept: undefined, status: 200 },
      { query: '{ nope }', accept: 'application/graphql-response+json', status: 400 },
      { query: '{ compare(metrics: []) { __typename', accept: undefined, status: 200 },
      {
        query: '{ compare(metrics: []) { __typename',
        accept: 'application/graphql-response+json',
        status: 400,
      },
      { query: '{ __typename }', accept: 'application/graphql-response+json', status: 200 },
    ];
    for (const { query, accept, status } of cases) {
      const response = await post(compiled, query, accept);
      expect(response.status, query).toBe(status);
      expect(response.headers.get('content-type'), query).toBe(
        `${accept ?? 'application/json'}; charset=utf-8`,
      );
      const text = await response.text();
      const body = JSON.parse(text);
      expect(text).toBe(JSON.stringify(body));
      if (query !== '{ __typename }') expect(body.errors[0].message, query).toMatch(/nope|Syntax Error/);
    }
  });
});
