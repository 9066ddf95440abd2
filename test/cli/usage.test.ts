import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { dotEnvProblem, misreadDotEnvLines, settingNames } from '../../src/cli/dot-env.ts';
import { COMMAND_HELP } from '../../src/cli/help.ts';
import { COMMANDS, main } from '../../src/cli/main.ts';
import { nearestOption } from '../../src/cli/usage.ts';
import { readParseLimits } from '../../src/ingest/parse-pool.ts';
import { loadServerConfig } from '../../src/server/config.ts';
import { tempDir } from '../support/temp-dir.ts';

/** `<command> --help` and wrong invocations, none of which opens a database. */

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((text: unknown) => void out.push(String(text)));
  vi.spyOn(console, 'error').mockImplementation((text: unknown) => void err.push(String(text)));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((text: unknown) => {
    err.push(String(text));
    return true;
  });
  try {
    const code = await main(argv);
    return { code, stdout: out.join('\n'), stderr: err.join('') };
  } finally {
    stderr.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('<command> --help', () => {
  // Each command's own options, as its help lists them.
  const commands: [string[], RegExp][] = [
    [['serve'], /--demo \[N\]/],
    [['import'], /--dry-run[\s\S]*--batch N/],
    [['collect'], /--per-host N/],
    [['worker'], /--maintenance S/],
    [['generate'], /--inconsistency-rate/],
    [['regions'], /regions load/],
    [['validate'], /--allow-partial/],
    [['export'], /--variables/],
    [['revision'], /revision use <agency> <year> <n>/],
    [['agencies'], /agencies merge <agency> --into <agency>/],
    [['template'], /--version V2019\|V2021/],
    [['migrate'], /Apply pending database migrations/],
    [['token'], /--scopes import\[,read,admin\]/],
  ];
  it('every command that runs has a help, and every help a command that runs', () => {
    expect(Object.keys(COMMANDS).sort()).toEqual(Object.keys(COMMAND_HELP).sort());
    expect(commands.map(([argv]) => argv[0]).sort()).toEqual(Object.keys(COMMAND_HELP).sort());
  });

  for (const [argv, lists] of commands) {
    it(`${argv[0]} --help prints that command's help and exits 0`, async () => {
      const { code, stdout, stderr } = await run([...argv, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: npm run cli -- ${argv[0]}\\b`));
      expect(stdout).toMatch(lists);
      expect(stderr).toBe('');
    });
  }

  it('-h works too, and the help only covers that command', async () => {
    const { code, stdout } = await run(['import', 'reports/', '-h']);
    expect(code).toBe(0);
    expect(stdout).toContain('--allow-partial');
    expect(stdout).not.toContain('--per-host');
  });

  it('--help after -- is a file name, not a request for help', async () => {
    const { code, stderr } = await run(['validate', '--', '--help']);
    expect(code).toBe(2);
    expect(stderr).toContain('--help');
  });
});

describe('a command that does not exist', () => {
  it('exits 2 like any usage error, suggests the one meant and lists the commands', async () => {
    const misspelt = await run(['imprt', 'reports/']);
    expect(misspelt.code).toBe(2);
    // One line, not the whole help after it.
    expect(misspelt.stderr.trim()).toBe(
      'Error: there is no command "imprt". Did you mean import? (npm run cli -- --help lists the commands.)',
    );
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Error: there is no command "frobnicate"\. The commands:/);
    expect(unknown.stderr).toContain('  validate <file|folder|glob>...');
    const help = await run(['help', 'imprt']);
    expect(help.code).toBe(2);
    expect(help.stderr.trim()).toBe(
      'Error: there is no command "imprt". Did you mean help import? (npm run cli -- --help lists the commands.)',
    );
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: npm run cli -- <command> [options]');
  });
});

describe('a misspelt or misused option', () => {
  it('names the command and the option meant, and where the options are listed', async () => {
    const { code, stderr } = await run(['import', 'reports/', '--dryrun']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'Error: import has no option --dryrun. Did you mean --dry-run? The options are listed by: npm run cli -- import --help\n',
    );
    expect(stderr).not.toContain("place it at the end of the command after '--'");
  });

  it.each([
    [['serve', '--prot', '5'], 'serve has no option --prot. Did you mean --port?'],
    [
      ['validate', 'x.txt', '--all-partial'],
      'validate has no option --all-partial. Did you mean --allow-partial?',
    ],
    [['export', 'csv', '--qurey', '{ x }'], 'export has no option --qurey. Did you mean --query?'],
    [
      ['collect', 'http://x/', '--per-hots', '2'],
      'collect has no option --per-hots. Did you mean --per-host?',
    ],
    [['template', '--versoin', 'V2019'], 'template has no option --versoin. Did you mean --version?'],
    [['import', 'x.txt', '--zzz'], 'import has no option --zzz. The options'],
    [['import', 'x.txt', '--year'], '--year needs a value, as in --year VALUE.'],
    [['import', 'x.txt', '--dry-run=yes'], '--dry-run is a switch and takes no value.'],
    [['template', 'V2019'], 'template takes no argument "V2019".'],
    // Refused, not ignored: `revision use … --dry-run` made revision 2 current.
    [['revision', 'use', '中卫市科学技术局', '2020', '2', '--dry-run'], 'revision has no option --dry-run.'],
    // A wrong argument is named, not left to be guessed from the usage line.
    ...['99999999999', 'x', '1.5', '2e0', '-1', '0'].map((n): [string[], string] => [
      ['revision', 'use', '中卫市科学技术局', '2020', n],
      `"${n}" is not a revision number (a whole number from 1; revision list 中卫市科学技术局 2020 lists them).`,
    ]),
    [
      ['revision', 'use', '中卫市科学技术局', '20x0', '1'],
      '"20x0" is not a year (a report\'s year in four digits, such as 2020).',
    ],
    [['revision', 'list', '中卫市科学技术局', '-2020'], '"-2020" is not a year'],
    [['revision', 'list', '中卫市科学技术局', '20'], '"20" is not a year'],
    [['revision', 'use', '中卫市科学技术局', '2020'], 'Usage: revision use <agency> <year> <n>'],
    [
      ['revision', 'use', '中卫市科学技术局', '2020', '2', 'extra'],
      'Usage: revision use <agency> <year> <n>',
    ],
    [['migrate', '--dry-run'], 'migrate has no option --dry-run.'],
    [['agencies', 'merge', '中卫市科学技术局'], 'Usage: agencies merge <agency> --into <agency>'],
    [['agencies', 'merge', 'a', 'b', '--into', 'c'], 'Usage: agencies merge <agency> --into <agency>'],
    [['agencies', 'merge', 'a', '--itno', 'b'], 'agencies has no option --itno. Did you mean --into?'],
    [['agencies', 'list'], 'agencies needs "find", "duplicates" or "merge" and nothing else.'],
    [['agencies', 'find'], 'Usage: agencies find <text> [--limit N]'],
    [['agencies', 'find', '局', '--limit', '0'], '--limit is a whole number from 1 to 1000, not "0".'],
    [['serve', '--port', ''], '--port must be a port number from 0 (any free port) to 65535, got "".'],
    [
      ['serve', '--port', '0x50'],
      '--port must be a port number from 0 (any free port) to 65535, got "0x50".',
    ],
    [
      ['serve', '--port', '70000'],
      '--port must be a port number from 0 (any free port) to 65535, got "70000".',
    ],
    [['migrate', 'now'], 'migrate takes no argument "now".'],
    [
      ['import', 'x.txt', '--jobs', '-1'],
      '--jobs needs a value; one that starts with a dash is written --jobs=VALUE.',
    ],
    [
      ['import', 'x.txt', '--agency', '--year', '2020'],
      '--agency needs a value; one that starts with a dash',
    ],
    [['import', 'x.txt', '--year', '0x7e4'], '--year must be a whole number, got "0x7e4".'],
    [['import', 'x.txt', '--year', '0'], '--year 0 is not a year the national template covers: 2019 to'],
    [
      ['import', 'x.txt', '--year', '1900'],
      '--year 1900 is not a year the national template covers: 2019 to',
    ],
    [
      ['validate', 'x.txt', '--year', '1900'],
      '--year 1900 is not a year the national template covers: 2019 to',
    ],
    [['import', 'x.txt', '--batch', ''], '--batch must be a whole number, got "".'],
    // Refused as --year "" is, not dropped: the run went on without a manifest, or with the printed agency.
    [
      ['import', 'x.txt', '--manifest', ''],
      '--manifest is empty; give the manifest file (--manifest urls.csv), or leave the option out.',
    ],
    [
      ['import', 'x.txt', '--agency', ' '],
      "--agency is empty; give the agency's name (--agency 中卫市科学技术局), or leave the option out.",
    ],
    [['validate', 'x.txt', '--agency', ''], "--agency is empty; give the agency's name"],
  ])('%j', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(`Error: ${message}`);
  });

  it('suggests only an option close enough to be the one meant', () => {
    const names = ['dry-run', 'allow-partial', 'batch', 'jobs', 'year', 'agency'];
    expect(nearestOption('--dryrun', names)).toBe('--dry-run');
    expect(nearestOption('--jbos', names)).toBe('--jobs');
    expect(nearestOption('--allow', names)).toBe('--allow-partial');
    expect(nearestOption('--yaer=2020', names)).toBe('--year');
    expect(nearestOption('--a', names)).toBeNull();
    expect(nearestOption('--zzz', names)).toBeNull();
    expect(nearestOption('--strict', names)).toBeNull();
  });
});

describe('files an option names, and a database that cannot be used', () => {
  it('a manifest entry of the wrong shape, or an address that is not a web page, in any of its forms', async () => {
    const dir = tempDir('manifest-');
    const cases: [string, string][] = [
      [
        '{"a.txt": "javascript:alert(1)"}',
        `Manifest ${dir}/m.json, "a.txt": the source address "javascript:alert(1)"`,
      ],
      [
        '{"a.txt": {"sourceUrl": "file:///etc/passwd"}}',
        `Manifest ${dir}/m.json, "a.txt": the source address "file:///etc/passwd"`,
      ],
      ['[null]', `Manifest ${dir}/m.json, entry 1 is null; give an object such as {"file": "report.pdf"`],
      ['[{"file": "a.txt"}, 7]', `Manifest ${dir}/m.json, entry 2 is 7; give an object`],
      ['{"a.txt": [1]}', `Manifest ${dir}/m.json, "a.txt" is [1]; give an object`],
    ];
    for (const [json, message] of cases) {
      writeFileSync(join(dir, 'm.json'), json);
      const { code, stderr } = await run(['import', 'x.txt', '--dry-run', '--manifest', join(dir, 'm.json')]);
      expect(code, json).toBe(2);
      expect(stderr, json).toContain(`Error: ${message}`);
      expect(stderr, json).not.toMatch(/\n\s+at /);
    }
  });

  it('generate --out naming a file says so, without a stack', async () => {
    const file = join(tempDir('generate-'), 'reports');
    writeFileSync(file, '');
    for (const out of [file, join(file, 'inside')]) {
      const { code, stderr } = await run(['generate', '--agencies', '1', '--out', out]);
      expect(code, out).toBe(2);
      expect(stderr, out).toBe(
        `Error: --out ${out} is (or is inside) a file, not a folder; name a folder (it is created if missing).`,
      );
    }
  });

  it("generate --out where no folder can be made names it at once (Node's recursive mkdir spun for ever under /proc)", () => {
    // A child process: the old spin was synchronous, and would have stopped this worker with it.
    let failed: { status: number | null; stderr: string } | undefined;
    try {
      execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli/main.ts',
          'generate',
          '--agencies',
          '1',
          '--out',
          '/proc/no-such-folder/reports',
        ],
        { encoding: 'utf8', timeout: 20_000, stdio: 'pipe' },
      );
    } catch (error) {
      failed = error as { status: number | null; stderr: string };
    }
    expect(failed?.status).toBe(2);
    expect(failed?.stderr).toContain(
      'Error: Cannot create the folder /proc/no-such-folder/reports (--out): ',
    );
    expect(failed?.stderr).toContain("mkdir '/proc/no-such-folder'");
  });

  it('a named pipe is refused as not a regular file instead of blocking the run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fifo-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    execFileSync('mkfifo', [join(dir, 'report.txt')]);
    const printed: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((text: unknown) => {
      printed.push(String(text));
      return true;
    });
    const { code } = await run(['import', '--dry-run', join(dir, 'report.txt')]);
    expect(code).toBe(1);
    expect(printed.join('')).toContain(
      'It is not a regular file (a named pipe); save the report to a file and name that.',
    );
  });

  it('a missing manifest or a seeds "file" that is a folder is named, without a stack', async () => {
    const manifest = await run(['import', 'x.txt', '--manifest', '/nonexistent/urls.csv']);
    expect(manifest.code).toBe(2);
    expect(manifest.stderr).toBe(
      'Error: Cannot read the manifest /nonexistent/urls.csv: there is no such file.\n',
    );
    const seeds = await run(['collect', '--seeds', '/tmp']);
    expect(seeds.code).toBe(2);
    expect(seeds.stderr).toBe('Error: Cannot read the seeds file /tmp: it is a folder.\n');
  });

  it('collect refuses a --timeout or --max-bytes under which every site would fail, saying the least', async () => {
    // --concurrency x: a value that was let through goes on to that mistake, not to a database.
    const timeout = await run(['collect', 'http://x/', '--timeout', '0', '--concurrency', 'x']);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toBe(
      'Error: --timeout must be at least 100 (milliseconds: no site answers sooner), got "0".\n',
    );
    const bytes = await run(['collect', 'http://x/', '--max-bytes', '500', '--concurrency', 'x']);
    expect(bytes.code).toBe(2);
    expect(bytes.stderr).toBe(
      'Error: --max-bytes must be at least 1048576 (bytes, 1 MiB: robots.txt files and listing pages are read under it too), got "500".\n',
    );
  });

  /** `migrate` with DATABASE_URL set to `url` for the call. */
  async function migrateWith(url: string) {
    vi.stubEnv('DATABASE_URL', url);
    try {
      return await run(['migrate']);
    } finally {
      vi.unstubAllEnvs();
    }
  }

  it('validate --stored tells a database it cannot reach (3) from error findings (1)', async () => {
    vi.stubEnv('DATABASE_URL', 'postgresql://someone@127.0.0.1:1/reports');
    try {
      for (const json of [[], ['--json']]) {
        const { code, stdout, stderr } = await run(['validate', '--stored', ...json]);
        expect(code).toBe(3);
        expect(stdout).toBe('');
        expect(stderr).toContain('Error: PostgreSQL at 127.0.0.1:1/reports cannot be reached');
      }
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('a DATABASE_URL that is not a PostgreSQL URL is said at once, without repeating it', async () => {
    const { code, stderr } = await migrateWith('mysql://root:hunter2@db/reports');
    expect(code).toBe(1);
    expect(stderr).toContain('Error: DATABASE_URL starts with "mysql:"; give a PostgreSQL URL');
    expect(stderr).not.toContain('hunter2');
  });

  it('PostgreSQL not listening: where, why, and what to do; exit 3, no stack', async () => {
    const { code, stderr } = await migrateWith('postgresql://someone:secret@127.0.0.1:1/reports');
    expect(code).toBe(3);
    expect(stderr).toContain(
      'Error: PostgreSQL at 127.0.0.1:1/reports cannot be reached (connect ECONNREFUSED 127.0.0.1:1).',
    );
    expect(stderr).toContain('Start PostgreSQL or correct DATABASE_URL');
    expect(stderr).not.toContain('secret');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('options npm took for itself (npm run cli import DIR --dry-run, without --)', () => {
  afterEach(() => vi.unstubAllEnvs());
  const underNpm = () => {
    vi.stubEnv('npm_lifecycle_event', 'cli');
    vi.stubEnv('npm_lifecycle_script', 'tsx --max-semi-space-size=32 src/cli/main.ts');
  };

  it('are refused before anything runs, saying to put -- before them', async () => {
    underNpm();
    vi.stubEnv('npm_config_dry_run', 'true');
    vi.stubEnv('npm_config_agency', 'true');
    // npm leaves --agency's value behind as an argument: 中卫市科学技术局 would be a file to import.
    const { code, stderr } = await run(['import', '/no/such/folder', '中卫市科学技术局']);
    expect(code).toBe(2);
    expect(stderr).toContain('npm took --dry-run, --agency for itself');
    expect(stderr).toContain(
      "Nothing was done. Put -- before the command's options: npm run cli -- import … --dry-run, --agency.",
    );
  });

  it('passed after --, they reach the command; outside the cli script the variables say nothing', async () => {
    underNpm();
    vi.stubEnv('npm_config_dry_run', 'true');
    const given = await run(['import', '/no/such/folder', '--dry-run']);
    expect(given.stderr).not.toContain('npm took');
    expect(given.stderr).toContain('/no/such/folder');
    vi.stubEnv('npm_lifecycle_event', 'test');
    vi.stubEnv('npm_lifecycle_script', 'vitest run');
    const other = await run(['import', '/no/such/folder']);
    expect(other.stderr).not.toContain('npm took');
  });
});

describe('a setting that is not understood', () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each([
    ['RESPONSE_CACHE', 'maybe', 'must be true or false'],
    ['PARSE_WORKERS', 'abc', 'must be a whole number of 0 or more'],
    ['MAX_QUERY_DEPTH', '-3', 'must be a whole number of 1 or more'],
    ['INPUT_MAX_TEXT_LINES', '0', 'must be a positive whole number'],
    // Read by serve alone, and refused by it alone before: agencies find ran with PORT=99999.
    ['PORT', '99999', 'must be a port number from 0 (any free port) to 65535'],
    ['PORT', 'abc', 'must be a port number from 0 (any free port) to 65535'],
    // Past 2^31 - 1 ms PostgreSQL refused the statement_timeout once serve had started, and
    // Node fired the parse timer after 1 ms, refusing every file as too slow.
    ['STATEMENT_TIMEOUT_MS', '2147483648', 'must be at most 2147483647'],
    ['PARSE_TIMEOUT_MS', '99999999999', 'must be at most 2147483647'],
    ['RESPONSE_CACHE_TTL_MS', '2147483648', 'must be at most 2147483647'],
    // 0 refused every request: a 429 for ever, every POST too large, every query too costly.
    ['RATE_LIMIT_BURST', '0', 'must be 1 or more'],
    ['MAX_BODY_BYTES', '0', 'must be 1 or more'],
    ['MAX_QUERY_COST', '0', 'must be 1 or more'],
    // Every query has a token and a field one level deep: 0 refused them all.
    ['MAX_QUERY_TOKENS', '0', 'must be 1 or more: 0 would refuse every request'],
    ['MAX_QUERY_DEPTH', '0', 'must be 1 or more: 0 would refuse every request'],
    ['MAX_QUERY_ROWS', '0', 'must be 1 or more: 0 would refuse every query that asks for a list'],
  ])(
    '%s=%s stops every command with a line naming it and exit code 2, not a stack trace',
    async (name, value, why) => {
      vi.stubEnv(name, value);
      for (const argv of [['import', '/no/such/folder', '--dry-run'], ['template']]) {
        const { code, stderr } = await run(argv);
        expect(code, argv[0]).toBe(2);
        expect(stderr).toContain(name);
        expect(stderr).toContain(why);
        expect(stderr).toContain('.env.example');
        expect(stderr).not.toMatch(/\n\s+at /);
      }
    },
  );
});

describe('PERSISTED_OPERATIONS_FILE', () => {
  afterEach(() => vi.unstubAllEnvs());
  // PostgreSQL at port 1 answers nobody: a command that got as far as the database says so, exit 3.
  const NO_DATABASE = 'postgresql://someone@127.0.0.1:1/reports';

  it('in production, a missing or broken file stops serve before the database, naming it (exit 2)', async () => {
    const dir = tempDir('persisted-');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"abc": ');
    const list = join(dir, 'list.json');
    writeFileSync(list, '["{ agencies { totalCount } }"]');
    vi.stubEnv('DATABASE_URL', NO_DATABASE);
    vi.stubEnv('NODE_ENV', 'production');
    for (const [file, why] of [
      [join(dir, 'missing.json'), 'cannot be read (ENOENT'],
      [broken, 'is not JSON ('],
      [list, 'must hold one JSON object of {"<sha256 of the query>": "<query>", …}'],
    ] as const) {
      vi.stubEnv('PERSISTED_OPERATIONS_FILE', file);
      const { code, stderr } = await run(['serve', '--port', '0']);
      expect(code, file).toBe(2);
      expect(stderr).toContain(`PERSISTED_OPERATIONS_FILE=${JSON.stringify(file)}: ${why}`);
      expect(stderr).not.toContain('cannot be reached');
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('outside production serve says it has no effect', async () => {
    vi.stubEnv('DATABASE_URL', NO_DATABASE);
    vi.stubEnv('NODE_ENV', '');
    vi.stubEnv('PERSISTED_OPERATIONS_FILE', '/no/such/operations.json');
    const { code, stderr } = await run(['serve', '--port', '0']);
    // Then it stops at the database it cannot reach.
    expect(code).toBe(3);
    expect(stderr).toContain(
      'Warning: PERSISTED_OPERATIONS_FILE has no effect without NODE_ENV=production; every operation runs.',
    );
  });
});

describe('serve on a port in use', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('says so before it touches the database (exit 2)', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '0.0.0.0', resolve));
    onTestFinished(() => new Promise<void>((resolve) => holder.close(() => resolve())));
    const port = (holder.address() as AddressInfo).port;
    // Nothing answers at port 1: a serve that opened the database first would fail on it (exit 1).
    vi.stubEnv('DATABASE_URL', 'postgresql://someone@127.0.0.1:1/reports');
    const { code, stderr } = await run(['serve', '--port', String(port)]);
    expect(stderr).toBe(`Error: Port ${port} is in use; pass --port or set PORT.`);
    expect(code).toBe(2);
  });
});

describe('the limits of a setting', () => {
  it('take the longest timer, and the 0s that mean something (no rate limit, no timeout)', () => {
    const config = loadServerConfig({
      STATEMENT_TIMEOUT_MS: '2147483647',
      PARSE_TIMEOUT_MS: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_BURST: '1',
      MAX_BODY_BYTES: '1',
      // No aliases or no directives at all is a policy, not a limit that refuses everything.
      MAX_QUERY_ALIASES: '0',
      MAX_QUERY_DIRECTIVES: '0',
    });
    expect(config.statementTimeoutMs).toBe(2147483647);
    expect(config.parse.timeoutMs).toBe(0);
    expect(config.rateLimit).toEqual({ requestsPerMinute: 0, burst: 1 });
    expect(config.maxBodyBytes).toBe(1);
    expect(config.limits).toMatchObject({ maxAliases: 0, maxDirectives: 0 });
  });

  it('the CLI reading the parse limits itself refuses a timeout Node cannot keep', () => {
    expect(() => readParseLimits({ PARSE_TIMEOUT_MS: '2147483648' })).toThrow(
      'PARSE_TIMEOUT_MS must be at most 2147483647',
    );
    expect(readParseLimits({ PARSE_TIMEOUT_MS: '2147483647' }).timeoutMs).toBe(2147483647);
  });
});

describe('.env lines Node would misread', () => {
  it('a line that is not NAME=value is refused, naming it: Node would swallow the next setting', () => {
    // What Node makes of it: the bad line becomes part of the next setting's name.
    const dir = mkdtempSync(join(tmpdir(), 'dotenv-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, '.env'), 'THIS IS NOT VALID\nREADS_REQUIRE_TOKEN=true\n');
    const seen = execFileSync(
      process.execPath,
      [
        '-e',
        `process.loadEnvFile(${JSON.stringify(join(dir, '.env'))}); console.log(process.env.READS_REQUIRE_TOKEN ?? 'unset')`,
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH } },
    );
    expect(seen.trim()).toBe('unset');
    const text = 'THIS IS NOT VALID\nREADS_REQUIRE_TOKEN=true\n';
    expect(misreadDotEnvLines(text)).toEqual([{ line: 1, text: 'THIS IS NOT VALID' }]);
    expect(dotEnvProblem('.env', text)).toMatch(
      /^\.env has lines that are not NAME=value \(line 1: "THIS IS NOT VALID"\)/,
    );
  });

  it('a misspelt setting is refused, naming the one meant; names of no setting of ours are left alone', () => {
    const settings = settingNames(readFileSync(new URL('../../.env.example', import.meta.url), 'utf8'));
    expect(settings).toContain('RESPONSE_CACHE_TTL_MS');
    expect(settings).toContain('DATABASE_URL');
    const text =
      'RESPONSE_CACHE_TTL=5\nNODE_OPTIONS=--max-old-space-size=4096\nTZ=Asia/Shanghai\nREDIS_ULR=redis://x\nPORT=4000\n';
    expect(dotEnvProblem('.env', text, settings)).toBe(
      '.env sets RESPONSE_CACHE_TTL (did you mean RESPONSE_CACHE_TTL_MS?), REDIS_ULR (did you mean REDIS_URL?), which no command reads: the setting would be left at its default without a word. Correct the name (.env.example lists every setting).',
    );
    // Other programs' settings and the user's own, however like ours (pg reads PGPORT).
    const others = [
      'NODE_OPTIONS',
      'TZ',
      'PGPORT',
      'PGHOST',
      'REDIS_PORT',
      'TEST_DATABASE_URL',
      'SHADOW_DATABASE_URL',
    ];
    const theirs = [...others, 'BENCH_DATABASE_URL', 'DATABASE_URL_TEST', 'METRICS', 'REDIS', 'PORT'];
    expect(dotEnvProblem('.env', theirs.map((n) => `${n}=1`).join('\n'), settings)).toBeNull();
    expect(dotEnvProblem('.env', 'PORTT=1\nDATABSE_URL=x\n', settings)).toMatch(
      /^\.env sets PORTT \(did you mean PORT\?\), DATABSE_URL \(did you mean DATABASE_URL\?\)/,
    );
  });

  it('comments, blank lines, export, quoted values and a quoted value over several lines are read as Node reads them', () => {
    const text =
      '# a comment\n\nexport PORT=4000\nA="x # not a comment"\nKEY="-----BEGIN\nline two\n-----END"\nB = 1\r\n';
    expect(misreadDotEnvLines(text)).toEqual([]);
    expect(dotEnvProblem('.env', text)).toBeNull();
  });
});

describe('the small asks of a newcomer', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('--help names the embedded PostgreSQL folder the commands will use, EMBEDDED_POSTGRES_DIR when set', async () => {
    vi.stubEnv('EMBEDDED_POSTGRES_DIR', '/tmp/elsewhere-pg');
    const { stdout } = await run(['--help']);
    expect(stdout).toContain('started with its data in /tmp/elsewhere-pg');
  });

  it('help <command> prints that command’s help; --version the package’s version', async () => {
    const help = await run(['help', 'import']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run cli -- import\b/);
    expect(help.stdout).not.toContain('--per-host');
    const version = await run(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('template prints its table from the first line: a blank line only between two versions', async () => {
    const one = await run(['template', '--version', 'V2021']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^V2021 — /);
    const both = await run(['template']);
    expect(both.stdout).toMatch(/^V2019 — /);
    expect(both.stdout).toMatch(/\n\nV2021 — /);
  });

  it('token without an action, export in another format and a folder without files each say what is wrong', async () => {
    expect((await run(['token'])).stderr).toContain('token needs an action (create, list or revoke)');
    expect((await run(['export', 'json', '--query', '{ __typename }'])).stderr).toContain(
      'export writes csv only, not "json"',
    );
    const empty = tempDir('no-files-');
    const { code, stderr } = await run(['import', empty, '--dry-run']);
    expect(code).toBe(2);
    expect(stderr).toContain(`No files to import: ${empty} holds no files.`);
  });
});
