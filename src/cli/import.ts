/**
 * `import`: load a folder of downloaded reports in one command. Files (any format the
 * ingest layer reads) are parsed on worker threads while the main thread stores each report
 * in its own transaction (or `--batch N` of them through the bulk path), in file order; a
 * rejected file never stops the run, and a file whose exact bytes are already stored is
 * skipped before parsing, so an interrupted run is resumed by running it again.
 */
import { basename } from 'node:path';
import {
  bulkImport,
  checkAlone,
  cliActor,
  type DocumentParseResult,
  findStoredSources,
  formatProblems,
  type ImportResult,
  importReport,
  isBlocking,
  type ParseOptions,
  recordAudit,
  recordAudits,
  type StoredSource,
  sha256,
  sourceUrlNotRecorded,
  storedReportEntry,
} from '../import/index.ts';
import { readInputLimits } from '../ingest/limits.ts';
import { parseOrRefuse } from '../ingest/parse-pool.ts';
import { announceImportsThroughRedis } from '../server/live.ts';
import { agencyIdByName, identityKeyOf } from '../store/agency-identity.ts';
import { isDatabaseUnavailable, reportRefusal } from '../store/database-errors.ts';
import { openDatabase } from '../store/open-database.ts';
import { filedUnder } from './filed-under.ts';
import { readImportCommand } from './import-command.ts';
import {
  type Batched,
  describeSkipped,
  filesParser,
  type Outcome,
  type Prepared,
  readReportFile,
} from './import-files.ts';
import { auditNotes, type ImportIo, processIo } from './import-io.ts';
import { Progress } from './import-progress.ts';
import {
  findingLines,
  gapsOf,
  mainReason,
  plural,
  printImportSummary,
  type SameReport,
} from './import-summary.ts';
import { stopOnSignals } from './signals.ts';
import { reportingUsageErrors } from './usage.ts';

export { collectFiles, globToRegExp } from './import-files.ts';
export type { ImportIo } from './import-io.ts';
export { type ManifestEntry, readManifest } from './manifest.ts';

// ---------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------

export async function runImport(args: string[], io: ImportIo = processIo): Promise<number> {
  return reportingUsageErrors(() => importFiles(args, io), io.err);
}

async function importFiles(args: string[], io: ImportIo): Promise<number> {
  const { values, year, batchSize, jobs, manifest, files, left } = readImportCommand(args);
  if (left.length > 0) {
    io.err(
      `Left out ${describeSkipped(left)}: not reports by their names (manifests, pictures, archives, spreadsheets, notes, hidden files). Name a file on the command line to import it anyway.\n`,
    );
  }
  const dryRun = values['dry-run'];

  const started = performance.now();
  const pool = filesParser(files.length, jobs);
  const progress = new Progress(io, files.length, io.stderrIsTTY || values.progress);
  // Ctrl-C or SIGTERM: no further file is taken, the report or batch being stored commits (or
  // rolls back) as its transaction decides, and the summary says how to resume. A second
  // signal exits at once; nothing is half-written either way, each transaction being atomic.
  const stop = stopOnSignals((signal) => {
    progress.clear();
    io.err(`${signal}: stopping after the report being stored (${signal} again stops at once).\n`);
  });
  const database = dryRun
    ? null
    : await openDatabase({ log: (m) => io.err(`${m}\n`), handlesSignals: true }).catch((error) => {
        stop.dispose();
        throw error;
      });
  // Servers sharing REDIS_URL tell their live dashboards about what this run stores.
  const stopAnnouncing = database
    ? announceImportsThroughRedis(database.db, process.env.REDIS_URL, (e) =>
        io.err(`Could not announce an import to the servers: ${(e as Error).message}\n`),
      )
    : async () => {};
  const agencies = filedUnder(database?.db ?? null);
  /** Reports stored (or readable) with gaps, under --allow-partial. */
  let partial = 0;
  const counts: Record<Outcome, number> = {
    CREATED: 0,
    NEW_REVISION: 0,
    RESTORED: 0,
    UNCHANGED: 0,
    REJECTED: 0,
    READABLE: 0,
  };
  const rejected: { file: string; reason: string }[] = [];
  /** The files of this run read as each agency's report of a year, in the order they were stored. */
  const filesByReport = new Map<string, SameReport>();
  const noteReport = (entry: Prepared, agency: string, year: number, revision: number | null) => {
    // Another printed form of the agency's name is the same report (store/agency-identity.ts).
    const key = `${identityKeyOf(agency)}\u0000${year}`;
    const report = filesByReport.get(key) ?? { agency, year, files: [] };
    report.files.push({ file: entry.file, revision });
    filesByReport.set(key, report);
  };
  const print = (line: string) => {
    progress.clear();
    io.out(line);
  };

  // The same input limits as the server's (INPUT_MAX_* variables): no file may exhaust the CLI either.
  const inputLimits = readInputLimits(process.env);
  const optionsFor = (entry: Prepared): ParseOptions => {
    const agencyName = entry.manifest?.agency ?? values.agency;
    const reportYear = entry.manifest?.year ?? year;
    // A warning that the title says otherwise names the manifest, not an --agency never given.
    const manifestName = `the manifest ${values.manifest}`;
    const givenBy = {
      ...(entry.manifest?.agency ? { agency: manifestName } : {}),
      ...(entry.manifest?.year ? { year: manifestName } : {}),
    };
    return {
      allowPartial: values['allow-partial'],
      limits: inputLimits,
      ...(agencyName ? { agencyName } : {}),
      ...(reportYear ? { year: reportYear } : {}),
      ...(Object.keys(givenBy).length > 0 ? { givenBy } : {}),
    };
  };

  // Files are read, checked against the database and handed to the parsers a window ahead of storing.
  // With --batch, a batch's worth ahead: one query checks which of them are stored already.
  const window = Math.max(8, jobs * 4, batchSize ?? 0);
  const firstBySha = new Map<string, Prepared>();
  const pending: Prepared[] = [];
  /** --batch: parsed reports waiting for their batch's transaction. */
  const batched: Batched[] = [];
  let nextFile = 0;
  const prepareMore = async () => {
    const batch: Prepared[] = [];
    while (pending.length + batch.length < window && nextFile < files.length) {
      const index = nextFile++;
      const file = files[index] ?? '';
      const entry: Prepared = { index, file, bytes: null, sha: null, manifest: manifest?.find(file) };
      const read = readReportFile(file);
      if ('error' in read) entry.readError = read.error;
      else {
        entry.bytes = read.bytes;
        entry.sha = sha256(read.bytes);
      }
      batch.push(entry);
    }
    const shas = batch.flatMap((e) => (e.sha ? [e.sha] : []));
    const stored = new Map<string, StoredSource>();
    if (database && shas.length > 0) {
      for (const row of await findStoredSources(database.db, shas)) stored.set(row.sha, row);
    }
    for (const entry of batch) {
      if (entry.sha && entry.bytes) {
        const options = optionsFor(entry);
        const previous = firstBySha.get(entry.sha);
        const match = stored.get(entry.sha);
        if (previous) entry.duplicateOf = previous;
        else if (
          match &&
          (!options.agencyName ||
            (database && (await agencyIdByName(database.db, options.agencyName)) === match.agencyId)) &&
          (!options.year || options.year === match.year)
        ) {
          entry.stored = match;
        } else {
          firstBySha.set(entry.sha, entry);
          entry.parse = parseOrRefuse(pool, entry.bytes, options);
          // Rejections are handled in order; this only keeps an early one from being reported as unhandled.
          entry.parse.catch(() => {});
        }
      }
      pending.push(entry);
    }
  };

  const positionOf = (entry: Prepared) => `[${entry.index + 1}/${files.length}]`;
  const sourceUrlOf = (entry: Prepared) => entry.manifest?.sourceUrl ?? values['source-url'] ?? null;
  /** A file skipped as stored, or as a copy of an earlier file, under an address the revision does not keep. */
  const noteOtherAddress = (entry: Prepared, kept: string | null, keptBy?: string) => {
    const given = sourceUrlOf(entry);
    if (given !== null && given !== kept) print(`    ! ${sourceUrlNotRecorded(given, kept, keptBy).message}`);
  };
  /** A file nothing is stored for: its line, the reason (or the parser's details) and the summary entry. */
  const rejectFile = (entry: Prepared, reason: string, details: string[] = []) => {
    entry.outcome = 'REJECTED';
    rejected.push({ file: entry.file, reason });
    print(`✘ ${positionOf(entry)} ${entry.file}: rejected${dryRun ? '' : ', nothing stored'}`);
    for (const line of details.length > 0 ? details : [reason]) print(`    ${line}`);
  };
  /** A stored report's line and the parser's notes, whichever path stored it. */
  const printStored = (
    entry: Prepared,
    parsed: DocumentParseResult,
    stored: {
      outcome: Outcome;
      agencyId: number;
      revisionNumber: number;
      findings?: Parameters<typeof findingLines>[0];
    },
    notes: string[],
  ) => {
    if (!parsed.result.ok) return;
    const report = parsed.result.report;
    entry.outcome = stored.outcome;
    const agency = agencies.name(stored.agencyId, report.agencyName);
    const printed = agency === report.agencyName ? '' : `; printed as ${report.agencyName}`;
    noteReport(entry, agency, report.year, stored.revisionNumber);
    const findings = findingLines(stored.findings ?? []);
    if (report.gaps.length > 0) partial++;
    print(
      `✔ ${positionOf(entry)} ${entry.file}: ${stored.outcome} ${agency} ${report.year} (${report.templateVersion}, ${parsed.format}, revision ${stored.revisionNumber}${printed})${gapsOf(report)}${findings.summary}`,
    );
    for (const line of [...notes, ...findings.lines]) print(line);
  };

  const handle = async (entry: Prepared) => {
    const position = positionOf(entry);
    const reject = (reason: string, details: string[] = []) => rejectFile(entry, reason, details);
    if (entry.readError) return reject(entry.readError);
    if (entry.duplicateOf) {
      const first = entry.duplicateOf;
      if (first.outcome === 'REJECTED') return reject(`Same bytes as ${first.file}, which was rejected.`);
      entry.outcome = dryRun ? 'READABLE' : 'UNCHANGED';
      print(`= ${position} ${entry.file}: UNCHANGED, same bytes as ${first.file}`);
      noteOtherAddress(entry, sourceUrlOf(first), `the same bytes came first as ${first.file}`);
      // Identical bytes are one report: a manifest giving the copies different agencies or years is a mistake in it.
      const [mine, theirs] = [optionsFor(entry), optionsFor(first)];
      if (mine.agencyName !== theirs.agencyName || mine.year !== theirs.year) {
        const given = (o: ParseOptions) =>
          `${o.agencyName ?? 'the agency printed'}, ${o.year ?? 'the year printed'}`;
        print(
          `    ! the agency and year given for this file (${given(mine)}) are not used: the same bytes came first as ${first.file}, given ${given(theirs)}`,
        );
      }
      return;
    }
    if (entry.stored) {
      entry.outcome = 'UNCHANGED';
      print(
        `= ${position} ${entry.file}: UNCHANGED, already stored as ${entry.stored.agency} ${entry.stored.year} revision ${entry.stored.number}`,
      );
      noteOtherAddress(entry, entry.stored.url);
      return;
    }
    let parsed: DocumentParseResult;
    try {
      parsed = await (entry.parse as Promise<DocumentParseResult>);
    } catch (error) {
      return reject(
        `The parser failed on this file (${(error as Error).message.split('\n')[0]}); please report it.`,
      );
    }
    const { result } = parsed;
    if (!result.ok) {
      return reject(
        mainReason(result.problems),
        formatProblems(basename(entry.file), result.problems).split('\n'),
      );
    }
    const report = result.report;
    const notes = [...report.warnings, ...report.gaps].map((w) => `    ! ${w.message}`);
    if (dryRun) {
      const findings = checkAlone(report);
      const blocking = findings.filter(isBlocking);
      if (values.strict && blocking.length > 0) {
        return reject(
          `FAILED_CHECK: ${blocking[0]?.messageEn ?? ''} (--strict would store nothing)`,
          blocking.map((f) => `${f.ruleId}: ${f.messageEn}`),
        );
      }
      entry.outcome = 'READABLE';
      noteReport(entry, report.agencyName, report.year, null);
      // (Under --strict a report with an error was rejected above: nothing here blocks.)
      const lines = findingLines(findings);
      if (report.gaps.length > 0) partial++;
      print(
        `✔ ${position} ${entry.file}: readable, ${report.agencyName} ${report.year} (${report.templateVersion}, ${parsed.format})${gapsOf(report)}${lines.summary}`,
      );
      for (const line of [...notes, ...lines.lines]) print(line);
      return;
    }
    if (batchSize !== undefined) {
      batched.push({ entry, parsed, notes });
      return;
    }
    await storeOne(entry, parsed, notes);
  };

  /** Files whose transaction was open when the database went away: stored whole, or not at all. */
  const inTransaction = new Set<string>();
  /** Stores one parsed report in a transaction of its own, and says what happened. */
  const storeOne = async (entry: Prepared, parsed: DocumentParseResult, notes: string[]) => {
    let stored: ImportResult;
    inTransaction.add(entry.file);
    try {
      stored = await importReport(
        (database as NonNullable<typeof database>).db,
        {
          bytes: entry.bytes as Uint8Array,
          fileName: entry.file,
          sourceUrl: sourceUrlOf(entry),
          parsed,
        },
        // strict: a report whose figures break an error-level identity is rolled back. A
        // stored report's audit entry is written in its transaction.
        {
          ...optionsFor(entry),
          strict: values.strict,
          audit: {
            actor: cliActor(),
            entry: (done) => storedReportEntry('import', { file: entry.file }, done),
          },
        },
      );
      inTransaction.delete(entry.file);
    } catch (error) {
      // A database that is not there stops the run; one that refuses this report (a
      // constraint, a trigger) rejects only this file, which was rolled back.
      if (isDatabaseUnavailable(error)) throw error;
      inTransaction.delete(entry.file);
      const reason = reportRefusal(error);
      const unaudited = await auditNotes(
        recordAudit((database as NonNullable<typeof database>).db, cliActor(), {
          action: 'import',
          outcome: 'REJECTED',
          detail: { file: entry.file, reason },
        }),
      );
      return rejectFile(entry, reason, [reason, ...unaudited]);
    }
    if (stored.ok) {
      await agencies.load([stored.value.agencyId]);
      return printStored(entry, parsed, stored.value, notes);
    }
    const unaudited = await auditNotes(
      recordAudit((database as NonNullable<typeof database>).db, cliActor(), {
        action: 'import',
        outcome: 'REJECTED',
        detail: { file: entry.file, reason: mainReason(stored.problems) },
      }),
    );
    return rejectFile(entry, mainReason(stored.problems), [
      ...formatProblems(basename(entry.file), stored.problems).split('\n'),
      ...unaudited,
    ]);
  };

  const finish = (entry: Prepared) => {
    counts[entry.outcome ?? 'REJECTED']++;
    // Bytes of stored files are no longer needed; duplicates keep only the first file's outcome.
    entry.bytes = null;
    progress.tick();
  };

  /**
   * --batch: the waiting reports in one transaction through the bulk path (COPY). If the batch
   * fails, nothing of it is kept and its reports are stored one by one instead, so a report
   * the database refuses is rejected with its reason and the others still go in.
   */
  const storeBatched = async (group: Batched[]) => {
    const db = (database as NonNullable<typeof database>).db;
    const sourceOf = ({ entry, parsed }: Batched) => ({
      bytes: entry.bytes as Uint8Array,
      fileName: entry.file,
      sourceUrl: sourceUrlOf(entry),
      parsed,
    });
    let bulk: Awaited<ReturnType<typeof bulkImport>>;
    for (const { entry } of group) inTransaction.add(entry.file);
    try {
      bulk = await bulkImport(db, group.map(sourceOf), {
        batchSize: group.length,
        findings: true,
        audit: {
          actor: cliActor(),
          entry: (done) => storedReportEntry('import', { file: done.fileName }, done),
        },
      });
      for (const { entry } of group) inTransaction.delete(entry.file);
    } catch (error) {
      // Without a database there is nothing to retry one by one.
      if (isDatabaseUnavailable(error)) throw error;
      for (const { entry } of group) inTransaction.delete(entry.file);
      print(
        `! a batch of ${plural(group.length, 'report')} could not be stored (nothing of it was kept): ${(error as Error).message.split('\n')[0]}`,
      );
      print('    storing them one by one');
      for (const { entry, parsed, notes } of group) {
        await storeOne(entry, parsed, notes);
        finish(entry);
      }
      return;
    }
    const byFile = new Map(bulk.outcomes.map((o) => [o.fileName, o]));
    await agencies.load(bulk.outcomes.map((o) => o.agencyId));
    // Refused by the store before the batch was written (a published report naming a demo agency).
    const refusedByFile = new Map(bulk.rejections.map((r) => [r.fileName, r.problems]));
    // The stored reports' entries were written in the batch's transaction; refusals stored nothing.
    const unaudited = await auditNotes(
      recordAudits(
        db,
        cliActor(),
        bulk.rejections.map(({ fileName, problems }) => ({
          action: 'import',
          outcome: 'REJECTED',
          detail: { file: fileName, reason: mainReason(problems) },
        })),
      ),
    );
    for (const { entry, parsed, notes } of group) {
      const stored = byFile.get(entry.file);
      const refused = refusedByFile.get(entry.file);
      if (refused)
        rejectFile(entry, mainReason(refused), [
          ...formatProblems(basename(entry.file), refused).split('\n'),
          ...unaudited,
        ]);
      else if (stored) printStored(entry, parsed, stored, notes);
      else throw new Error(`The bulk import said nothing about ${entry.file}`);
    }
    for (const { entry } of group) finish(entry);
  };

  // One batch is stored while the files of the next are read and parsed; batches go in order.
  let storing: Promise<void> = Promise.resolve();
  const startBatch = async () => {
    const group = batched.splice(0);
    await storing;
    storing = storeBatched(group);
    // A failure surfaces at the next await of `storing`, not as an unhandled rejection.
    storing.catch(() => {});
  };

  try {
    while (!stop.signal && (pending.length > 0 || nextFile < files.length)) {
      // Refilled half a window at a time: each refill asks the database about its files at once.
      if (pending.length < Math.ceil(window / 2) && nextFile < files.length) await prepareMore();
      const entry = pending.shift();
      if (!entry) continue;
      await handle(entry);
      // A report waiting in a batch is counted when its batch is stored.
      if (batched.at(-1)?.entry === entry) {
        if (batched.length >= (batchSize ?? 1)) await startBatch();
        continue;
      }
      finish(entry);
    }
    // Interrupted: reports parsed for the next batch are left for the run that resumes.
    if (batched.length > 0 && !stop.signal) await startBatch();
    await storing;
  } catch (error) {
    // The signal stopped PostgreSQL too (an embedded one shares the terminal's process group):
    // what was being stored rolled back, and the summary below is what was stored. Its
    // goodbye can arrive before the signal's own handler here has run, so it is waited for.
    if (isDatabaseUnavailable(error) && !stop.signal) await new Promise((r) => setTimeout(r, 250));
    if (!(stop.signal && isDatabaseUnavailable(error))) throw error;
  } finally {
    stop.dispose();
    // A batch still being stored when something else failed finishes (or fails) first.
    await storing.catch(() => {});
    progress.clear();
    await pool.close();
    await stopAnnouncing();
    await database?.close();
  }

  return printImportSummary(io.out, {
    files: files.length,
    seconds: (performance.now() - started) / 1000,
    dryRun,
    counts,
    rejected,
    unused: manifest?.unused() ?? [],
    sameReport: [...filesByReport.values()].filter((r) => r.files.length > 1),
    interrupted: stop.signal,
    inTransaction,
    partial,
  });
}
