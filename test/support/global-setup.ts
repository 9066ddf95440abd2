import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres.ts';
import { applyMigrations } from '../../src/store/migrations.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: 'embedded' | 'server';
  }
}

/**
 * One database for the whole run: a throw-away embedded PostgreSQL by default, or a
 * fresh database on the server named by DATABASE_URL (never the database itself, so
 * tests cannot clobber real data).
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `disclosure_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client(serverUrl);
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    await applyMigrations(url.toString());
    project.provide('databaseUrl', url.toString());
    project.provide('databaseKind', 'server');
    console.log(`Tests use PostgreSQL at ${url.host}, database ${name}`);
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: mkdtempSync(join(tmpdir(), 'disclosure-test-pg-')),
    database: 'disclosure_test',
    persistent: false,
  });
  await applyMigrations(embedded.url);
  project.provide('databaseUrl', embedded.url);
  project.provide('databaseKind', 'embedded');
  console.log(`Tests use an embedded PostgreSQL at ${new URL(embedded.url).host}`);
  return () => embedded.stop();
}
