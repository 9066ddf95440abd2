#!/usr/bin/env -S npx tsx
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../server/app.ts';
import { loadServerConfig } from '../server/config.ts';
import { type RunningServer, startHttpServer } from '../server/http.ts';
import { createLogger } from '../server/observability.ts';
import { formatProblems, importReport } from '../store/import-report.ts';
import { DEFAULT_DATA_DIR, openDatabase } from '../store/open-database.ts';
import { printTemplate } from './template.ts';

const SAMPLE_REPORT = fileURLToPath(
  new URL('../../test/fixtures/reports/zhongwei-science-bureau-2020.txt', import.meta.url),
);

const HELP = `disclosure — GraphQL server for 政府信息公开工作年度报告 (government information disclosure annual reports)

Usage: npm run cli -- <command> [options]

Commands:
  serve [--port N] [--sample]
      Start the GraphQL server (GraphiQL at http://localhost:4000/graphql).
      --sample   import the bundled real report (中卫市科学技术局 2020) if it is not stored yet
  import <file|folder>... [--allow-partial] [--source-url URL] [--agency NAME] [--year N]
      Parse report text files (UTF-8 or GBK) and store each in one transaction.
      Identical sources are skipped; a changed source adds a new revision.
      --allow-partial  store reports with missing tables/rows/cells, recording the gaps
      --source-url     where the report was published (kept as provenance)
      --agency, --year override what the document header says
      Exits 1 if any file was rejected; each rejection names the file, line, table, row and column.
  template [--version V2019|V2021]
      Print the template catalogue: every cell code with its Chinese label and English name.
  migrate
      Apply pending database migrations and exit.

Database:
  DATABASE_URL    PostgreSQL connection string. When unset, an embedded PostgreSQL is
                  started with its data in ${DEFAULT_DATA_DIR}
Environment:
  PORT            HTTP port for serve (default 4000)
`;

const log = (message: string) => console.error(message);

function expandFiles(paths: string[]): string[] {
  return paths.flatMap((path) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) throw new CliError(`No such file or folder: ${path}`);
    if (!stat.isDirectory()) return [path];
    return readdirSync(path)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .flatMap((name) => expandFiles([join(path, name)]));
  });
}

class CliError extends Error {}

async function runImport(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'allow-partial': { type: 'boolean', default: false },
      'source-url': { type: 'string' },
      agency: { type: 'string' },
      year: { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new CliError('import needs at least one file or folder. See --help.');
  const year = values.year ? Number(values.year) : undefined;
  if (values.year && !Number.isInteger(year))
    throw new CliError(`--year must be a whole number, got "${values.year}"`);
  const files = expandFiles(positionals);
  const database = await openDatabase({ log });
  const counts = { CREATED: 0, NEW_REVISION: 0, UNCHANGED: 0, rejected: 0 };
  try {
    for (const [index, file] of files.entries()) {
      const prefix = files.length > 1 ? `[${index + 1}/${files.length}] ` : '';
      const result = await importReport(
        database.db,
        { bytes: readFileSync(file), fileName: file, sourceUrl: values['source-url'] ?? null },
        {
          allowPartial: values['allow-partial'],
          ...(values.agency ? { agencyName: values.agency } : {}),
          ...(year ? { year } : {}),
        },
      );
      if (!result.ok) {
        counts.rejected++;
        console.log(`${prefix}✘ ${file}: rejected, nothing stored`);
        console.log(formatProblems(basename(file), result.problems).replace(/^/gm, '    '));
        continue;
      }
      const { outcome, parsed, revisionNumber } = result.value;
      counts[outcome]++;
      console.log(
        `${prefix}✔ ${file}: ${outcome} ${parsed.agencyName} ${parsed.year} (${parsed.templateVersion}, revision ${revisionNumber})`,
      );
      for (const warning of [...parsed.warnings, ...parsed.gaps]) console.log(`    ! ${warning.message}`);
    }
  } finally {
    await database.close();
  }
  console.log(
    `\n${files.length} file(s): ${counts.CREATED} created, ${counts.NEW_REVISION} new revision(s), ${counts.UNCHANGED} unchanged, ${counts.rejected} rejected`,
  );
  return counts.rejected > 0 ? 1 : 0;
}

async function runServe(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, sample: { type: 'boolean', default: false } },
  });
  const port = Number(values.port ?? process.env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`Invalid port "${values.port ?? process.env.PORT}"`);
  }
  const started = performance.now();
  const config = loadServerConfig();
  const logger = createLogger(config);
  const database = await openDatabase({ log, statementTimeoutMs: config.statementTimeoutMs });
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

async function runMigrate(): Promise<number> {
  const database = await openDatabase({ log });
  await database.close();
  log('Database is up to date.');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await runServe(rest);
      case 'import':
        return await runImport(rest);
      case 'template':
        return printTemplate(rest);
      case 'migrate':
        return await runMigrate();
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(HELP);
        return command === undefined ? 1 : 0;
      default:
        console.error(`Unknown command "${command}".\n\n${HELP}`);
        return 1;
    }
  } catch (error) {
    if (
      error instanceof CliError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      console.error(`Error: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}
