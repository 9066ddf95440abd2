/**
 * `export csv`: the CSV the HTTP `/csv` endpoint answers, on the command line. The query goes
 * through the same application (createApp) and its `/csv` route, in process: the same limits,
 * the same conversion, and mutations are refused just as `/csv` refuses them.
 */
import pino from 'pino';
import { createApp } from '../server/app.ts';
import { loadServerConfig, type ServerConfig } from '../server/config.ts';
import { type CsvError, writesAnything } from '../server/csv.ts';
import { openDatabase } from '../store/open-database.ts';
import { EXPORT_HELP } from './help.ts';
import { parseCommandArgs } from './usage.ts';

/**
 * The server's settings for a local operator: the operator already has the database, so no
 * token, allow-list, rate limit or shared cache stands between them and a read.
 */
function cliConfig(): ServerConfig {
  const config = loadServerConfig();
  return {
    ...config,
    readsRequireToken: false,
    persistedOperationsFile: null,
    persistedOperations: null,
    rateLimit: { ...config.rateLimit, requestsPerMinute: 0 },
    cache: { ...config.cache, enabled: false, redisUrl: null },
  };
}

export interface ExportIo {
  /** Receives the CSV (stdout); resolves once it is written. */
  out: (text: string) => Promise<void>;
  /** Messages (stderr). */
  err: (text: string) => void;
}

const stdio: ExportIo = {
  out: (text) =>
    new Promise((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve()))),
  err: (text) => console.error(text),
};

/**
 * The /csv endpoint's error, told in the CLI's words: where the endpoint asks for its `path`
 * parameter to choose among the result's lists, the CLI has the --path option.
 */
function cliMessage(error: CsvError): string {
  const lists = error.extensions?.lists;
  // /csv's refusals of a mutation or a subscription speak of itself: here the command is export csv.
  if (error.extensions?.argument !== 'path' || !Array.isArray(lists) || lists.length === 0)
    return error.message
      .replace(/^\/csv exports/, 'export csv exports')
      .replace(/no operationName says/, 'no --operation-name says')
      .replace(
        /Send one of those names as operationName\.$/,
        'Pass one of those names with --operation-name.',
      );
  return `The result holds ${lists.length} lists (${lists.join(', ')}); name the one to export with --path, e.g. --path ${String(lists.at(-1))}.`;
}

/** Runs `export csv …`; returns the exit code (0, 1 when the query fails, 2 usage: a mutation too). */
export async function runExport(args: string[], io: ExportIo = stdio): Promise<number> {
  const [format, ...rest] = args;
  if (format !== 'csv') {
    io.err(
      `${format === undefined || format.startsWith('-') ? 'export needs a format' : `export writes csv only, not "${format}"`}: export csv --query '…'.\n\n${EXPORT_HELP}`,
    );
    return 2;
  }
  const { values, positionals } = parseCommandArgs('export', {
    args: rest,
    allowPositionals: true,
    options: {
      query: { type: 'string' },
      variables: { type: 'string' },
      path: { type: 'string' },
      'operation-name': { type: 'string' },
    },
  });
  if (positionals.length > 0) {
    io.err(`Error: unexpected argument "${positionals[0]}"; the query goes in --query '…'.`);
    return 2;
  }
  if (!values.query?.trim()) {
    io.err(`Error: export csv needs --query '<graphql query>'.\n\n${EXPORT_HELP}`);
    return 2;
  }
  let variables: unknown;
  if (values.variables !== undefined) {
    try {
      variables = JSON.parse(values.variables);
    } catch (error) {
      io.err(`Error: --variables is not valid JSON (${(error as Error).message}).`);
      return 2;
    }
    // Said here in the command's words: /csv's refusal spoke of a request body to send, exit 1.
    if (variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
      io.err(
        `Error: --variables must be a JSON object of the query's variables, such as '{"year": 2022}', not ${values.variables.trim()}.`,
      );
      return 2;
    }
  }
  // Refused before the database is opened, as a usage error: export never runs one (exit 1 had
  // said the query failed).
  const writing = writesAnything({ query: values.query, operationName: values['operation-name'] });
  if (writing) {
    io.err(
      writing === 'mutation'
        ? 'Error: export csv exports the answer of a query; it never runs a mutation. Send mutations to POST /graphql.'
        : 'Error: export csv exports the answer of a query; a subscription streams events instead. Subscribe at /graphql (server-sent events).',
    );
    return 2;
  }
  const config = cliConfig();
  const database = await openDatabase({ log: io.err, statementTimeoutMs: config.statementTimeoutMs });
  // Request lines and warnings go to stderr: stdout carries only the CSV.
  const logger = pino(
    { level: process.env.LOG_LEVEL ? config.logLevel : 'warn', base: { service: 'disclosure-cli' } },
    pino.destination(2),
  );
  const app = createApp({ db: database.db, config, logger });
  try {
    const response = await app.fetch('http://cli.invalid/csv', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: values.query,
        variables,
        operationName: values['operation-name'],
        path: values.path,
      }),
    });
    const text = await response.text();
    if (response.status !== 200) {
      let messages: string[];
      try {
        const body = JSON.parse(text) as { errors?: CsvError[] };
        messages = (body.errors ?? []).map(cliMessage);
      } catch {
        messages = [text];
      }
      for (const message of messages.length > 0 ? messages : [`HTTP ${response.status}`])
        io.err(`Error: ${message}`);
      return 1;
    }
    await io.out(text);
    return 0;
  } finally {
    await app.close();
    await database.close();
  }
}
