/**
 * What the parser flagged while reading a revision stays within an auditor's reach: the import's
 * answer listed SPLIT_BY_TOTALS for Pingtan's 2021 table 4 (a run of digits split by its own
 * totals alone), and nothing a reader could query said so afterwards, though `Cell.decodedFrom`
 * pointed to the warning.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import { loadRegions } from '../../src/store/regions.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { graphqlClient } from '../support/graphql.ts';

const SHARED = fileURLToPath(new URL('../../../shared/fixtures/real-reports/', import.meta.url));
const db = testDb();
const gql = graphqlClient(db);
afterAll(() => db.$disconnect());
/** What each import answered as its warnings, by file. */
const answered = new Map<string, { code: string; line?: number; message: string }[]>();

const QUERY = /* GraphQL */ `
  query ($name: String!, $year: Int!) {
    report(agencyName: $name, year: $year) {
      current {
        parseWarnings { code severity line table row message }
        table4 { proceedings { code upheld { value decodedFrom } total { value decodedFrom } } }
      }
    }
  }
`;

describe.runIf(existsSync(SHARED))('ReportRevision.parseWarnings', () => {
  beforeAll(async () => {
    await resetDatabase(db);
    await loadRegions(db);
    for (const name of ['pingtan-2021.pagetxt.txt', 'shanghai-bgt-2019.html']) {
      const bytes = readFileSync(`${SHARED}${name}`);
      const result = await importReport(db, { bytes, fileName: name }, { allowPartial: true });
      expect(result.ok, name).toBe(true);
      if (result.ok) answered.set(name, result.value.parsed.warnings);
    }
  }, 60_000);

  it('names the table-4 row split by its own totals, where its cells say what they were decoded from', async () => {
    const { data, errors } = await gql(QUERY, { name: '平潭综合实验区', year: 2021 });
    expect(errors).toBeUndefined();
    const current = data?.report.current;
    const split = current.parseWarnings.filter((w: { code: string }) => w.code === 'SPLIT_BY_TOTALS');
    expect(split).toEqual([
      expect.objectContaining({ severity: 'warning', table: 'T4', line: expect.any(Number) }),
    ]);
    expect(split[0].message).toMatch(/only the row's own totals decided/);
    const direct = current.table4.proceedings.find((p: { code: string }) => p.code === 'LITIGATION_DIRECT');
    expect(direct.upheld.decodedFrom).toEqual(expect.stringMatching(/^\d{10,}$/));
  });

  it('are what the import answered, for every file', async () => {
    for (const [name, year, file] of [
      ['平潭综合实验区', 2021, 'pingtan-2021.pagetxt.txt'],
      ['上海市人民政府办公厅', 2019, 'shanghai-bgt-2019.html'],
    ] as const) {
      const { data, errors } = await gql(QUERY, { name, year });
      expect(errors).toBeUndefined();
      const expected = answered.get(file) ?? [];
      expect(expected.length, file).toBeGreaterThan(0);
      expect(
        data?.report.current.parseWarnings.map(
          (w: { code: string; line: number | null; message: string }) => [w.code, w.line, w.message],
        ),
      ).toEqual(expected.map((w) => [w.code, w.line ?? null, w.message]));
    }
  });
});
