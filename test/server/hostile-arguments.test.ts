/**
 * Arguments an attacker controls: huge lists in variables, NUL characters, ids of objects that
 * do not exist. Each is a typed, located answer, never "Unexpected error." and never a long
 * computation.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { resetDatabase, testDb } from '../support/db.ts';
import { graphqlClient, testConfig } from '../support/graphql.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));

describe('hostile arguments', () => {
  const unexpected: unknown[] = [];
  const gql = graphqlClient(db, unexpected);

  it('nodes(ids:) with 20,000 ids in variables is refused at once, naming the argument and the limit', async () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => Buffer.from(`Agency:${i}`).toString('base64'));
    const started = performance.now();
    const { data, errors } = await gql('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(data).toBeUndefined();
    expect(errors?.[0]).toMatchObject({
      message: 'Argument ids of nodes has 20000 items; the limit is 100. Split the request.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('list items in variables count towards the query cost limit', async () => {
    const strict = graphqlClient(db, unexpected, testConfig({ MAX_QUERY_COST: '100' }));
    const ids = Array.from({ length: 60 }, (_, i) => Buffer.from(`Agency:${i}`).toString('base64'));
    const { errors } = await strict('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
    expect(errors?.[0]?.message).toBe(
      'The list arguments hold 60 items, which cost 120; the query cost limit is 100.',
    );
  });

  it('a list inside an input object counts too', async () => {
    const { errors } = await gql(
      'query ($years: [Int!]!) { findings(filter: { years: $years }) { ... on QueryFindingsConnection { totalCount } } }',
      {
        years: Array.from({ length: 500 }, (_, i) => 1900 + i),
      },
    );
    expect(errors?.[0]?.message).toBe(
      'Argument filter.years of findings has 500 items; the limit is 100. Split the request.',
    );
  });

  it('a NUL character in a string argument is a typed input error, not an unexpected one', async () => {
    for (const [query, variables] of [
      [
        '{ agencies(filter: { nameContains: "中卫\\u0000" }) { ... on QueryAgenciesConnection { totalCount } } }',
        {},
      ],
      ['query ($n: String!) { report(agencyName: $n, year: 2020) { year } }', { n: 'a\u0000b' }],
    ] as const) {
      const { errors } = await gql(query, variables);
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(errors?.[0]?.message).toMatch(/contains a NUL character/);
    }
    expect(unexpected).toEqual([]);
  });

  it('a well-formed id of a missing object is null, not an error', async () => {
    const id = Buffer.from('Agency:987654').toString('base64');
    const { data, errors } = await gql('query ($id: ID!) { node(id: $id) { id } }', { id });
    expect(errors).toBeUndefined();
    expect(data?.node).toBeNull();
    expect(unexpected).toEqual([]);
  });
});
