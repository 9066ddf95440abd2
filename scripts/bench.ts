/**
 * End-to-end benchmark on a synthetic dataset: parse throughput (one core), bulk import
 * throughput into PostgreSQL, and p50/p95 of the comparison query shapes through the
 * GraphQL server (in-process yoga.fetch) next to hand-written SQL for the same question.
 * The same questions go to PostGraphile v5 + pg-aggregates over the same database
 * (scripts/postgraphile/, installed apart by `npm run bench:postgraphile`; skipped when it is not
 * installed), and autocannon measures HTTP throughput of the real
 * server (a child process of this script, so its peak RSS is the server's alone) with and
 * without the response cache. Prints a table and writes bench-results/bench-<time>.json.
 *
 * Usage: npm run bench -- [--agencies N] [--runs N] [--keep] [--http-seconds N]
 *   DATABASE_URL unset: an embedded PostgreSQL in .data/bench (wiped first unless --keep).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { CELLS } from '../src/catalogue/cells.ts';
import { bulkImport } from '../src/import/index.ts';
import { parseReportBytes } from '../src/ingest/parse-report.ts';
import { createApp } from '../src/server/app.ts';
import { loadServerConfig } from '../src/server/config.ts';
import { startHttpServer } from '../src/server/http.ts';
import { createLogger } from '../src/server/observability.ts';
import { type Db, Prisma } from '../src/store/db.ts';
import { figureValueSql } from '../src/store/figures.ts';
import { openDatabase } from '../src/store/open-database.ts';
import { ensureRegionsLoaded } from '../src/store/regions.ts';
import { syntheticReports } from '../src/synthetic/index.ts';
import type { CreatePostGraphileBench, PostGraphileBench } from './postgraphile/contract.ts';

const { values } = parseArgs({
  options: {
    agencies: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
    'http-seconds': { type: 'string', default: '10' },
    // Internal: run only the HTTP server (response cache on|off) over BENCH_DATABASE_URL.
    'serve-http': { type: 'string' },
  },
});

if (values['serve-http']) {
  const served = await openDatabase({ url: process.env.BENCH_DATABASE_URL });
  const config = loadServerConfig({
    ...process.env,
    RATE_LIMIT_PER_MINUTE: '0',
    RESPONSE_CACHE: values['serve-http'],
    LOG_LEVEL: 'warn',
  });
  const logger = createLogger(config);
  const app = createApp({ db: served.db, config, logger });
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
    await served.close();
    process.exit(0);
  });
  await new Promise(() => {});
}
const agencies = Number(values.agencies);
const runs = Number(values.runs);
const log = (m: string) => console.error(m);
let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const rssTimer = setInterval(sampleRss, 200);

const options = { agencies, years: { from: 2019, to: 2024 }, seed: 1, inconsistencyRate: 0.03 };
const encoder = new TextEncoder();

// Parse throughput on this thread, over a slice of the dataset.
const sample = [...syntheticReports({ ...options, agencies: Math.min(agencies, 500) })].map((r) =>
  encoder.encode(r.text),
);
for (const bytes of sample.slice(0, 100)) parseReportBytes(bytes);
let parseStart = performance.now();
for (const bytes of sample) parseReportBytes(bytes);
const parseRate = sample.length / ((performance.now() - parseStart) / 1000);
log(`parse: ${Math.round(parseRate)} reports/s on one core`);

const dataDir = fileURLToPath(new URL('../.data/bench', import.meta.url));
if (!process.env.DATABASE_URL && !values.keep) rmSync(dataDir, { recursive: true, force: true });
const database = await openDatabase({ log, dataDir });
const db = database.db;
await ensureRegionsLoaded(db);

let importRate: number | null = null;
// The PostgreSQL backend and the storing thread keep two cores busy; parser threads only help
// beyond that (measured on 2 cores: 690 reports/s parsing inline, 570 with 2 parser threads).
const parseThreads = Math.max(0, Math.min(4, availableParallelism() - 2));
const [stored] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM report`;
const reports = agencies * 6;
if ((stored?.n ?? 0) < reports) {
  parseStart = performance.now();
  const sources = (function* () {
    for (const r of syntheticReports(options)) yield { bytes: encoder.encode(r.text), fileName: r.fileName };
  })();
  const result = await bulkImport(db, sources, {
    synthetic: true,
    jobs: parseThreads,
    onBatch: (p) => process.stderr.write(`\rimport: ${p.stored + p.unchanged}/${reports}`),
  });
  importRate = (result.stored + result.unchanged) / ((performance.now() - parseStart) / 1000);
  log(`\nimport: ${Math.round(importRate)} reports/s end to end (${parseThreads} parser threads + store)`);
  await db.$executeRawUnsafe('ANALYZE');
}

const config = loadServerConfig({
  ...process.env,
  RESPONSE_CACHE: 'off',
  RATE_LIMIT_PER_MINUTE: '0',
  LOG_LEVEL: 'error',
});
const app = createApp({ db, config, logger: createLogger(config) });
async function gql(query: string) {
  const response = await app.fetch('http://bench/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { errors?: { message: string }[] };
  if (body.errors) throw new Error(`GraphQL error: ${body.errors[0]?.message}`);
}

/** p50/p95 over `runs` runs after 3 warm-ups, or fewer (at least 5) when they exceed 20 s. */
async function timed(fn: () => Promise<unknown>) {
  const times: number[] = [];
  const budget = performance.now() + 20_000;
  for (let i = 0; i < 3; i++) await fn();
  for (let i = 0; i < runs && (i < 5 || performance.now() < budget); i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
    sampleRss();
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), runs: times.length };
}

const province = '510000';
const ten = [
  'T3_NEW_REQUESTS',
  'T3_CARRIED_OVER',
  'T3_GRANTED',
  'T3_PARTLY_GRANTED',
  'T3_CANNOT_PROVIDE_ALL',
  'T3_CARRIED_FORWARD',
  'T2_LICENSING_DECISIONS',
  'T2_PENALTY_DECISIONS',
  'DISCLOSURE_RATE',
  'REFUSAL_RATE',
];
const TEN_CODES = [
  'NEW_REQUESTS',
  'CARRIED_OVER',
  'GRANTED',
  'PARTLY_GRANTED',
  'CARRIED_FORWARD',
  'OUTCOMES_TOTAL',
]
  .map((row) => `T3.${row}.TOTAL`)
  .concat([
    'T2.LICENSING.DECISIONS',
    'T2.PENALTY.DECISIONS',
    'T3.REFUSED_THIRD_PARTY.TOTAL',
    'T3.CANNOT_PROVIDE_NOT_HELD.TOTAL',
  ]);
// Hand-written SQL reads figures the way the storage layout defines them (src/store/figures.ts).
const value = (code: string) => figureValueSql('f', code);
const OUTCOME_CODES = CELLS.filter((c) => c.table === 'T3' && c.code.endsWith('.TOTAL')).map((c) => c.code);
const firstFifty = await db.$queryRaw<
  { id: number }[]
>`SELECT id FROM agency WHERE synthetic ORDER BY id LIMIT 50`;
const ids = firstFifty.map((a) => a.id);
const idList = ids.map((id) => JSON.stringify(Buffer.from(`Agency:${id}`).toString('base64'))).join(',');

const shapes: {
  key: string;
  name: string;
  target: number | null;
  graphql: string;
  sql: (db: Db) => Promise<unknown>;
}[] = [
  {
    key: 'compare',
    name: 'compare 50 agencies × 6 years × 10 metrics',
    target: 20,
    graphql: `{ compare(filter: {agency: {ids: [${idList}]}}, metrics: [${ten.map((m) => `{metric: ${m}}`).join(',')}]) {
      ... on Comparison { rowCount rows { year agency { name } values { value } } } } }`,
    sql: (d) => d.$queryRaw`
      SELECT a.name, r.year, ${Prisma.join(TEN_CODES.map((c) => value(c)))} FROM report r JOIN agency a ON a.id = r.agency_id
      JOIN revision_figures f ON f.revision_id = r.current_revision_id
      WHERE r.agency_id = ANY(${ids}::int[])`,
  },
  {
    key: 'series',
    name: 'series of one metric, 50 agencies',
    target: null,
    graphql: `{ series(filter: {agency: {ids: [${idList}]}}, metric: {metric: T3_NEW_REQUESTS}) {
      ... on Series { series { agency { name } points { year value } } totals { year value } } } }`,
    sql: (d) => d.$queryRaw`
      SELECT r.agency_id, r.year, ${value('T3.NEW_REQUESTS.TOTAL')} FROM report r
      JOIN revision_figures f ON f.revision_id = r.current_revision_id WHERE r.agency_id = ANY(${ids}::int[])`,
  },
  {
    key: 'ranking',
    name: 'ranking over all county agencies, 2023',
    target: 50,
    graphql: `{ ranking(year: 2023, filter: {agency: {levels: [COUNTY]}}, metric: {metric: T3_NEW_REQUESTS}, limit: 20) {
      ... on Ranking { populationSize entries { rank agency { name } value { value } } } } }`,
    sql: (d) => d.$queryRaw`
      SELECT a.name, v.value, rank() OVER (ORDER BY v.value DESC NULLS LAST) FROM report r JOIN agency a ON a.id = r.agency_id
      JOIN revision_figures f ON f.revision_id = r.current_revision_id
      CROSS JOIN LATERAL (SELECT ${value('T3.NEW_REQUESTS.TOTAL')} AS value) v
      WHERE r.year = 2023 AND a.level = 'COUNTY' ORDER BY v.value DESC NULLS LAST LIMIT 20`,
  },
  {
    key: 'rollup',
    name: 'rollup by province × year over all reports',
    target: 150,
    graphql: `{ rollup(groupBy: [REGION, YEAR], metrics: [{metric: T3_NEW_REQUESTS}, {metric: T3_GRANTED}]) {
      ... on Rollup { groups { key { regionCode year } reportCount aggregates { pooled sum } } } } }`,
    sql: (d) => d.$queryRaw`
      SELECT left(a.region_code, 2) AS province, r.year, sum(${value('T3.NEW_REQUESTS.TOTAL')}),
             sum(${value('T3.GRANTED.TOTAL')})
      FROM report r JOIN agency a ON a.id = r.agency_id JOIN revision_figures f ON f.revision_id = r.current_revision_id
      GROUP BY 1, 2`,
  },
  {
    key: 'outcome',
    name: 'outcome breakdown of a province',
    target: null,
    graphql: `{ outcomeBreakdown(filter: {agency: {regionCode: "${province}"}}) {
      ... on OutcomeBreakdowns { perYear { year reportCount rows { label count share } } } } }`,
    sql: (d) => d.$queryRaw`
      SELECT r.year, ${Prisma.join(OUTCOME_CODES.map((c) => Prisma.sql`sum(${value(c)})`))}
      FROM report r JOIN agency a ON a.id = r.agency_id JOIN revision_figures f ON f.revision_id = r.current_revision_id
      WHERE a.region_code LIKE '51%' GROUP BY 1`,
  },
];

/**
 * PostGraphile lives in its own package (scripts/postgraphile) so the main install stays free
 * of it; without it the comparison column says how to get it.
 */
async function loadPostGraphileBench(): Promise<PostGraphileBench> {
  const notInstalled = 'not installed: run npm run bench:postgraphile';
  // A computed specifier, so type-checking the main project does not need PostGraphile's types.
  const specifier = './postgraphile/bench-postgraphile.ts';
  let create: CreatePostGraphileBench;
  try {
    ({ createPostGraphileBench: create } = await import(specifier));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    console.error(`PostGraphile comparison skipped (${notInstalled}).`);
    const shapes = Object.fromEntries(
      ['compare', 'series', 'ranking', 'rollup', 'outcome'].map((key) => [
        key,
        { unsupported: notInstalled },
      ]),
    );
    return { shapes, release: async () => {} };
  }
  return create({
    connectionString: database.url,
    agencyIds: ids,
    compareCodes: TEN_CODES,
    seriesCode: 'T3.NEW_REQUESTS.TOTAL',
    ranking: { year: 2023, level: 'COUNTY', code: 'T3.NEW_REQUESTS.TOTAL', limit: 20 },
  });
}
const pg = await loadPostGraphileBench();
type Timing = { p50: number; p95: number; runs: number };
type Outcome = Timing | { error: string } | { unsupported: string };
const results: {
  shape: string;
  targetP50Ms: number | null;
  graphql: Outcome;
  sql: Timing;
  postgraphile: Outcome;
  postgraphileNote?: string;
}[] = [];
for (const shape of shapes) {
  let graphql: Outcome;
  try {
    graphql = await timed(() => gql(shape.graphql));
  } catch (error) {
    graphql = { error: (error as Error).message };
  }
  const sql = await timed(() => shape.sql(db));
  const pgShape = pg.shapes[shape.key];
  let postgraphile: Outcome = { unsupported: 'no equivalent query' };
  let postgraphileNote: string | undefined;
  if (pgShape && 'run' in pgShape) {
    postgraphileNote = pgShape.note;
    try {
      postgraphile = await timed(pgShape.run);
    } catch (error) {
      postgraphile = { error: (error as Error).message };
    }
  } else if (pgShape) postgraphile = pgShape;
  results.push({
    shape: shape.name,
    targetP50Ms: shape.target,
    graphql,
    sql,
    postgraphile,
    postgraphileNote,
  });
  log(`timed: ${shape.name}`);
}
await pg.release();
clearInterval(rssTimer);
sampleRss();

// HTTP throughput: the real server in a child process, autocannon here, 50 connections.
const httpSeconds = Number(values['http-seconds']);
const dashboardQuery = shapes.find((s) => s.key === 'ranking')?.graphql ?? '';
async function httpRun(cache: 'on' | 'off') {
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--serve-http', cache],
    {
      env: { ...process.env, BENCH_DATABASE_URL: database.url },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () =>
    JSON.parse(((await lines.next()).value as string | undefined) ?? '{}') as Record<string, number>;
  const { port } = await next();
  // One request first, so "cache on" measures cached responses rather than 50 simultaneous
  // first misses of a query that takes hundreds of milliseconds at full scale.
  await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: dashboardQuery }),
  });
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/graphql`,
    connections: 50,
    duration: httpSeconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: dashboardQuery }),
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
const http = [await httpRun('off'), await httpRun('on')];
for (const h of http) log(`http cache ${h.cache}: ${Math.round(h.requestsPerSecond)} req/s`);

const fmt = (n: number | undefined) => (n === undefined ? '—' : n.toFixed(1));
const p50 = (o: Outcome) => ('p50' in o ? o.p50 : undefined);
const describe = (o: Outcome) =>
  'error' in o ? `error: ${o.error}` : 'unsupported' in o ? o.unsupported : null;
console.log(`\nScale: ${agencies} agencies × 6 years = ${reports} reports`);
console.log(
  `Parse: ${Math.round(parseRate)} reports/s (target 5000: ${parseRate >= 5000 ? 'met' : `missed by ${Math.round(5000 - parseRate)}`})`,
);
console.log(
  `Import: ${importRate === null ? 'skipped (already loaded)' : `${Math.round(importRate)} reports/s (target 2000: ${importRate >= 2000 ? 'met' : `missed by ${Math.round(2000 - importRate)}`})`}`,
);
console.log(
  [
    'shape',
    'ours p50',
    'p95',
    'SQL p50',
    'ours/SQL',
    'PostGraphile p50',
    'p95',
    'ours/PG',
    'target p50',
  ].join('\t'),
);
for (const r of results) {
  const g = p50(r.graphql);
  const pgP50 = p50(r.postgraphile);
  console.log(
    [
      r.shape,
      describe(r.graphql) ?? fmt(g),
      'p95' in r.graphql ? fmt(r.graphql.p95) : '—',
      fmt(r.sql.p50),
      g ? (g / r.sql.p50).toFixed(2) : '—',
      describe(r.postgraphile) ?? fmt(pgP50),
      'p95' in r.postgraphile ? fmt(r.postgraphile.p95) : '—',
      g && pgP50 ? (g / pgP50).toFixed(2) : '—',
      r.targetP50Ms === null
        ? '—'
        : `${r.targetP50Ms} (${g === undefined ? '—' : g <= r.targetP50Ms ? 'met' : `missed ×${(g / r.targetP50Ms).toFixed(1)}`})`,
    ].join('\t'),
  );
}
for (const r of results)
  if (r.postgraphileNote) console.log(`PostGraphile, ${r.shape}: ${r.postgraphileNote}`);
for (const r of results)
  for (const [side, o] of [
    ['ours', r.graphql],
    ['SQL', r.sql],
    ['PostGraphile', r.postgraphile],
  ] as const)
    if ('runs' in o && o.runs < runs) console.log(`${side}, ${r.shape}: ${o.runs} runs (20 s budget)`);
console.log(`HTTP, autocannon 50 connections × ${httpSeconds} s, ranking query over POST /graphql:`);
console.log(['response cache', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'server peak RSS'].join('\t'));
for (const h of http)
  console.log(
    [
      h.cache,
      Math.round(h.requestsPerSecond),
      h.p50Ms,
      h.p99Ms,
      h.errors,
      `${Math.round(h.serverPeakRssBytes / 2 ** 20)} MB`,
    ].join('\t'),
  );
console.log(
  `Peak RSS of the benchmark process (in-process server + PostGraphile + parse sample): ${Math.round(peakRss / 2 ** 20)} MB`,
);

mkdirSync('bench-results', { recursive: true });
const file = `bench-results/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(
  file,
  JSON.stringify(
    { agencies, reports, parseRate, importRate, shapes: results, http, peakRssBytes: peakRss },
    null,
    2,
  ),
);
log(`Wrote ${file}`);
await app.dispose?.();
await database.close();
process.exit(0);
