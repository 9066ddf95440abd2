#!/usr/bin/env -S npx tsx
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliActor, importReport, recordAudit, useRevision } from '../import/index.ts';
import { INPUT_LIMIT_VARIABLES } from '../ingest/limits.ts';
import { containPdfjsStrayRejections } from '../ingest/pdf.ts';
import { createApp } from '../server/app.ts';
import { loadServerConfig, SettingsError } from '../server/config.ts';
import { type RunningServer, startHttpServer } from '../server/http.ts';
import { announceImportsThroughRedis } from '../server/live.ts';
import { createLogger } from '../server/observability.ts';
import { databaseFailureMessage } from '../store/database-errors.ts';
import { EmbeddedPostgresError } from '../store/embedded-postgres.ts';
import { DEFAULT_DATA_DIR, openDatabase } from '../store/open-database.ts';
import { ensureRegionsLoaded } from '../store/regions.ts';
import { describeUrl } from '../store/replicas.ts';
import { AGENCIES_HELP, runAgencies } from './agencies.ts';
import { COLLECT_HELP, runCollect, runWorker } from './collect.ts';
import { dotEnvProblem } from './dot-env.ts';
import { EXPORT_HELP, runExport } from './export.ts';
import { ensureDemoData, GENERATE_HELP, runGenerate } from './generate.ts';
import { runImport } from './import.ts';
import { REGIONS_HELP, runRegions } from './regions.ts';
import { printTemplate } from './template.ts';
import { runTokens, TOKEN_HELP } from './tokens.ts';
import { isUsageError, nearestName, parseCommandArgs } from './usage.ts';
import { runValidate, VALIDATE_HELP } from './validate.ts';

/** The real report `serve --sample` loads; the tests read the same file. */
export const SAMPLE_REPORT = fileURLToPath(
  new URL('../../data/sample/zhongwei-science-bureau-2020.txt', import.meta.url),
);

const SERVE_HELP = `  serve [--port N] [--sample] [--demo [N]]
      Start the GraphQL server (GraphiQL at http://localhost:4000/graphql).
      --sample   import the bundled real report (中卫市科学技术局 2020) if it is not stored yet
      --demo [N] load N (default 200) SYNTHETIC agencies with reports 2019–2024 if none are stored;
                 they always include the agencies the README's examples name`;

const IMPORT_HELP = `  import <file|folder|glob>... [options]
      Load reports as published: text (UTF-8, GBK or UTF-16; tab- or pipe-separated tables),
      HTML pages, Word (.doc and .docx) and PDF, detected from the file contents. Folders are
      walked recursively; quote globs ("reports/**/*.pdf") to let import expand them. A walk
      leaves out hidden files, manifests (.csv, .json), pictures, archives, spreadsheets and
      .md notes, and says how many; files named on the command line are always read.
      Files are parsed in parallel and each report is stored in its own transaction
      (with --batch N, N reports per transaction);
      a rejected file never stops the run. A file whose exact bytes are already stored
      is skipped without parsing (UNCHANGED), so re-running an interrupted import resumes it
      and never changes which revision is current (use "revision use" for that);
      a changed source for a stored agency and year adds a new revision.
      Ends with a summary: imported / new revisions / unchanged / rejected, with reasons.
      Ctrl-C or SIGTERM stops it after the report (or batch) being stored, with the summary
      so far and exit code 130 (143); the same command run again goes on from there.
      --allow-partial    store reports with missing tables/rows/cells, recording the gaps
      --dry-run          parse and check the figures; write nothing (no database needed)
      --strict           reject (store nothing for) reports whose figures break an identity
      --source-url URL   where the reports were published (kept as provenance)
      --manifest FILE    CSV (header: file,source_url,agency,year) or JSON
                         ([{"file","sourceUrl","agency","year"}] or {"file": "url"}) giving
                         each file's source address and, optionally, agency and year
      --agency NAME, --year N   override what the documents say (a manifest entry wins); a
                         report whose title says otherwise is stored with a warning
      --jobs N           parser threads (default: CPU cores, at most 4, and with --batch two
                         fewer; 0 = text and web pages on the main thread). PDF and Word
                         files are always parsed on a thread: one past PARSE_MEMORY_MB (512)
                         or PARSE_TIMEOUT_MS (30000) is rejected and the run goes on
      --batch N          store N reports per transaction through the bulk path (COPY): many
                         times faster for large folders. If a batch fails, nothing of it is
                         kept and its reports are stored one by one, so a refused report is
                         rejected with its reason and the others go in. Not with --strict.
      --progress         show the progress line (count, rate, ETA) even when stderr is not a terminal
      Exits 1 if any file was rejected; each rejection names the file, line, table, row and column.`;

const REVISION_HELP = `  revision use <agency> <year> <n>
      Make revision n of a stored report current again (undo a bad import); its findings and
      the next year's cross-year findings are recomputed. Recorded in the audit log.`;

const TEMPLATE_HELP = `  template [--version V2019|V2021]
      Print the template catalogue: every cell code with its Chinese label and English name.`;

const MIGRATE_HELP = `  migrate
      Apply pending database migrations and exit.`;

const WORKER_AT = COLLECT_HELP.indexOf('  worker [');

/** Each command's part of the help, for `<command> --help`. */
const COMMAND_HELP: Record<string, string> = {
  serve: SERVE_HELP,
  import: IMPORT_HELP,
  collect: COLLECT_HELP.slice(0, WORKER_AT).trimEnd(),
  worker: COLLECT_HELP.slice(WORKER_AT),
  generate: GENERATE_HELP,
  regions: REGIONS_HELP,
  validate: VALIDATE_HELP,
  export: EXPORT_HELP,
  revision: REVISION_HELP,
  agencies: AGENCIES_HELP,
  template: TEMPLATE_HELP,
  migrate: MIGRATE_HELP,
  token: TOKEN_HELP,
};

/** Variable names, comma-separated over lines of the help's width, then what they set. */
function wrapNames(names: readonly string[], what: string): string {
  const lines: string[] = [];
  let line = ' ';
  for (const name of names) {
    if (line.length + name.length + 2 > 100) {
      lines.push(`${line},`);
      line = ' ';
    }
    line += `${line === ' ' ? ' ' : ', '}${name}`;
  }
  return [...lines, `${line}: ${what}`].join('\n');
}

const HELP = `disclosure — GraphQL server for 政府信息公开工作年度报告 (government information disclosure annual reports)

Usage: npm run cli -- <command> [options]
       npm run cli -- help <command>    that command's options (also <command> --help)
       npm run cli -- --version

Commands:
${SERVE_HELP}
${IMPORT_HELP}
${COLLECT_HELP}
${GENERATE_HELP}
${REGIONS_HELP}
${VALIDATE_HELP}
${EXPORT_HELP}
${REVISION_HELP}
${AGENCIES_HELP}
${TEMPLATE_HELP}
${MIGRATE_HELP}
${TOKEN_HELP}

Database:
  DATABASE_URL    PostgreSQL connection string. When unset, an embedded PostgreSQL is
                  started with its data in ${DEFAULT_DATA_DIR}
                  (EMBEDDED_POSTGRES_DIR chooses another folder). While serve runs on it,
                  every other command uses the server's PostgreSQL (serve prints its address).
  READ_DATABASE_URLS  serve: comma-separated streaming replicas that answer queries once they
                  have caught up with the data version; writes stay on DATABASE_URL.
Environment (see README, "Running in production"):
  PORT                   HTTP port for serve (default 4000)
  READS_REQUIRE_TOKEN    true: reads need a token with the read scope (default: reads are public)
  VALIDATE_REQUIRES_TOKEN true: validateReport needs an import token (default: true in production)
  METRICS_TOKEN          /metrics answers only "Authorization: Bearer <it>" (default: open)
  CORS_ORIGINS           origins allowed to call the API from a browser (default: none)
  TRUST_PROXY            number of proxies in front that append X-Forwarded-For (default 0)
  REDIS_URL              share the response cache and the rate limit between instances
  RESPONSE_CACHE         off: no response cache (default on, 60 s TTL: RESPONSE_CACHE_TTL_MS)
  PARSE_WORKERS, PARSE_MEMORY_MB, PARSE_TIMEOUT_MS, PARSE_QUEUE: upload parsing (2, 512, 30000, 16);
                         the heap and time limits also bound collect, and import and validate
                         of 3 files or more
${wrapNames(Object.values(INPUT_LIMIT_VARIABLES), 'what one file may cost (also for import and collect)')}
  MAX_BODY_BYTES, STATEMENT_TIMEOUT_MS, MAX_QUERY_DEPTH, MAX_QUERY_ALIASES, MAX_QUERY_TOKENS,
  MAX_QUERY_COST, MAX_QUERY_ROWS, MAX_LIST_ITEMS, MAX_SUBSCRIPTIONS_PER_CLIENT, RATE_LIMIT_PER_MINUTE,
  RATE_LIMIT_BURST, PERSISTED_OPERATIONS_FILE, LOG_LEVEL
  Switches accept true/false, 1/0, yes/no, on/off; any other value stops the server, naming it.
`;

const log = (message: string) => console.error(message);

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

class CliError extends Error {}

async function runServe(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('serve', {
    args,
    options: {
      port: { type: 'string' },
      sample: { type: 'boolean', default: false },
      demo: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  // --demo takes an optional count: "--demo 500" or "--demo".
  const demoAt = args.indexOf('--demo');
  const countGiven = demoAt >= 0 && /^\d+$/.test(args[demoAt + 1] ?? '');
  const demoCount = countGiven ? Number(args[demoAt + 1]) : 200;
  if (positionals.length > (countGiven ? 1 : 0)) {
    throw new CliError(`Unexpected argument "${positionals.at(-1)}" for serve.`);
  }
  // An empty PORT is an unset one (as for every variable), not port 0, which picks a random port.
  const envPort = process.env.PORT?.trim() || undefined;
  const given = values.port ?? envPort;
  const port = given === undefined ? 4000 : /^\d{1,5}$/.test(given) ? Number(given) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535) {
    throw new CliError(
      `${values.port !== undefined ? '--port' : 'PORT'} must be a port number from 0 (any free port) to 65535, got "${given}".`,
    );
  }
  const started = performance.now();
  const config = loadServerConfig();
  const logger = createLogger(config);
  // share: CLI commands run while the server does connect to its embedded PostgreSQL.
  const database = await openDatabase({ log, statementTimeoutMs: config.statementTimeoutMs, share: true });
  if (await ensureRegionsLoaded(database.db))
    log('Loaded the GB/T 2260 region hierarchy (regions table was empty).');
  if (values.sample) {
    const result = await importReport(database.db, {
      bytes: readFileSync(SAMPLE_REPORT),
      fileName: basename(SAMPLE_REPORT),
    });
    if (result.ok)
      log(
        `Sample report ${result.value.parsed.agencyName} ${result.value.parsed.year}: ${result.value.outcome}`,
      );
  }
  if (values.demo) await ensureDemoData(database.db, demoCount, log);
  const app = createApp({ db: database.db, config, logger });
  let running: RunningServer;
  try {
    running = await startHttpServer(app, { port, maxBodyBytes: config.maxBodyBytes, logger });
  } catch (error) {
    await database.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(`Port ${port} is in use; pass --port or set PORT.`);
    }
    throw error;
  }
  log(
    `GraphQL server ready at http://localhost:${running.port}/graphql in ${Math.round(performance.now() - started)} ms`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`${signal}: finishing in-flight requests, then closing the database…`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await running.close();
  await app.close();
  await database.close();
  log('Stopped.');
  return 0;
}

async function runRevision(args: string[]): Promise<number> {
  // Options are refused, not ignored: `revision use … --dry-run` changed the current revision.
  const { positionals } = parseCommandArgs('revision', { args, options: {}, allowPositionals: true });
  const [action, agencyName, year, number, ...extra] = positionals;
  if (
    action !== 'use' ||
    !agencyName ||
    !/^\d{4}$/.test(year ?? '') ||
    !/^\d{1,9}$/.test(number ?? '') ||
    extra.length > 0
  ) {
    throw new CliError('Usage: revision use <agency> <year> <n>, e.g. revision use 中卫市科学技术局 2020 1');
  }
  const database = await openDatabase({ log });
  const stopAnnouncing = announceImportsThroughRedis(database.db, process.env.REDIS_URL, (e) =>
    log(`Could not announce the change to the servers: ${(e as Error).message}`),
  );
  try {
    const result = await useRevision(database.db, { agencyName, year: Number(year), number: Number(number) });
    await recordAudit(database.db, cliActor(), {
      action: 'useRevision',
      outcome: result.ok ? (result.changed ? 'CHANGED' : 'UNCHANGED') : 'REJECTED',
      detail: { agency: agencyName, year: Number(year), number: Number(number) },
    });
    if (!result.ok) throw new CliError(result.message);
    log(
      result.changed
        ? `${agencyName} ${year}: revision ${number} is current (was ${result.previousNumber ?? 'none'}); findings recomputed.`
        : `${agencyName} ${year}: revision ${number} was already current.`,
    );
    return 0;
  } finally {
    await stopAnnouncing();
    await database.close();
  }
}

async function runMigrate(args: string[]): Promise<number> {
  parseCommandArgs('migrate', { args, options: {}, allowPositionals: false });
  const database = await openDatabase({ log });
  await database.close();
  log('Database is up to date.');
  return 0;
}

/** `--help` or `-h` among a command's options (not after `--`, where it is a file name). */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const help = command === undefined ? undefined : COMMAND_HELP[command];
  if (help !== undefined && asksForHelp(rest)) {
    console.log(
      `${help.replace(/^ {2}/, 'Usage: npm run cli -- ')}\n\nnpm run cli -- --help lists every command and the environment.`,
    );
    return 0;
  }
  try {
    // Every command reads some of the settings (import the parse limits, export the query
    // limits): checked here once, a bad one is a line naming it, not a stack trace midway.
    if (command !== undefined && command !== 'help' && !command.startsWith('-')) loadServerConfig();
    switch (command) {
      case 'serve':
        return await runServe(rest);
      case 'import':
        return await runImport(rest);
      case 'collect':
        return await runCollect(rest);
      case 'worker':
        return await runWorker(rest);
      case 'generate':
        return await runGenerate(rest, log);
      case 'validate':
        return await runValidate(rest);
      case 'export':
        return await runExport(rest);
      case 'regions':
        return await runRegions(rest);
      case 'template':
        return printTemplate(rest);
      case 'migrate':
        return await runMigrate(rest);
      case 'token':
        return await runTokens(rest, log);
      case 'revision':
        return await runRevision(rest);
      case 'agencies':
        return await runAgencies(rest);
      case 'help':
      case '--help':
      case '-h': {
        // help import: that command's help, as import --help.
        const topic = command === 'help' && rest[0] !== undefined ? COMMAND_HELP[rest[0]] : undefined;
        if (topic !== undefined) return main([rest[0] as string, '--help']);
        if (command === 'help' && rest[0] !== undefined) {
          const meant = nearestName(rest[0], Object.keys(COMMAND_HELP));
          console.error(
            `Error: there is no command "${rest[0]}".${meant ? ` Did you mean help ${meant}?` : ''} The commands:\n\n${HELP}`,
          );
          return 2;
        }
        console.log(HELP);
        return 0;
      }
      case '--version':
      case '-v':
        console.log(PACKAGE_VERSION);
        return 0;
      case undefined:
        console.error(HELP);
        return 2;
      default: {
        const meant = nearestName(command, [...Object.keys(COMMAND_HELP), 'help']);
        console.error(
          `Error: there is no command "${command}".${meant ? ` Did you mean ${meant}?` : ''} The commands:\n\n${HELP}`,
        );
        return 2;
      }
    }
  } catch (error) {
    if (error instanceof CliError || error instanceof SettingsError || isUsageError(error)) {
      console.error(`Error: ${error.message}`);
      return 2;
    }
    if (error instanceof EmbeddedPostgresError) {
      console.error(`Error: ${error.message}`);
      return 1;
    }
    const url = process.env.DATABASE_URL;
    const database = databaseFailureMessage(error, url ? describeUrl(url) : 'the embedded server');
    if (database) {
      console.error(`Error: ${database}`);
      return 1;
    }
    throw error;
  }
}

/**
 * Settings from a `.env` in the project folder (see .env.example), for `npm start` and every
 * command; variables already set win. Never under vitest: a developer's .env must not point
 * the tests at a database.
 */
function loadDotEnv() {
  const file = fileURLToPath(new URL('../../.env', import.meta.url));
  if (process.env.VITEST || !existsSync(file)) return;
  const problem = dotEnvProblem('.env', readFileSync(file, 'utf8'));
  if (problem) {
    console.error(`Error: ${problem}`);
    process.exit(2);
  }
  process.loadEnvFile(file);
  log('Settings from .env (variables set in the environment take precedence).');
}

/**
 * Exits once stdout and stderr have handed on what was written to them. process.exit() at
 * once dropped what a pipe had not taken yet: `validate --json | cat` stopped at 64 kB of a
 * 140 kB answer, with exit code 0. (Exiting at all ends what would otherwise keep the process
 * up, such as a pool's idle connections.)
 */
function exitAfterOutput(code: number) {
  let waiting = 2;
  const done = () => {
    if (--waiting === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // Output piped into a reader that stops early (`| head`) is a finished run, not a crash:
  // writes after it closed raised EPIPE with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  loadDotEnv();
  // `import` and `serve` with PARSE_WORKERS=0 parse PDFs on this thread.
  containPdfjsStrayRejections((error) =>
    log(
      `pdf.js raised a further error in a PDF it had already answered for; ignored (${error.name}: ${error.message}).`,
    ),
  );
  main(process.argv.slice(2)).then(exitAfterOutput, (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    exitAfterOutput(1);
  });
}
