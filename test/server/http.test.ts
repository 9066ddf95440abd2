import { afterAll, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { testDb } from '../support/db.ts';
import { testConfig } from '../support/graphql.ts';

const db = testDb();
afterAll(() => db.$disconnect());
const app = createApp({ db, config: testConfig() });

it('serves GraphiQL with everything inline, so it works without internet access', async () => {
  const response = await app.fetch('http://yoga/graphql', { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  const html = await response.text();
  expect(html).toContain('<title>政府信息公开年度报告 GraphQL</title>');
  expect(html).toContain('report(agencyName: \\"中卫市科学技术局\\", year: 2020)');
  expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
});

it('answers /health while the process is alive', async () => {
  expect((await app.fetch('http://yoga/health')).status).toBe(200);
});

it('answers /ready with the database and migration state', async () => {
  const response = await app.fetch('http://yoga/ready');
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ ready: true, database: 'ok', pendingMigrations: [] });
});

it('is not ready when the database is unreachable', async () => {
  const { createDb } = await import('../../src/store/db.ts');
  const unreachable = createDb('postgresql://postgres@127.0.0.1:1/none', { poolSize: 1 });
  const response = await createApp({ db: unreachable, config: testConfig() }).fetch('http://yoga/ready');
  expect(response.status).toBe(503);
  expect(await response.json()).toEqual({ ready: false, database: 'unreachable', pendingMigrations: [] });
  await unreachable.$disconnect();
});
