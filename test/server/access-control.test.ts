import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/store/audit-log.ts';
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
    // A rejection records why, as the CLI's do.
    expect(log[1]?.detail).toMatchObject({
      problems: 1,
      code: expect.any(String),
      reason: expect.any(String),
    });
    const [stored] = await listTokens(db);
    expect(stored?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(await db.apiToken.findMany())).not.toContain(token);
  });

  it('an import whose audit entry cannot be written is not stored, and the answer names the refusal', async () => {
    // The entry is written in the report's transaction: a report is never stored without it. It
    // used to be written after the commit, and a full disk left a stored report unaudited.
    const { token } = await createToken(db, 'loader', ['import']);
    await db.$executeRawUnsafe(
      "CREATE FUNCTION no_audit_test() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$ LANGUAGE plpgsql",
    );
    await db.$executeRawUnsafe(
      'CREATE TRIGGER no_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION no_audit_test()',
    );
    try {
      const { data, errors } = await gql(IMPORT_MUTATION, importInput, { token });
      expect(data?.importReport ?? null).toBeNull();
      expect(errors?.[0]).toMatchObject({ extensions: { code: 'DATABASE_REFUSED', sqlState: '53100' } });
      expect(errors?.[0]?.message).toMatch(
        /^PostgreSQL refused the request \(could not extend file: No space left on device, SQLSTATE 53100\), so nothing was written\. The database server has no disk space left: free some, then send the request again\.$/,
      );
      expect(await db.reportRevision.count()).toBe(0);
      expect(await db.agency.count()).toBe(0);
    } finally {
      await db.$executeRawUnsafe('DROP TRIGGER no_audit ON audit_log');
      await db.$executeRawUnsafe('DROP FUNCTION no_audit_test()');
    }
    // Sent again once there is room, it is stored with its entry.
    expect((await gql(IMPORT_MUTATION, importInput, { token })).data?.importReport.outcome).toBe('CREATED');
    expect(await db.auditLog.count()).toBe(1);
  });

  it('an entry keeps text jsonb cannot hold (a lone surrogate half, U+0000) as U+FFFD', async () => {
    // The entry is written in the import's transaction: refused by jsonb, it undid the import.
    await recordAudit(db, 'cli:test', {
      action: 'import',
      outcome: 'CREATED',
      detail: { file: 'x\u0000\udc00y' },
    });
    const [entry] = await db.auditLog.findMany({ where: { actor: 'cli:test' } });
    expect(entry?.detail).toEqual({ file: 'x\ufffd\ufffdy' });
  });

  it('revision use and agency merges through the API write their entries in their own transactions', async () => {
    const { token } = await createToken(db, 'root', ['admin']);
    await gql(IMPORT_MUTATION, importInput, { token });
    const again = { input: { ...importInput.input, text: `${importInput.input.text}\n` } };
    expect((await gql(IMPORT_MUTATION, again, { token })).data?.importReport.outcome).toBe('NEW_REVISION');
    await db.$executeRawUnsafe(
      "CREATE FUNCTION no_audit_test() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit refused' ; END $$ LANGUAGE plpgsql",
    );
    await db.$executeRawUnsafe(
      'CREATE TRIGGER no_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION no_audit_test()',
    );
    const { name: a, reports } = await db.agency.findFirstOrThrow({ include: { reports: true } });
    const year = reports[0]?.year;
    const current = async () =>
      (await db.report.findFirstOrThrow({ include: { currentRevision: true } })).currentRevision?.number;
    try {
      const used = await gql(
        'mutation($a: String!, $y: Int!) { useRevision(agencyName: $a, year: $y, number: 1) { __typename } }',
        { a, y: year },
        { token },
      );
      expect(used.errors?.[0]).toMatchObject({ extensions: { code: 'DATABASE_REFUSED', sqlState: 'P0001' } });
      expect(used.errors?.[0]?.message).toMatch(/audit refused.*nothing was written/);
      expect(await current()).toBe(2);
      await db.agency.create({ data: { name: '甲县乙局', identityKey: 'test:甲县乙局' } });
      const merged = await gql(
        'mutation($a: String!) { mergeAgencies(from: "甲县乙局", into: $a) { __typename } }',
        { a },
        { token },
      );
      expect(merged.errors?.[0]).toMatchObject({ extensions: { code: 'DATABASE_REFUSED' } });
      expect(await db.agency.count()).toBe(2);
    } finally {
      await db.$executeRawUnsafe('DROP TRIGGER no_audit ON audit_log');
      await db.$executeRawUnsafe('DROP FUNCTION no_audit_test()');
    }
    expect(await db.auditLog.count()).toBe(2);
    await gql(
      'mutation($a: String!, $y: Int!) { useRevision(agencyName: $a, year: $y, number: 1) { __typename } }',
      { a, y: year },
      { token },
    );
    expect(await current()).toBe(1);
    expect((await db.auditLog.findMany({ orderBy: { id: 'asc' } })).map((e) => e.outcome)).toEqual([
      'CREATED',
      'NEW_REVISION',
      'CHANGED',
    ]);
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

  it('token-only, answers are cached for readers and never reach a caller who may not read', async () => {
    // The cache used to be off whenever reads needed a token, so a token-only dashboard ran every query.
    const gql = graphqlClient(db, [], testConfig({ READS_REQUIRE_TOKEN: 'true', RESPONSE_CACHE: 'on' }));
    const query = '{ agencies { ... on QueryAgenciesConnection { totalCount } } }';
    const reader = await createToken(db, 'dashboard', ['read']);
    const other = await createToken(db, 'wall', ['read']);
    const importer = await createToken(db, 'loader', ['import']);
    // A token's first use is recorded, then not again for an hour.
    await gql('{ __typename }', {}, { token: reader.token });
    await gql('{ __typename }', {}, { token: other.token });
    await expect.poll(async () => (await listTokens(db)).filter((t) => t.lastUsedAt !== null).length).toBe(2);
    const recorded = (await listTokens(db)).map((t) => t.lastUsedAt?.getTime());
    const first = await gql(query, {}, { token: reader.token });
    expect(first.extensions?.responseCache).toMatchObject({ hit: false, didCache: true });
    // Every reader sees the same answers, so another reader's token is answered from the cache.
    // Each token check wrote last_used_at, and so emptied the cache, at every request.
    const again = await gql(query, {}, { token: other.token });
    expect(again.data?.agencies.totalCount).toBe(0);
    expect(again.extensions?.responseCache).toMatchObject({ hit: true });
    expect((await listTokens(db)).map((t) => t.lastUsedAt?.getTime())).toEqual(recorded);
    // Anonymous, without the read scope, or revoked: refused, never answered from the cache,
    // also while a reader's identical query runs.
    await revokeToken(db, 'wall');
    const [, ...refused] = await Promise.all([
      gql(query, { x: 1 }, { token: reader.token }),
      gql(query, { x: 1 }, { token: null }),
      gql(query, {}, { token: null }),
      gql(query, {}, { token: importer.token }),
      gql(query, {}, { token: other.token }),
    ]);
    for (const answer of refused) {
      expect(answer.data).toBeNull();
      expect(answer.errors?.[0]?.extensions?.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
      expect((answer.extensions?.responseCache as { hit?: boolean } | undefined)?.hit ?? false).toBe(false);
    }
  });
});
