/**
 * Reads that scale out: queries go to a streaming replica (READ_DATABASE_URLS) once it has
 * replayed up to the request's data version, and to the primary otherwise. Runs against a real
 * primary and a real standby (pg_basebackup -R) started on loopback for this file, whatever
 * database the rest of the suite uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { loadServerConfig } from '../../src/server/config.ts';
import { lastRecordEnd } from '../../src/store/data-version.ts';
import { closeDb, createDb, type Db } from '../../src/store/db.ts';
import { applyMigrations } from '../../src/store/migrations.ts';
import { createReplicaSet, type ReplicaSet } from '../../src/store/replicas.ts';
import { createToken } from '../../src/store/tokens.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { IMPORT_MUTATION, testConfig } from '../support/graphql.ts';
import { type StreamingPair, startStreamingPair } from '../support/streaming-replica.ts';

const AGENCY = '中卫市科学技术局';
const revised = (n: number) => fixtureText(REAL_V2019).replace('\t+2\t49', `\t+2\t${49 + n}`);

let pair: StreamingPair;
let primary: Db;
let replicas: ReplicaSet;
let app: ReturnType<typeof createApp>;
let token = '';
const logs: string[] = [];

interface Answer {
  data?: {
    report: { revisionCount: number } | null;
    agencies: { totalCount: number };
  };
  errors?: unknown[];
  extensions?: { responseCache?: { hit: boolean } };
}

/** A report read (Prisma) and an agency list (the comparison SQL runner) in one query. */
async function read(operationName: string): Promise<Answer> {
  const query = `query ${operationName}($agency: String!) {
    report(agencyName: $agency, year: 2020) { revisionCount }
    agencies(first: 5) { ... on QueryAgenciesConnection { totalCount } }
  }`;
  const response = await app.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, operationName, variables: { agency: AGENCY } }),
  });
  return (await response.json()) as Answer;
}

async function importText(text: string) {
  const response = await app.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: IMPORT_MUTATION, variables: { input: { text } } }),
  });
  const body = (await response.json()) as {
    data: { importReport: { outcome: string; report: { revisionCount: number } } };
  };
  return body.data.importReport;
}

const answered = () => replicas.status()[0]?.answered ?? 0;

async function eventually(condition: () => Promise<boolean> | boolean, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  pair = await startStreamingPair();
  await applyMigrations(pair.primaryUrl);
  primary = createDb(pair.primaryUrl, { poolSize: 4 });
  replicas = createReplicaSet([pair.standbyUrl], {
    poolSize: 2,
    checkIntervalMs: 50,
    lagLogMs: 200,
    log: (_level, message) => logs.push(message),
  });
  app = createApp({ db: primary, replicas, config: testConfig({ RESPONSE_CACHE: 'on' }) });
  ({ token } = await createToken(primary, 'replica-test', ['import']));
  await pair.caughtUp();
  await replicas.check();
}, 90_000);

afterAll(async () => {
  await app?.close();
  await replicas?.close();
  if (primary) await closeDb(primary);
  await pair?.stop();
}, 30_000);

describe('read replicas', () => {
  it('answer queries once they have replayed an import made on the primary', async () => {
    expect(replicas.status()[0]?.state).toBe('up');
    const ready = await (await app.fetch('http://yoga/ready')).json();
    expect(ready).toMatchObject({ ready: true, replicas: [{ state: 'up' }] });
    // The import's response is read on the primary, in the same request: it shows what it stored.
    const imported = await importText(fixtureText(REAL_V2019));
    expect(imported.outcome).toBe('CREATED');
    expect(imported.report.revisionCount).toBe(1);

    // Each attempt is a new operation (no cache hit); every answer is current, and once the
    // replica has replayed the import, it is the replica that answers.
    let attempt = 0;
    await eventually(async () => {
      const before = answered();
      const answer = await read(`Visible${attempt++}`);
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.report?.revisionCount).toBe(1);
      expect(answer.data?.agencies.totalCount).toBe(1);
      return answered() === before + 1;
    }, 'the replica to answer');
    // It answered from its own copy: the standby holds the import.
    const [row] = await pair.onStandby<{ n: string }>('SELECT count(*) AS n FROM report_revision');
    expect(Number(row?.n)).toBe(1);
  });

  it('leaves a lagging replica out: no answer older than its data version is served or cached', async () => {
    await pair.onStandby('SELECT pg_wal_replay_pause()');
    await eventually(
      async () =>
        (await pair.onStandby<{ s: string }>('SELECT pg_get_wal_replay_pause_state() AS s'))[0]?.s ===
        'paused',
      'replay to pause',
    );
    const imported = await importText(revised(1));
    expect(imported.outcome).toBe('NEW_REVISION');
    expect(imported.report.revisionCount).toBe(2);
    // The standby really is behind: its copy still has one revision.
    const [row] = await pair.onStandby<{ n: string }>('SELECT count(*) AS n FROM report_revision');
    expect(Number(row?.n)).toBe(1);

    const before = answered();
    const first = await read('AfterRevision');
    expect(first.data?.report?.revisionCount).toBe(2);
    expect(first.extensions?.responseCache?.hit).toBe(false);
    // The cached answer, under the new version, is the primary's.
    const again = await read('AfterRevision');
    expect(again.extensions?.responseCache?.hit).toBe(true);
    expect(again.data?.report?.revisionCount).toBe(2);
    expect(answered()).toBe(before);
    // Behind for longer than lagLogMs: a log line says so.
    await eventually(() => logs.some((line) => line.includes('lags')), 'the lag to be logged');

    await pair.onStandby('SELECT pg_wal_replay_resume()');
    let attempt = 0;
    await eventually(async () => {
      const count = answered();
      const answer = await read(`CaughtUp${attempt++}`);
      expect(answer.data?.report?.revisionCount).toBe(2);
      return answered() === count + 1;
    }, 'the replica to catch up');
    expect(logs.some((line) => line.includes('caught up'))).toBe(true);
  });

  it('leaves a replica that is down out, with a log line, and runs a query it failed on the primary', async () => {
    // A second set that checks only when told: it still takes the standby for up when it stops.
    const unaware = createReplicaSet([pair.standbyUrl], {
      checkIntervalMs: 3_600_000,
      log: (_level, message) => logs.push(message),
    });
    const unawareApp = createApp({ db: primary, replicas: unaware, config: testConfig() });
    try {
      await unaware.check();
      expect(unaware.status()[0]?.state).toBe('up');
      await pair.stopStandby();

      const response = await unawareApp.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `{ report(agencyName: "${AGENCY}", year: 2020) { revisionCount } }`,
        }),
      });
      const answer = (await response.json()) as Answer;
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.report?.revisionCount).toBe(2);
      expect(unaware.status()[0]).toMatchObject({ state: 'down', answered: 1 });
      expect(logs.some((line) => line.includes('failed a query'))).toBe(true);
    } finally {
      await unawareApp.close();
      await unaware.close();
    }

    await replicas.check();
    expect(replicas.status()[0]?.state).toBe('down');
    expect(logs.some((line) => line.includes('unreachable'))).toBe(true);
    const before = answered();
    const answer = await read('ReplicaDown');
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.report?.revisionCount).toBe(2);
    expect(answered()).toBe(before);
  });
});

describe('replica settings and positions', () => {
  it('reads READ_DATABASE_URLS as a comma-separated list of PostgreSQL URLs', () => {
    const urls = 'postgresql://u:p@replica-1:5432/d, postgres://replica-2/d';
    expect(loadServerConfig({ READ_DATABASE_URLS: urls }).readDatabaseUrls).toEqual([
      'postgresql://u:p@replica-1:5432/d',
      'postgres://replica-2/d',
    ]);
    expect(loadServerConfig({}).readDatabaseUrls).toEqual([]);
    expect(() => loadServerConfig({ READ_DATABASE_URLS: 'replica-1:5432' })).toThrow(/READ_DATABASE_URLS/);
  });

  it('asks a replica for the end of the last record, not for a page header no record follows yet', () => {
    const block = 8192n;
    const segment = 16n * 1024n * 1024n;
    expect(lastRecordEnd(3n * segment + 40n, block, segment)).toBe(3n * segment);
    expect(lastRecordEnd(3n * segment + 5n * block + 24n, block, segment)).toBe(3n * segment + 5n * block);
    // A record that ends 40 bytes into a page other than a segment's first is real WAL.
    expect(lastRecordEnd(3n * segment + 5n * block + 40n, block, segment)).toBe(
      3n * segment + 5n * block + 40n,
    );
    expect(lastRecordEnd(3n * segment + 1234n, block, segment)).toBe(3n * segment + 1234n);
  });
});
