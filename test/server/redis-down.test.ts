/**
 * Redis away (REDIS_URL names a server that does not answer) with the response cache and the
 * rate limit on: reads, /csv and imports are answered as without a cache. Each request failed
 * with "Unexpected error." (the cache's MaxRetriesPerRequestError) while /ready said ready.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import { createApp } from '../../src/server/app.ts';
import { createToken } from '../../src/store/tokens.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { fixtureBytes, fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { IMPORT_MUTATION, testConfig } from '../support/graphql.ts';

/** A port nothing listens on: connecting is refused at once. */
const REDIS_URL = 'redis://127.0.0.1:1';

describe('Redis away', () => {
  const db = testDb();
  const warnings: string[] = [];
  const app = createApp({
    db,
    config: testConfig({ REDIS_URL, RESPONSE_CACHE: 'on', RATE_LIMIT_PER_MINUTE: '600' }),
    logger: {
      ...console,
      warn: (_: unknown, message: string) => warnings.push(message),
      info: () => {},
      debug: () => {},
      error: () => {},
      fatal: () => {},
      trace: () => {},
      child() {
        return this;
      },
    } as never,
  });
  beforeAll(async () => {
    await resetDatabase(db);
    expect((await importReport(db, { bytes: fixtureBytes(REAL_V2019), fileName: 'r.txt' })).ok).toBe(true);
  });
  afterAll(async () => {
    await app.close();
    await db.$disconnect();
  });

  const post = (query: string, variables: object = {}, token?: string) =>
    app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });

  it('answers reads (twice: nothing is kept), /csv and an import, and says once in the log why it is uncached', async () => {
    for (let i = 0; i < 2; i++) {
      const response = await post('{ agencies(first: 5) { ... on QueryAgenciesConnection { totalCount } } }');
      expect(response.status).toBe(200);
      const answer = (await response.json()) as {
        data?: unknown;
        errors?: unknown;
        extensions?: { responseCache?: { hit?: boolean; didCache?: boolean } };
      };
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({ agencies: { totalCount: 1 } });
      expect(answer.extensions?.responseCache?.hit).toBe(false);
      // Not kept, and not said to be.
      expect(answer.extensions?.responseCache?.didCache).toBe(false);
    }
    // Once the outage is known, requests do not each wait on Redis: one a second tries it. Each
    // waited for a reconnection or a command timeout (5 took 2.9 s, now 25 ms).
    const started = performance.now();
    for (let i = 0; i < 5; i++) {
      const response = await post('{ agencies(first: 5) { ... on QueryAgenciesConnection { totalCount } } }');
      expect(((await response.json()) as { data?: unknown }).data).toEqual({ agencies: { totalCount: 1 } });
    }
    expect(performance.now() - started).toBeLessThan(2_500);
    const csv = await app.fetch(
      `http://localhost/csv?query=${encodeURIComponent('{ agencies(first: 5) { ... on QueryAgenciesConnection { edges { node { name } } } } }')}`,
    );
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain('中卫市科学技术局');
    const { token } = await createToken(db, 'loader', ['import']);
    const text = `${fixtureText(REAL_V2019)}\n`;
    const imported = await post(IMPORT_MUTATION, { input: { text, fileName: 'r.txt' } }, token);
    const answer = (await imported.json()) as { data?: { importReport?: { __typename: string } } };
    expect(answer.data?.importReport?.__typename).toBe('ImportReportPayload');
    expect(warnings.filter((w) => w.startsWith('the response cache (Redis) failed'))).toHaveLength(1);
    // The announcement's connection tries again and again: said once, not at every attempt.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(warnings.filter((w) => w.startsWith('announcing an import failed'))).toHaveLength(1);
  });
});
