/**
 * holdsIfBlanksAreZero on reports imported from text whose table 4 prints blanks: the blanks
 * stay blank, and the check says whether the identity would hold with them as 0.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { EXAMPLE_V2021, fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { graphqlClient } from '../support/graphql.ts';

const db = testDb();
const errors: unknown[] = [];
const gql = graphqlClient(db, errors);
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));

const AGENCY = '宁夏回族自治区中卫市沙坡头区卫生健康局';
/** Table 4's figure row of the example: 行政复议 2 1 0 1 4, then the two lawsuit groups. */
const T4_ROW = '2\t1\t0\t1\t4\t1\t0\t0\t1\t2\t0\t1\t0\t0\t1';

const REVIEW_CHECK = /* GraphQL */ `
  query ($name: String!) {
    report(agencyName: $name, year: 2022) {
      reconciliation(rules: [T4_TOTAL]) {
        checks { scope status unknownReason holdsIfBlanksAreZero cells { code status } }
      }
    }
  }`;

/** The T4_TOTAL check of 行政复议 after importing the example with its first five figures as `review`. */
async function reviewCheck(review: string[]) {
  const text = fixtureText(EXAMPLE_V2021);
  expect(text).toContain(T4_ROW);
  const row = [...review, ...T4_ROW.split('\t').slice(5)].join('\t');
  const imported = await importReport(
    db,
    { bytes: Buffer.from(text.replace(T4_ROW, row)), fileName: 'example.txt' },
    { allowPartial: true },
  );
  if (!imported.ok) throw new Error(imported.problems.map((p) => p.message).join('\n'));
  const { data, errors: queryErrors } = await gql(REVIEW_CHECK, { name: AGENCY });
  expect(queryErrors).toBeUndefined();
  expect(errors).toEqual([]);
  const checks = data?.report.reconciliation.checks as { scope: string }[];
  return checks.find((c) => c.scope === 'REVIEW');
}

describe('holdsIfBlanksAreZero', () => {
  it('is null when every figure is printed', async () => {
    expect(await reviewCheck(['2', '1', '0', '1', '4'])).toMatchObject({
      status: 'HOLDS',
      holdsIfBlanksAreZero: null,
    });
  });

  it('is true when the blanks as 0 make the identity hold', async () => {
    expect(await reviewCheck(['2', '', '0', '1', '3'])).toMatchObject({
      status: 'UNKNOWN',
      unknownReason: 'NOT_PRINTED',
      holdsIfBlanksAreZero: true,
    });
  });

  it('is false when it would not hold even with the blanks as 0', async () => {
    expect(await reviewCheck(['2', '', '0', '1', '4'])).toMatchObject({
      status: 'UNKNOWN',
      holdsIfBlanksAreZero: false,
    });
  });

  it('is true when every cell of the check is blank (0 = 0), the cells still blank, not 0', async () => {
    const check = await reviewCheck(['', '', '', '', '']);
    expect(check).toMatchObject({
      status: 'UNKNOWN',
      unknownReason: 'NOT_PRINTED',
      holdsIfBlanksAreZero: true,
    });
    expect(new Set((check as unknown as { cells: { status: string }[] }).cells.map((c) => c.status))).toEqual(
      new Set(['NOT_REPORTED']),
    );
  });

  it('is null when a cell is a mark ("/"), which says nothing was reported, not 0', async () => {
    expect(await reviewCheck(['/', '/', '/', '/', '/'])).toMatchObject({
      status: 'UNKNOWN',
      holdsIfBlanksAreZero: null,
    });
    expect(await reviewCheck(['', '', '/', '', ''])).toMatchObject({ holdsIfBlanksAreZero: null });
  });
});

describe('an identity none of whose cells is printed', () => {
  const UNCHECKED = /* GraphQL */ `
    query ($name: String!) {
      report(agencyName: $name, year: 2022) {
        reconciliation(rules: [T4_TOTAL]) { checks { scope status } }
        current { findings { rule scope status messageEn } }
      }
    }`;

  it.each([
    [['', '', '', '', ''], 'blank'],
    [['/', '/', '/', '/', '/'], 'not reported'],
    [['', '-', '—', '', '/'], 'blank'],
  ])(
    '%j: UNKNOWN in the reconciliation, and a finding says it was not checked (there was none)',
    async (review, how) => {
      await reviewCheck(review);
      const { data } = await gql(UNCHECKED, { name: AGENCY });
      const report = data?.report as {
        reconciliation: { checks: { scope: string; status: string }[] };
        current: { findings: { rule: string; scope: string; status: string; messageEn: string }[] };
      };
      expect(report.reconciliation.checks.find((c) => c.scope === 'REVIEW')?.status).toBe('UNKNOWN');
      const finding = report.current.findings.find((f) => f.rule === 'T4_TOTAL' && f.scope === 'REVIEW');
      expect(finding).toMatchObject({ status: 'INCOMPLETE', messageEn: expect.stringContaining(how) });
    },
  );
});

describe('table 2 bounds of the 2019 template in the reconciliation', () => {
  const BOUNDS = /* GraphQL */ `
    query {
      report(agencyName: "中卫市科学技术局", year: 2020) {
        reconciliation(rules: [T2_PUBLISHED_WITHIN_TOTAL, T2_CHANGE_WITHIN_ITEMS]) {
          checks { rule scope status expected actual difference }
        }
      }
    }`;
  const checksOf = async (edit: (text: string) => string) => {
    const text = fixtureText(REAL_V2019);
    const imported = await importReport(db, { bytes: Buffer.from(edit(text)), fileName: 'sample.txt' });
    if (!imported.ok) throw new Error(imported.problems.map((p) => p.message).join('\n'));
    const { data, errors: queryErrors } = await gql(BOUNDS);
    expect(queryErrors).toBeUndefined();
    return data?.report.reconciliation.checks as { rule: string; scope: string }[];
  };

  it('lists each row of table 2 a bound concerns, holding by its difference, or violated as the finding says', async () => {
    const held = await checksOf((text) => text);
    // 规章 and 规范性文件; 行政许可, 其他对外管理服务事项 (3 + 2), 行政处罚, 行政强制 and 行政事业性收费.
    expect(held.map((c) => `${c.rule} ${c.scope}`)).toHaveLength(7);
    expect(held.find((c) => c.scope === 'OTHER_SERVICES')).toMatchObject({
      rule: 'T2_CHANGE_WITHIN_ITEMS',
      status: 'HOLDS',
      expected: 0,
      actual: 5,
      difference: 5,
    });
    await resetDatabase(db);
    const broken = await checksOf((text) => text.replace('规范性文件\t0\t0\t0', '规范性文件\t0\t50\t6'));
    expect(
      broken.find((c) => c.rule === 'T2_PUBLISHED_WITHIN_TOTAL' && c.scope === 'NORMATIVE_DOCUMENTS'),
    ).toMatchObject({
      status: 'VIOLATED',
      expected: 6,
      actual: 50,
      difference: 44,
    });
  });
});
