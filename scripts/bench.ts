/**
 * End-to-end benchmark on a synthetic dataset: parse throughput (one core), bulk import
 * throughput into PostgreSQL, and p50/p95 of the comparison query shapes through the
 * GraphQL server (in-process yoga.fetch) next to hand-written SQL answering the same
 * question (scripts/bench/shapes.ts). Before timing, the bench checks that the hand SQL's
 * answer equals the API's for every shape and fails (exit code 1) when one differs, so the
 * ours ÷ hand SQL figure compares equal work. With one scale, the same questions also go to
 * PostGraphile v5 (scripts/postgraphile/, installed apart by `npm run bench:postgraphile`;
 * skipped when it is not installed), and autocannon measures HTTP throughput of the real server
 * with and without the response cache. With several scales (--scales 300,3000,20000) it prints
 * a table of p50 per shape against scale. Writes bench-results/bench-<time>.json.
 *
 * `npm run bench` sets NODE_ENV=production, as the README's deployment does: the server is
 * measured as it is deployed (graphql-js, for one, skips its development-mode checks).
 *
 * Options: `npm run bench -- --help` (USAGE below).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../src/cli/usage.ts';
import type { OpenDatabase } from '../src/store/open-database.ts';
import type { Loaded } from './bench/database.ts';
import type { HttpResult } from './bench/http.ts';
import type { CreatePostGraphileBench, PostGraphileBench } from './postgraphile/contract.ts';
import { countListOption, countOption, scriptArgs } from './script-args.ts';

const USAGE = `Usage: npm run bench -- [--agencies N | --scales N,N,…] [--load auto|import|direct] [--runs N]
                       [--keep] [--http-seconds N]
  --agencies N      agencies of the one scale (default 20000; × 2019–2024 = 6 reports each)
  --scales N,N,…    several scales, each imported afresh, and a table of p50 per shape against scale
  --load MODE       auto (default: import the rendered text end to end up to 20,000 agencies,
                    store larger datasets directly), import or direct
  --runs N          timed runs per shape and side, ours and the hand SQL (default 30)
  --keep            time the scale's database as it is, without loading it again
  --http-seconds N  seconds of each autocannon run, cache on and off (default 10; 0 skips them)
Each scale has its own database: disclosure_bench_<N> on the DATABASE_URL server, or an embedded
PostgreSQL in .data/bench/<N>. Writes bench-results/bench-<time>.json.`;
const LOAD_MODES = ['auto', 'import', 'direct'] as const;
const { values, scales, runs, httpSeconds } = scriptArgs(
  USAGE,
  {
    options: {
      agencies: { type: 'string', default: '20000' },
      scales: { type: 'string' },
      load: { type: 'string', default: 'auto' },
      runs: { type: 'string', default: '30' },
      keep: { type: 'boolean', default: false },
      'http-seconds': { type: 'string', default: '10' },
      // Internal: run only the HTTP server (response cache on|off) over BENCH_DATABASE_URL.
      'serve-http': { type: 'string' },
    },
  },
  ({ values }) => {
    if (!(LOAD_MODES as readonly string[]).includes(values.load))
      throw new UsageError(`--load is one of ${LOAD_MODES.join(', ')}, got "${values.load}".`);
    return {
      values: { ...values, load: values.load as (typeof LOAD_MODES)[number] },
      scales: countListOption(
        values.scales ? '--scales' : '--agencies',
        values.scales ?? values.agencies,
        50,
      ),
      runs: countOption('--runs', values.runs),
      httpSeconds: countOption('--http-seconds', values['http-seconds'], 0),
    };
  },
);
// Loaded once the command line is read: the server, the parser and the generator take seconds
// to load, which `--help` and a mistyped option need not wait for.
const { parseReportBytes } = await import('../src/ingest/parse-report.ts');
const { createApp } = await import('../src/server/app.ts');
const { loadServerConfig } = await import('../src/server/config.ts');
const { createLogger } = await import('../src/server/observability.ts');
const { syntheticReports } = await import('../src/synthetic/index.ts');
const { datasetOptions, loadReports, openBenchDatabase } = await import('./bench/database.ts');
const { httpRun, serveHttp } = await import('./bench/http.ts');
const { benchShapes, firstDifference } = await import('./bench/shapes.ts');
if (values['serve-http']) await serveHttp(values['serve-http']);

const single = scales.length === 1;
const log = (m: string) => console.error(m);
let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const rssTimer = setInterval(sampleRss, 200);

// Parse throughput on this thread: the median of five passes over 3,000 generated reports (one
// pass varied by a third from run to run on this kind of machine).
const encoder = new TextEncoder();
const sample = [...syntheticReports(datasetOptions(500))].map((r) => encoder.encode(r.text));
for (const bytes of sample.slice(0, 300)) parseReportBytes(bytes);
const parseRates: number[] = [];
for (let pass = 0; pass < 5; pass++) {
  const parseStart = performance.now();
  for (const bytes of sample) parseReportBytes(bytes);
  parseRates.push(sample.length / ((performance.now() - parseStart) / 1000));
}
const parseRate = [...parseRates].sort((a, b) => a - b)[2] ?? 0;
log(
  `parse: ${Math.round(parseRate)} reports/s on one core (median of ${parseRates.map(Math.round).join(', ')})`,
);

type Timing = { p50: number; p95: number; runs: number };
type Outcome = Timing | { error: string } | { unsupported: string };
interface ShapeResult {
  key: string;
  shape: string;
  targetP50Ms: number | null;
  graphql: Outcome;
  sql: Timing;
  /** null when the hand SQL's answer equals the API's; else the first difference. */
  mismatch: string | null;
  postgraphile: Outcome;
  postgraphileNote?: string;
}
interface ScaleResult {
  agencies: number;
  reports: number;
  load: Loaded;
  databaseBytes: number;
  shapes: ShapeResult[];
  http: HttpResult[];
}

/** p50/p95 over `runs` runs after 3 warm-ups, or fewer (at least 5) when they exceed 20 s. */
async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  const [timing] = await timedSideBySide([fn]);
  return timing as Timing;
}

/**
 * p50 and p95 of each function, run in alternating blocks of five (a×5 b×5 a×5 …) so that a
 * slow spell of this shared machine falls on both sides of an ours ÷ hand SQL figure alike;
 * measured one after the other, the same hand SQL took 12.6 ms in one run and 30.3 in the next.
 * Blocks rather than single turns: a hand SQL that reads every report pushes the aggregates out
 * of the caches, and after each such run the next of ours would start cold. Each function runs
 * `runs` times, or at least 5 and then until it has taken 20 s.
 */
async function timedSideBySide(fns: (() => Promise<unknown>)[]): Promise<Timing[]> {
  const block = 5;
  const times: number[][] = fns.map(() => []);
  const spent = fns.map(() => 0);
  const more = (k: number) => {
    const n = times[k]?.length ?? 0;
    return n < runs && (n < 5 || (spent[k] ?? 0) < 20_000);
  };
  for (let i = 0; i < 3; i++) for (const fn of fns) await fn();
  for (let round = 0; fns.some((_, k) => more(k)); round++) {
    const order = fns.map((_, k) => k);
    if (round % 2 === 1) order.reverse();
    for (const k of order) {
      for (let j = 0; j < block && more(k); j++) {
        const t = performance.now();
        await (fns[k] as () => Promise<unknown>)();
        const took = performance.now() - t;
        times[k]?.push(took);
        spent[k] = (spent[k] ?? 0) + took;
        sampleRss();
      }
    }
  }
  return times.map((list) => {
    list.sort((a, b) => a - b);
    const at = (q: number) => list[Math.min(list.length - 1, Math.floor(q * list.length))] ?? 0;
    return { p50: at(0.5), p95: at(0.95), runs: list.length };
  });
}

/**
 * PostGraphile lives in its own package (scripts/postgraphile) so the main install stays free
 * of it; without it the comparison column says how to get it.
 */
async function loadPostGraphileBench(url: string, ids: number[]): Promise<PostGraphileBench> {
  const notInstalled = single ? 'not installed: run npm run bench:postgraphile' : 'not run with --scales';
  const skipped = () => ({
    shapes: Object.fromEntries(
      ['compare', 'series', 'ranking', 'rollup', 'outcome'].map((key) => [
        key,
        { unsupported: notInstalled },
      ]),
    ),
    release: async () => {},
  });
  if (!single) return skipped();
  // A computed specifier, so type-checking the main project does not need PostGraphile's types.
  const specifier = './postgraphile/bench-postgraphile.ts';
  let create: CreatePostGraphileBench;
  try {
    ({ createPostGraphileBench: create } = await import(specifier));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    console.error(`PostGraphile comparison skipped (${notInstalled}).`);
    return skipped();
  }
  const codes = [
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
  return create({
    connectionString: url,
    agencyIds: ids,
    compareCodes: codes,
    seriesCode: 'T3.NEW_REQUESTS.TOTAL',
    ranking: { year: 2023, level: 'COUNTY', code: 'T3.NEW_REQUESTS.TOTAL', limit: 20 },
  });
}

async function runScale(agencies: number, database: OpenDatabase): Promise<ScaleResult> {
  const db = database.db;
  const mode = values.load === 'auto' ? (agencies <= 20_000 ? 'import' : 'direct') : values.load;
  const load = await loadReports(database, agencies, mode, log);
  const [size] = await db.$queryRaw<{ bytes: string }[]>`
    SELECT pg_database_size(current_database())::text AS bytes`;

  const config = loadServerConfig({
    ...process.env,
    RESPONSE_CACHE: 'off',
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'error',
  });
  const app = createApp({ db, config, logger: createLogger(config) });
  const gql = async (query: string) => {
    const response = await app.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as {
      data?: Record<string, unknown>;
      errors?: { message: string }[];
    };
    if (body.errors || !body.data) throw new Error(`GraphQL error: ${body.errors?.[0]?.message}`);
    return body.data;
  };
  const firstFifty = await db.$queryRaw<{ id: number }[]>`
    SELECT id FROM agency WHERE synthetic ORDER BY id LIMIT 50`;
  const ids = firstFifty.map((a) => a.id);
  const shapes = benchShapes(ids);
  const pg = await loadPostGraphileBench(database.url, ids);
  const results: ShapeResult[] = [];
  for (const shape of shapes) {
    let graphql: Outcome;
    let sql: Timing;
    let mismatch: string | null = null;
    try {
      mismatch = firstDifference(shape.fromApi(await gql(shape.graphql)), shape.fromSql(await shape.sql(db)));
      if (mismatch) log(`MISMATCH ${shape.name}: ${mismatch}`);
      [graphql, sql] = (await timedSideBySide([() => gql(shape.graphql), () => shape.sql(db)])) as [
        Timing,
        Timing,
      ];
    } catch (error) {
      graphql = { error: (error as Error).message };
      sql = await timed(() => shape.sql(db));
    }
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
      key: shape.key,
      shape: shape.name,
      targetP50Ms: shape.target,
      graphql,
      sql,
      mismatch,
      postgraphile,
      postgraphileNote,
    });
    log(`timed at ${agencies} agencies: ${shape.name}`);
  }
  await pg.release();
  await app.dispose?.();

  // Printed now, so an HTTP run that fails cannot lose them.
  printScale({
    agencies,
    reports: agencies * 6,
    load,
    databaseBytes: Number(size?.bytes ?? 0),
    shapes: results,
    http: [],
  });
  const http: HttpResult[] = [];
  if (httpSeconds > 0 && agencies === Math.max(...scales)) {
    const query = shapes.find((s) => s.key === 'ranking')?.graphql ?? '';
    const script = fileURLToPath(import.meta.url);
    for (const cache of ['off', 'on'] as const) {
      try {
        const h = await httpRun(script, database.url, cache, query, httpSeconds);
        log(`http cache ${h.cache}: ${Math.round(h.requestsPerSecond)} req/s`);
        http.push(h);
      } catch (error) {
        // The query figures above stand without it.
        log(`http cache ${cache} failed: ${(error as Error).message}`);
      }
    }
  }
  return {
    agencies,
    reports: agencies * 6,
    load,
    databaseBytes: Number(size?.bytes ?? 0),
    shapes: results,
    http,
  };
}

const fmt = (n: number | undefined) => (n === undefined ? '—' : n.toFixed(1));
const p50 = (o: Outcome) => ('p50' in o ? o.p50 : undefined);
const describe = (o: Outcome) =>
  'error' in o ? `error: ${o.error}` : 'unsupported' in o ? o.unsupported : null;
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString('en')} MB`;

const done: ScaleResult[] = [];
for (const agencies of scales) {
  const database = await openBenchDatabase(agencies, values.keep, log);
  try {
    done.push(await runScale(agencies, database));
  } finally {
    await database.close();
  }
  printHttp(done[done.length - 1]?.http ?? []);
}
clearInterval(rssTimer);
sampleRss();

function printScale(s: ScaleResult) {
  console.log(
    `\nScale: ${s.agencies} agencies × 6 years = ${s.reports} reports; database ${mb(s.databaseBytes)}`,
  );
  console.log(
    `Load: ${s.load.reportsPerSecond === null ? 'kept from an earlier run' : `${Math.round(s.load.reportsPerSecond)} reports/s (${s.load.mode === 'import' ? 'bulk import end to end: render, parse, store through COPY' : 'generator straight to the COPY store, no parse'})`}`,
  );
  const cpu = s.load.cpuPerReport;
  if (cpu)
    console.log(
      `Load CPU per report: ${cpu.node.toFixed(2)} ms this process${cpu.postgres === null ? '' : ` + ${cpu.postgres.toFixed(2)} ms PostgreSQL = ${(cpu.node + cpu.postgres).toFixed(2)} ms on ${availableParallelism()} cores`}`,
    );
  const header = [
    'shape',
    'ours p50',
    'p95',
    'hand SQL p50',
    'ours/SQL',
    'same answer',
    'PostGraphile p50',
    'ours/PG',
    'target p50',
  ];
  console.log(header.join('\t'));
  for (const r of s.shapes) {
    const g = p50(r.graphql);
    const pgP50 = p50(r.postgraphile);
    console.log(
      [
        r.shape,
        describe(r.graphql) ?? fmt(g),
        'p95' in r.graphql ? fmt(r.graphql.p95) : '—',
        fmt(r.sql.p50),
        g ? (g / r.sql.p50).toFixed(2) : '—',
        r.mismatch ? `NO: ${r.mismatch}` : 'error' in r.graphql ? '—' : 'yes',
        describe(r.postgraphile) ?? fmt(pgP50),
        g && pgP50 ? (g / pgP50).toFixed(2) : '—',
        r.targetP50Ms === null
          ? '—'
          : `${r.targetP50Ms} (${g === undefined ? '—' : g <= r.targetP50Ms ? 'met' : `missed ×${(g / r.targetP50Ms).toFixed(1)}`})`,
      ].join('\t'),
    );
  }
  for (const r of s.shapes)
    if (r.postgraphileNote) console.log(`PostGraphile, ${r.shape}: ${r.postgraphileNote}`);
  for (const r of s.shapes)
    for (const [side, o] of [
      ['ours', r.graphql],
      ['SQL', r.sql],
      ['PostGraphile', r.postgraphile],
    ] as const)
      if ('runs' in o && o.runs < runs) console.log(`${side}, ${r.shape}: ${o.runs} runs (20 s budget)`);
}

function printHttp(http: HttpResult[]) {
  if (http.length === 0) return;
  console.log('HTTP, autocannon 50 connections, ranking query over POST /graphql:');
  console.log(['response cache', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'server peak RSS'].join('\t'));
  for (const h of http)
    console.log(
      [h.cache, Math.round(h.requestsPerSecond), h.p50Ms, h.p99Ms, h.errors, mb(h.serverPeakRssBytes)].join(
        '\t',
      ),
    );
}

console.log(
  `\nParse: ${Math.round(parseRate)} reports/s on one core, median of five passes (target 5000: ${parseRate >= 5000 ? 'met' : 'missed'})`,
);
if (!single) {
  // The growth table: p50 of ours and of the hand SQL per shape, one column per scale.
  console.log('\nGrowth: p50 ms, ours / hand SQL (ours ÷ hand SQL)');
  console.log(['shape', ...done.map((s) => `${s.agencies} agencies (${s.reports} reports)`)].join('\t'));
  for (const [i, shape] of (done[0]?.shapes ?? []).entries()) {
    const cells = done.map((s) => {
      const r = s.shapes[i];
      const g = r ? p50(r.graphql) : undefined;
      return r ? `${fmt(g)} / ${fmt(r.sql.p50)} (${g ? (g / r.sql.p50).toFixed(2) : '—'})` : '—';
    });
    console.log([shape.shape, ...cells].join('\t'));
  }
  console.log(
    [
      'load reports/s',
      ...done.map((s) =>
        s.load.reportsPerSecond === null ? 'kept' : `${Math.round(s.load.reportsPerSecond)} (${s.load.mode})`,
      ),
    ].join('\t'),
  );
  console.log(['database size', ...done.map((s) => mb(s.databaseBytes))].join('\t'));
}
console.log(`Peak RSS of the benchmark process: ${mb(peakRss)}`);

mkdirSync('bench-results', { recursive: true });
const file = `bench-results/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ parseRate, scales: done, peakRssBytes: peakRss }, null, 2));
log(`Wrote ${file}`);
const mismatches = done.flatMap((s) =>
  s.shapes.filter((r) => r.mismatch).map((r) => `${s.agencies}: ${r.shape}`),
);
if (mismatches.length > 0) {
  console.error(
    `\nThe hand SQL and the API disagree (${mismatches.join('; ')}): ours ÷ hand SQL is not a fair figure.`,
  );
  process.exit(1);
}
process.exit(0);
