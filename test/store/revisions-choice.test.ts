/**
 * A bad import can be undone: importing an earlier revision's bytes makes it current again
 * (RESTORED), and `useRevision` (admin mutation, CLI `revision use`) chooses a revision by
 * number. Findings follow the current revision; every change is in the audit log.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { importReport } from '../../src/import/index.ts';
import { createToken } from '../../src/store/tokens.ts';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { graphqlClient } from '../support/graphql.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));

const good = fixtureText(REAL_V2019);
// A faulty re-publication: 行政许可 处理决定数量 printed wrong.
const bad = good.replace(
  /(行政许可\t[^\n]*\t)(\d+)$/m,
  (_m, head: string, n: string) => `${head}${Number(n) + 1000}`,
);
const source = (text: string) => ({ bytes: new TextEncoder().encode(text), fileName: 'zw.txt' });

async function current() {
  const [row] = await db.$queryRaw<{ number: number }[]>`
    SELECT rv.number FROM report r JOIN report_revision rv ON rv.id = r.current_revision_id`;
  return row?.number;
}

describe('choosing the current revision', () => {
  it('importing an earlier revision’s bytes makes it current again (RESTORED); the current bytes stay UNCHANGED', async () => {
    expect(bad).not.toBe(good);
    const outcomes = [];
    for (const text of [good, bad, good, good]) {
      const result = await importReport(db, source(text));
      if (!result.ok) throw new Error(result.problems[0]?.message);
      outcomes.push(result.value.outcome);
    }
    expect(outcomes).toEqual(['CREATED', 'NEW_REVISION', 'RESTORED', 'UNCHANGED']);
    expect(await current()).toBe(1);
  });

  it('useRevision (admin) chooses by number, refuses other scopes and unknown numbers, and is audit-logged', async () => {
    for (const text of [good, bad]) expect((await importReport(db, source(text))).ok).toBe(true);
    const gql = graphqlClient(db);
    const mutation =
      'mutation ($n: Int!) { useRevision(agencyName: "中卫市科学技术局", year: 2020, number: $n) { __typename ... on UseRevisionSuccess { data { year current { number } } } ... on Error { message } } }';
    const importer = await createToken(db, 'loader', ['import']);
    const refused = await gql(mutation, { n: 1 }, { token: importer.token });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await current()).toBe(2);
    const admin = await createToken(db, 'root', ['admin']);
    const done = await gql(mutation, { n: 1 }, { token: admin.token });
    expect(done.errors).toBeUndefined();
    expect(done.data?.useRevision.data.current.number).toBe(1);
    expect(await current()).toBe(1);
    // Asking only for the outcome's type: the change is made and the answer says so.
    const bare =
      'mutation ($n: Int!) { useRevision(agencyName: "中卫市科学技术局", year: 2020, number: $n) { __typename } }';
    const back = await gql(bare, { n: 2 }, { token: admin.token });
    expect(back.errors).toBeUndefined();
    expect(back.data?.useRevision.__typename).toBe('UseRevisionSuccess');
    expect(await current()).toBe(2);
    const unknown = await gql(mutation, { n: 9 }, { token: admin.token });
    expect(unknown.data?.useRevision.message).toMatch(/has no revision 9; its revisions are 1, 2/);
    const audit = await db.auditLog.findMany({ where: { action: 'useRevision' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.outcome)).toEqual(['CHANGED', 'CHANGED', 'REJECTED']);
  });

  it('useRevision names the argument at fault: the agency name, the year or the revision number', async () => {
    for (const text of [good, bad]) expect((await importReport(db, source(text))).ok).toBe(true);
    const gql = graphqlClient(db);
    const admin = await createToken(db, 'root', ['admin']);
    const mutation =
      'mutation ($a: String!, $y: Int!, $n: Int!) { useRevision(agencyName: $a, year: $y, number: $n) { __typename ... on InvalidInputError { message argument } } }';
    const refusal = async (a: string, y: number, n: number) => {
      const { data, errors } = await gql(mutation, { a, y, n }, { token: admin.token });
      expect(errors).toBeUndefined();
      return data?.useRevision;
    };
    expect(await refusal('中卫市科技局', 2020, 1)).toEqual({
      __typename: 'InvalidInputError',
      message:
        'No stored agency is named "中卫市科技局", with or without the places above it. The name search (agencies(filter: {nameContains: …})) finds 中卫市科学技术局 (2020); give the agency\'s name as one of those.',
      argument: 'agencyName',
    });
    expect(await refusal('中卫市科学技术局', 2019, 1)).toEqual({
      __typename: 'InvalidInputError',
      message: 'No stored report of 中卫市科学技术局 for 2019.',
      argument: 'year',
    });
    expect(await refusal('中卫市科学技术局', 2020, 9)).toEqual({
      __typename: 'InvalidInputError',
      message: '中卫市科学技术局 2020 has no revision 9; its revisions are 1, 2.',
      argument: 'number',
    });
    expect(await current()).toBe(2);
  });

  it('the CLI: revision use <agency> <year> <n>', async () => {
    for (const text of [good, bad]) expect((await importReport(db, source(text))).ok).toBe(true);
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = databaseUrl();
    try {
      expect(await main(['revision', 'use', '中卫市科学技术局', '2020', '1'])).toBe(0);
      expect(await current()).toBe(1);
      expect(await main(['revision', 'use', '中卫市科学技术局', '2020', '7'])).toBe(2);
    } finally {
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
    }
  });
});
