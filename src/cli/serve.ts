import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importReport } from '../import/index.ts';
import { createApp } from '../server/app.ts';
import { loadServerConfig } from '../server/config.ts';
import { type RunningServer, startHttpServer } from '../server/http.ts';
import { createLogger } from '../server/observability.ts';
import { openDatabase } from '../store/open-database.ts';
import { ensureRegionsLoaded } from '../store/regions.ts';
import { ensureDemoData } from './generate.ts';
import { stopOnSignals } from './signals.ts';
import { log, parseCommandArgs, UsageError } from './usage.ts';

/** The real report `serve --sample` loads; the tests read the same file. */
export const SAMPLE_REPORT = fileURLToPath(
  new URL('../../data/sample/zhongwei-science-bureau-2020.txt', import.meta.url),
);

/** A port another process holds is a usage error (exit 2) saying what to do. */
function portError(error: unknown, port: number): unknown {
  return (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
    ? new UsageError(`Port ${port} is in use; pass --port or set PORT.`)
    : error;
}

/** Listens on `port` (where the server will) and lets it go at once. */
async function checkPortFree(port: number): Promise<void> {
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '0.0.0.0', () => resolve());
    });
  } catch (error) {
    throw portError(error, port);
  }
  await new Promise((resolve) => probe.close(resolve));
}

export async function runServe(args: string[]): Promise<number> {
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
    throw new UsageError(`Unexpected argument "${positionals.at(-1)}" for serve.`);
  }
  // An empty PORT is an unset one (as for every variable), not port 0, which picks a random port.
  const envPort = process.env.PORT?.trim() || undefined;
  const given = values.port ?? envPort;
  const port = given === undefined ? 4000 : /^\d{1,5}$/.test(given) ? Number(given) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535) {
    throw new UsageError(
      `${values.port !== undefined ? '--port' : 'PORT'} must be a port number from 0 (any free port) to 65535, got "${given}".`,
    );
  }
  const started = performance.now();
  const config = loadServerConfig();
  // Before the database: a busy port was found only after migrations had run and the regions,
  // --sample and --demo had been written. (Listening still checks: another process may take
  // the port meanwhile.)
  if (port !== 0) await checkPortFree(port);
  const logger = createLogger(config);
  if (config.persistedOperationsFile && !config.production)
    log(
      `Warning: PERSISTED_OPERATIONS_FILE has no effect without NODE_ENV=production; every operation runs.`,
    );
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
    throw portError(error, port);
  }
  log(
    `GraphQL server ready at http://localhost:${running.port}/graphql in ${Math.round(performance.now() - started)} ms`,
  );
  let signals: ReturnType<typeof stopOnSignals> | undefined;
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`${signal}: finishing in-flight requests, then closing the database…`);
      resolve();
    };
    // Ctrl-C arrives two or three times at once (the terminal's group, npm passing it on): one
    // stop. With process.once the echo killed the process mid-request; a second Ctrl-C of the
    // user's own still exits at once.
    signals = stopOnSignals(stop);
  });
  await running.close();
  await app.close();
  await database.close();
  signals?.dispose();
  log('Stopped.');
  return 0;
}
