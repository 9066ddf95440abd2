import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { createDb } from '../../src/store/db.ts';
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres.ts';
import { applyMigrations } from '../../src/store/migrations.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { graphqlClient, IMPORT_MUTATION, testConfig } from '../support/graphql.ts';

/**
 * Runs against its own PostgreSQL so it can really stop and restart it without
 * disturbing the shared test database.
 */
describe('when PostgreSQL goes away', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'disclosure-down-pg-'));
  let stop: () => Promise<void> = async () => {};
  // Its cluster is 64 MB: each run left one in the system temp folder.
  afterAll(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('clients get a clear DATABASE_UNAVAILABLE error, nothing is half-written, and service resumes when it returns', async () => {
    const first = await startEmbeddedPostgres({ dataDir, database: 'down_test' });
    stop = first.stop;
    await applyMigrations(first.url);
    const port = Number(new URL(first.url).port);
    const db = createDb(first.url, { poolSize: 2 });
    const logged: unknown[] = [];
    const gql = graphqlClient(db, logged);
    const count = `{ agencies(first: 1) { ... on QueryAgenciesConnection { totalCount } } }`;
    expect((await gql(count)).data?.agencies.totalCount).toBe(0);

    await first.stop();
    const whileDown = await gql(count);
    expect(whileDown.data).toBeNull();
    expect(whileDown.errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
    expect(whileDown.errors?.[0]?.message).toMatch(/database is unavailable.*Retry/);
    const importWhileDown = await gql(
      IMPORT_MUTATION,
      { input: { text: fixtureText(REAL_V2019) } },
      { token: 'gdr_checked-against-the-database' },
    );
    expect(importWhileDown.errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
    expect(logged.length).toBeGreaterThan(0);

    const second = await startEmbeddedPostgres({ dataDir, database: 'down_test', port });
    stop = second.stop;
    // The same client reconnects by itself: no restart of the server is needed.
    const after = await gql(count);
    expect(after.errors).toBeUndefined();
    expect(after.data?.agencies.totalCount).toBe(0);
    await db.$disconnect();
  });

  it('reports an unreachable database the same way for a client that never connected', async () => {
    const db = createDb('postgresql://postgres@127.0.0.1:1/nowhere', { poolSize: 1 });
    const gql = graphqlClient(db, []);
    const { errors } = await gql(`{ report(agencyName: "x", year: 2020) { year } }`);
    expect(errors).toMatchObject([{ extensions: { code: 'DATABASE_UNAVAILABLE' } }]);
    // /csv says so with 503, which a client or proxy may retry (it answered 400).
    const app = createApp({ db, config: testConfig(), logError: () => {} });
    const query = '{ agencies(first: 5) { ... on QueryAgenciesConnection { edges { node { name } } } } }';
    const csv = await app.fetch(`http://yoga/csv?query=${encodeURIComponent(query)}`);
    expect(csv.status).toBe(503);
    expect(await csv.json()).toMatchObject({ errors: [{ extensions: { code: 'DATABASE_UNAVAILABLE' } }] });
    await db.$disconnect();
  });
});
