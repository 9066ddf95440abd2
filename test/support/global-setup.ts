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
 * One database per worker for the whole run, on a throw-away embedded PostgreSQL by default,
 * or fresh databases on the server named by DATABASE_URL (never the database itself, so tests
 * cannot clobber real data). The first is migrated; the others are copies of it
 * (`CREATE DATABASE … TEMPLATE`), so every worker starts from the same schema. A worker's files
 * truncate only its own database, so two files run side by side without seeing each other.
 */
export default async function setup(project: TestProject) {
  const workers = Math.max(1, Number(project.config.maxWorkers) || 1);
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const prefix = `disclosure_test_${process.pid}_${Date.now()}`;
    const names = Array.from({ length: workers }, (_, i) => (i === 0 ? prefix : `${prefix}_${i + 1}`));
    const admin = new pg.Client(serverUrl);
    await admin.connect();
    const urlOf = (name: string) => {
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return url.toString();
    };
    await admin.query(`CREATE DATABASE "${prefix}"`);
    await applyMigrations(urlOf(prefix));
    for (const name of names.slice(1)) await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${prefix}"`);
    project.provide('databaseUrls', names.map(urlOf));
    project.provide('databaseKind', 'server');
    console.log(`Tests use PostgreSQL at ${new URL(serverUrl).host}, databases ${names.join(', ')}`);
    return async () => {
      for (const name of names) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: mkdtempSync(join(tmpdir(), 'disclosure-test-pg-')),
    database: 'disclosure_test',
    persistent: false,
  });
  await applyMigrations(embedded.url);
  const urls = [embedded.url];
  if (workers > 1) {
    // From the maintenance database: a template must have no other connection.
    const maintenance = new URL(embedded.url);
    maintenance.pathname = '/postgres';
    const admin = new pg.Client(maintenance.toString());
    await admin.connect();
    try {
      for (let i = 2; i <= workers; i++) {
        await admin.query(`CREATE DATABASE disclosure_test_${i} TEMPLATE disclosure_test`);
        const url = new URL(embedded.url);
        url.pathname = `/disclosure_test_${i}`;
        urls.push(url.toString());
      }
    } finally {
      await admin.end();
    }
  }
  project.provide('databaseUrls', urls);
  project.provide('databaseKind', 'embedded');
  console.log(`Tests use an embedded PostgreSQL at ${new URL(embedded.url).host}`);
  return () => embedded.stop();
}
