/**
 * GraphQL answers leave the server as the bytes of JSON.stringify (src/server/json-bytes.ts
 * writes them directly): the same text, headers and status codes, for answers and errors, in
 * every media type the client may ask for; and with their fields in the order the query asks.
 */
import { type FieldNode, Kind, parse, type SelectionSetNode } from 'graphql';
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

// Answers keep the order of the query's fields (GraphQL spec, "Serialized Map Ordering"),
// fields resolved later (Prisma relations, loaders) included: /csv and `export csv` take the
// first list of the answer, and clients that print an answer show it in the order asked.
/** Every object of `value` has its keys in the order `selection` asks for them (no fragments). */
function expectQueryOrder(value: unknown, selection: SelectionSetNode, path = 'data') {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      expectQueryOrder(item, selection, `${path}[${i}]`);
    });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const fields = selection.selections.flatMap((s) =>
    s.kind === Kind.FIELD
      ? [s]
      : s.kind === Kind.INLINE_FRAGMENT
        ? (s.selectionSet.selections as FieldNode[])
        : [],
  );
  const keys = fields.map((f) => f.alias?.value ?? f.name.value);
  const present = keys.filter((k, i) => k in value && keys.indexOf(k) === i);
  expect(Object.keys(value), path).toEqual(present);
  for (const field of fields)
    if (field.selectionSet)
      expectQueryOrder(
        (value as Record<string, unknown>)[field.alias?.value ?? field.name.value],
        field.selectionSet,
        `${path}.${field.alias?.value ?? field.name.value}`,
      );
}

async function answer(app: typeof compiled, query: string) {
  const response = await app.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

const QUERIES = {
  // A Prisma relation (agency) between plain columns, a synchronous alias before and after.
  reports: `{ x: __typename reports(first: 3) { edges { node { year agency { name region { code name } } revisionCount id } } } y: __typename }`,
  // The README's ranking: entries reach agencies through Prisma, unranked does not.
  ranking: `{ ranking(metric: { metric: T3_NEW_REQUESTS }, year: 2022, filter: { agency: { regionCode: "640000" } }) {
    ... on Ranking { metric { label } populationSize rankedCount
      entries { rank tied agency { name region { code name } } value { value numerator denominator } }
      unranked { reason count } } } }`,
  // Answered from SQL, compiled by graphql-jit.
  compare: `{ compare(filter: { agency: { regionCode: "640000" } }, metrics: [{ metric: T3_NEW_REQUESTS }]) {
    ... on Comparison { rowCount rows { values { nullReason value } agency { name } year templateVersion } } } }`,
};

describe('answers keep the order of the query', () => {
  for (const [mode, app] of Object.entries({ compiled, interpreted }))
    for (const [name, query] of Object.entries(QUERIES))
      it(`${name}, ${mode}`, async () => {
        const data = await answer(app, query);
        const operation = parse(query).definitions[0];
        if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation');
        expectQueryOrder(data, operation.selectionSet);
      });

  it('/csv names the lists in query order, and exports the one asked for with its columns in query order', async () => {
    const csv = (path?: string) =>
      compiled.fetch('http://yoga/csv', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: QUERIES.ranking, path }),
      });
    expect((await (await csv()).json()).errors[0].message).toMatch(
      /^The result holds 2 lists \(ranking\.entries, ranking\.unranked\)/,
    );
    const response = await csv('ranking.entries');
    expect(response.status).toBe(200);
    // After the byte-order mark Excel needs; CRLF line ends.
    const header = (await response.text()).replace(/^\uFEFF/, '').split('\r\n')[0];
    expect(header).toBe(
      'rank,tied,agency.name,agency.region.code,agency.region.name,value.value,value.numerator,value.denominator',
    );
  });
});
