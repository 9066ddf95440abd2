/**
 * Answers keep the order of the query's fields (GraphQL spec, "Serialized Map Ordering"),
 * fields resolved later (Prisma relations, loaders) included: /csv and `export csv` take the
 * first list of the answer, and clients that print an answer show it in the order asked.
 */
import { type FieldNode, Kind, parse, type SelectionSetNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { loadRegions } from '../../src/store/regions.ts';
import { seedSynthetic } from '../comparison/synthetic.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { testConfig } from '../support/graphql.ts';

const db = testDb();
const apps = {
  compiled: createApp({ db, config: testConfig() }),
  interpreted: createApp({ db, config: testConfig({ COMPILED_EXECUTION: 'off' }) }),
};
beforeAll(async () => {
  await resetDatabase(db);
  await loadRegions(db, { townships: false });
  await seedSynthetic(db, 12);
}, 60_000);
afterAll(async () => {
  await Promise.all(Object.values(apps).map((app) => app.close()));
  await db.$disconnect();
});

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

async function answer(app: (typeof apps)['compiled'], query: string) {
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
  for (const [mode, app] of Object.entries(apps))
    for (const [name, query] of Object.entries(QUERIES))
      it(`${name}, ${mode}`, async () => {
        const data = await answer(app, query);
        const operation = parse(query).definitions[0];
        if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation');
        expectQueryOrder(data, operation.selectionSet);
      });

  it('/csv exports the list the query names first', async () => {
    const response = await apps.compiled.fetch('http://yoga/csv', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERIES.ranking }),
    });
    expect(response.status).toBe(200);
    // After the byte-order mark Excel needs; CRLF line ends.
    const header = (await response.text()).replace(/^\uFEFF/, '').split('\r\n')[0];
    expect(header).toBe(
      'rank,tied,agency.name,agency.region.code,agency.region.name,value.value,value.numerator,value.denominator',
    );
  });
});
