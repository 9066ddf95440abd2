/**
 * Arguments an attacker controls: huge lists in variables, NUL characters, ids of objects that
 * do not exist. Each is a typed, located answer, never "Unexpected error." and never a long
 * computation.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { graphqlClient, IMPORT_MUTATION, testConfig } from '../support/graphql.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));

describe('hostile arguments', () => {
  const unexpected: unknown[] = [];
  const gql = graphqlClient(db, unexpected);

  it('nodes(ids:) with 20,000 ids in variables is refused at once, naming the argument and the limit', async () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => Buffer.from(`Agency:${i + 1}`).toString('base64'));
    const query = 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }';
    // The file's first request builds the server's caches (614 ms of the 2 s at a load average of
    // 7 on 2 cores); the bound is for the refusal, so that is done before the clock starts.
    expect((await gql(query, { ids: ids.slice(0, 1) })).errors).toBeUndefined();
    const started = performance.now();
    const { data, errors } = await gql(query, { ids });
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

  it('an id whose number is not a PostgreSQL int is an input error, never read as another id', async () => {
    for (const raw of ['Agency:abc', 'Agency:1.5', 'Agency:1:2', 'Agency:2147483648', 'Agency:-1']) {
      const id = Buffer.from(raw).toString('base64');
      const { data, errors } = await gql('query ($id: ID!) { node(id: $id) { id } }', { id });
      expect(data?.node ?? null, raw).toBeNull();
      expect(errors?.[0], raw).toMatchObject({
        message: `"${id}" is not an id this API gives out; pass back the id of an object it returned.`,
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    const agency = Buffer.from('Agency:1.5').toString('base64');
    const { errors } = await gql('query ($id: ID!) { agency(id: $id) { name } }', { id: agency });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(unexpected).toEqual([]);
  });

  it('a text argument of a million characters is refused before it reaches the database', async () => {
    const started = performance.now();
    const { errors } = await gql(
      'query ($n: String!) { agencies(filter: { nameContains: $n }) { ... on QueryAgenciesConnection { totalCount } } }',
      { n: '中'.repeat(1_000_000) },
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(errors?.[0]).toMatchObject({
      message:
        "Argument filter.nameContains of agencies is 1,000,000 characters long; the limit is 2,000 (only a report's text or base64 may be longer).",
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(unexpected).toEqual([]);
  });

  it('variables nested 100,000 deep, used or not, are a typed input error, not a 500', async () => {
    // Written as text: JSON.stringify itself cannot write such a value.
    const body = `{"query":"{ __typename }","variables":{"unused":${'['.repeat(100_000)}1${']'.repeat(100_000)}}}`;
    for (const config of [testConfig(), testConfig({ RESPONSE_CACHE: 'on' })]) {
      const app = createApp({ db, config, logError: (e) => unexpected.push(e) });
      const response = await app.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const text = await response.clone().text();
      expect(response.status, text.slice(0, 300)).not.toBe(500);
      const { errors } = (await response.json()) as { errors?: { message: string; extensions?: unknown }[] };
      expect(errors?.[0]).toMatchObject({
        message: 'The variables nest deeper than 32 levels; no argument of this API does.',
        extensions: { code: 'BAD_USER_INPUT' },
      });
      await app.close();
    }
    expect(unexpected).toEqual([]);
  });

  it('imports refuse a source address that is not http(s), and invisible or blank agency names', async () => {
    const text = fixtureText(REAL_V2019);
    for (const sourceUrl of ['javascript:alert(1)', 'www.gov.cn/a', 'http://x/a b']) {
      const { data } = await gql(IMPORT_MUTATION, { input: { text, sourceUrl } });
      expect(data?.importReport, sourceUrl.slice(0, 30)).toMatchObject({
        __typename: 'InvalidInputError',
        argument: 'input.sourceUrl',
      });
    }
    for (const [agencyName, why] of [
      ['中卫市科学技术局\u200b', 'contains the invisible character U+200B'],
      ['\u202e局术技学科市卫中', 'contains the invisible character U+202E'],
      ['   ', 'is blank'],
    ] as const) {
      const { data } = await gql(IMPORT_MUTATION, { input: { text, agencyName } });
      // Refused naming the field, before the file is parsed.
      expect(data?.importReport).toMatchObject({
        __typename: 'InvalidInputError',
        argument: 'input.agencyName',
        message: expect.stringContaining(why),
      });
    }
    expect(await db.agency.count()).toBe(0);
    expect(unexpected).toEqual([]);
  });
});
