/**
 * The collect tests' set-up: one database client for the file, and before each test an empty
 * database and a fresh fixture site (closed after it). `use` receives both as they change.
 * `runCollectIn` runs the command in this process, as a user would type it.
 */
import type { Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { runCollect } from '../../src/cli/collect.ts';
import type { ImportIo } from '../../src/cli/import.ts';
import type { Db } from '../../src/store/db.ts';
import { syntheticReports } from '../../src/synthetic/index.ts';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
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

/**
 * As freshSiteEachTest, for a file that serves pages of its own: one database client for the
 * file, an empty database before each test (`use` receives the client), and the server a test
 * hands to `serving` closed after it.
 */
export function ownSiteEachTest(use: (db: Db) => void = () => {}): { serving: (server: Server) => void } {
  let db: Db;
  let server: Server | undefined;
  beforeAll(() => {
    db = testDb();
  });
  beforeEach(async () => {
    await resetDatabase(db);
    use(db);
  });
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
    server = undefined;
  });
  afterAll(async () => {
    await db.$disconnect();
  });
  return {
    serving: (started) => {
      server = started;
    },
  };
}

/** Runs collect in-process against the test database and the fixture site, capturing what it prints. */
export async function runCollectIn(args: string[], signal?: AbortSignal, env: Record<string, string> = {}) {
  const out: string[] = [];
  let err = '';
  const io: ImportIo = { out: (line) => out.push(line), err: (text) => (err += text), stderrIsTTY: false };
  const settings = { DATABASE_URL: databaseUrl(), ...env };
  const previous = Object.fromEntries(Object.keys(settings).map((name) => [name, process.env[name]]));
  Object.assign(process.env, settings);
  try {
    const code = await runCollect(args, io, signal);
    return { code, out, err, summary: out.slice(out.lastIndexOf('') + 1) };
  } finally {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** One generated report of 2022 whose figures hold together, for a site to serve. */
export function oneReport() {
  const [report] = syntheticReports({
    agencies: 1,
    years: { from: 2022, to: 2022 },
    seed: 77,
    inconsistencyRate: 0,
  });
  if (!report) throw new Error('synthetic report');
  return report;
}
