/**
 * What a command says when PostgreSQL goes away under it: the reason PostgreSQL or the driver
 * gave, not the lines Prisma wraps around it.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { checkDatabaseUrl, databaseFailureMessage } from '../../src/store/database-errors.ts';
import { EmbeddedDataFolderError, EmbeddedPostgresError } from '../../src/store/embedded-postgres.ts';
import { openDatabase } from '../../src/store/open-database.ts';

const reasonIn = (error: unknown) =>
  /cannot be reached \((.*)\)\. Nothing/.exec(databaseFailureMessage(error, 'x') ?? '')?.[1];

describe('the reason a database could not be reached', () => {
  it("is PostgreSQL's own words when Prisma wraps a raw query's failure", () => {
    // As Prisma 7 reported an embedded PostgreSQL stopped mid-import (seen: the message was
    // "cannot be reached (Invalid `prisma.$queryRaw()` invocation:)").
    const error = Object.assign(
      new Error(
        '\nInvalid `prisma.$queryRaw()` invocation:\n\n\nRaw query failed. Code: `57P01`. Message: `terminating connection due to administrator command`',
      ),
      {
        code: 'P2010',
        meta: {
          driverAdapterError: {
            cause: {
              kind: 'postgres',
              code: '57P01',
              message: 'terminating connection due to administrator command',
            },
          },
        },
      },
    );
    expect(reasonIn(error)).toBe('terminating connection due to administrator command');
  });

  it("is the last line of Prisma's invocation text, the driver's kind, or a plain phrase", () => {
    const invocation = Object.assign(
      new Error(
        '\nInvalid `db.auditLog.create()` invocation in\n/work/src/x.ts:1:1\n\nServer has closed the connection.',
      ),
      { code: 'P1017' },
    );
    expect(reasonIn(invocation)).toBe('Server has closed the connection.');
    const silent = Object.assign(new Error(''), {
      meta: { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } },
    });
    expect(reasonIn(silent)).toBe('ConnectionClosed');
    expect(reasonIn(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(
      'read ECONNRESET',
    );
  });
});

describe('a DATABASE_URL that cannot be used', () => {
  const said = (url: string) => {
    try {
      checkDatabaseUrl(url);
      return null;
    } catch (error) {
      return databaseFailureMessage(error, 'x');
    }
  };

  it('is said before connecting when it is not a PostgreSQL URL, without repeating it', () => {
    expect(said('not a url')).toBe(
      'DATABASE_URL is not a URL; give one such as postgresql://user:password@host:5432/database.',
    );
    expect(said('mysql://root:hunter2@db/reports')).toBe(
      'DATABASE_URL starts with "mysql:"; give a PostgreSQL URL such as postgresql://user:password@host:5432/database.',
    );
    expect(said('postgresql://u@127.0.0.1:5432/db')).toBeNull();
    expect(said('postgres:///db?host=/var/run/postgresql')).toBeNull();
  });

  it('names a host that does not resolve, and what to do', () => {
    const error = Object.assign(new Error('getaddrinfo ENOTFOUND dbhost.invalid'), { code: 'ENOTFOUND' });
    expect(databaseFailureMessage(new Error('wrapped', { cause: error }), 'dbhost.invalid:5432/db')).toBe(
      'The host of DATABASE_URL (dbhost.invalid:5432/db) cannot be found (getaddrinfo ENOTFOUND dbhost.invalid). Correct the host name in DATABASE_URL, or unset it to use the embedded PostgreSQL.',
    );
  });
});

describe('an embedded data folder PostgreSQL cannot use (EMBEDDED_POSTGRES_DIR)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('a file, or a folder of other files, is refused naming the folder and the setting, before PostgreSQL starts', async () => {
    vi.stubEnv('DATABASE_URL', '');
    const dir = mkdtempSync(join(tmpdir(), 'embedded-folder-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const other = join(dir, 'notes');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'x');
    for (const [dataDir, why] of [
      [file, /a-file \(EMBEDDED_POSTGRES_DIR\) is a file, not a folder/],
      [other, /notes \(EMBEDDED_POSTGRES_DIR\) holds files \(notes\.txt\) but no PostgreSQL cluster/],
    ] as const) {
      const opening = openDatabase({ dataDir });
      await expect(opening).rejects.toBeInstanceOf(EmbeddedPostgresError);
      await expect(opening).rejects.toThrow(why);
      await expect(opening).rejects.toThrow(/Set EMBEDDED_POSTGRES_DIR to a new or empty folder/);
    }
  });

  it('a path under a file is refused naming the setting, where stat stopped with ENOTDIR and a stack trace', async () => {
    vi.stubEnv('DATABASE_URL', '');
    const dir = mkdtempSync(join(tmpdir(), 'embedded-folder-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'a-file'), 'x');
    const opening = openDatabase({ dataDir: join(dir, 'a-file', 'sub') });
    await expect(opening).rejects.toBeInstanceOf(EmbeddedDataFolderError);
    await expect(opening).rejects.toThrow(
      `${join(dir, 'a-file', 'sub')} (EMBEDDED_POSTGRES_DIR) is under a file, not a folder (ENOTDIR`,
    );
  });

  // As root, the command runs as nobody (setpriv): root may write anywhere.
  const asNobody =
    process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
  const project = fileURLToPath(new URL('../..', import.meta.url));
  const canRun =
    asNobody.length === 0 ||
    spawnSync(asNobody[0] ?? '', [...asNobody.slice(1), 'test', '-r', join(project, 'src/cli/main.ts')])
      .status === 0;

  it.runIf(canRun)(
    'a folder this user cannot write stops the CLI naming the setting, exit 2, where initdb failed with a stack trace',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'embedded-folder-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      chmodSync(dir, 0o555);
      for (const [dataDir, call] of [
        [join(dir, 'sub'), 'mkdir'],
        [dir, 'access'],
      ] as const) {
        const [program = '', ...args] = [
          ...asNobody,
          process.execPath,
          '--import',
          'tsx',
          'src/cli/main.ts',
          'migrate',
        ];
        const run = spawnSync(program, args, {
          cwd: project,
          env: { ...process.env, HOME: tmpdir(), DATABASE_URL: '', EMBEDDED_POSTGRES_DIR: dataDir },
          encoding: 'utf8',
        });
        expect(run.stderr).toContain(
          `Error: The embedded PostgreSQL's data folder ${dataDir} (EMBEDDED_POSTGRES_DIR) cannot be written by this user (EACCES: permission denied, ${call} '${dataDir}'). Set EMBEDDED_POSTGRES_DIR to a new or empty folder this user can write`,
        );
        expect(run.stderr).not.toMatch(/\n\s+at /);
        expect(run.status).toBe(2);
      }
    },
  );
});
