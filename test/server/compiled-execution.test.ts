import { parse } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema/index.ts';
import { createApp } from '../../src/server/app.ts';
import { compilable } from '../../src/server/compiled-execution.ts';
import { createDb } from '../../src/store/db.ts';
import { loadRegions } from '../../src/store/regions.ts';
import { seedSynthetic } from '../comparison/synthetic.ts';
import { databaseUrl, resetDatabase } from '../support/db.ts';
import { testConfig } from '../support/graphql.ts';

const NINGXIA = '{ agency: { regionCode: "640000" } }';

/** Comparison queries as dashboards send them: fragments, aliases, variables, sorts, errors. */
const COMPILED: Record<string, { query: string; variables?: Record<string, unknown> }> = {
  compareSorted: {
    query: /* GraphQL */ `query CompareSorted($year: Int!, $metric: Metric!) {
      compare(metrics: [{ metric: $metric }, { metric: T3_NEW_REQUESTS }, { metric: REVIEW_CORRECTION_RATE, transform: CHANGE }],
              filter: ${NINGXIA}, sort: { metric: 0, year: $year, direction: DESC }, limit: 7) {
        __typename
        ... on Comparison { rowCount ...Rows totals { year reportCount values { value nullReason pooledReports } } }
      }
    }
    fragment Rows on Comparison { rows { agency { id name level kind synthetic } year templateVersion rank tied values { label value nullReason numerator denominator } } }`,
    variables: { year: 2022, metric: 'DISCLOSURE_RATE' },
  },
  series: {
    query: /* GraphQL */ `{ a: series(metric: { metric: DISCLOSURE_RATE }, filter: ${NINGXIA}, limit: 5) {
      ... on Series { years agencyCount series { agency { name } points { year value nullReason } } totals { year value } } }
      b: series(metric: { metric: T3_GRANTED }, filter: { years: [2021, 2023] }) { ... on Series { years } } }`,
  },
  ranking: {
    query: /* GraphQL */ `{ ranking(metric: { metric: REVIEW_CORRECTION_RATE }, year: 2022, filter: ${NINGXIA}) {
      ... on Ranking { populationSize rankedCount entries { rank tied agency { name } value { value nullReason } } unranked { reason count } } } }`,
  },
  change: {
    query: /* GraphQL */ `{ change(metric: { metric: T3_NEW_REQUESTS }, fromYear: 2020, toYear: 2023, filter: ${NINGXIA}) { __typename } }`,
  },
  rollup: {
    query: /* GraphQL */ `{ rollup(metrics: [{ metric: DISCLOSURE_RATE }, { metric: T3_NEW_REQUESTS }], groupBy: [YEAR, TEMPLATE_VERSION], filter: ${NINGXIA}) {
      ... on Rollup { groups { key { year templateVersion } reportCount aggregates { pooled sum avg min max median reportingAgencies } } } } }`,
  },
  outcomeBreakdown: {
    query: /* GraphQL */ `{ outcomeBreakdown(filter: ${NINGXIA}) {
      ... on OutcomeBreakdowns { perYear { year total { count } rows { row count share } groups { group count share } } allYears { reportCount } } } }`,
  },
  invalidInput: {
    query: /* GraphQL */ `{ compare(metrics: [{ metric: T3_GRANTED }], limit: -1) {
      __typename ... on InvalidInputError { message argument } } }`,
  },
  badVariable: {
    query: /* GraphQL */ `query Bad($year: Int!) { ranking(metric: { metric: T3_GRANTED }, year: $year) { __typename } }`,
    variables: { year: 'two thousand' },
  },
};

/** Queries that must keep running through graphql-js. */
const INTERPRETED: Record<string, { query: string; variables?: Record<string, unknown> }> = {
  prismaRelation: {
    query: /* GraphQL */ `{ compare(metrics: [{ metric: T3_GRANTED }], filter: ${NINGXIA}) {
      ... on Comparison { rows { agency { name region { code name } } } } } }`,
  },
  prismaRoot: { query: '{ agencies(first: 3) { ... on QueryAgenciesConnection { totalCount } } }' },
};

describe('which queries run compiled', () => {
  const decide = (query: string, operationName?: string) => compilable(schema, parse(query), operationName);

  it('comparisons whose selections stay in the SQL rows', () => {
    for (const { query } of Object.values(COMPILED)) expect(decide(query)).toBe(true);
  });

  it('not a query that reaches a Prisma loader, a Prisma root field, a mutation or a mixed root', () => {
    for (const { query } of Object.values(INTERPRETED)) expect(decide(query)).toBe(false);
    // A relation reached through a named fragment counts too.
    expect(
      decide(`{ ranking(metric: { metric: T3_GRANTED }, year: 2022) { ... on Ranking { entries { agency { ...A } } } } }
        fragment A on Agency { region { name } }`),
    ).toBe(false);
    expect(decide('{ compare(metrics: [{ metric: T3_GRANTED }]) { __typename } metrics { name } }')).toBe(
      false,
    );
    expect(decide('mutation { revokeToken(name: "x") { __typename } }')).toBe(false);
    expect(decide('subscription { importCommitted { dataVersion } }')).toBe(false);
  });

  it('the operation named, in a document with several', () => {
    const document = `query A { ranking(metric: { metric: T3_GRANTED }, year: 2022) { __typename } }
      query B { agencies { __typename } }`;
    expect(decide(document, 'A')).toBe(true);
    expect(decide(document, 'B')).toBe(false);
  });
});

describe('compiled execution', () => {
  const db = createDb(databaseUrl(), { poolSize: 4 });
  const logged: { msg: string; operation?: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  const compiled = createApp({ db, config: testConfig(), logger });
  const interpreted = createApp({ db, config: testConfig({ COMPILED_EXECUTION: 'off' }) });
  const ask = async (app: typeof compiled, body: { query: string; variables?: Record<string, unknown> }) => {
    const response = await app.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  beforeAll(async () => {
    await resetDatabase(db);
    await loadRegions(db, { townships: false });
    await seedSynthetic(db, 40);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([compiled.close(), interpreted.close()]);
    await db.$disconnect();
  });

  it('answers every comparison exactly as graphql-js does, errors included', async () => {
    for (const [name, body] of Object.entries({ ...COMPILED, ...INTERPRETED })) {
      const [fast, plain] = [await ask(compiled, body), await ask(interpreted, body)];
      if (name !== 'badVariable') expect(plain.body.errors, name).toBeUndefined();
      expect(fast, name).toEqual(plain);
      // Twice: the second run takes the compiled function from the cache.
      expect(await ask(compiled, body), name).toEqual(plain);
    }
    const answers = await ask(compiled, COMPILED.compareSorted as { query: string });
    // limit counts agencies when the sort has a year: 7 or more agencies (ties), each with its years.
    expect(
      new Set(answers.body.data.compare.rows.map((r: { agency: { id: string } }) => r.agency.id)).size,
    ).toBeGreaterThanOrEqual(7);
    expect(answers.body.data.compare.rows[0].rank).toBe(1);
    expect((await ask(compiled, COMPILED.invalidInput as { query: string })).body.data.compare).toMatchObject(
      {
        __typename: 'InvalidInputError',
        argument: 'limit',
      },
    );
  });

  it('compiles each comparison document once and leaves the others to graphql-js', () => {
    const compiledOperations = logged.filter((line) => line.msg === 'query compiled for execution');
    // Bad is compiled, but its variables are refused by graphql-js (the equality above).
    expect(compiledOperations.map((line) => line.operation).sort()).toEqual(
      [
        'Bad',
        'CompareSorted',
        'anonymous',
        'anonymous',
        'anonymous',
        'anonymous',
        'anonymous',
        'anonymous',
      ].sort(),
    );
  });

  it('reports a database error as graphql-js would: masked, and logged once', async () => {
    const url = new URL(databaseUrl());
    url.pathname = '/postgres';
    const wrong = createDb(url.toString(), { poolSize: 1 });
    const errors: unknown[] = [];
    const app = createApp({ db: wrong, config: testConfig(), logError: (e) => errors.push(e) });
    const plain = createApp({
      db: wrong,
      config: testConfig({ COMPILED_EXECUTION: 'off' }),
      logError: () => {},
    });
    try {
      const { body } = await ask(app, COMPILED.ranking as { query: string });
      expect(body.errors).toEqual([
        expect.objectContaining({ message: 'Unexpected error.', path: ['ranking'] }),
      ]);
      expect(JSON.stringify(body)).not.toMatch(/SELECT|stack|at \//i);
      expect(errors).toHaveLength(1);
      // The same bytes as graphql-js's answer: the error's locations (found through an alias
      // and a fragment) and `errors` before `data`.
      const aliased = {
        query: `query Aliased { first: ranking(metric: { metric: T3_GRANTED }, year: 2022, limit: 1) { ...Entries } }
          fragment Entries on RankingResult { ... on Ranking { entries { rank } } }`,
      };
      for (const body of [COMPILED.ranking as { query: string }, aliased]) {
        const [fast, slow] = await Promise.all(
          [app, plain].map(async (a) =>
            (
              await a.fetch('http://yoga/graphql', {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(body),
              })
            ).text(),
          ),
        );
        expect(fast).toBe(slow);
        expect(fast).toContain('"locations":[{');
      }
    } finally {
      await Promise.all([app.close(), plain.close()]);
      await wrong.$disconnect();
    }
  });
});
