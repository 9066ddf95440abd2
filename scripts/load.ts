/**
 * Load test: starts the real server as a child process, drives a dashboard query mix with
 * autocannon for a fixed time, and reports errors, latency and the server's memory.
 *
 *   npm run load -- [--duration 20] [--connections 50] [--no-cache]
 *
 * Thresholds (the run exits 1 when one is missed): 0 errors, p99 ≤ 500 ms, RSS growth ≤ 100 MB
 * between the end of a 5 s warm-up and the end of the run (growth there would be a leak).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { countOption, scriptArgs } from './script-args.ts';

const THRESHOLDS = { errors: 0, p99Ms: 500, rssGrowthMb: 100 };

const USAGE = `Usage: npm run load -- [--duration 20] [--connections 50] [--no-cache] [--port 4391]
  --duration S      seconds of load after a 5 s warm-up (default 20)
  --connections N   concurrent connections (default 50)
  --no-cache        the server's response cache off (RESPONSE_CACHE=off)
  --port P          the port the server under test listens on (default 4391)
Exits 1 when a threshold is missed: ${THRESHOLDS.errors} errors, p99 ≤ ${THRESHOLDS.p99Ms} ms, RSS growth ≤ ${THRESHOLDS.rssGrowthMb} MB.`;
const { values, port, duration, connections } = scriptArgs(
  USAGE,
  {
    options: {
      duration: { type: 'string', default: '20' },
      connections: { type: 'string', default: '50' },
      'no-cache': { type: 'boolean', default: false },
      port: { type: 'string', default: '4391' },
    },
  },
  ({ values }) => ({
    values,
    duration: countOption('--duration', values.duration),
    connections: countOption('--connections', values.connections),
    port: countOption('--port', values.port),
  }),
);

const DASHBOARD_QUERIES = [
  `query Overview { agencies(first: 20) { ... on QueryAgenciesConnection { totalCount edges { node { name kind reportCount } } } } }`,
  `query Report { report(agencyName: "中卫市科学技术局", year: 2020) { current { table3 { rows { code total { value } } } table4 { review { total { value } } } } } }`,
  `query Table2 { report(agencyName: "中卫市科学技术局", year: 2020) { current { table2 { blocks { rows { labelZh cells { value } } } } } } }`,
];

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 102.4) / 10;
}

async function waitForReady(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/ready`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not become ready');
}

const base = `http://127.0.0.1:${port}`;
const server = spawn(
  process.execPath,
  ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--sample', '--port', String(port)],
  {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      RESPONSE_CACHE: values['no-cache'] ? 'off' : 'on',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
try {
  await waitForReady(base);
  for (const query of DASHBOARD_QUERIES) {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (!response.ok || body.errors)
      throw new Error(`warm-up query failed: ${JSON.stringify(body).slice(0, 300)}`);
  }
  const pid = server.pid ?? 0;
  const idle = rssMb(pid);
  const drive = (duration: number) =>
    autocannon({
      url: `${base}/graphql`,
      connections,
      duration,
      requests: DASHBOARD_QUERIES.map((query) => ({
        method: 'POST' as const,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      })),
    });
  // V8 grows its heap to a working size under load; measure growth after that, where a leak would show.
  await drive(5);
  const before = rssMb(pid);
  const result = await drive(duration);
  const after = rssMb(pid);
  const errors = result.errors + result.non2xx + result.timeouts;
  const rows = [
    ['cache', values['no-cache'] ? 'off' : 'on'],
    ['duration (s)', values.duration],
    ['connections', values.connections],
    ['requests', result.requests.total],
    ['throughput (req/s)', Math.round(result.requests.average)],
    ['latency p50 (ms)', result.latency.p50],
    ['latency p99 (ms)', result.latency.p99],
    ['errors (incl. non-2xx, timeouts)', errors],
    ['server RSS idle (MB)', idle],
    ['server RSS after 5 s warm-up (MB)', before],
    ['server RSS at the end (MB)', after],
  ];
  console.log('\nLoad test: dashboard mix\n');
  for (const [k, v] of rows) console.log(`${String(k).padEnd(34)} ${v}`);
  const failures = [
    errors > THRESHOLDS.errors && `errors ${errors} > ${THRESHOLDS.errors}`,
    result.latency.p99 > THRESHOLDS.p99Ms && `p99 ${result.latency.p99} ms > ${THRESHOLDS.p99Ms} ms`,
    after - before > THRESHOLDS.rssGrowthMb && `RSS grew ${after - before} MB > ${THRESHOLDS.rssGrowthMb} MB`,
  ].filter(Boolean);
  console.log(failures.length ? `\nMISSED: ${failures.join('; ')}` : '\nAll thresholds met.');
  process.exitCode = failures.length ? 1 : 0;
} finally {
  server.kill('SIGTERM');
}
