/**
 * The CLI while `npm start` runs (issue 14): serve runs the embedded PostgreSQL on a data
 * folder and records how to reach it; import, token, validate and export run as separate
 * processes on the same folder, connect to the server's PostgreSQL, and leave it running.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTION_RECORD_FILE } from '../../src/store/embedded-postgres.ts';
import { embeddedDataFolder, runCli, type ServeProcess, startServe } from '../support/cli-process.ts';
import { EXAMPLE_V2021, fixturePath, fixtureText, REAL_V2019 } from '../support/fixtures.ts';

const AGENCIES_QUERY =
  '{ agencies(first: 10) { ... on QueryAgenciesConnection { edges { node { name kind reportCount } } } } }';

const postmasterPid = (dataDir: string) =>
  Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

describe.runIf(process.platform === 'linux')(
  'CLI commands while serve runs on the embedded PostgreSQL',
  () => {
    const { parent, dataDir } = embeddedDataFolder('beside-server-');
    let serve: ServeProcess;
    let postmaster: number;

    const gql = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
      const response = await fetch(`${serve.origin}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      // biome-ignore lint/suspicious/noExplicitAny: assertions walk the response.
      return (await response.json()) as { data?: any; errors?: { message: string }[] };
    };

    beforeAll(async () => {
      serve = await startServe(dataDir);
      postmaster = postmasterPid(dataDir);
    }, 120_000);

    afterAll(async () => {
      await serve?.stop();
      rmSync(parent, { recursive: true, force: true });
    });

    it('serve prints the connection string and records it, readable only by its owner', () => {
      expect(serve.stderr()).toMatch(
        new RegExp(
          `PostgreSQL \\(embedded\\): postgresql://postgres:postgres@127\\.0\\.0\\.1:\\d+/disclosure \\(data in ${dataDir}\\)`,
        ),
      );
      const file = join(dataDir, CONNECTION_RECORD_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
        pid: serve.child.pid,
        url: serve.databaseUrl,
        port: Number(new URL(serve.databaseUrl).port),
        dataDir,
      });
    });

    it('import, token create, validate and export csv use the server’s PostgreSQL and leave it running', async () => {
      const imported = await runCli(['import', fixturePath(REAL_V2019)], dataDir);
      expect(imported.stderr).not.toContain('    at ');
      expect(imported.code).toBe(0);
      expect(imported.stderr).toContain(
        `run by the server, process ${serve.child.pid}): ${serve.databaseUrl}`,
      );
      expect(imported.stdout).toMatch(/CREATED 中卫市科学技术局 2020/);

      const token = await runCli(['token', 'create', '--name', 'loader', '--scopes', 'import'], dataDir);
      expect(token.code).toBe(0);
      const secret = token.stdout.trim();
      expect(secret).toMatch(/^gdr_\S+$/);

      const validated = await runCli(['validate', fixturePath(REAL_V2019), '--json'], dataDir);
      expect(validated.code).toBe(0);
      expect(JSON.parse(validated.stdout)).toMatchObject([{ ok: true, year: 2020 }]);
      const stored = await runCli(['validate', '--stored', '--json'], dataDir);
      expect(stored.code).toBe(0);
      expect(JSON.parse(stored.stdout)).toMatchObject({ ok: true, revisions: 1 });

      const exported = await runCli(['export', 'csv', '--query', AGENCIES_QUERY], dataDir);
      expect(exported.code).toBe(0);
      // Byte for byte what the running server's /csv answers.
      const response = await fetch(`${serve.origin}/csv?query=${encodeURIComponent(AGENCIES_QUERY)}`);
      // (Buffer keeps the BOM that Response.text() would strip.)
      const overHttp = Buffer.from(await response.arrayBuffer()).toString('utf8');
      expect(exported.stdout).toBe(overHttp);
      expect(exported.stdout).toBe(
        '\uFEFFnode.name,node.kind,node.reportCount\r\n中卫市科学技术局,DEPARTMENT,1\r\n',
      );

      // Every command connected to the server's PostgreSQL; none started or stopped its own.
      expect(postmasterPid(dataDir)).toBe(postmaster);
      expect(() => process.kill(postmaster, 0)).not.toThrow();

      // The server sees what the CLI wrote: the report, and the token.
      const report = await gql(
        '{ report(agencyName: "中卫市科学技术局", year: 2020) { year current { templateVersion } } }',
      );
      expect(report.data).toEqual({ report: { year: 2020, current: { templateVersion: 'V2019' } } });
      const again = await gql(
        'mutation ($t: String!) { importReport(input: { text: $t }) { __typename ... on ImportReportPayload { outcome } } }',
        { t: fixtureText(REAL_V2019) },
        secret,
      );
      expect(again.errors).toBeUndefined();
      expect(again.data).toEqual({
        importReport: { __typename: 'ImportReportPayload', outcome: 'UNCHANGED' },
      });
    }, 120_000);

    it('export csv refuses a mutation beside the server too, and writes nothing to stdout', async () => {
      const refused = await runCli(
        [
          'export',
          'csv',
          '--query',
          'mutation ($t: String!) { importReport(input: { text: $t }) { __typename } }',
          '--variables',
          JSON.stringify({ t: fixtureText(EXAMPLE_V2021) }),
        ],
        dataDir,
      );
      // A usage error, refused before the database is opened.
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain('export csv exports the answer of a query; it never runs a mutation.');
      expect(
        (await gql('{ agencies(first: 10) { ... on QueryAgenciesConnection { totalCount } } }')).data.agencies
          .totalCount,
      ).toBe(1);
    }, 60_000);

    it('a second serve on the folder says in one line which server has it and how to share it', async () => {
      const second = await runCli(['serve', '--port', '0'], dataDir);
      expect(second.code).toBe(1);
      expect(second.stderr.trim().split('\n')).toEqual([
        `Error: The embedded PostgreSQL in ${dataDir} is already run by a server (process ${serve.child.pid}) at ${serve.databaseUrl}. Stop that server first, or set DATABASE_URL=${serve.databaseUrl} to share its database.`,
      ]);
      expect(postmasterPid(dataDir)).toBe(postmaster);
    }, 60_000);

    it('a clean stop removes the record along with PostgreSQL', async () => {
      // The server, not the embedded-postgres package's own signal handler, runs the stop:
      // in-flight requests first, then the database, then exit code 0.
      expect(await serve.stop('SIGTERM')).toBe(0);
      expect(serve.stderr()).toMatch(/SIGTERM: finishing in-flight requests[\s\S]*Stopped\./);
      expect(() => statSync(join(dataDir, CONNECTION_RECORD_FILE))).toThrow();
      expect(() => statSync(join(dataDir, 'postmaster.pid'))).toThrow();
    }, 60_000);
  },
);
