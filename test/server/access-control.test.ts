import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createToken, listTokens, revokeToken } from '../../src/store/tokens.ts';
import { resetDatabase, tableCounts, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { graphqlClient, IMPORT_MUTATION, testConfig } from '../support/graphql.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));

const importInput = { input: { text: fixtureText(REAL_V2019), fileName: 'zw.txt' } };

describe('writes need a token with the import scope', () => {
  const gql = graphqlClient(db);

  it('refuses anonymous, malformed, unknown, revoked and wrong-scope tokens, changing nothing', async () => {
    const reader = await createToken(db, 'dashboard', ['read']);
    const importer = await createToken(db, 'loader', ['import']);
    await revokeToken(db, 'loader');
    const cases: [string | null, string, RegExp][] = [
      [null, 'UNAUTHENTICATED', /Writes need an API token/],
      ['not-a-bearer', 'UNAUTHENTICATED', /not valid/],
      ['gdr_unknown', 'UNAUTHENTICATED', /not valid/],
      [importer.token, 'UNAUTHENTICATED', /not valid: it is unknown, revoked/],
      [
        reader.token,
        'FORBIDDEN',
        /token "dashboard" lacks the scope import .*token create --name NAME --scopes import`\.$/,
      ],
    ];
    for (const [token, code, message] of cases) {
      const { data, errors } = await gql(IMPORT_MUTATION, importInput, { token });
      expect(data?.importReport ?? null, String(token)).toBeNull();
      expect(errors?.[0]?.extensions?.code, String(token)).toBe(code);
      expect(errors?.[0]?.message, String(token)).toMatch(message);
    }
    expect(await tableCounts(db)).toEqual({ agency: 0, report: 0, report_revision: 0, revision_figures: 0 });
    expect(await db.auditLog.count()).toBe(0);
  });

  it('useRevision needs admin, and an import token is told so', async () => {
    const importer = await createToken(db, 'loader', ['import']);
    const { data, errors } = await gql(
      'mutation { useRevision(agencyName: "中卫市科学技术局", year: 2020, number: 1) { __typename } }',
      {},
      { token: importer.token },
    );
    expect(data?.useRevision ?? null).toBeNull();
    expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(errors?.[0]?.message).toBe(
      'The token "loader" lacks the scope admin needed for useRevision. Tokens are created with `npm run cli -- token create --name NAME --scopes admin`.',
    );
  });

  it('accepts an import token and records who imported what in the audit log', async () => {
    const { token } = await createToken(db, 'loader', ['import']);
    const { data } = await gql(IMPORT_MUTATION, importInput, { token });
    expect(data?.importReport.outcome).toBe('CREATED');
    await gql(IMPORT_MUTATION, { input: { text: '', fileName: 'empty.txt' } }, { token });
    const log = await db.auditLog.findMany({ orderBy: { id: 'asc' } });
    expect(
      log.map((e) => [e.actor, e.action, e.outcome, (e.detail as { fileName?: string }).fileName]),
    ).toEqual([
      ['token:loader', 'importReport', 'CREATED', 'zw.txt'],
      ['token:loader', 'importReport', 'REJECTED', 'empty.txt'],
    ]);
    const [stored] = await listTokens(db);
    expect(stored?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(await db.apiToken.findMany())).not.toContain(token);
  });

  it('a stored import whose audit entry cannot be written is answered as stored, saying the log lacks it', async () => {
    // The entry is written after the report's transaction commits: it failed (a full disk, the
    // database gone), and the answer said "nothing was written" of a stored report.
    const { token } = await createToken(db, 'loader', ['import']);
    await db.$executeRawUnsafe(
      "CREATE FUNCTION no_audit_test() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; END $$ LANGUAGE plpgsql",
    );
    await db.$executeRawUnsafe(
      'CREATE TRIGGER no_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION no_audit_test()',
    );
    try {
      const { data, errors } = await gql(IMPORT_MUTATION, importInput, { token });
      expect(errors).toBeUndefined();
      expect(data?.importReport.outcome).toBe('CREATED');
      expect(data?.importReport.warnings).toContainEqual({
        code: 'AUDIT_NOT_RECORDED',
        message: expect.stringMatching(
          /^The change was made \(stored \(CREATED\)\), but the audit log does not record it: writing its entry failed \(.*No space left on device/,
        ),
      });
    } finally {
      await db.$executeRawUnsafe('DROP TRIGGER no_audit ON audit_log');
      await db.$executeRawUnsafe('DROP FUNCTION no_audit_test()');
    }
    expect(await db.reportRevision.count()).toBe(1);
  });

  it('an admin token can write too', async () => {
    const { token } = await createToken(db, 'root', ['admin']);
    expect((await gql(IMPORT_MUTATION, importInput, { token })).data?.importReport.outcome).toBe('CREATED');
  });
});

describe('reads', () => {
  it('are public by default', async () => {
    const gql = graphqlClient(db);
    expect(
      (await gql('{ agencies { ... on QueryAgenciesConnection { totalCount } } }', {}, { token: null })).data
        ?.agencies.totalCount,
    ).toBe(0);
  });

  it('can be switched to token-only', async () => {
    const gql = graphqlClient(db, [], testConfig({ READS_REQUIRE_TOKEN: 'true' }));
    const anonymous = await gql(
      '{ agencies { ... on QueryAgenciesConnection { totalCount } } }',
      {},
      { token: null },
    );
    expect(anonymous.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(anonymous.errors?.[0]?.message).toMatch(/Reads need an API token/);
    const { token } = await createToken(db, 'dashboard', ['read']);
    expect(
      (await gql('{ agencies { ... on QueryAgenciesConnection { totalCount } } }', {}, { token })).data
        ?.agencies.totalCount,
    ).toBe(0);
  });
});
