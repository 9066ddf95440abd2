import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import { createDb } from '../../src/store/db.ts';
import { databaseUrl, resetDatabase } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { type GraphQLResponse, graphqlClient } from '../support/graphql.ts';

const statements: string[] = [];
const db = createDb(databaseUrl(), { poolSize: 4, onQuery: (sql) => statements.push(sql) });
const gql = graphqlClient(db);
const invalidCursor = (argument: string) => ({
  message: `Invalid cursor in "${argument}": pass back the cursor of an edge (or pageInfo) this list returned.`,
  argument,
});
afterAll(() => db.$disconnect());

/** Five agencies with two years each, made from the real report by renaming it. */
beforeAll(async () => {
  await resetDatabase(db);
  const text = fixtureText(REAL_V2019);
  for (const [i, name] of [
    '中卫市科学技术局',
    '中卫市财政局',
    '中卫市教育局',
    '中卫市人民政府',
    '银川市科学技术局',
  ].entries()) {
    for (const year of [2019, 2020]) {
      const variant = text
        .replace('中卫市科学技术局', name)
        // A government's report does not call its writer 我局 (refused as another writer's).
        .replaceAll('我局', name.endsWith('局') ? '我局' : '本机关')
        .replace('其他对外管理服务事项\t3\t+2\t49', `其他对外管理服务事项\t3\t+2\t${i * 10 + year - 2019}`);
      const result = await importReport(
        db,
        { bytes: new TextEncoder().encode(variant), fileName: `${name}-${year}.txt` },
        { year },
      );
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
    }
  }
});

const LIST = /* GraphQL */ `
  query List($first: Int, $after: String, $filter: AgencyFilter) {
    agencies(first: $first, after: $after, filter: $filter) {
      ... on QueryAgenciesConnection {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges {
          node {
            id name kind reportCount
            reports {
              year
              current {
                templateVersion
                table2 { blocks { rows { cells { value } } } }
                table3 { rows { code total { value } } }
                table4 { review { total { value } } }
              }
            }
          }
        }
      }
      ... on InvalidInputError { message argument }
    }
  }
`;

describe('agencies()', () => {
  it('pages through agencies with a Relay connection and filters by name', async () => {
    const page1 = await gql(LIST, { first: 2 });
    expect(page1.errors).toBeUndefined();
    expect(page1.data?.agencies.totalCount).toBe(5);
    expect(page1.data?.agencies.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual([
      '中卫市科学技术局',
      '中卫市财政局',
    ]);
    const page2 = await gql(LIST, { first: 2, after: page1.data?.agencies.pageInfo.endCursor });
    expect(page2.data?.agencies.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual([
      '中卫市教育局',
      '中卫市人民政府',
    ]);
    const filtered = await gql(LIST, { filter: { nameContains: '科学技术局' } });
    expect(
      filtered.data?.agencies.edges.map((e: { node: { name: string; kind: string } }) => [
        e.node.name,
        e.node.kind,
      ]),
    ).toEqual([
      ['中卫市科学技术局', 'DEPARTMENT'],
      ['银川市科学技术局', 'DEPARTMENT'],
    ]);
    const government = await gql(LIST, { filter: { nameContains: '人民政府' } });
    expect(government.data?.agencies.edges[0].node.kind).toBe('GOVERNMENT');
  });

  it('pages backwards with last and before, and counts all that match', async () => {
    const PAGE = /* GraphQL */ `
      query Page($last: Int, $before: String, $filter: AgencyFilter) {
        agencies(last: $last, before: $before, filter: $filter) {
          ... on QueryAgenciesConnection {
            totalCount
            pageInfo { hasPreviousPage hasNextPage startCursor }
            edges { node { name } }
          }
        }
      }
    `;
    const names = (result: GraphQLResponse) =>
      result.data?.agencies.edges.map((e: { node: { name: string } }) => e.node.name);
    const last = await gql(PAGE, { last: 2 });
    expect(names(last)).toEqual(['中卫市人民政府', '银川市科学技术局']);
    expect(last.data?.agencies.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const before = await gql(PAGE, { last: 2, before: last.data?.agencies.pageInfo.startCursor });
    expect(names(before)).toEqual(['中卫市财政局', '中卫市教育局']);
    // A name search is ordered by similarity: the longest name containing 中卫市 comes last.
    const city = await gql(PAGE, { last: 1, filter: { nameContains: '中卫市' } });
    expect(city.data?.agencies.totalCount).toBe(4);
    expect(names(city)).toEqual(['中卫市科学技术局']);
    const cityBefore = await gql(PAGE, {
      last: 2,
      before: city.data?.agencies.pageInfo.startCursor,
      filter: { nameContains: '中卫市' },
    });
    expect(names(cityBefore)).toEqual(['中卫市教育局', '中卫市人民政府']);
  });

  it("refuses an edited cursor, and first with last, as the client's error on every connection", async () => {
    const cursor = (payload: string) => Buffer.from(`GPC:${payload}`).toString('base64');
    // agencies and findings answer InvalidInputError (their error union); reports, a GraphQL error.
    const refused = ' ... on InvalidInputError { message argument }';
    const connections = {
      agencies: `... on QueryAgenciesConnection { edges { node { id } } }${refused}`,
      findings: `... on QueryFindingsConnection { edges { node { id } } }${refused}`,
      reports: 'edges { node { id } }',
    };
    const refusal = async (field: string, query: string, variables?: Record<string, unknown>) => {
      const { data, errors } = await gql(query, variables);
      if (field === 'reports') {
        expect(data, query).toBeNull();
        return { message: errors?.[0]?.message, argument: errors?.[0]?.extensions?.argument };
      }
      expect(errors, query).toBeUndefined();
      return data?.[field];
    };
    for (const [field, selection] of Object.entries(connections)) {
      for (const payload of ['N:abc', 'N:99999999999', 'N:1.5', 'N:-5', 'N:0', 'S:x', 'D:2020', 'J:{}']) {
        for (const argument of ['after', 'before']) {
          const paging = argument === 'after' ? 'first: 2' : 'last: 2';
          const query = `query($c: String) { ${field}(${paging}, ${argument}: $c) { ${selection} } }`;
          expect(
            await refusal(field, query, { c: cursor(payload) }),
            `${field} ${argument} ${payload}`,
          ).toEqual({
            message: `Invalid cursor in "${argument}": pass back the cursor of an edge (or pageInfo) this list returned.`,
            argument,
          });
        }
      }
      expect(await refusal(field, `{ ${field}(first: 2, last: 1) { ${selection} } }`), field).toEqual({
        message: 'Pass either "first" (a page from the start or after a cursor) or "last", not both.',
        argument: 'last',
      });
      // A cursor the list gave back still pages.
      const first = await gql<{ [key: string]: { edges: { cursor: string }[] } }>(
        `{ page: ${field}(first: 1) { ${selection.replace('edges {', 'edges { cursor')} } }`,
      );
      const given = first.data?.page?.edges[0]?.cursor;
      if (given) {
        const next = await gql(`query($c: String) { ${field}(first: 1, after: $c) { ${selection} } }`, {
          c: given,
        });
        expect(next.errors, field).toBeUndefined();
      }
    }
  });

  it('refuses paging arguments the plugins check (a cursor that is no cursor, first: -1, after with last) as the field’s InvalidInputError, keeping the fields beside it', async () => {
    const cases: [string, string, { message: string; argument: string }][] = [
      ['after: "garbage"', 'after', invalidCursor('after')],
      ['before: "garbage", last: 1', 'before', invalidCursor('before')],
      ['after: ""', 'after', invalidCursor('after')],
      [`after: "${Buffer.from('Agency:1').toString('base64')}"`, 'after', invalidCursor('after')],
      [
        'first: -1',
        'first',
        { message: 'Argument "first" must be a non-negative integer.', argument: 'first' },
      ],
      ['last: -3', 'last', { message: 'Argument "last" must be a non-negative integer.', argument: 'last' }],
      [
        'after: "x", before: "y"',
        'before',
        { message: 'Arguments "before" and "after" are not supported at the same time.', argument: 'after' },
      ],
    ];
    for (const field of ['agencies', 'findings']) {
      for (const [paging, , refusal] of cases) {
        const query = `{
          list: ${field}(${paging}) { __typename ... on InvalidInputError { message argument } }
          beside: agencies(first: 1) { ... on QueryAgenciesConnection { totalCount } }
        }`;
        const { data, errors } = await gql(query);
        expect(errors, `${field}(${paging})`).toBeUndefined();
        expect(data, `${field}(${paging})`).toEqual({
          list: { __typename: 'InvalidInputError', ...refusal },
          beside: { totalCount: expect.any(Number) },
        });
      }
    }
  });

  it('answers a filter it cannot apply with InvalidInputError, as the comparisons do', async () => {
    const region = await gql(LIST, { filter: { regionCode: '6405' } });
    expect(region.errors).toBeUndefined();
    expect(region.data?.agencies).toEqual({
      message:
        '"6405" is not a GB/T 2260 code; give six digits (640000 province, 640500 city, 640502 county) or nine for a township.',
      argument: 'filter.regionCode',
    });
    const year = await gql(LIST, { filter: { years: [1990] } });
    expect(year.data?.agencies).toEqual({
      message: 'Year 1990 is out of range 2000–2100.',
      argument: 'filter.years',
    });
  });

  it('loads agencies with reports and all three tables in a constant number of SQL statements (no N+1)', async () => {
    const count = async (first: number) => {
      statements.length = 0;
      const { data, errors } = await gql(LIST, { first }, { token: null });
      expect(errors).toBeUndefined();
      expect(data?.agencies.edges).toHaveLength(first);
      return statements.filter((sql) => !/^(BEGIN|COMMIT|DEALLOCATE)/i.test(sql.trim())).length;
    };
    const forOne = await count(1);
    const forFive = await count(5);
    expect(forFive).toBe(forOne);
    // One statement per level: agencies, reports, revisions, cells; plus the total count.
    expect(forFive).toBe(5);
  });

  it('pages on from a cursor whose agency is gone, in id order and in a name search, both ways', async () => {
    // Two agencies without reports, after the five; the first is then deleted, as a merge deletes
    // the agency merged away.
    const gone = await db.agency.create({ data: { name: '中卫市测试甲局' } });
    const kept = await db.agency.create({ data: { name: '中卫市测试乙局' } });
    try {
      const PAGE = /* GraphQL */ `
        query ($first: Int, $after: String, $last: Int, $before: String, $filter: AgencyFilter) {
          agencies(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
            ... on QueryAgenciesConnection {
              pageInfo { hasNextPage hasPreviousPage }
              edges { cursor node { name } }
            }
            ... on InvalidInputError { message argument }
          }
        }`;
      type Page = { pageInfo: object; edges: { cursor: string; node: { name: string } }[] };
      const page = async (variables: Record<string, unknown>) => {
        const { data, errors } = await gql(PAGE, variables);
        expect(errors).toBeUndefined();
        return data?.agencies as Page;
      };
      const names = (p: Page) => p.edges.map((e) => e.node.name);
      const cursorOf = (p: Page) => p.edges.find((e) => e.node.name === gone.name)?.cursor;
      // By id: the five, 甲, 乙. By similarity to 中卫市 (shorter names first), then id.
      const byId = await page({ first: 7 });
      const search = { nameContains: '中卫市' };
      const bySimilarity = await page({ first: 7, filter: search });
      expect(names(bySimilarity)).toEqual([
        '中卫市财政局',
        '中卫市教育局',
        '中卫市人民政府',
        '中卫市测试甲局',
        '中卫市测试乙局',
        '中卫市科学技术局',
      ]);
      const idCursor = cursorOf(byId);
      const searchCursor = cursorOf(bySimilarity);
      await db.agency.delete({ where: { id: gone.id } });

      expect(await page({ first: 2, after: idCursor })).toEqual({
        pageInfo: { hasNextPage: false, hasPreviousPage: true },
        edges: [{ cursor: expect.any(String), node: { name: '中卫市测试乙局' } }],
      });
      expect(names(await page({ last: 2, before: idCursor }))).toEqual([
        '中卫市人民政府',
        '银川市科学技术局',
      ]);
      const after = await page({ first: 2, after: searchCursor, filter: search });
      expect(names(after)).toEqual(['中卫市测试乙局', '中卫市科学技术局']);
      expect(after.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
      const before = await page({ last: 2, before: searchCursor, filter: search });
      expect(names(before)).toEqual(['中卫市教育局', '中卫市人民政府']);
      expect(before.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: true });
      // The cursors of a page still page on from their own rows.
      expect(names(await page({ first: 1, after: after.edges[0]?.cursor, filter: search }))).toEqual([
        '中卫市科学技术局',
      ]);
      // A place in one search's order is none in another's: refused, not paged from.
      expect(
        await page({ first: 2, after: after.edges[0]?.cursor, filter: { nameContains: '科学技术局' } }),
      ).toEqual({
        message: expect.stringContaining('is from a name search for other text'),
        argument: 'after',
      });
    } finally {
      await db.agency.deleteMany({ where: { id: { in: [gone.id, kept.id] } } });
    }
  });

  it('resolves an agency by global id and its reports in year order with their figures', async () => {
    const list = await gql(LIST, { first: 1 });
    const id = list.data?.agencies.edges[0].node.id;
    const { data } = await gql(
      /* GraphQL */ `
        query One($id: ID!) {
          agency(id: $id) { name reports { year current { table2 { blocks { rows { cells { printedText } } } } } } }
        }
      `,
      { id },
    );
    expect(data?.agency.name).toBe('中卫市科学技术局');
    expect(
      data?.agency.reports.map(
        (r: {
          year: number;
          current: { table2: { blocks: { rows: { cells: { printedText: string }[] }[] }[] } };
        }) => [r.year, r.current.table2.blocks[1]?.rows[1]?.cells[2]?.printedText],
      ),
    ).toEqual([
      [2019, '0'],
      [2020, '1'],
    ]);
  });
});
