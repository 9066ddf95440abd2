/**
 * An empty "any of these" list is refused wherever the API takes one: `ids: []` used to match
 * no agency while `years: []` matched every year, so a dashboard's cleared selector got
 * opposite answers depending on the field. Leaving the argument out means all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun } from '../../src/store/collection-runs.ts';
import { seedComparisonData } from '../comparison/dataset.ts';
import { testDb } from '../support/db.ts';
import { graphqlClient } from '../support/graphql.ts';

const db = testDb();
const errors: unknown[] = [];
const gql = graphqlClient(db, errors);
let runId = 0;
afterAll(() => db.$disconnect());
beforeAll(async () => {
  await seedComparisonData(db);
  runId = (
    await createRun(db, {
      seeds: ['https://example.gov.cn/'],
      settings: {},
      maxReports: null,
      startedBy: 'test',
    })
  ).id;
}, 60_000);

const refusal = (argument: string) =>
  expect.stringMatching(
    new RegExp(
      `^${argument.replace(/[.[\]]/g, '\\$&')} is an empty list, which could mean all or none; leave it out for .+, or give at least one\\.$`,
    ),
  );

const ROLLUP = /* GraphQL */ `
  query ($filter: ReportFilter) {
    rollup(groupBy: [YEAR], metrics: [{ metric: T3_GRANTED }], filter: $filter) {
      __typename
      ... on InvalidInputError { argument message }
      ... on Rollup { groups { reportCount } }
    }
  }
`;

describe('comparisons refuse an empty list in their filter with InvalidInputError', () => {
  it.each([
    [{ years: [] }, 'filter.years'],
    [{ templateVersions: [] }, 'filter.templateVersions'],
    [{ agency: { ids: [] } }, 'filter.agency.ids'],
    [{ agency: { levels: [] } }, 'filter.agency.levels'],
    [{ agency: { kinds: [] } }, 'filter.agency.kinds'],
    [{ agency: { years: [] } }, 'filter.agency.years'],
  ])('%j names %s', async (filter, argument) => {
    const { data, errors: gqlErrors } = await gql(ROLLUP, { filter });
    expect(gqlErrors).toBeUndefined();
    expect(data?.rollup).toEqual({ __typename: 'InvalidInputError', argument, message: refusal(argument) });
  });

  it('answers the same filters with one entry, and with none left out', async () => {
    const reports = async (filter: object | null) => {
      const groups: { reportCount: number }[] = (await gql(ROLLUP, { filter })).data?.rollup.groups ?? [];
      return groups.reduce((sum, g) => sum + g.reportCount, 0);
    };
    const all = await reports(null);
    expect(all).toBeGreaterThan(0);
    expect(await reports({ templateVersions: ['V2019', 'V2021'] })).toBe(all);
    expect(await reports({ agency: { kinds: ['GOVERNMENT', 'DEPARTMENT', 'OTHER'] } })).toBe(all);
    expect(await reports({ years: [2020] })).toBeGreaterThan(0);
    // An empty `where` is a conjunction of no conditions: every report.
    expect(await reports({ where: [] })).toBe(all);
    expect(errors).toEqual([]);
  });
});

describe('ranking and change refuse years in their filter, an empty list too', () => {
  const RANKING_AND_CHANGE = /* GraphQL */ `
    query ($filter: ReportFilter) {
      ranking(metric: { metric: DISCLOSURE_RATE }, year: 2021, filter: $filter) {
        __typename
        ... on InvalidInputError { argument message }
      }
      change(metric: { metric: T3_GRANTED }, fromYear: 2020, toYear: 2021, filter: $filter) {
        __typename
        ... on InvalidInputError { argument message }
      }
    }
  `;

  it.each([
    [{ years: [] }, 'filter.years is an empty list'],
    [{ years: [2019] }, 'filter.years is given'],
    [{ years: [2021] }, 'filter.years is given'],
  ])('%j is refused naming filter.years and where the years come from', async (filter, what) => {
    const { data, errors: gqlErrors } = await gql(RANKING_AND_CHANGE, { filter });
    expect(gqlErrors).toBeUndefined();
    expect(data?.ranking).toEqual({
      __typename: 'InvalidInputError',
      argument: 'filter.years',
      message: `${what}, but a ranking is for the one year given as \`year\`: leave filter.years out.`,
    });
    expect(data?.change).toEqual({
      __typename: 'InvalidInputError',
      argument: 'filter.years',
      message: `${what}, but a change compares the two years given as \`fromYear\` and \`toYear\`: leave filter.years out.`,
    });
  });

  it('answers without years in the filter', async () => {
    const { data } = await gql(RANKING_AND_CHANGE, { filter: { agency: { kinds: ['GOVERNMENT'] } } });
    expect(data?.ranking.__typename).toBe('Ranking');
    expect(data?.change.__typename).toBe('Change');
    expect(errors).toEqual([]);
  });
});

describe('lists and single reports refuse an empty list too', () => {
  it('agencies(filter)', async () => {
    const { data } = await gql(
      'query($filter: AgencyFilter) { agencies(first: 5, filter: $filter) { __typename ... on InvalidInputError { argument message } } }',
      { filter: { levels: [] } },
    );
    expect(data?.agencies).toEqual({
      __typename: 'InvalidInputError',
      argument: 'filter.levels',
      message: refusal('filter.levels'),
    });
  });

  it.each([
    [{ rules: [] }, 'filter.rules'],
    [{ years: [] }, 'filter.years'],
  ])('findings and finding counts, %j', async (filter, argument) => {
    const { data } = await gql(
      `query($filter: FindingFilter) {
        list: findings(filter: $filter) { __typename ... on InvalidInputError { argument message } }
        byAgency: findingCountsByAgency(filter: $filter) { __typename ... on InvalidInputError { argument } }
      }`,
      { filter },
    );
    expect(data?.list).toEqual({ __typename: 'InvalidInputError', argument, message: refusal(argument) });
    expect(data?.byAgency).toEqual({ __typename: 'InvalidInputError', argument });
  });

  it('a report’s reconciliation(rules: [])', async () => {
    const query = `query($rules: [FindingRule!]) {
      reports(first: 1) { edges { node { reconciliation(rules: $rules) { checks { rule } } } } }
    }`;
    const full = await gql(query, { rules: null });
    expect(full.data?.reports.edges[0].node.reconciliation.checks.length).toBeGreaterThan(0);
    const { errors: refused } = await gql(query, { rules: [] });
    expect(refused).toEqual([
      expect.objectContaining({
        message: refusal('rules'),
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'rules' }),
      }),
    ]);
  });

  it('a collection run’s problems(outcomes: [])', async () => {
    const query = `query($id: Int!, $outcomes: [CollectionOutcome!]) {
      collectionRun(id: $id) { problems(outcomes: $outcomes) { url } }
    }`;
    expect((await gql(query, { id: runId, outcomes: ['FAILED'] })).data?.collectionRun.problems).toEqual([]);
    const { errors: refused } = await gql(query, { id: runId, outcomes: [] });
    expect(refused).toEqual([
      expect.objectContaining({
        message: refusal('outcomes'),
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'outcomes' }),
      }),
    ]);
  });
});
