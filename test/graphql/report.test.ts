import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/store/import-report.ts';
import { resetDatabase, tableCounts, testDb } from '../support/db.ts';
import { EXAMPLE_V2021, fixtureBytes, fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { graphqlClient, IMPORT_MUTATION } from '../support/graphql.ts';

const db = testDb();
const unexpected: unknown[] = [];
const gql = graphqlClient(db, unexpected);
afterAll(() => db.$disconnect());
beforeEach(async () => {
  await resetDatabase(db);
  unexpected.length = 0;
});

const importText = (text: string, extra: Record<string, unknown> = {}) =>
  gql(IMPORT_MUTATION, { input: { text, fileName: 'report.txt', ...extra } });

const REPORT_QUERY = /* GraphQL */ `
  query Report($name: String!, $year: Int!) {
    report(agencyName: $name, year: $year) {
      year
      agency { name }
      revisionCount
      current {
        number
        templateVersion
        publishedOn
        sourceSha256
        sourceFileName
        sourceUrl
        contact { website email phone }
        narrative { number heading }
        table2 { blocks { labelZh columns { labelZh } rows { labelZh cells { code value printedText status } } } }
        table3 {
          columns { code labelZh }
          rows { code ordinal labelZh nameEn group { labelZh } naturalPerson { value } total { value printedText sourceLine } }
        }
        table4 {
          review { upheld { value } corrected { value } other { value } pending { value } total { value } }
          litigationDirect { total { value } }
          litigationAfterReview { corrected { value } total { value } }
        }
      }
    }
  }
`;

describe('importReport and report()', () => {
  it('stores the real report and answers table 3 and table 4 in the report shape', async () => {
    const imported = await importText(fixtureText(REAL_V2019), {
      sourceUrl: 'http://www.nxzw.gov.cn/example',
    });
    expect(imported.errors).toBeUndefined();
    expect(imported.data?.importReport).toMatchObject({
      __typename: 'ImportReportPayload',
      outcome: 'CREATED',
      report: { year: 2020, agency: { name: '中卫市科学技术局', kind: 'DEPARTMENT' }, revisionCount: 1 },
      revision: { number: 1, templateVersion: 'V2019', sourceSha256: sha256(fixtureBytes(REAL_V2019)) },
    });

    const { data, errors } = await gql(REPORT_QUERY, { name: '中卫市科学技术局', year: 2020 });
    expect(errors, String(unexpected[0])).toBeUndefined();
    const current = data?.report.current;
    expect(current).toMatchObject({
      number: 1,
      templateVersion: 'V2019',
      publishedOn: '2021-01-26',
      sourceFileName: 'report.txt',
      sourceUrl: 'http://www.nxzw.gov.cn/example',
      contact: { website: 'http://www.nxzw.gov.cn/', email: 'nxzwskj@163.com', phone: '0955-7063893' },
    });
    expect(current.narrative.map((s: { number: number }) => s.number)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(current.table3.columns.map((c: { labelZh: string }) => c.labelZh)).toEqual([
      '自然人',
      '商业企业',
      '科研机构',
      '社会公益组织',
      '法律服务机构',
      '其他',
      '总计',
    ]);
    expect(current.table3.rows).toHaveLength(23);
    expect(current.table3.rows[0]).toEqual({
      code: 'NEW_REQUESTS',
      ordinal: '一',
      labelZh: '本年新收政府信息公开申请数量',
      nameEn: 'New requests',
      group: null,
      naturalPerson: { value: 0 },
      total: { value: 0, printedText: '0', sourceLine: 63 },
    });
    expect(current.table3.rows[4]).toMatchObject({
      code: 'REFUSED_STATE_SECRET',
      group: { labelZh: '不予公开' },
    });
    expect(current.table4.review).toEqual({
      upheld: { value: 0 },
      corrected: { value: 0 },
      other: { value: 0 },
      pending: { value: 0 },
      total: { value: 0 },
    });
    const services = current.table2.blocks[1].rows[1];
    expect(services).toEqual({
      labelZh: '其他对外管理服务事项',
      cells: [
        { code: 'T2.OTHER_SERVICES.PREVIOUS_ITEMS', value: 3, printedText: '3', status: 'REPORTED' },
        { code: 'T2.OTHER_SERVICES.CHANGE', value: 2, printedText: '+2', status: 'REPORTED' },
        { code: 'T2.OTHER_SERVICES.DECISIONS', value: 49, printedText: '49', status: 'REPORTED' },
      ],
    });
    expect(unexpected).toEqual([]);
  });

  it('answers a V2021 report with non-zero figures and the V2021 rows', async () => {
    await importText(fixtureText(EXAMPLE_V2021));
    const { data } = await gql(REPORT_QUERY, { name: '宁夏回族自治区中卫市沙坡头区卫生健康局', year: 2022 });
    const current = data?.report.current;
    expect(current.templateVersion).toBe('V2021');
    expect(current.table3.rows.map((r: { code: string }) => r.code)).toContain('OTHER_FEE_UNPAID');
    const totals = Object.fromEntries(
      current.table3.rows.map((r: { code: string; total: { value: number } }) => [r.code, r.total.value]),
    );
    expect(totals).toMatchObject({
      NEW_REQUESTS: 49,
      CARRIED_OVER: 4,
      OUTCOMES_TOTAL: 50,
      CARRIED_FORWARD: 3,
    });
    expect(current.table4.review).toMatchObject({ upheld: { value: 2 }, total: { value: 4 } });
    expect(current.table4.litigationAfterReview).toEqual({ corrected: { value: 1 }, total: { value: 1 } });
    const fees = current.table2.blocks.find((b: { labelZh: string }) => b.labelZh === '第二十条第（八）项');
    expect(fees.rows[0].cells[0]).toMatchObject({ value: 12.35, status: 'REPORTED' });
  });

  it('the reports list says how many reports match, over all pages, as agencies and findings do', async () => {
    await importText(fixtureText(REAL_V2019));
    await importText(fixtureText(EXAMPLE_V2021));
    const { data, errors } = await gql(/* GraphQL */ `{
      all: reports(first: 1) { totalCount edges { node { year } } pageInfo { hasNextPage } }
      y2022: reports(first: 1, year: 2022) { totalCount }
      y2019: reports(year: 2019) { totalCount }
    }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      all: { totalCount: 2, edges: [{ node: { year: 2020 } }], pageInfo: { hasNextPage: true } },
      y2022: { totalCount: 1 },
      y2019: { totalCount: 0 },
    });
    // The year is checked when only the count is asked for, as when a page is.
    const refused = await gql('{ reports(year: 1800) { totalCount } }');
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'year' } });
  });

  it('re-importing the same source is idempotent; a changed source adds a revision and keeps the old one', async () => {
    const original = fixtureText(REAL_V2019);
    await importText(original);
    const again = await importText(original);
    expect(again.data?.importReport).toMatchObject({ outcome: 'UNCHANGED', report: { revisionCount: 1 } });
    const before = await tableCounts(db);
    expect(before).toEqual({ agency: 1, report: 1, report_revision: 1, revision_figures: 1 });

    const corrected = original.replace('其他对外管理服务事项\t3\t+2\t49', '其他对外管理服务事项\t3\t+2\t51');
    const revised = await importText(corrected);
    expect(revised.data?.importReport).toMatchObject({
      outcome: 'NEW_REVISION',
      revision: { number: 2 },
      report: { revisionCount: 2 },
    });
    const { data } = await gql(
      /* GraphQL */ `
        query {
          report(agencyName: "中卫市科学技术局", year: 2020) {
            current { number table2 { blocks { rows { labelZh cells { printedText } } } } }
            revisions { number sourceSha256 table2 { blocks { rows { labelZh cells { printedText } } } } }
          }
        }
      `,
    );
    const decisions = (rev: {
      table2: { blocks: { rows: { labelZh: string; cells: { printedText: string }[] }[] }[] };
    }) => rev.table2.blocks[1]?.rows[1]?.cells[2]?.printedText;
    expect(data?.report.current.number).toBe(2);
    expect(decisions(data?.report.current)).toBe('51');
    expect(data?.report.revisions.map(decisions)).toEqual(['49', '51']);
    expect(await tableCounts(db)).toEqual({ agency: 1, report: 1, report_revision: 2, revision_figures: 2 });
  });

  it('the same source sent again from another address keeps the first and warns that the new one is not recorded', async () => {
    const original = fixtureText(REAL_V2019);
    const first = await importText(original, { sourceUrl: 'http://www.nxzw.gov.cn/2021/a.html' });
    expect(first.data?.importReport).toMatchObject({ outcome: 'CREATED', warnings: [] });
    const moved = await importText(original, { sourceUrl: 'http://www.nxzw.gov.cn/moved/a.html' });
    expect(moved.data?.importReport.outcome).toBe('UNCHANGED');
    expect(moved.data?.importReport.warnings).toEqual([
      expect.objectContaining({
        code: 'SOURCE_URL_NOT_RECORDED',
        message:
          "The source address given, http://www.nxzw.gov.cn/moved/a.html, is not recorded: these bytes are stored already, with http://www.nxzw.gov.cn/2021/a.html, and a stored revision's source is never changed.",
      }),
    ]);
    // The same address again, or none: nothing to say.
    for (const extra of [{ sourceUrl: 'http://www.nxzw.gov.cn/2021/a.html' }, {}]) {
      expect((await importText(original, extra)).data?.importReport.warnings).toEqual([]);
    }
  });

  it('bad input is rejected with located problems and leaves the database exactly as before', async () => {
    await importText(fixtureText(REAL_V2019));
    const before = await tableCounts(db);
    const lines = fixtureText(REAL_V2019).split('\n');
    const cases: [string, Record<string, unknown>, string][] = [
      ['empty', { text: '' }, 'EMPTY_FILE'],
      [
        'binary',
        { base64: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0x14, 0]).toString('base64') },
        'BINARY_FILE',
      ],
      [
        'non-numeric',
        { text: fixtureText(REAL_V2019).replace('行政处罚\t2\t0\t0', '行政处罚\t2\tx\t0') },
        'NOT_A_NUMBER',
      ],
      ['cut off', { text: lines.slice(0, 72).join('\n') }, 'MISSING_ROW'],
      // A NUL past the first 8 KB, where no binary sniffing looks: PostgreSQL cannot store it.
      [
        'NUL late',
        {
          base64: Buffer.from(
            `${fixtureText(REAL_V2019)}\n${'其他需要报告的事项：无。'.repeat(400)}\u0000\n`,
          ).toString('base64'),
        },
        'BINARY_FILE',
      ],
      [
        'unknown template',
        { text: '某县人民政府\n2022年政府信息公开工作年度报告\n一、总体情况\n无\n' },
        'UNKNOWN_TEMPLATE',
      ],
    ];
    for (const [name, input, code] of cases) {
      const { data, errors } = await gql(IMPORT_MUTATION, { input: { fileName: `${name}.txt`, ...input } });
      expect(errors, name).toBeUndefined();
      expect(data?.importReport.__typename, name).toBe('ReportRejectedError');
      expect(data?.importReport.fileName).toBe(`${name}.txt`);
      expect(data?.importReport.message).toContain(`${name}.txt was not imported`);
      expect(
        data?.importReport.problems.map((p: { code: string }) => p.code),
        name,
      ).toContain(code);
    }
    const nonNumeric = await gql(IMPORT_MUTATION, { input: { fileName: 'x.txt', text: cases[2]?.[1].text } });
    expect(nonNumeric.data?.importReport.problems[0]).toMatchObject({
      line: 49,
      table: 'T2',
      row: '行政处罚',
      column: '本年增/减',
      text: 'x',
    });
    expect(await tableCounts(db)).toEqual(before);
  });

  it('rejects ambiguous or oversized input arguments as InvalidInputError', async () => {
    const both = await gql(IMPORT_MUTATION, { input: { text: 'a', base64: 'YQ==' } });
    expect(both.data?.importReport).toMatchObject({ __typename: 'InvalidInputError', argument: 'input' });
    const huge = await gql(IMPORT_MUTATION, { input: { text: 'x'.repeat(5 * 1024 * 1024 + 1) } });
    expect(huge.data?.importReport).toMatchObject({
      __typename: 'InvalidInputError',
      message: expect.stringMatching(
        /^The file is 5,242,881 bytes; the API takes files of up to 5,242,880 bytes \(5 MiB\)\. .*npm run cli -- import FILE/,
      ),
    });
    expect(await tableCounts(db)).toEqual({ agency: 0, report: 0, report_revision: 0, revision_figures: 0 });
  });

  it('report() refuses agencyId and agencyName together instead of answering null', async () => {
    await importText(fixtureText(REAL_V2019));
    const id = (await gql('{ report(agencyName: "中卫市科学技术局", year: 2020) { agency { id } } }')).data
      ?.report.agency.id;
    expect(id).toEqual(expect.any(String));
    const both = await gql(
      'query ($id: ID!) { report(agencyId: $id, agencyName: "中卫市科学技术局", year: 2020) { year } }',
      {
        id,
      },
    );
    expect(both.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      ['Give report() agencyId or agencyName, not both.', 'BAD_USER_INPUT'],
    ]);
    expect(
      (await gql('query ($id: ID!) { report(agencyId: $id, year: 2020) { year } }', { id })).data?.report,
    ).toEqual({
      year: 2020,
    });
  });

  it('report() refuses a year no report can be of, as reports(year:) does, instead of answering null', async () => {
    await importText(fixtureText(REAL_V2019));
    for (const year of [20, 1999, 2101, -2020]) {
      const { data, errors } = await gql(
        'query ($y: Int!) { report(agencyName: "中卫市科学技术局", year: $y) { year } }',
        {
          y: year,
        },
      );
      expect(data?.report, String(year)).toBeNull();
      expect(errors?.map((e) => [e.message, e.extensions?.code, e.extensions?.argument])).toEqual([
        [`Year ${year} is out of range 2000–2100.`, 'BAD_USER_INPUT', 'year'],
      ]);
    }
    // A year in range without a report is still null: the agency published none that year.
    const none = await gql('{ report(agencyName: "中卫市科学技术局", year: 2019) { year } }');
    expect(none).toMatchObject({ data: { report: null } });
    expect(none.errors).toBeUndefined();
  });

  it('agency() refuses id and name together, as report() does, instead of answering null', async () => {
    await importText(fixtureText(REAL_V2019));
    const id = (await gql('{ agency(name: "中卫市科学技术局") { id } }')).data?.agency.id;
    expect(id).toEqual(expect.any(String));
    // Agreeing or not, the pair is refused: the client meant one of them.
    for (const name of ['中卫市科学技术局', '中卫市财政局']) {
      const both = await gql('query ($id: ID!, $name: String) { agency(id: $id, name: $name) { id } }', {
        id,
        name,
      });
      expect(both.errors?.map((e) => [e.message, e.extensions?.code, e.extensions?.argument])).toEqual([
        ['Give agency() id or name, not both.', 'BAD_USER_INPUT', 'name'],
      ]);
    }
    expect((await gql('query ($id: ID!) { agency(id: $id) { id } }', { id })).data?.agency).toEqual({ id });
  });

  it('report() refuses a name no agency has, naming what the name search finds, where null said no report', async () => {
    await importText(fixtureText(REAL_V2019));
    const ask = (name: string, year = 2020) =>
      gql('query ($name: String!, $year: Int!) { report(agencyName: $name, year: $year) { year } }', {
        name,
        year,
      });
    // A stored agency without a report that year is still null, without an error.
    expect(await ask('中卫市科学技术局', 2021)).toEqual({ data: { report: null } });
    const abbreviated = await ask('中卫科技局');
    expect(abbreviated.data?.report).toBeNull();
    expect(abbreviated.errors?.map((e) => [e.message, e.extensions?.code, e.extensions?.argument])).toEqual([
      [
        'No stored agency is named "中卫科技局", with or without the places above it. The name search (agencies(filter: {nameContains: …})) finds 中卫市科学技术局 (2020); give the agency\'s name as one of those.',
        'BAD_USER_INPUT',
        'agencyName',
      ],
    ]);
    const unknown = await ask('国家航天局');
    expect(unknown.errors?.map((e) => e.message)).toEqual([
      'No stored agency is named "国家航天局", with or without the places above it. The name search (agencies(filter: {nameContains: …})) finds none like it either.',
    ]);
  });

  it('a bad GraphQL query gets a clear validation error', async () => {
    const { errors } = await gql('{ report(agencyName: "x") { yeer } }');
    expect(errors?.map((e) => e.message)).toEqual([
      'Cannot query field "yeer" on type "Report". Did you mean "year"?',
      'Field "report" argument "year" of type "Int!" is required, but it was not provided.',
    ]);
  });
});
