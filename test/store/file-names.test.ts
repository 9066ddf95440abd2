/**
 * Stored file names are base names (no folders of the importing machine are ever served), and
 * a damaged name, of the file or of the agency, is refused with the field named.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import { parseReportText } from '../../src/ingest/parse-report.ts';
import { defaultMigrationsDir } from '../../src/store/migrations.ts';
import { resetDatabase, tableCounts, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { graphqlClient } from '../support/graphql.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));
const bytes = () => new TextEncoder().encode(fixtureText(REAL_V2019));

describe('file names', () => {
  it('keeps only the base name of an imported path (POSIX or Windows)', async () => {
    for (const fileName of ['/home/auditor/secret/2020/science.txt', 'C:\\Users\\a\\science.txt']) {
      await resetDatabase(db);
      expect((await importReport(db, { bytes: bytes(), fileName })).ok).toBe(true);
      const [row] = await db.$queryRaw<
        { name: string }[]
      >`SELECT source_file_name AS name FROM report_revision`;
      expect(row?.name).toBe('science.txt');
    }
  });

  it('a migration strips folders from names stored before', async () => {
    expect((await importReport(db, { bytes: bytes(), fileName: 'science.txt' })).ok).toBe(true);
    await db.$executeRaw`UPDATE report_revision SET source_file_name = '/srv/reports/2020/science.txt'`;
    const folder = readdirSync(defaultMigrationsDir).find((name) => name.endsWith('_file_base_names'));
    const sql = readFileSync(join(defaultMigrationsDir, folder ?? '', 'migration.sql'), 'utf8');
    await db.$executeRawUnsafe(sql);
    const [row] = await db.$queryRaw<
      { name: string }[]
    >`SELECT source_file_name AS name FROM report_revision`;
    expect(row?.name).toBe('science.txt');
  });

  it('refuses a file name with U+FFFD, a control character or NUL, storing nothing', async () => {
    for (const fileName of ['report\uFFFD.txt', 'report\u0001.txt', 'a\u0000.txt']) {
      const result = await importReport(db, { bytes: bytes(), fileName });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.problems[0]).toMatchObject({
        code: 'INVALID_NAME',
        message: expect.stringMatching(/^The file name .* contains/),
      });
    }
    expect((await tableCounts(db)).report_revision).toBe(0);
  });
});

describe('agency names', () => {
  it('an agency name given to importReport with damaged bytes is refused naming input.agencyName', async () => {
    const gql = graphqlClient(db);
    const before = await tableCounts(db);
    const { data, errors } = await gql(
      `mutation ($input: ImportReportInput!) {
        importReport(input: $input) { __typename ... on InvalidInputError { message argument } }
      }`,
      { input: { text: fixtureText(REAL_V2019), agencyName: '中卫\uFFFD局' } },
    );
    expect(errors).toBeUndefined();
    expect(data?.importReport).toEqual({
      __typename: 'InvalidInputError',
      message: expect.stringMatching(/^input\.agencyName "中卫\uFFFD局" contains U\+FFFD/),
      argument: 'input.agencyName',
    });
    expect(await tableCounts(db)).toEqual(before);
  });

  it('an agency name with damaged bytes is refused, naming the line, instead of creating a new agency', () => {
    const text = fixtureText(REAL_V2019).replace('中卫市科学技术局', '\uFFFD\uFFFD市科学技术局');
    const result = parseReportText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]).toMatchObject({
      code: 'INVALID_NAME',
      line: expect.any(Number),
      message: expect.stringMatching(/The agency name ".*市科学技术局" contains U\+FFFD.*--agency/),
    });
  });
});
