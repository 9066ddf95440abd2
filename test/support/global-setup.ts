import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres.ts';
import { applyMigrations } from '../../src/store/migrations.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One migrated database per worker of the project: worker N uses the Nth. */
    databaseUrls: string[];
    databaseKind: 'embedded' | 'server';
  }
}

/**
 * A migrated database per worker for the whole run: by default each on a throw-away embedded
 * PostgreSQL cluster of its own, or one fresh database on the server named by DATABASE_URL
 * (never the database itself, so tests cannot clobber real data).
 *
 * Clusters, not databases of one cluster: transaction ids are the cluster's, so one worker's
 * commits would change the other's data version (the response cache's key) and could make
 * PostgreSQL's deadlock checks meet across files. So on a server the files run one at a time
 * (vitest.config.ts).
 */
export default async function setup(project: TestProject) {
  const workers = Math.max(1, Number(project.config.maxWorkers) || 1);
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `disclosure_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client(serverUrl);
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    await applyMigrations(url.toString());
    project.provide('databaseUrls', [url.toString()]);
    project.provide('databaseKind', 'server');
    console.log(`Tests use PostgreSQL at ${url.host}, database ${name}`);
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    };
  }
  const clusters = await Promise.all(
    Array.from({ length: workers }, async () => {
      const embedded = await startEmbeddedPostgres({
        dataDir: mkdtempSync(join(tmpdir(), 'disclosure-test-pg-')),
        database: 'disclosure_test',
        persistent: false,
      });
      await applyMigrations(embedded.url);
      return embedded;
    }),
  );
  const urls = clusters.map((cluster) => cluster.url);
  project.provide('databaseUrls', urls);
  project.provide('databaseKind', 'embedded');
  console.log(`Tests use embedded PostgreSQL clusters at ${urls.map((url) => new URL(url).host).join(', ')}`);
  return async () => {
    await Promise.all(clusters.map((cluster) => cluster.stop()));
  };
}
