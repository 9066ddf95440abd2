import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import { counted } from '../../src/store/aggregate-maintenance.ts';
import { createDb } from '../../src/store/db.ts';
import { recomputeStoredFindings } from '../../src/store/findings.ts';
import { databaseUrl, resetDatabase, tableCounts } from '../support/db.ts';
import { graphqlClient, IMPORT_MUTATION } from '../support/graphql.ts';
import { setFigures, v2019, v2021, v2021Of } from '../validation/variants.ts';

const queries: string[] = [];
const db = createDb(databaseUrl(), { poolSize: 4, onQuery: (sql) => queries.push(sql) });
const unexpected: unknown[] = [];
const gql = graphqlClient(db, unexpected);
afterAll(() => db.$disconnect());
beforeEach(async () => {
  await resetDatabase(db);
  unexpected.length = 0;
});

const FIXTURE_AGENCY = '宁夏回族自治区中卫市沙坡头区卫生健康局';

/**
 * The V2021 fixture published by another agency (the header line names it) for another year. Its
 * text calls its writer 我局, which a government's report would not: under a government's name the
 * parser refuses it as another writer's (AGENCY_CONFLICT), so the text says 本机关, as any body may.
 */
const asAgency = (text: string, name: string, year = 2022) =>
  v2021Of(year, text.replace(FIXTURE_AGENCY, name).replaceAll('我局', '本机关'));

const brokenBalance = (text = v2021()) =>
  setFigures(text, '四、结转下年度继续办理', [5, null, null, null, null, null, 6]);
const brokenTotalColumn = (text = v2021()) =>
  setFigures(text, '4.保护第三方合法权益', [null, null, null, null, null, null, 4]);

const REGIONS = [
  ['640000', '宁夏回族自治区', 'PROVINCE', null],
  ['640500', '中卫市', 'CITY', '640000'],
  ['640502', '沙坡头区', 'COUNTY', '640500'],
  ['640521', '中宁县', 'COUNTY', '640500'],
  ['640100', '银川市', 'CITY', '640000'],
  ['640121', '永宁县', 'COUNTY', '640100'],
] as const;

/** name, region, level, kind, year, text */
const SEED: [string, string, string, string, number, string][] = [
  ['沙坡头区卫生健康局', '640502', 'COUNTY', 'DEPARTMENT', 2022, brokenBalance()],
  ['沙坡头区卫生健康局', '640502', 'COUNTY', 'DEPARTMENT', 2021, v2021()],
  ['沙坡头区教育局', '640502', 'COUNTY', 'DEPARTMENT', 2022, v2021()],
  ['中宁县卫生健康局', '640521', 'COUNTY', 'DEPARTMENT', 2022, brokenTotalColumn()],
  ['中宁县人民政府', '640521', 'COUNTY', 'GOVERNMENT', 2022, brokenBalance()],
  ['中卫市卫生健康委员会', '640500', 'CITY', 'DEPARTMENT', 2022, brokenBalance()],
  ['永宁县卫生健康局', '640121', 'COUNTY', 'DEPARTMENT', 2022, brokenBalance()],
];

async function seed() {
  for (const [code, name, level, parent] of REGIONS) {
    await db.$executeRaw`INSERT INTO region (code, name, level, parent_code)
      VALUES (${code}, ${name}, ${level}::"AdministrativeLevel", ${parent})`;
  }
  for (const [name, region, level, kind, year, text] of SEED) {
    const result = await importReport(db, {
      bytes: new TextEncoder().encode(asAgency(text, name, year)),
      fileName: `${name}-${year}.txt`,
    });
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
    // Region and level are set directly: region inference at import is another feature.
    await db.$transaction((tx) =>
      counted(
        tx,
        () => tx.$executeRaw`UPDATE agency SET region_code = ${region}, level = ${level}::"AdministrativeLevel",
          kind = ${kind}::"AgencyKind" WHERE name = ${name}`,
      ),
    );
  }
}

const TABLE3_RULES = ['T3_BALANCE', 'T3_OUTCOMES_SUM', 'T3_TOTAL_COLUMN'];

/** The auditor's question, in one query. */
const AUDITOR_QUERY = /* GraphQL */ `
  query Table3NotAddingUp($region: String!, $year: Int!) {
    findings(
      filter: {
        regionCode: $region
        level: COUNTY
        kind: DEPARTMENT
        years: [$year]
        rules: [T3_BALANCE, T3_OUTCOMES_SUM, T3_TOTAL_COLUMN]
        status: VIOLATED
      }
      first: 50
    ) {
      ... on QueryFindingsConnection {
        totalCount
        edges {
          node {
            agency { name region { code name } }
            year
            rule
            scopeLabelZh
            expected
            actual
            difference
            messageZh
          }
        }
      }
    }
  }
`;

describe('the auditor query: which county departments in a region published 2022 reports whose table 3 does not add up, and by how much', () => {
  it('answers from the database in one GraphQL query, in a fixed number of SQL statements', async () => {
    await seed();
    queries.length = 0;
    const { data, errors } = await gql(AUDITOR_QUERY, { region: '640500', year: 2022 });
    expect(errors).toBeUndefined();
    expect(data?.findings.totalCount).toBe(4);
    expect(data?.findings.edges.map((e: { node: unknown }) => e.node)).toEqual([
      {
        agency: { name: '沙坡头区卫生健康局', region: { code: '640502', name: '沙坡头区' } },
        year: 2022,
        rule: 'T3_BALANCE',
        scopeLabelZh: '自然人',
        expected: 44,
        actual: 47,
        difference: 3,
        messageZh: '自然人：一 + 二 = 44，而三（七）总计 + 四 = 47，相差 +3。',
      },
      {
        agency: { name: '沙坡头区卫生健康局', region: { code: '640502', name: '沙坡头区' } },
        year: 2022,
        rule: 'T3_BALANCE',
        scopeLabelZh: '总计',
        expected: 53,
        actual: 56,
        difference: 3,
        messageZh: '总计：一 + 二 = 53，而三（七）总计 + 四 = 56，相差 +3。',
      },
      {
        agency: { name: '中宁县卫生健康局', region: { code: '640521', name: '中宁县' } },
        year: 2022,
        rule: 'T3_OUTCOMES_SUM',
        scopeLabelZh: '总计',
        expected: 51,
        actual: 50,
        difference: -1,
        messageZh: '总计：（一）至（六）各项之和 = 51，而（七）总计 = 50，相差 -1。',
      },
      {
        agency: { name: '中宁县卫生健康局', region: { code: '640521', name: '中宁县' } },
        year: 2022,
        rule: 'T3_TOTAL_COLUMN',
        scopeLabelZh: '（三）不予公开 4.保护第三方合法权益',
        expected: 3,
        actual: 4,
        difference: 1,
        messageZh: '（三）不予公开 4.保护第三方合法权益：六个申请人列之和 = 3，而总计列 = 4，相差 +1。',
      },
    ]);
    // Prisma loads each relation level (revision, report, agency, region) with one batched
    // statement, so the number of statements does not grow with the number of findings.
    const statements = queries.length;
    queries.length = 0;
    const wider = await gql(AUDITOR_QUERY, { region: '640000', year: 2022 });
    expect(wider.data?.findings.totalCount).toBe(6);
    expect(queries).toHaveLength(statements);
    expect(statements).toBe(6);
    expect(unexpected).toEqual([]);
  });

  it('each filter narrows as documented', async () => {
    await seed();
    const count = async (filter: Record<string, unknown>) => {
      const { data, errors } = await gql(
        'query($filter: FindingFilter) { findings(filter: $filter) { ... on QueryFindingsConnection { totalCount } } }',
        { filter },
      );
      expect(errors).toBeUndefined();
      return data?.findings.totalCount;
    };
    const table3 = { rules: TABLE3_RULES, years: [2022] };
    expect(await count(table3)).toBe(2 + 2 + 2 + 2 + 2);
    expect(await count({ ...table3, regionCode: '640000' })).toBe(10);
    expect(await count({ ...table3, regionCode: '640100' })).toBe(2);
    expect(await count({ ...table3, regionCode: '640500', kind: 'GOVERNMENT' })).toBe(2);
    expect(await count({ ...table3, regionCode: '640500', level: 'CITY' })).toBe(2);
    expect(await count({ rules: ['T3_CARRY_OVER'] })).toBe(2);
    expect(await count({ severity: 'WARNING' })).toBe(2);
    expect(await count({ years: [2021] })).toBe(0);
    const { data } = await gql('{ agency(name: "中宁县卫生健康局") { id } }');
    expect(await count({ agencyId: data?.agency.id })).toBe(2);
    // synthetic, in the list (Prisma) and in both counts (SQL): one agency made a demo one.
    await db.agency.update({ where: { name: '永宁县卫生健康局' }, data: { synthetic: true } });
    expect(await count({ ...table3, synthetic: true })).toBe(2);
    expect(await count({ ...table3, synthetic: false })).toBe(8);
    for (const [synthetic, agencies] of [
      [true, ['永宁县卫生健康局']],
      [false, ['中卫市卫生健康委员会', '中宁县人民政府', '中宁县卫生健康局', '沙坡头区卫生健康局']],
    ] as const) {
      const { data: counts, errors } = await gql(
        `query($filter: FindingFilter) {
          byAgency: findingCountsByAgency(filter: $filter) { ... on FindingCountsByAgencySuccess { counts { agency { name } findings } } }
          byRegion: findingCountsByRegion(filter: $filter) { ... on FindingCountsByRegionSuccess { counts { findings } } }
        }`,
        { filter: { ...table3, synthetic } },
      );
      expect(errors).toBeUndefined();
      const byAgency = counts?.byAgency.counts as { agency: { name: string }; findings: number }[];
      expect(
        byAgency
          .filter((c) => c.findings > 0)
          .map((c) => c.agency.name)
          .sort(),
        String(synthetic),
      ).toEqual([...agencies].sort());
      const byRegion = counts?.byRegion.counts as { findings: number }[];
      expect(
        byRegion.reduce((sum, c) => sum + c.findings, 0),
        String(synthetic),
      ).toBe(synthetic ? 2 : 8);
    }
    // Pages by offset: together they are the whole list, in its order, with no row twice.
    const page = async (limit: number, offset?: number) => {
      const { data: paged, errors } = await gql(
        `query($limit: Int, $offset: Int) {
          findingCountsByAgency(limit: $limit, offset: $offset) {
            ... on FindingCountsByAgencySuccess { counts { agency { name } year findings } }
            ... on InvalidInputError { argument }
          }
        }`,
        { limit, ...(offset === undefined ? {} : { offset }) },
      );
      expect(errors).toBeUndefined();
      return paged?.findingCountsByAgency;
    };
    const whole = (await page(100)).counts;
    expect(whole.length).toBeGreaterThan(3);
    const pages = [
      ...(await page(2, 0)).counts,
      ...(await page(2, 2)).counts,
      ...(await page(100, 4)).counts,
    ];
    expect(pages).toEqual(whole);
    expect(await page(2, -1)).toEqual({ argument: 'offset' });
    // The id of a report (or any other type) is refused, not read as the agency of the same number.
    const { data: reports } = await gql('{ reports(first: 1) { edges { node { id } } } }');
    const reportId = reports?.reports.edges[0].node.id;
    for (const field of ['findings', 'findingCountsByAgency', 'findingCountsByRegion']) {
      const { data: refused, errors } = await gql(
        `query($filter: FindingFilter) { ${field}(filter: $filter) { __typename ... on InvalidInputError { message argument } } }`,
        { filter: { agencyId: reportId } },
      );
      expect(errors, field).toBeUndefined();
      expect(refused?.[field], field).toMatchObject({
        __typename: 'InvalidInputError',
        argument: 'filter.agencyId',
      });
      expect(refused?.[field].message, field).toMatch(/is a Report's id; this argument takes an Agency's id/);
    }
  });

  it('a cursor still pages on after its finding is recomputed under a new id, both ways', async () => {
    await seed();
    const PAGE = /* GraphQL */ `
      query ($first: Int, $after: String, $last: Int, $before: String) {
        findings(first: $first, after: $after, last: $last, before: $before, filter: { rules: [T3_BALANCE, T3_TOTAL_COLUMN] }) {
          ... on QueryFindingsConnection { pageInfo { hasNextPage hasPreviousPage } edges { cursor node { id } } }
          ... on InvalidInputError { message argument }
        }
      }`;
    type Page = { pageInfo: object; edges: { cursor: string; node: { id: string } }[] };
    const page = async (variables: Record<string, unknown>) => {
      const { data, errors } = await gql(PAGE, variables);
      expect(errors).toBeUndefined();
      return data?.findings as Page;
    };
    const ids = (p: Page) => p.edges.map((e) => e.node.id);
    const all = ids(await page({ first: 50 }));
    expect(all.length).toBeGreaterThan(4);
    const at = (await page({ first: 2 })).edges[1];
    // A recheck deletes the finding and stores it again, under a new id: last in id order.
    const rowId = Number(
      Buffer.from(at?.node.id ?? '', 'base64')
        .toString()
        .split(':')[1],
    );
    const { id: _old, ...finding } = await db.finding.findUniqueOrThrow({ where: { id: rowId } });
    await db.$transaction([
      db.finding.delete({ where: { id: rowId } }),
      db.finding.create({ data: { ...finding, cells: finding.cells ?? [] } }),
    ]);
    const now = ids(await page({ first: 50 }));
    expect(now.slice(0, -1)).toEqual(all.filter((id) => id !== at?.node.id));

    const after = await page({ first: 50, after: at?.cursor });
    expect(ids(after)).toEqual(now.slice(1));
    expect(after.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    expect(ids(await page({ first: 2, after: at?.cursor }))).toEqual(now.slice(1, 3));
    expect(ids(await page({ last: 2, before: at?.cursor }))).toEqual(now.slice(0, 1));
  });

  it('a recheck that finds the same findings keeps their ids: a page after it neither repeats nor loses one', async () => {
    await seed();
    const PAGE = /* GraphQL */ `
      query ($after: String) {
        findings(first: 3, after: $after) {
          ... on QueryFindingsConnection { totalCount pageInfo { endCursor } edges { node { id rule } } }
        }
      }`;
    type Page = { totalCount: number; pageInfo: { endCursor: string }; edges: { node: { id: string } }[] };
    const page = async (after?: string) => {
      const { data, errors } = await gql(PAGE, { after });
      expect(errors).toBeUndefined();
      return data?.findings as Page;
    };
    const ids = (p: Page) => p.edges.map((e) => e.node.id);
    const all: string[] = [];
    for (let p = await page(); ; p = await page(p.pageInfo.endCursor)) {
      all.push(...ids(p));
      if (p.edges.length < 3) break;
    }
    expect(all.length).toBeGreaterThan(4);
    const first = await page();
    // What `validate --stored` runs: every current revision checked again, finding the same.
    await recomputeStoredFindings(db);
    const rest: string[] = [];
    for (let p = await page(first.pageInfo.endCursor); ; p = await page(p.pageInfo.endCursor)) {
      rest.push(...ids(p));
      if (p.edges.length < 3) break;
    }
    expect([...ids(first), ...rest]).toEqual(all);
    const { data } = await gql('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: all });
    expect(data?.nodes.map((n: { id: string } | null) => n?.id)).toEqual(all);
  });

  it("refuses another list's cursor, saying which list it is from, and a cursor that names no list", async () => {
    await seed();
    const cursors: Record<string, string> = {};
    for (const [list, query] of [
      ['findings', '{ list: findings(first: 1) { ... on QueryFindingsConnection { edges { cursor } } } }'],
      ['reports', '{ list: reports(first: 1) { edges { cursor } } }'],
      ['agencies', '{ list: agencies(first: 1) { ... on QueryAgenciesConnection { edges { cursor } } } }'],
      [
        'search',
        '{ list: agencies(first: 1, filter: { nameContains: "卫生" }) { ... on QueryAgenciesConnection { edges { cursor } } } }',
      ],
    ] as const) {
      const { data, errors } = await gql(query);
      expect(errors).toBeUndefined();
      cursors[list] = data?.list.edges[0].cursor;
      expect(cursors[list], list).toEqual(expect.any(String));
    }
    const refused = '... on InvalidInputError { message argument }';
    const ask = async (field: string, cursor: string | undefined, argument = 'after') => {
      const paging = argument === 'after' ? 'first: 1' : 'last: 1';
      const filter = field === 'search' ? ', filter: { nameContains: "卫生" }' : '';
      const name = field === 'search' ? 'agencies' : field;
      const selection = field === 'reports' ? 'edges { cursor }' : `__typename ${refused}`;
      const { data, errors } = await gql(
        `query ($c: String) { list: ${name}(${paging}, ${argument}: $c${filter}) { ${selection} } }`,
        { c: cursor },
      );
      if (field === 'reports') {
        expect(data).toBeNull();
        const [error] = errors ?? [];
        return {
          message: error?.message,
          argument: error?.extensions?.argument,
          code: error?.extensions?.code,
        };
      }
      expect(errors).toBeUndefined();
      return data?.list;
    };
    const shown = {
      findings: 'the `findings` list',
      reports: 'the `reports` list',
      agencies: 'the `agencies` list (in id order)',
      search: 'an `agencies` name search (`filter.nameContains`)',
    };
    for (const [from, cursor] of Object.entries(cursors)) {
      for (const [to, target] of Object.entries(shown)) {
        if (to === from) continue;
        for (const argument of ['after', 'before']) {
          const message = `The cursor in "${argument}" is from ${shown[from as keyof typeof shown]}, not from ${target}: pass back a cursor this list returned, or leave "${argument}" out for its first page.`;
          expect(await ask(to, cursor, argument), `${from} → ${to}`).toEqual(
            to === 'reports'
              ? { message, argument, code: 'BAD_USER_INPUT' }
              : { __typename: 'InvalidInputError', message, argument },
          );
        }
      }
    }
    // A cursor as this API gave them out before they named their list: its list is unknown.
    const older = Buffer.from('GPC:N:1').toString('base64');
    expect(await ask('agencies', older)).toEqual({
      __typename: 'InvalidInputError',
      message:
        'The cursor in "after" is from an older version of this API and does not say which list it is from; fetch the first page again (leave "after" out) and page on with the cursors it returns.',
      argument: 'after',
    });
    expect(await ask('reports', older)).toMatchObject({ argument: 'after', code: 'BAD_USER_INPUT' });
  });

  it('a region code that is not GB/T 2260 answers InvalidInputError naming filter.regionCode, as the comparisons do', async () => {
    const { data, errors } = await gql(/* GraphQL */ `
      {
        list: findings(filter: { regionCode: "6405" }) { __typename ... on InvalidInputError { argument } }
        byAgency: findingCountsByAgency(filter: { regionCode: "6405" }) { __typename ... on InvalidInputError { argument } }
        byRegion: findingCountsByRegion(filter: { regionCode: "6405" }) { __typename ... on InvalidInputError { message argument } }
      }
    `);
    expect(errors).toBeUndefined();
    expect(data?.list).toEqual({ __typename: 'InvalidInputError', argument: 'filter.regionCode' });
    expect(data?.byAgency).toEqual({ __typename: 'InvalidInputError', argument: 'filter.regionCode' });
    expect(data?.byRegion.argument).toBe('filter.regionCode');
    expect(data?.byRegion.message).toContain('"6405" is not a GB/T 2260 code');
  });

  it('a corrected revision clears the answer; includeSuperseded still shows what was published', async () => {
    await seed();
    await importReport(db, {
      bytes: new TextEncoder().encode(asAgency(v2021(), '中宁县卫生健康局')),
      fileName: 'corrected.txt',
    });
    const { data } = await gql(AUDITOR_QUERY, { region: '640521', year: 2022 });
    expect(data?.findings.totalCount).toBe(0);
    const history = await gql(
      `{ findings(filter: {regionCode: "640521", kind: DEPARTMENT, includeSuperseded: true}) {
          ... on QueryFindingsConnection { totalCount edges { node { current revision { number } } } } } }`,
    );
    expect(history.data?.findings.totalCount).toBe(2);
    expect(history.data?.findings.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { current: false, revision: { number: 1 } },
      { current: false, revision: { number: 1 } },
    ]);
  });
});

describe('findings on a report and counts', () => {
  it('a report lists its findings through its current revision, most serious first', async () => {
    await seed();
    const { data, errors } = await gql(/* GraphQL */ `
      {
        report(agencyName: "沙坡头区卫生健康局", year: 2022) {
          current {
            findingCount
            findings {
              rule severity status scope year
              expected actual difference exactDifference
              otherRevision { report { year } }
              ruleInfo { explanationZh explanationEn }
              cells { code labelZh side year value status }
            }
          }
        }
      }
    `);
    expect(errors).toBeUndefined();
    const findings = data?.report.current.findings;
    expect(data?.report.current.findingCount).toBe(4);
    expect(
      findings.map((f: Record<string, unknown>) => [
        f.rule,
        f.severity,
        f.scope,
        f.difference,
        f.exactDifference,
      ]),
    ).toEqual([
      ['T3_BALANCE', 'ERROR', 'NATURAL_PERSON', 3, '3'],
      ['T3_BALANCE', 'ERROR', 'TOTAL', 3, '3'],
      ['T3_CARRY_OVER', 'WARNING', 'NATURAL_PERSON', 1, '1'],
      ['T3_CARRY_OVER', 'WARNING', 'TOTAL', 1, '1'],
    ]);
    expect(findings[2]).toMatchObject({
      year: 2022,
      expected: 2,
      actual: 3,
      otherRevision: { report: { year: 2021 } },
      ruleInfo: {
        explanationEn:
          "Across years: this year's requests carried over equal last year's requests carried forward, per applicant column.",
      },
      cells: [
        {
          code: 'T3.CARRIED_FORWARD.NATURAL_PERSON',
          labelZh: ['四、结转下年度继续办理', '自然人'],
          side: 'EXPECTED',
          year: 2021,
          value: 2,
          status: 'REPORTED',
        },
        {
          code: 'T3.CARRIED_OVER.NATURAL_PERSON',
          labelZh: ['二、上年结转政府信息公开申请数量', '自然人'],
          side: 'ACTUAL',
          year: 2022,
          value: 3,
          status: 'REPORTED',
        },
      ],
    });
    const clean = await gql(
      '{ report(agencyName: "沙坡头区教育局", year: 2022) { current { findings { rule } } } }',
    );
    expect(clean.data?.report.current.findings).toEqual([]);
  });

  it('counts findings per agency and year, in SQL, including clean reports', async () => {
    await seed();
    const { data, errors } = await gql(/* GraphQL */ `
      {
        findingCountsByAgency(filter: { regionCode: "640500", level: COUNTY, kind: DEPARTMENT }) {
          ... on FindingCountsByAgencySuccess {
            counts { agency { name region { name } } year reports reportsWithFindings findings errors warnings infos }
          }
        }
      }
    `);
    expect(errors).toBeUndefined();
    expect(data?.findingCountsByAgency.counts).toEqual([
      {
        agency: { name: '沙坡头区卫生健康局', region: { name: '沙坡头区' } },
        year: 2022,
        reports: 1,
        reportsWithFindings: 1,
        findings: 4,
        errors: 2,
        warnings: 2,
        infos: 0,
      },
      {
        agency: { name: '中宁县卫生健康局', region: { name: '中宁县' } },
        year: 2022,
        reports: 1,
        reportsWithFindings: 1,
        findings: 2,
        errors: 2,
        warnings: 0,
        infos: 0,
      },
      {
        agency: { name: '沙坡头区教育局', region: { name: '沙坡头区' } },
        year: 2022,
        reports: 1,
        reportsWithFindings: 0,
        findings: 0,
        errors: 0,
        warnings: 0,
        infos: 0,
      },
      {
        agency: { name: '沙坡头区卫生健康局', region: { name: '沙坡头区' } },
        year: 2021,
        reports: 1,
        reportsWithFindings: 0,
        findings: 0,
        errors: 0,
        warnings: 0,
        infos: 0,
      },
    ]);
    const limited = await gql(
      '{ findingCountsByAgency(limit: -1) { __typename ... on InvalidInputError { message argument } } }',
    );
    expect(limited.data?.findingCountsByAgency).toEqual({
      __typename: 'InvalidInputError',
      message: 'limit must be between 0 and 1000, got -1.',
      argument: 'limit',
    });
    // 0, as in every comparison's limit: no rows.
    const none = await gql(
      '{ findingCountsByAgency(limit: 0) { ... on FindingCountsByAgencySuccess { counts { year } } } }',
    );
    expect(none.data?.findingCountsByAgency).toEqual({ counts: [] });
  });

  it('counts findings per region and year, rolled up to the chosen level', async () => {
    await seed();
    const { data, errors } = await gql(/* GraphQL */ `
      {
        byCounty: findingCountsByRegion(
          filter: { regionCode: "640000", rules: [T3_BALANCE, T3_OUTCOMES_SUM, T3_TOTAL_COLUMN], years: [2022] }
          groupBy: COUNTY
        ) { ... on FindingCountsByRegionSuccess { counts { regionCode regionName year reports reportsWithFindings findings errors } } }
        byCity: findingCountsByRegion(filter: { severity: ERROR }, groupBy: CITY) {
          ... on FindingCountsByRegionSuccess { counts { regionCode regionName year reports reportsWithFindings findings } }
        }
      }
    `);
    expect(errors).toBeUndefined();
    expect(data?.byCounty.counts).toEqual([
      {
        regionCode: '640121',
        regionName: '永宁县',
        year: 2022,
        reports: 1,
        reportsWithFindings: 1,
        findings: 2,
        errors: 2,
      },
      {
        regionCode: '640500',
        regionName: '中卫市',
        year: 2022,
        reports: 1,
        reportsWithFindings: 1,
        findings: 2,
        errors: 2,
      },
      {
        regionCode: '640502',
        regionName: '沙坡头区',
        year: 2022,
        reports: 2,
        reportsWithFindings: 1,
        findings: 2,
        errors: 2,
      },
      {
        regionCode: '640521',
        regionName: '中宁县',
        year: 2022,
        reports: 2,
        reportsWithFindings: 2,
        findings: 4,
        errors: 4,
      },
    ]);
    expect(data?.byCity.counts).toEqual([
      {
        regionCode: '640100',
        regionName: '银川市',
        year: 2022,
        reports: 1,
        reportsWithFindings: 1,
        findings: 2,
      },
      {
        regionCode: '640500',
        regionName: '中卫市',
        year: 2021,
        reports: 1,
        reportsWithFindings: 0,
        findings: 0,
      },
      {
        regionCode: '640500',
        regionName: '中卫市',
        year: 2022,
        reports: 5,
        reportsWithFindings: 4,
        findings: 8,
      },
    ]);
  });

  it('lists the rules with their explanations', async () => {
    const { data } = await gql('{ findingRules { rule severity category explanationZh } }');
    expect(data?.findingRules.map((r: { rule: string }) => r.rule)).toEqual([
      'T3_BALANCE',
      'T3_OUTCOMES_SUM',
      'T3_TOTAL_COLUMN',
      'T4_TOTAL',
      'BLANKS_AS_ZERO',
      'T3_CARRY_OVER',
      'T2_PUBLISHED_WITHIN_TOTAL',
      'T2_CHANGE_WITHIN_ITEMS',
      'T2_ITEMS_CARRY_OVER',
      'NARRATIVE_NO_REQUESTS',
      'NARRATIVE_NO_REVIEWS',
      'NARRATIVE_NO_LAWSUITS',
    ]);
  });
});

const VALIDATE = /* GraphQL */ `
  query Validate($input: ValidateReportInput!) {
    validateReport(input: $input) {
      __typename
      ... on ValidateReportPayload {
        agencyName year templateVersion errorCount passes comparedWithYears
        findings { rule severity scope year otherYear expected actual difference messageEn }
      }
      ... on Error { message }
      ... on ReportRejectedError { problems { code } }
    }
  }
`;

describe('validateReport checks without storing', () => {
  it('returns exact findings, including cross-year ones against stored years, and stores nothing', async () => {
    await importReport(db, { bytes: new TextEncoder().encode(v2021()), fileName: '2022.txt' });
    const before = await tableCounts(db);
    const text = brokenBalance(v2021Of(2021));
    const { data, errors } = await gql(VALIDATE, { input: { text } });
    expect(errors).toBeUndefined();
    expect(data?.validateReport).toMatchObject({
      __typename: 'ValidateReportPayload',
      agencyName: FIXTURE_AGENCY,
      year: 2021,
      templateVersion: 'V2021',
      errorCount: 2,
      passes: false,
      comparedWithYears: [2022],
    });
    expect(
      data?.validateReport.findings.map((f: Record<string, unknown>) => [
        f.rule,
        f.severity,
        f.scope,
        f.year,
        f.otherYear,
        f.expected,
        f.actual,
        f.difference,
      ]),
    ).toEqual([
      ['T3_BALANCE', 'ERROR', 'NATURAL_PERSON', 2021, null, 44, 47, 3],
      ['T3_BALANCE', 'ERROR', 'TOTAL', 2021, null, 53, 56, 3],
      // The stored 2022 report carried over 3 and 4; this 2021 report carries forward 5 and 6.
      ['T3_CARRY_OVER', 'WARNING', 'NATURAL_PERSON', 2022, 2021, 5, 3, -2],
      ['T3_CARRY_OVER', 'WARNING', 'TOTAL', 2022, 2021, 6, 4, -2],
    ]);
    expect(await tableCounts(db)).toEqual(before);
    expect(await db.finding.count()).toBe(0);
  });

  it('the real report passes; an unreadable one is a typed error', async () => {
    const ok = await gql(VALIDATE, { input: { text: v2019() } });
    expect(ok.data?.validateReport).toMatchObject({
      passes: true,
      errorCount: 0,
      findings: [],
      comparedWithYears: [],
    });
    const bad = await gql(VALIDATE, { input: { text: 'hello', fileName: 'hello.txt' } });
    expect(bad.data?.validateReport).toMatchObject({
      __typename: 'ReportRejectedError',
      problems: [{ code: 'NO_TITLE' }],
    });
    const both = await gql(VALIDATE, { input: { text: 'a', base64: 'YQ==' } });
    expect(both.data?.validateReport.__typename).toBe('InvalidInputError');
  });
});

describe('importReport(strict)', () => {
  const STRICT_IMPORT = /* GraphQL */ `
    mutation Import($input: ImportReportInput!) {
      importReport(input: $input) {
        __typename
        ... on Error { message }
        ... on ReportFailsChecksError { fileName findings { rule scope expected actual difference } }
        ... on ImportReportPayload { outcome revision { findings { rule } } }
      }
    }
  `;

  it('rejects a report with error-level findings and writes nothing', async () => {
    await gql(IMPORT_MUTATION, { input: { text: v2019() } });
    const before = await tableCounts(db);
    const { data, errors } = await gql(STRICT_IMPORT, {
      input: { text: brokenBalance(), fileName: 'broken.txt', strict: true },
    });
    expect(errors).toBeUndefined();
    expect(data?.importReport).toEqual({
      __typename: 'ReportFailsChecksError',
      fileName: 'broken.txt',
      message:
        'broken.txt was not imported (strict): 2 error-level finding(s). Natural persons: new requests + carried over from last year = 44, but total outcomes + carried forward to next year = 47 (difference +3). Correct the figures, or import without strict to store the report as published with its findings.',
      findings: [
        { rule: 'T3_BALANCE', scope: 'NATURAL_PERSON', expected: 44, actual: 47, difference: 3 },
        { rule: 'T3_BALANCE', scope: 'TOTAL', expected: 53, actual: 56, difference: 3 },
      ],
    });
    expect(await tableCounts(db)).toEqual(before);
    expect(await db.finding.count()).toBe(0);
  });

  it('without strict the same report is stored with its findings', async () => {
    const { data } = await gql(STRICT_IMPORT, { input: { text: brokenBalance() } });
    expect(data?.importReport).toEqual({
      __typename: 'ImportReportPayload',
      outcome: 'CREATED',
      revision: { findings: [{ rule: 'T3_BALANCE' }, { rule: 'T3_BALANCE' }] },
    });
  });
});
