/**
 * `export csv`: the CSV of /csv on the command line, through the same application, so the
 * bytes are the same; mutations are refused as /csv refuses them.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ExportIo, runExport } from '../../src/cli/export.ts';
import { main } from '../../src/cli/main.ts';
import { createApp } from '../../src/server/app.ts';
import { seedComparisonData } from '../comparison/dataset.ts';
import { databaseUrl, tableCounts, testDb } from '../support/db.ts';
import { EXAMPLE_V2021, fixtureText } from '../support/fixtures.ts';
import { testConfig } from '../support/graphql.ts';

const db = testDb();
const app = createApp({ db, config: testConfig() });
beforeAll(() => seedComparisonData(db), 60_000);
afterAll(async () => {
  await app.close();
  await db.$disconnect();
});

/** Runs the command in-process against the test database, capturing stdout and stderr. */
async function run(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  const stderr: string[] = [];
  const io: ExportIo = {
    out: async (text) => {
      stdout += text;
    },
    err: (text) => stderr.push(text),
  };
  const saved = Object.fromEntries(
    ['DATABASE_URL', ...Object.keys(env)].map((k) => [k, process.env[k]] as const),
  );
  Object.assign(process.env, { DATABASE_URL: databaseUrl(), ...env });
  try {
    const code = await runExport(args, io);
    return { code, stdout, stderr };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const RANKING = /* GraphQL */ `query Rank($year: Int!) {
  ranking(metric: { metric: REVIEW_CORRECTION_RATE }, year: $year,
          filter: { agency: { regionCode: "640000", levels: [COUNTY], kinds: [GOVERNMENT] } }) {
    ... on Ranking { unranked { reason count } entries { rank tied agency { name } value { label value numerator denominator } } }
  }
}`;

describe('export csv', () => {
  it('prints byte for byte what /csv answers, with --variables and --path', async () => {
    const { code, stdout, stderr } = await run([
      'csv',
      '--query',
      RANKING,
      '--variables',
      '{"year": 2022}',
      '--path',
      'ranking.entries',
    ]);
    expect(stderr.filter((l) => l.startsWith('Error'))).toEqual([]);
    expect(code).toBe(0);
    const url = new URL('http://yoga/csv');
    url.searchParams.set('query', RANKING);
    url.searchParams.set('variables', JSON.stringify({ year: 2022 }));
    url.searchParams.set('path', 'ranking.entries');
    const overHttp = Buffer.from(await (await app.fetch(url)).arrayBuffer()).toString('utf8');
    expect(stdout).toBe(overHttp);
    expect(stdout).toBe(
      `\uFEFF${[
        'rank,tied,agency.name,行政复议纠正率,行政复议纠正率·分子,行政复议纠正率·分母',
        '1,false,银川市兴庆区人民政府,0.6,3,5',
        '2,true,中卫市中宁县人民政府,0.25,2,8',
        '2,true,中卫市沙坡头区人民政府,0.25,1,4',
      ].join('\r\n')}\r\n`,
    );
  });

  it('takes the first list without --path, and runs for the operator even when reads need a token', async () => {
    const query =
      '{ agencies(first: 2, filter: { nameContains: "科学技术局" }) { ... on QueryAgenciesConnection { edges { node { name } } } } }';
    const { code, stdout } = await run(['csv', '--query', query], { READS_REQUIRE_TOKEN: 'true' });
    expect(code).toBe(0);
    expect(stdout).toBe('\uFEFFnode.name\r\n中卫市科学技术局\r\n');
  });

  it('refuses a mutation as /csv does, and writes nothing', async () => {
    const before = await tableCounts(db);
    const { code, stdout, stderr } = await run([
      'csv',
      '--query',
      'mutation ($t: String!) { importReport(input: { text: $t }) { __typename } }',
      '--variables',
      JSON.stringify({ t: fixtureText(EXAMPLE_V2021).replaceAll('卫生健康局', '民政局') }),
    ]);
    // A usage error, as every other (it exited 1, as a query that fails does).
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.at(-1)).toBe(
      // The command, not the HTTP path it goes through, is named.
      'Error: export csv exports the answer of a query; it never runs a mutation. Send mutations to POST /graphql.',
    );
    expect(await tableCounts(db)).toEqual(before);
  });

  it('says why a query gives no CSV, and exits 2 on usage errors', async () => {
    const invalid = await run([
      'csv',
      '--query',
      '{ compare(metrics: [{ metric: NO_SUCH_METRIC }]) { __typename } }',
    ]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr.at(-1)).toContain('NO_SUCH_METRIC');
    const noList = await run([
      'csv',
      '--query',
      '{ metrics(kind: RATIO) { metric } }',
      '--path',
      'metrics.0',
    ]);
    expect(noList.code).toBe(1);
    expect(noList.stderr.at(-1)).toBe('Error: No list at "metrics.0" in the result; its lists are metrics.');
    // An agency that is not there answers null: said so, naming the field, not "no list".
    const absent = await run(['csv', '--query', '{ agency(name: "无此机构") { name reports { year } } }']);
    expect(absent.code).toBe(1);
    expect(absent.stderr.at(-1)).toBe(
      'Error: The result holds no list to export: agency is null (nothing answered it: no agency of that name, no report of that year, …). Check the arguments of that field (a name, a year) against what is stored.',
    );
    const absentAt = await run([
      'csv',
      '--query',
      '{ agency(name: "无此机构") { name reports { year } } }',
      '--path',
      'agency.reports',
    ]);
    expect(absentAt.stderr.at(-1)).toBe(
      'Error: No list at "agency.reports" in the result: agency is null (nothing answered it: no agency of that name, no report of that year, …). Check the arguments of that field (a name, a year) against what is stored.',
    );
    const two = await run([
      'csv',
      '--query',
      '{ series(metric: { metric: T3_NEW_REQUESTS }) { ... on Series { years series { agency { name } } } } }',
    ]);
    expect(two.code).toBe(1);
    expect(two.stderr.at(-1)).toBe(
      'Error: The result holds 2 lists (series.years, series.series); name the one to export with --path, e.g. --path series.series.',
    );

    // Two operations: the command's option is named, not the HTTP parameter.
    const operations = await run([
      'csv',
      '--query',
      'query A { metrics { metric } } query B { metrics { metric } }',
    ]);
    expect(operations.code).toBe(1);
    expect(operations.stderr.at(-1)).toBe(
      'Error: The document has 2 operations and no --operation-name says which to run; its operations are "A", "B". Pass one of those names with --operation-name.',
    );

    expect(await run(['csv'])).toMatchObject({ code: 2, stderr: [expect.stringContaining('needs --query')] });
    expect(await run(['json', '--query', '{ x }'])).toMatchObject({
      code: 2,
      stderr: [expect.stringContaining('export writes csv only, not "json"')],
    });
    expect(await run(['csv', '--query', 'mutation { x }'])).toMatchObject({
      code: 2,
      stderr: [
        'Error: export csv exports the answer of a query; it never runs a mutation. Send mutations to POST /graphql.',
      ],
    });
    expect(await run(['csv', '--query', 'subscription { x }'])).toMatchObject({
      code: 2,
      stderr: [expect.stringContaining('a subscription streams events instead')],
    });
    // Not an object: said in the command's words (it was /csv's "send {\"query\"…}", exit 1).
    expect(await run(['csv', '--query', '{ x }', '--variables', '[1]'])).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        `Error: --variables must be a JSON object of the query's variables, such as '{"year": 2022}', not [1].`,
      ],
    });
    expect(await run(['csv', '--query', '{ x }', '--variables', '{year: 2022}'])).toMatchObject({
      code: 2,
      stderr: [expect.stringMatching(/^Error: --variables is not valid JSON/)],
    });
  });

  it('is listed in --help', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await main(['--help'])).toBe(0);
    expect(String(log.mock.calls[0]?.[0])).toContain("export csv --query '<graphql query>'");
    log.mockRestore();
  });
});
