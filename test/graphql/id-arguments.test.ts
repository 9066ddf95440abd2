/**
 * Every argument that takes an agency's global id, given an id of another type or text that is
 * no id of this API: the answer names the argument's path and the value given. Fields with an
 * error union answer InvalidInputError (their other refusals, such as a bad region code, do
 * too); agency(id:) and report(agencyId:) a BAD_USER_INPUT error with `extensions.argument`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, testDb } from '../support/db.ts';
import { graphqlClient } from '../support/graphql.ts';

const db = testDb();
const unexpected: unknown[] = [];
const gql = graphqlClient(db, unexpected);
beforeAll(() => resetDatabase(db));
afterAll(async () => {
  expect(unexpected).toEqual([]);
  await db.$disconnect();
});

const globalId = (text: string) => Buffer.from(text).toString('base64');
const AGENCY = globalId('Agency:1');
const REPORT = globalId('Report:1');

/** Ids a client may send by mistake, with what the answer must say about each. */
const BAD_IDS: [label: string, value: string | number, says: RegExp][] = [
  ['a report id', REPORT, /is a Report's id; this argument takes an Agency's id/],
  ['text that is no id', 'abc', /"abc" is not an id this API gives out/],
  ['an agency id whose number is not an int', globalId('Agency:1.5'), /is not an id this API gives out/],
  ['a bare number', 5, /"5" is not an id this API gives out/],
  // Agency 1 by another spelling: answered, its object's id differed from the one sent.
  ['an agency id with a leading zero', globalId('Agency:01'), /is not an id this API gives out/],
  ['an agency id of 0', globalId('Agency:0'), /is not an id this API gives out/],
];

const INVALID = '__typename ... on InvalidInputError { message argument }';

/** Root fields with an error union: the query (taking `$id: ID!`) and the argument path expected. */
const UNION_FIELDS: [field: string, query: string, argument: string][] = [
  ['findings', `findings(filter: { agencyId: $id }) { ${INVALID} }`, 'filter.agencyId'],
  [
    'findingCountsByAgency',
    `findingCountsByAgency(filter: { agencyId: $id }) { ${INVALID} }`,
    'filter.agencyId',
  ],
  [
    'findingCountsByRegion',
    `findingCountsByRegion(filter: { agencyId: $id }) { ${INVALID} }`,
    'filter.agencyId',
  ],
  ['agencies', `agencies(filter: { ids: ["${AGENCY}", $id] }) { ${INVALID} }`, 'filter.ids[1]'],
  [
    'compare',
    `compare(metrics: [{ metric: T3_GRANTED }], filter: { agency: { ids: [$id] } }) { ${INVALID} }`,
    'filter.agency.ids[0]',
  ],
  [
    'change',
    `change(metric: { metric: T3_GRANTED }, fromYear: 2020, toYear: 2021, filter: { agency: { ids: [$id] } }) { ${INVALID} }`,
    'filter.agency.ids[0]',
  ],
  [
    'ranking',
    `ranking(metric: { metric: T3_GRANTED }, year: 2021, filter: { agency: { ids: [$id] } }) { ${INVALID} }`,
    'filter.agency.ids[0]',
  ],
  [
    'series',
    `series(metric: { metric: T3_GRANTED }, filter: { agency: { ids: [$id] } }) { ${INVALID} }`,
    'filter.agency.ids[0]',
  ],
  [
    'rollup',
    `rollup(metrics: [{ metric: T3_GRANTED }], groupBy: [LEVEL], filter: { agency: { ids: [$id] } }) { ${INVALID} }`,
    'filter.agency.ids[0]',
  ],
  [
    'outcomeBreakdown',
    `outcomeBreakdown(filter: { agency: { ids: [$id] } }) { ${INVALID} }`,
    'filter.agency.ids[0]',
  ],
];

describe('an id of the wrong type or shape in an argument', () => {
  for (const [label, value, says] of BAD_IDS) {
    it.each(UNION_FIELDS)(
      `${label}: %s answers InvalidInputError naming the argument path and the id`,
      async (field, query, argument) => {
        const { data, errors } = await gql(`query ($id: ID!) { ${query} }`, { id: value });
        expect(errors, field).toBeUndefined();
        expect(data?.[field], field).toMatchObject({ __typename: 'InvalidInputError', argument });
        expect(data?.[field].message, field).toMatch(says);
        expect(data?.[field].message, field).toContain(`Argument ${argument}:`);
      },
    );

    it.each([
      ['agency', 'agency(id: $id) { name }', 'id'],
      ['report', 'report(agencyId: $id, year: 2021) { year }', 'agencyId'],
    ])(
      `${label}: %s answers BAD_USER_INPUT naming the argument and the id`,
      async (field, query, argument) => {
        const { data, errors } = await gql(`query ($id: ID!) { ${query} }`, { id: value });
        expect(data?.[field] ?? null, field).toBeNull();
        expect(errors?.[0], field).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument } });
        expect(errors?.[0]?.message, field).toMatch(says);
        expect(errors?.[0]?.message, field).toContain(`Argument ${argument}:`);
      },
    );
  }

  it('a well-formed agency id still answers (nothing stored: empty, not refused)', async () => {
    const { data, errors } = await gql(
      `query ($id: ID!) {
        findings(filter: { agencyId: $id }) { __typename }
        agencies(filter: { ids: [$id] }) { __typename }
        compare(metrics: [{ metric: T3_GRANTED }], filter: { agency: { ids: [$id] } }) { __typename }
        agency(id: $id) { name }
        report(agencyId: $id, year: 2021) { year }
      }`,
      { id: AGENCY },
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      findings: { __typename: 'QueryFindingsConnection' },
      agencies: { __typename: 'QueryAgenciesConnection' },
      compare: { __typename: 'Comparison' },
      agency: null,
      report: null,
    });
  });
});
