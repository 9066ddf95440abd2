import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { resultToCsv } from '../../src/server/csv.ts';
import { seedComparisonData } from '../comparison/dataset.ts';
import { testDb } from '../support/db.ts';
import { testConfig } from '../support/graphql.ts';

const db = testDb();
const app = createApp({ db, config: testConfig() });
afterAll(() => db.$disconnect());
beforeAll(() => seedComparisonData(db), 60_000);

const BOM = '\uFEFF';
const lines = (...rows: string[]) => `${BOM}${rows.join('\r\n')}\r\n`;
const COUNTY_GOVERNMENTS = '{ agency: { regionCode: "640000", levels: [COUNTY], kinds: [GOVERNMENT] }';

const post = (query: string, extra: object = {}) =>
  app.fetch('http://yoga/csv', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, ...extra }),
  });

describe('GET/POST /csv', () => {
  it('exports compare rows with catalogue labels as headers, UTF-8 with BOM and CRLF, byte for byte', async () => {
    const response = await post(/* GraphQL */ `{
      compare(metrics: [{ metric: DISCLOSURE_RATE }, { metric: REVIEW_CORRECTION_RATE }],
              filter: ${COUNTY_GOVERNMENTS}, years: [2022] }) {
        ... on Comparison { rows { agency { name } year values { label value nullReason } } }
      }
    }`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="compare.rows.csv"');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe(
      lines(
        'agency.name,year,公开率（总计）,公开率（总计）·空值原因,行政复议纠正率,行政复议纠正率·空值原因',
        '中卫市中宁县人民政府,2022,0.75,,0.25,',
        '中卫市沙坡头区人民政府,2022,0.8,,0.25,',
        '中卫市海原县人民政府,2022,,DIVISION_BY_ZERO,,DIVISION_BY_ZERO',
        '银川市兴庆区人民政府,2022,0.9,,0.6,',
      ),
    );
  });

  it('exports a ranking from a GET with the query, variables and the path of the list', async () => {
    const query = /* GraphQL */ `query Rank($year: Int!) {
      ranking(metric: { metric: REVIEW_CORRECTION_RATE }, year: $year, filter: ${COUNTY_GOVERNMENTS} }) {
        ... on Ranking { unranked { reason count } entries { rank tied agency { name } value { label value numerator denominator } } }
      }
    }`;
    const url = new URL('http://yoga/csv');
    url.searchParams.set('query', query);
    url.searchParams.set('variables', JSON.stringify({ year: 2022 }));
    url.searchParams.set('path', 'ranking.entries');
    const response = await app.fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(
      lines(
        'rank,tied,agency.name,行政复议纠正率,行政复议纠正率·分子,行政复议纠正率·分母',
        '1,false,银川市兴庆区人民政府,0.6,3,5',
        '2,true,中卫市中宁县人民政府,0.25,2,8',
        '2,true,中卫市沙坡头区人民政府,0.25,1,4',
      ),
    );
  });

  it("tags an export with its file's hash; a GET sending the tag back in any form gets 304 and no body", async () => {
    const exportUrl = (year: number) => {
      const url = new URL('http://yoga/csv');
      url.searchParams.set(
        'query',
        `{ ranking(metric: { metric: REVIEW_CORRECTION_RATE }, year: ${year}, filter: ${COUNTY_GOVERNMENTS} }) { ... on Ranking { entries { rank agency { name } value { value } } } } }`,
      );
      url.searchParams.set('path', 'ranking.entries');
      return url;
    };
    const first = await app.fetch(exportUrl(2022));
    const body = await first.text();
    const tag = first.headers.get('etag') ?? '';
    expect(tag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    for (const sent of [tag, `W/${tag}`, tag.slice(1, -1), `"other", ${tag}`, '*']) {
      const again = await app.fetch(exportUrl(2022), { headers: { 'if-none-match': sent } });
      expect(again.status, sent).toBe(304);
      expect(again.headers.get('etag'), sent).toBe(tag);
      expect(await again.text(), sent).toBe('');
    }
    // Another file has another tag, and a stale tag gets the file.
    const other = await app.fetch(exportUrl(2021), { headers: { 'if-none-match': tag } });
    expect(other.status).toBe(200);
    expect(other.headers.get('etag')).not.toBe(tag);
    expect(await other.text()).not.toBe(body);
    // A POST never revalidates.
    const posted = await app.fetch('http://yoga/csv', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'if-none-match': tag },
      body: JSON.stringify({ query: exportUrl(2022).searchParams.get('query'), path: 'ranking.entries' }),
    });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toBe(body);
  });

  it('exports a change with its from and to told apart by their paths', async () => {
    const response = await post(/* GraphQL */ `{
      change(metric: { metric: REVIEW_CORRECTION_RATE }, fromYear: 2021, toYear: 2022, filter: ${COUNTY_GOVERNMENTS} }) {
        ... on Change { entries { agency { name } to { label value } from { label value } } }
      }
    }`);
    expect(response.status).toBe(200);
    const [header, ...rows] = (await response.text()).split('\r\n');
    expect(header).toBe(`${BOM}agency.name,to.行政复议纠正率,from.行政复议纠正率`);
    expect(rows.filter(Boolean).length).toBeGreaterThan(0);
  });

  it('exports rollup groups with their keys and aggregates', async () => {
    const response = await post(/* GraphQL */ `{
      rollup(metrics: [{ metric: DISCLOSURE_RATE }], groupBy: [REGION], regionLevel: CITY,
             filter: { agency: { regionCode: "640000" }, years: [2022] }) {
        ... on Rollup { groups { key { regionCode region { name } } reportCount aggregates { label pooled median reportingAgencies } } }
      }
    }`);
    expect(await response.text()).toBe(
      lines(
        'key.regionCode,key.region.name,reportCount,公开率（总计）·汇总值,公开率（总计）·中位数,公开率（总计）·填报机构数',
        '640100,银川市,1,0.9,0.9,1',
        `640500,中卫市,8,${71 / 104},0.8,7`,
        ',,1,0.5,0.5,1',
      ),
    );
  });

  it('gives an empty list the header row of the fields its items select, as a non-empty one has', async () => {
    const header = async (query: string, extra: object = {}) => {
      const response = await post(query, extra);
      expect(response.status, await response.clone().text()).toBe(200);
      const [first, ...rest] = (await response.text()).split('\r\n');
      return { header: first, rows: rest.filter(Boolean).length };
    };
    // Aliases, fragments (inline and named), nested objects and __typename, on a list of agencies.
    const agencies = (name: string) => /* GraphQL */ `
      fragment Place on Agency { region { code name } }
      query { agencies(first: 5, filter: { nameContains: "${name}" }) {
        ... on QueryAgenciesConnection { edges { node { __typename id agencyName: name kind ...Place } } }
      } }`;
    const some = await header(agencies('人民政府'));
    const none = await header(agencies('没有这样的机构'));
    expect(some.rows).toBeGreaterThan(0);
    expect(none).toEqual({
      header: `${BOM}node.id,node.agencyName,node.kind,node.region.code,node.region.name`,
      rows: 0,
    });
    expect(none.header).toBe(some.header);

    // A labelled value's label is data: its field's name stands where the label would.
    const ranking = await header(
      /* GraphQL */ `{
      ranking(metric: { metric: REVIEW_CORRECTION_RATE }, year: 2022, filter: { agency: { regionCode: "990000" } }) {
        ... on Ranking { entries { rank tied agency { name } value { label value numerator denominator } } }
      }
    }`,
      { path: 'ranking.entries' },
    );
    expect(ranking).toEqual({ header: `${BOM}rank,tied,agency.name,value,value·分子,value·分母`, rows: 0 });

    // A list inside the items (how many is data) is one column; a list of scalars is its own name.
    const compare = await header(/* GraphQL */ `{
      compare(metrics: [{ metric: T3_GRANTED }], filter: { years: [2019], agency: { regionCode: "990000" } }) {
        ... on Comparison { rows { year agency { name } values { label value nullReason } } }
      }
    }`);
    expect(compare).toEqual({ header: `${BOM}year,agency.name,values,values·空值原因`, rows: 0 });
    const scalars = await header(
      '{ series(metric: { metric: T3_GRANTED }, filter: { agency: { regionCode: "990000" } }) { ... on Series { years } } }',
    );
    expect(scalars).toEqual({ header: `${BOM}series.years`, rows: 0 });
  });

  it('answers 400 with the reason when the query is invalid, the arguments are refused or nothing is a list', async () => {
    const invalid = await post('{ compare(metrics: [{ metric: NO_SUCH_METRIC }]) { __typename } }');
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).errors[0].message).toContain('NO_SUCH_METRIC');
    const refused = await post(
      '{ compare(metrics: [{ metric: T3_GRANTED }], filter: { fromYear: 2024, toYear: 2019 }) { ... on Error { message } } }',
    );
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      errors: [
        { message: 'fromYear 2024 is after toYear 2019; swap them.', extensions: { code: 'BAD_USER_INPUT' } },
      ],
    });
    const scalar = await post('{ metrics(kind: RATIO) { metric } }', { path: 'metrics.0' });
    expect(scalar.status).toBe(400);
    expect((await scalar.json()).errors[0].message).toContain('No list at "metrics.0"');
  });

  it('says what is wrong with a request it cannot take, with a code, naming the parameter', async () => {
    const refusal = async (response: Response) => ({
      status: response.status,
      error: ((await response.json()) as { errors: { message: string; extensions?: object }[] }).errors[0],
    });
    expect(await refusal(await app.fetch('http://yoga/csv', { method: 'PUT' }))).toMatchObject({
      status: 405,
      error: { extensions: { code: 'METHOD_NOT_ALLOWED' } },
    });
    const badBody = await app.fetch('http://yoga/csv', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(await refusal(badBody)).toEqual({
      status: 400,
      error: {
        message: 'The request body is not valid JSON; send {"query": "...", "variables": {...}}.',
        extensions: { code: 'BAD_REQUEST' },
      },
    });
    for (const name of ['variables', 'extensions']) {
      const url = new URL('http://yoga/csv');
      url.searchParams.set('query', '{ findingRules { rule } }');
      url.searchParams.set(name, '{y:2022}');
      const { status, error } = await refusal(await app.fetch(url));
      expect(status).toBe(400);
      expect(error?.message).toMatch(
        new RegExp(`^The "${name}" parameter is not valid JSON; send it as a JSON object`),
      );
    }
    expect(await refusal(await post('subscription { importCommitted { year } }'))).toEqual({
      status: 405,
      error: {
        message:
          '/csv exports the answer of a query; a subscription streams events instead. Subscribe at /graphql (server-sent events).',
        extensions: { code: 'METHOD_NOT_ALLOWED' },
      },
    });
    expect(await refusal(await post('{ findingRules { rule } }', { path: 'findingRules.rule' }))).toEqual({
      status: 400,
      error: {
        message: 'No list at "findingRules.rule" in the result; its lists are findingRules.',
        extensions: { code: 'BAD_USER_INPUT', argument: 'path' },
      },
    });
  });

  it('needs a path when the result holds several lists, and names them', async () => {
    const SERIES = /* GraphQL */ `{
      series(metric: { metric: T3_NEW_REQUESTS }, filter: { agency: { regionCode: "640000" } }) {
        ... on Series { years series { agency { name } points { year value } } }
      }
    }`;
    const ambiguous = await post(SERIES);
    expect(ambiguous.status).toBe(400);
    expect(await ambiguous.json()).toEqual({
      errors: [
        {
          message:
            'The result holds 2 lists (series.years, series.series); name the one to export with path, e.g. path=series.series.',
          // The lists by name, for a client to offer them (the CLI says --path).
          extensions: { code: 'BAD_USER_INPUT', argument: 'path', lists: ['series.years', 'series.series'] },
        },
      ],
    });
    const chosen = await post(SERIES, { path: 'series.series' });
    expect(chosen.status).toBe(200);
    expect((await chosen.text()).split('\r\n')[0]).toMatch(/^\uFEFFagency\.name,points.*,points\.1\.value/);
  });

  it('passes on why a comparison was refused, with its argument, or says the query hid it', async () => {
    const typed = await post(
      '{ ranking(metric: { metric: T3_GRANTED }, year: 1900) { ... on Error { message } ... on InvalidInputError { argument } } }',
    );
    expect(typed.status).toBe(400);
    expect(await typed.json()).toEqual({
      errors: [
        {
          message: 'Year 1900 is out of range 2000–2100.',
          extensions: { code: 'BAD_USER_INPUT', argument: 'year' },
        },
      ],
    });
    const hidden = await post(
      '{ ranking(metric: { metric: T3_GRANTED }, year: 1900) { ... on Ranking { entries { rank } } } }',
    );
    // The query hid the error: /csv asks for its message, and passes it on.
    expect(hidden.status).toBe(400);
    expect(await hidden.json()).toEqual({
      errors: [{ message: 'Year 1900 is out of range 2000–2100.', extensions: { code: 'BAD_USER_INPUT' } }],
    });
    // The query selected the error's argument or its type name but not its message: the same.
    for (const selection of ['... on InvalidInputError { argument }', '__typename']) {
      const partly = await post(
        `{ ranking(metric: { metric: T3_GRANTED }, year: 1900) { ... on Ranking { entries { rank } } ${selection} } }`,
      );
      expect(partly.status).toBe(400);
      expect((await partly.json()).errors[0].message).toBe('Year 1900 is out of range 2000–2100.');
    }
    // A field that holds no list and answered no error: asking for an error's message does not
    // validate on its type, and the refusal stays that there is no list.
    const noList = await post('{ report(agencyName: "中卫市科学技术局", year: 2020) { year } }');
    expect(noList.status).toBe(400);
    expect((await noList.json()).errors[0].message).toMatch(/^The result holds no list to export/);
    // Where it cannot ask (an operation sent by its hash alone), it says the query hid it.
    expect(resultToCsv({ data: { ranking: {} } })).toEqual({
      ok: false,
      errors: [
        {
          message:
            'ranking answered with a type the query selects no fields of, probably an error: add `... on Error { message }` to the field to see why.',
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
    // GraphQL's own errors keep their code.
    const invalid = await post('{ compare(metrics: [{ metric: NO_SUCH_METRIC }]) { __typename } }');
    expect((await invalid.json()).errors[0].extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});

describe('signed numbers in /csv', () => {
  it('keeps a printed +2 and its exact value as printed', async () => {
    const response = await post(/* GraphQL */ `{
      report(agencyName: "中卫市科学技术局", year: 2020) {
        current { table2 { blocks { rows { cells { code value exactValue printedText } } } } }
      }
    }`);
    const text = await response.text();
    expect(response.status).toBe(200);
    // The sample prints 本年增/减 of 其他对外管理服务事项 as +2; it came out as '+2.
    expect(text).toContain('T2.OTHER_SERVICES.CHANGE,2,2,+2');
    expect(text).not.toMatch(/,'[+-]/);
  });
});

describe('resultToCsv', () => {
  it("heads values that share a label (a change's from and to) by their path too, in either order", () => {
    const value = (v: number | null) => ({ label: '不予公开率（总计）', value: v, numerator: 1 });
    const entries = (first: 'from' | 'to') => [
      {
        agency: { name: '甲' },
        [first]: value(first === 'from' ? 0.1 : 0.2),
        [first === 'from' ? 'to' : 'from']: value(first === 'from' ? 0.2 : 0.1),
      },
      // A null from: the to column is still headed as in the other rows.
      {
        agency: { name: '乙' },
        [first]: first === 'from' ? null : value(0.3),
        [first === 'from' ? 'to' : 'from']: first === 'from' ? value(0.3) : null,
      },
    ];
    expect(resultToCsv({ data: { change: { entries: entries('from') } } })).toMatchObject({
      csv: lines(
        'agency.name,from.不予公开率（总计）,from.不予公开率（总计）·分子,to.不予公开率（总计）,to.不予公开率（总计）·分子',
        '甲,0.1,1,0.2,1',
        '乙,,,0.3,1',
      ),
    });
    expect(resultToCsv({ data: { change: { entries: entries('to') } } })).toMatchObject({
      csv: lines(
        'agency.name,to.不予公开率（总计）,to.不予公开率（总计）·分子,from.不予公开率（总计）,from.不予公开率（总计）·分子',
        '甲,0.2,1,0.1,1',
        '乙,0.3,1,,',
      ),
    });
    // Labels at one path each keep heading their columns alone.
    expect(
      resultToCsv({
        data: {
          rows: [
            {
              values: [
                { label: 'A', value: 1 },
                { label: 'B', value: 2 },
              ],
            },
          ],
        },
      }),
    ).toMatchObject({ csv: lines('A,B', '1,2') });
  });

  it('quotes commas, quotes and line breaks, defuses formulas, and joins lists of scalars', () => {
    const result = resultToCsv({
      data: {
        rows: [
          { name: '=HYPERLINK("x")', note: 'a, "b"\nc', years: [2019, 2020], n: -417 },
          { name: '普通', note: null, years: [], n: 1.5 },
        ],
      },
    });
    expect(result).toEqual({
      ok: true,
      name: 'rows',
      csv: lines('name,note,years,n', '"\'=HYPERLINK(""x"")","a, ""b""\nc","2019; 2020",-417', '普通,,,1.5'),
    });
  });

  it('quotes any field with a separator (, ; tab), a quote or a line break, and a list as one field', () => {
    const result = resultToCsv({
      data: {
        rows: [
          {
            a: 'x;y',
            b: 'tab\there',
            c: ['p,q', 'r"s'],
            d: '  =1+1',
            e: '＝SUM(A1)',
            f: ' @cmd',
            g: '－1+1',
            h: -3,
          },
        ],
      },
    });
    expect(result).toEqual({
      ok: true,
      name: 'rows',
      csv: lines('a,b,c,d,e,f,g,h', `"x;y","tab\there","p,q; r""s",'  =1+1,'＝SUM(A1),' @cmd,'－1+1,-3`),
    });
  });

  it('leaves a signed number and a lone dash as they are, and neutralises anything else a spreadsheet would run', () => {
    // An exact difference, a printed 本年增/减 and a printed not-reported mark: an apostrophe
    // before them changed the figure for every reader of the file (exactDifference '-1 beside -1).
    const kept = ['-1', '-6', '+2', '-', '－', '-0.5', '+2.5%', '-1,234', '-1e-8', '－1', ' -3 '];
    const neutralised = [
      '=1+1',
      '+SUM(A1)',
      '-2+3',
      '@cmd',
      '\t=x',
      '\t-1',
      '-A1',
      '--1',
      '+',
      '-1e',
      '-1,2',
    ];
    const row = Object.fromEntries([...kept, ...neutralised].map((text, i) => [`c${i}`, text]));
    const csv = resultToCsv({ data: { rows: [row] } });
    expect(csv.ok).toBe(true);
    const fields = csv.ok ? (csv.csv.split('\r\n')[1] ?? '') : '';
    expect(fields).toBe(
      [
        ...kept.map((text) => (text === '-1,234' ? `"${text}"` : text)),
        ...neutralised.map((text) => (/[,\t]/.test(text) ? `"'${text}"` : `'${text}`)),
      ].join(','),
    );
  });

  it('keeps the query’s column order whatever row comes first, and a null object’s fields from the query', () => {
    const value = (v: number | null) => ({ label: '公开率（总计）', value: v });
    const withRegion = {
      rank: 1,
      agency: { name: '甲', region: { code: '640000', name: '宁夏' } },
      value: value(0.5),
    };
    const withoutRegion = { rank: 2, agency: { name: '乙', region: null }, value: value(null) };
    const header = 'rank,agency.name,agency.region.code,agency.region.name,公开率（总计）';
    // A ranking sorted one way, then the other: the header used to follow the first row.
    expect(resultToCsv({ data: { entries: [withRegion, withoutRegion] } })).toMatchObject({
      csv: lines(header, '1,甲,640000,宁夏,0.5', '2,乙,,,'),
    });
    expect(resultToCsv({ data: { entries: [withoutRegion, withRegion] } })).toMatchObject({
      csv: lines(header, '2,乙,,,', '1,甲,640000,宁夏,0.5'),
    });
    // No row has a region: its columns come from the query's selection, not one agency.region.
    const selected = (path: string) => (path === 'entries' ? header.split(',') : null);
    expect(resultToCsv({ data: { entries: [withoutRegion] } }, null, selected)).toMatchObject({
      csv: lines(header, '2,乙,,,'),
    });
    // A list's items are columns as many as the longest has, in order.
    const values = (n: number) => ({ values: Array.from({ length: n }, (_, i) => ({ v: i })), after: n });
    expect(resultToCsv({ data: { rows: [values(1), values(3)] } })).toMatchObject({
      csv: lines('values.1.v,values.2.v,values.3.v,after', '0,,,1', '0,1,2,3'),
    });
  });
});
