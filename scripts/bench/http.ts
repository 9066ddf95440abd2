/**
 * HTTP throughput: the real server in a child process (so its peak RSS is the server's
 * alone), autocannon here, 50 connections, with and without the response cache.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { createApp } from '../../src/server/app.ts';
import { loadServerConfig } from '../../src/server/config.ts';
import { startHttpServer } from '../../src/server/http.ts';
import { createLogger } from '../../src/server/observability.ts';
import { closeDb, createDb } from '../../src/store/db.ts';

/**
 * The child: serves BENCH_DATABASE_URL until its stdin closes, then prints its peak RSS. The
 * parent has migrated the database already; the child only connects.
 */
export async function serveHttp(cache: string): Promise<never> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('BENCH_DATABASE_URL is not set');
  const db = createDb(url);
  const config = loadServerConfig({
    ...process.env,
    RATE_LIMIT_PER_MINUTE: '0',
    RESPONSE_CACHE: cache,
    LOG_LEVEL: 'warn',
  });
  const logger = createLogger(config);
  const app = createApp({ db, config, logger });
  const running = await startHttpServer(app, {
    port: 0,
    host: '127.0.0.1',
    maxBodyBytes: config.maxBodyBytes,
    logger,
  });
  process.stdout.write(`${JSON.stringify({ port: running.port })}\n`);
  process.stdin.resume();
  process.stdin.on('end', async () => {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    process.stdout.write(`${JSON.stringify({ peakRssBytes: Number(hwm?.[1] ?? 0) * 1024 })}\n`);
    await running.close();
    await app.dispose?.();
    await closeDb(db);
    process.exit(0);
  });
  return new Promise<never>(() => {});
}

export interface HttpResult {
  cache: 'on' | 'off';
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  requests: number;
  serverPeakRssBytes: number;
}

/** One autocannon run of `query` against a child server started from `script --serve-http`. */
export async function httpRun(
  script: string,
  databaseUrl: string,
  cache: 'on' | 'off',
  query: string,
  seconds: number,
): Promise<HttpResult> {
  const child = spawn(process.execPath, [...process.execArgv, script, '--serve-http', cache], {
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () =>
    JSON.parse(((await lines.next()).value as string | undefined) ?? '{}') as Record<string, number>;
  const { port } = await next();
  // One request first, so "cache on" measures cached responses rather than 50 simultaneous
  // first misses of a query that takes hundreds of milliseconds at full scale.
  await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/graphql`,
    connections: 50,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  child.stdin.end();
  const { peakRssBytes } = await next();
  await new Promise((resolve) => child.once('exit', resolve));
  return {
    cache,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
    serverPeakRssBytes: peakRssBytes ?? 0,
  };
}
