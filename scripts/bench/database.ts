/**
 * The benchmark's own database, one per scale, and loading it with generated reports. With
 * DATABASE_URL set the bench creates `disclosure_bench_<agencies>` on that server (never the
 * database the URL names); without it, an embedded PostgreSQL in .data/bench/<agencies>.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { bulkImport } from '../../src/import/index.ts';
import { loadRegionIndex, storeBatch } from '../../src/store/bulk-import.ts';
import { type OpenDatabase, openDatabase } from '../../src/store/open-database.ts';
import { ensureRegionsLoaded } from '../../src/store/regions.ts';
import { directBatches } from '../../src/synthetic/direct.ts';
import { type SyntheticOptions, syntheticReports } from '../../src/synthetic/index.ts';

export const datasetOptions = (agencies: number): SyntheticOptions => ({
  agencies,
  years: { from: 2019, to: 2024 },
  seed: 1,
  inconsistencyRate: 0.03,
});

/** Opens (and unless `keep`, first empties) the bench database of one scale. */
export async function openBenchDatabase(
  agencies: number,
  keep: boolean,
  log: (m: string) => void,
): Promise<OpenDatabase> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const dataDir = fileURLToPath(new URL(`../../.data/bench/${agencies}`, import.meta.url));
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
    return openDatabase({ log, dataDir });
  }
  const name = `disclosure_bench_${agencies}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    if (!keep) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  log(`bench database ${name} on ${url.host}`);
  return openDatabase({ log, url: url.toString() });
}

export interface Loaded {
  reports: number;
  /** import: parse + store through bulkImport; direct: generator straight to the COPY store. */
  mode: 'import' | 'direct' | 'kept';
  reportsPerSecond: number | null;
  /**
   * CPU time per report while loading, in ms: this process (all its threads) and every
   * PostgreSQL process on this machine (null when none is local, e.g. a remote server).
   */
  cpuPerReport: { node: number; postgres: number | null } | null;
}

/**
 * CPU time of every PostgreSQL process on this machine so far, in ms, read from /proc: each
 * process's own time and, for the postmaster, that of the backends it has reaped. Null where
 * there is no /proc or no such process.
 */
export function localPostgresCpuMs(): number | null {
  let ticks = 0;
  let found = false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      // "pid (comm) state …": the fields after the command, which may itself hold spaces.
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const fields = stat.slice(close + 2).split(' ');
      // utime, stime, cutime, cstime: fields 14 to 17 of proc(5), here 11 to 14 after state.
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      found = true;
    } catch {
      // Ended while being read.
    }
  }
  // /proc counts in USER_HZ, 100 a second on Linux.
  return found ? ticks * 10 : null;
}

/**
 * Loads `agencies` × 6 years of generated reports unless they are there already. `import`
 * renders each report and imports the text end to end (the import figure); `direct` stores
 * the generator's figures without parsing them back (src/synthetic/direct.ts).
 */
export async function loadReports(
  database: OpenDatabase,
  agencies: number,
  mode: 'import' | 'direct',
  log: (m: string) => void,
): Promise<Loaded> {
  const db = database.db;
  await ensureRegionsLoaded(db);
  const reports = agencies * 6;
  const [stored] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM report`;
  if ((stored?.n ?? 0) >= reports)
    return { reports, mode: 'kept', reportsPerSecond: null, cpuPerReport: null };
  const options = datasetOptions(agencies);
  const postgresCpuAtStart = localPostgresCpuMs();
  const nodeCpuAtStart = process.cpuUsage();
  const start = performance.now();
  const progress = (done: number) => {
    const rate = done / ((performance.now() - start) / 1000);
    process.stderr.write(`\r${mode}: ${done}/${reports} (${Math.round(rate)} reports/s)   `);
  };
  let done = 0;
  if (mode === 'import') {
    // The PostgreSQL backend and the storing thread keep two cores busy; parser threads only
    // help beyond that (measured on 2 cores: 690 reports/s parsing inline, 570 with 2 threads).
    const jobs = Math.max(0, Math.min(4, availableParallelism() - 2));
    const encoder = new TextEncoder();
    // Rendering is the benchmark's stand-in for reading files, which would let the store's I/O
    // run between files: a turn of the event loop every few reports does the same.
    const sources = (async function* () {
      let n = 0;
      for (const r of syntheticReports(options)) {
        if (++n % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
        yield { bytes: encoder.encode(r.text), fileName: r.fileName };
      }
    })();
    const result = await bulkImport(db, sources, {
      synthetic: true,
      jobs,
      onBatch: (p) => progress(p.stored + p.unchanged),
    });
    done = result.stored + result.unchanged;
  } else {
    const finder = await loadRegionIndex(db);
    // The next batch is generated while PostgreSQL writes the previous one.
    let storing: Promise<unknown> = Promise.resolve();
    for (const batch of directBatches(options, 1000)) {
      await storing;
      progress(done);
      done += batch.length;
      storing = storeBatch(db, batch, finder, true);
    }
    await storing;
  }
  const reportsPerSecond = done / ((performance.now() - start) / 1000);
  const nodeCpu = process.cpuUsage(nodeCpuAtStart);
  const postgresCpu = localPostgresCpuMs();
  const cpuPerReport = {
    node: (nodeCpu.user + nodeCpu.system) / 1000 / done,
    postgres:
      postgresCpu === null || postgresCpuAtStart === null ? null : (postgresCpu - postgresCpuAtStart) / done,
  };
  log(`\n${mode}: ${done} reports, ${Math.round(reportsPerSecond)} reports/s end to end`);
  log(
    `CPU per report while loading: ${cpuPerReport.node.toFixed(2)} ms in this process, ${cpuPerReport.postgres === null ? 'PostgreSQL not on this machine' : `${cpuPerReport.postgres.toFixed(2)} ms in PostgreSQL (all its processes on this machine)`}`,
  );
  const vacuumStart = performance.now();
  await db.$executeRawUnsafe('VACUUM (ANALYZE)');
  log(`VACUUM (ANALYZE): ${((performance.now() - vacuumStart) / 1000).toFixed(0)} s`);
  return { reports, mode, reportsPerSecond, cpuPerReport };
}
