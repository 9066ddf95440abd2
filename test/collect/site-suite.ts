/**
 * The collect tests' set-up: one database client for the file, and before each test an empty
 * database and a fresh fixture site (closed after it). `use` receives both as they change.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Db } from '../../src/store/db.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { type FixtureSite, type FixtureSiteOptions, startFixtureSite } from '../support/fixture-site.ts';

export function freshSiteEachTest(
  options: FixtureSiteOptions,
  use: (db: Db, site: FixtureSite) => void,
): void {
  let db: Db;
  let site: FixtureSite;
  beforeAll(() => {
    db = testDb();
  });
  beforeEach(async () => {
    await resetDatabase(db);
    site = await startFixtureSite(options);
    use(db, site);
  });
  afterEach(async () => {
    await site.close();
  });
  afterAll(async () => {
    await db.$disconnect();
  });
}
