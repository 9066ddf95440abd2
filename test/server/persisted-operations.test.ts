import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { testDb } from '../support/db.ts';
import { testConfig } from '../support/graphql.ts';
import { tempDir } from '../support/temp-dir.ts';

const db = testDb();
afterAll(() => db.$disconnect());

it('in production with an allow-list, only persisted operations run', async () => {
  const query = '{ agencies { ... on QueryAgenciesConnection { totalCount } } }';
  const hash = createHash('sha256').update(query).digest('hex');
  const names = '{ agencies { ... on QueryAgenciesConnection { edges { node { name } } } } }';
  const namesHash = createHash('sha256').update(names).digest('hex');
  const file = join(tempDir('persisted-'), 'operations.json');
  writeFileSync(file, JSON.stringify({ [hash]: query, [namesHash]: names }));
  const app = createApp({
    db,
    config: testConfig({ NODE_ENV: 'production', PERSISTED_OPERATIONS_FILE: file }),
  });
  const post = async (body: unknown) => {
    const response = await app.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  };

  const allowed = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
  expect(allowed).toEqual({ data: { agencies: { totalCount: expect.any(Number) } } });
  const arbitrary = await post({ query });
  expect(arbitrary.errors?.[0]?.message).toMatch(/only runs persisted operations/);
  const unknown = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } });
  expect(unknown.errors?.[0]?.message).toMatch(/not on the allow-list/);

  // The CSV export by hash, from a GET as from a POST: the hash rides in `extensions`.
  const url = new URL('http://yoga/csv');
  url.searchParams.set(
    'extensions',
    JSON.stringify({ persistedQuery: { version: 1, sha256Hash: namesHash } }),
  );
  const csv = await app.fetch(url);
  expect(csv.status).toBe(200);
  expect((await csv.text()).split('\r\n')[0]).toBe('\uFEFFnode.name');
});
