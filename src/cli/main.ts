#!/usr/bin/env -S npx tsx
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { containPdfjsStrayRejections } from '../ingest/pdf.ts';
import { dotEnvProblem, settingNames } from './dot-env.ts';
import { COMMAND_HELP, mainHelp } from './help.ts';
import { isUsageError, log, nearestName } from './usage.ts';

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * Each command, loaded when it is run: the server, the parser and the store are each a second
 * or more of module loading that `--help`, `template` or `export` need not wait for.
 */
export const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  serve: async (args) => (await import('./serve.ts')).runServe(args),
  import: async (args) => (await import('./import.ts')).runImport(args),
  collect: async (args) => (await import('./collect.ts')).runCollect(args),
  worker: async (args) => (await import('./collect.ts')).runWorker(args),
  generate: async (args) => (await import('./generate.ts')).runGenerate(args, log),
  validate: async (args) => (await import('./validate.ts')).runValidate(args),
  export: async (args) => (await import('./export.ts')).runExport(args),
  regions: async (args) => (await import('./regions.ts')).runRegions(args),
  template: async (args) => (await import('./template.ts')).printTemplate(args),
  migrate: async (args) => (await import('./migrate.ts')).runMigrate(args),
  token: async (args) => (await import('./tokens.ts')).runTokens(args, log),
  revision: async (args) => (await import('./revision.ts')).runRevision(args),
  agencies: async (args) => (await import('./agencies.ts')).runAgencies(args),
};

/** The exit code of every command whose database cannot be reached, refuses it or goes away. */
export const DATABASE_UNREACHABLE = 3;

/** `--help` or `-h` among a command's options (not after `--`, where it is a file name). */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** A command misspelt is one line naming the one meant; one not near any, the whole help. */
function noSuchCommand(given: string, meant: string | null): string {
  return meant
    ? `Error: there is no command "${given}". Did you mean ${meant}? (npm run cli -- --help lists the commands.)`
    : `Error: there is no command "${given}". The commands:\n\n${mainHelp()}`;
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
    if (command !== undefined && command !== 'help' && !command.startsWith('-')) {
      (await import('../server/config.ts')).loadServerConfig();
    }
    const run = command === undefined ? undefined : COMMANDS[command];
    if (run) return await run(rest);
    switch (command) {
      case 'help':
      case '--help':
      case '-h': {
        // help import: that command's help, as import --help.
        const topic = command === 'help' && rest[0] !== undefined ? COMMAND_HELP[rest[0]] : undefined;
        if (topic !== undefined) return main([rest[0] as string, '--help']);
        if (command === 'help' && rest[0] !== undefined) {
          const meant = nearestName(rest[0], Object.keys(COMMAND_HELP));
          console.error(noSuchCommand(rest[0], meant && `help ${meant}`));
          return 2;
        }
        console.log(mainHelp());
        return 0;
      }
      case '--version':
      case '-v':
        console.log(PACKAGE_VERSION);
        return 0;
      case undefined:
        console.error(mainHelp());
        return 2;
      default: {
        const meant = nearestName(command, [...Object.keys(COMMAND_HELP), 'help']);
        console.error(noSuchCommand(command, meant));
        return 2;
      }
    }
  } catch (error) {
    if (isUsageError(error)) {
      console.error(`Error: ${error.message}`);
      return 2;
    }
    // Whatever threw one of these modules' errors has loaded the module already.
    const { SettingsError } = await import('../server/config.ts');
    const { EmbeddedDataFolderError, EmbeddedPostgresError } = await import('../store/embedded-postgres.ts');
    const { DatabaseUrlError, databaseFailureMessage, describeUrl, isTransactionConflict } = await import(
      '../store/database-errors.ts'
    );
    if (error instanceof SettingsError || error instanceof EmbeddedPostgresError) {
      console.error(`Error: ${error.message}`);
      // A bad EMBEDDED_POSTGRES_DIR is a setting to correct, as SettingsError's are.
      return error instanceof SettingsError || error instanceof EmbeddedDataFolderError ? 2 : 1;
    }
    const url = process.env.DATABASE_URL;
    const database = databaseFailureMessage(error, url ? describeUrl(url) : 'the embedded server');
    if (database) {
      console.error(`Error: ${database}`);
      // A database not reached (or lost midway) is told apart from what a command found: 1 is
      // validate's error findings and import's rejected files. A bad DATABASE_URL and writes
      // aborted for others' stay 1: the command failed with the database there.
      return error instanceof DatabaseUrlError || isTransactionConflict(error) ? 1 : DATABASE_UNREACHABLE;
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
  const example = fileURLToPath(new URL('../../.env.example', import.meta.url));
  const settings = existsSync(example) ? settingNames(readFileSync(example, 'utf8')) : [];
  const problem = dotEnvProblem('.env', readFileSync(file, 'utf8'), settings);
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
  // Output piped into a reader that stops early (`| head`): writes after it closed raised EPIPE
  // with a stack trace. A command that only prints is done; one that writes (import, collect)
  // goes on to its end, its further output dropped, as exiting at once left an import at 3 of
  // 100 files and a collection run's links taken, with exit code 0.
  const printsOnly = ['export', 'template', 'validate', 'help', '--help', '-h'].includes(
    process.argv[2] ?? '',
  );
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    if (printsOnly) process.exit(0);
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
