/**
 * The response cache in Redis keeps nothing without an expiry: its answers are filed under the
 * data version, and the plugin's sets indexing them by type and entity (Agency, Report:…), which
 * never expired, grew with every import until Redis refused writes.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import { createApp } from '../../src/server/app.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { fixtureBytes, REAL_V2019 } from '../support/fixtures.ts';
import { testConfig } from '../support/graphql.ts';

// A Redis database of its own, emptied first: only this file uses it.
const REDIS_URL = 'redis://127.0.0.1:6379/13';

describe.runIf(process.env.CI || process.env.REDIS_TEST)('the response cache in Redis', () => {
  const db = testDb();
  const redis = new Redis(REDIS_URL);
  const app = createApp({
    db,
    config: testConfig({ REDIS_URL, RESPONSE_CACHE: 'on', RESPONSE_CACHE_TTL_MS: '60000' }),
  });
  beforeAll(async () => {
    await redis.flushdb();
    await resetDatabase(db);
    expect((await importReport(db, { bytes: fixtureBytes(REAL_V2019), fileName: 'r.txt' })).ok).toBe(true);
  });
  afterAll(async () => {
    await app.close();
    await redis.flushdb();
    await redis.quit();
    await db.$disconnect();
  });

  it('keeps each answer under its expiry, and nothing else', async () => {
    for (let first = 1; first <= 5; first++) {
      const response = await app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `{ agencies(first: ${first}) { ... on QueryAgenciesConnection { edges { node { id name reports { id year } } } } } }`,
        }),
      });
      expect(response.status).toBe(200);
    }
    const keys = await redis.keys('*');
    expect(keys).toHaveLength(5);
    for (const key of keys) expect(await redis.pttl(key), key).toBeGreaterThan(0);
  });
});
