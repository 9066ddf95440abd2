import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIRST_TEMPLATE_YEAR, latestReportYear } from '../catalogue/template.ts';
import { bulkImport, cliActor, type ReportSource, storedReportEntry } from '../import/index.ts';
import { firstFew } from '../ingest/first-few.ts';
import { announceImportsThroughRedis } from '../server/live.ts';
import { makeFolders } from '../store/data-dir.ts';
import type { Db } from '../store/db.ts';
import { countSyntheticAgencies } from '../store/demo.ts';
import { openDatabase } from '../store/open-database.ts';
import { ensureRegionsLoaded } from '../store/regions.ts';
import { demoFocusAgencies, demoOptions } from '../synthetic/demo.ts';
import { DEFAULT_SYNTHETIC, type SyntheticOptions, syntheticReports } from '../synthetic/index.ts';
import { parseCommandArgs } from './usage.ts';

class GenerateError extends Error {}

function parseYears(text: string): { from: number; to: number } {
  const match = /^(\d{4})(?:-(\d{4}))?$/.exec(text);
  const from = Number(match?.[1]);
  const to = Number(match?.[2] ?? match?.[1]);
  if (!match || from > to) {
    throw new GenerateError(`Invalid --years "${text}"; write a year or a range such as 2019-2024.`);
  }
  const latest = latestReportYear();
  if (from < FIRST_TEMPLATE_YEAR || to > latest) {
    throw new GenerateError(
      `--years ${text}: the national template covers report years ${FIRST_TEMPLATE_YEAR} to ${latest}, and import refuses others.`,
    );
  }
  return { from, to };
}

function* sourcesOf(options: SyntheticOptions): Generator<ReportSource> {
  for (const report of syntheticReports(options)) {
    yield { bytes: Buffer.from(report.text, 'utf8'), fileName: report.fileName };
  }
}

/** Generates and stores a synthetic dataset through the bulk path; returns the counts. */
export async function storeSynthetic(
  db: Db,
  options: SyntheticOptions,
  extra: { jobs?: number; onBatch?: (stored: number) => void } = {},
) {
  await ensureRegionsLoaded(db);
  const result = await bulkImport(db, sourcesOf(options), {
    synthetic: true,
    jobs: extra.jobs ?? 0,
    onBatch: (p) => extra.onBatch?.(p.stored + p.unchanged),
    // Generated reports are writes like any import: each batch records its reports.
    audit: {
      actor: cliActor(),
      entry: (stored) => storedReportEntry('generate', { file: stored.fileName }, stored),
    },
  });
  // A published agency of a generated one's exact name keeps its name: those reports are left out.
  const clash = (r: (typeof result.rejections)[number]) =>
    r.problems.every((p) => p.code === 'AGENCY_KIND_CONFLICT');
  const broken = result.rejections.filter((r) => !clash(r));
  if (broken.length > 0) {
    const first = broken[0];
    throw new Error(
      `${broken.length} synthetic reports did not parse (a generator bug), e.g. ${first?.fileName}: ${first?.problems[0]?.message}`,
    );
  }
  const names = [...new Set(result.rejections.map((r) => r.problems[0]?.text ?? ''))];
  const leftOut =
    names.length === 0
      ? ''
      : ` ${result.rejections.length} left out, of ${names.length} agency name${names.length === 1 ? '' : 's'} that published agencies here hold (${firstFew(names)}): generated figures are never filed with published ones.`;
  return { ...result, leftOut };
}

/**
 * Loads the demo (`agencies` synthetic agencies, see src/synthetic/demo.ts) when the database
 * has no synthetic agency, so a fresh server has data to show. A database holding an older
 * demo without the agencies the README's examples ask about gets just those added.
 */
export async function ensureDemoData(db: Db, agencies: number, log: (message: string) => void) {
  const focus = demoFocusAgencies().map((a) => a.name);
  const row = await countSyntheticAgencies(db, focus);
  const wanted = Math.min(agencies, focus.length);
  if ((row?.synthetic ?? 0) > 0 && (row?.focus ?? 0) >= wanted) return;
  const topUp = (row?.synthetic ?? 0) > 0;
  const started = performance.now();
  const result = await storeSynthetic(db, demoOptions(topUp ? wanted : agencies), { jobs: 0 });
  const ms = Math.round(performance.now() - started);
  log(
    topUp
      ? `Added the README examples' ${wanted} SYNTHETIC agencies to the stored demo: ${result.stored} reports (${ms} ms).${result.leftOut}`
      : `Loaded the demo dataset: ${agencies} SYNTHETIC agencies, ${result.stored} reports (${ms} ms).${result.leftOut}`,
  );
}

export async function runGenerate(args: string[], log: (message: string) => void): Promise<number> {
  const { values } = parseCommandArgs('generate', {
    args,
    options: {
      agencies: { type: 'string', default: String(DEFAULT_SYNTHETIC.agencies) },
      years: { type: 'string', default: '2019-2024' },
      seed: { type: 'string', default: String(DEFAULT_SYNTHETIC.seed) },
      'inconsistency-rate': { type: 'string', default: String(DEFAULT_SYNTHETIC.inconsistencyRate) },
      out: { type: 'string' },
      database: { type: 'boolean', default: false },
      jobs: { type: 'string', default: '2' },
    },
  });
  const agencies = Number(values.agencies);
  const seed = Number(values.seed);
  const rate = Number(values['inconsistency-rate']);
  const jobs = Number(values.jobs);
  try {
    if (!Number.isInteger(agencies) || agencies < 1)
      throw new GenerateError(`Invalid --agencies "${values.agencies}".`);
    if (!Number.isInteger(seed)) throw new GenerateError(`Invalid --seed "${values.seed}"; use an integer.`);
    if (!(rate >= 0 && rate <= 1)) {
      throw new GenerateError(`Invalid --inconsistency-rate "${values['inconsistency-rate']}"; use 0 to 1.`);
    }
    if (!Number.isInteger(jobs) || jobs < 0) throw new GenerateError(`Invalid --jobs "${values.jobs}".`);
    if (!values.out === !values.database) throw new GenerateError('Pass either --out DIR or --database.');
    const options: SyntheticOptions = {
      agencies,
      years: parseYears(values.years),
      seed,
      inconsistencyRate: rate,
    };
    const started = performance.now();
    if (values.out) {
      const out = values.out;
      let count = 0;
      let made = false;
      try {
        makeFolders(out);
        made = true;
        for (const report of syntheticReports(options)) {
          writeFileSync(join(out, report.fileName), report.text);
          count++;
        }
      } catch (error) {
        // A file where the folder should be, no permission, a full disk: said, not a stack.
        const { code, message } = error as NodeJS.ErrnoException;
        throw new GenerateError(
          code === 'EEXIST' || code === 'ENOTDIR'
            ? `--out ${out} is (or is inside) a file, not a folder; name a folder (it is created if missing).`
            : made
              ? `Cannot write the reports to ${out} after ${count} of them: ${message}`
              : `Cannot create the folder ${out} (--out): ${message}. Name a folder this user can write (it is created if missing).`,
        );
      }
      log(
        `Wrote ${count} SYNTHETIC reports to ${values.out} in ${Math.round(performance.now() - started)} ms.`,
      );
      return 0;
    }
    const database = await openDatabase({ log });
    const stopAnnouncing = announceImportsThroughRedis(database.db, process.env.REDIS_URL, (e) =>
      log(`Could not announce the import to the servers: ${(e as Error).message}`),
    );
    try {
      const result = await storeSynthetic(database.db, options, {
        jobs,
        onBatch: (done) => process.stderr.write(`\r${done} reports stored`),
      });
      const seconds = (performance.now() - started) / 1000;
      log(
        `\nStored ${result.stored} SYNTHETIC reports (${result.unchanged} already there) in ${seconds.toFixed(1)} s, ${Math.round((result.stored + result.unchanged) / seconds)} reports/s.${result.leftOut}`,
      );
    } finally {
      await stopAnnouncing();
      await database.close();
    }
    return 0;
  } catch (error) {
    if (error instanceof GenerateError) {
      console.error(`Error: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
