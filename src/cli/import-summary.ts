/**
 * What `import` prints when it ends: counts by outcome, the rejected files with their reasons,
 * manifest entries no file matched, and, when a signal stopped it, how far it got and how to go
 * on. Returns the exit code.
 */
import { constants } from 'node:os';
import { firstFew } from '../ingest/first-few.ts';
import type { Outcome } from './import-files.ts';

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A finding as a file's line tells it. */
interface Finding {
  ruleId: string;
  severity: string;
  status: string;
  scope: string;
  cells: readonly { status: string }[];
  expected: string | null;
  actual: string | null;
  messageEn: string;
}

/** Why an identity went unchecked, in the order the summary names them. */
const REASONS = ['blank', 'not reported', 'missing', 'unreadable'] as const;

/** Of cells unchecked for different reasons, the one that asks most of the reader is said. */
const reasonOf = (cells: readonly { status: string }[]): (typeof REASONS)[number] =>
  cells.some((c) => c.status === 'UNREADABLE')
    ? 'unreadable'
    : cells.some((c) => c.status === 'MISSING')
      ? 'missing'
      : 'not reported';

/**
 * Identities left unchecked, each counted once (`25 not checked (cells blank; 12 would fail
 * with blanks as 0)`). A BLANKS_AS_ZERO finding is not another one: it says of an unchecked
 * identity whose cells are all blank whether it would hold if they were 0, and one that would
 * not is an error hiding behind blanks.
 */
function notChecked(findings: readonly Finding[]): string {
  const failsAsZero = new Map(
    findings.filter((f) => f.ruleId === 'BLANKS_AS_ZERO').map((f) => [f.scope, f.expected !== f.actual]),
  );
  const unchecked = findings.filter((f) => f.status === 'INCOMPLETE' && f.ruleId !== 'BLANKS_AS_ZERO');
  if (unchecked.length === 0) return '';
  const counts = new Map(REASONS.map((reason) => [reason, 0]));
  let failing = 0;
  for (const f of unchecked) {
    // The scope checkBlanksAsZero gives the identity's blank-cell finding.
    const fails = failsAsZero.get(`${f.ruleId}:${f.scope}`.slice(0, 64));
    if (fails) failing++;
    const reason = fails === undefined ? reasonOf(f.cells) : 'blank';
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const found = [...counts].filter(([, n]) => n > 0);
  const why =
    found.length === 1 ? `cells ${found[0]?.[0]}` : found.map(([reason, n]) => `${n} ${reason}`).join(', ');
  const asZero = counts.get('blank') ? `; ${failing || 'none'} would fail with blanks as 0` : '';
  return `${unchecked.length} not checked (${why}${asZero})`;
}

/**
 * What a report's findings come to, after its line (`; findings: 2 errors, 1 other, 25 not
 * checked (cells blank; 12 would fail with blanks as 0)`), and a line for each check its figures
 * break, errors first (`? T3_BALANCE: …`); the identities left unchecked are only counted.
 * Nothing where it has none.
 */
export function findingLines(findings: readonly Finding[]): { summary: string; lines: string[] } {
  const violated = findings.filter((f) => f.status === 'VIOLATED');
  const errors = violated.filter((f) => f.severity === 'ERROR');
  const others = violated.filter((f) => f.severity !== 'ERROR');
  const parts = [
    errors.length > 0 ? plural(errors.length, 'error') : '',
    violated.length > errors.length ? `${violated.length - errors.length} other` : '',
    notChecked(findings),
  ].filter((p) => p !== '');
  return {
    summary: parts.length > 0 ? `; findings: ${parts.join(', ')}` : '',
    lines: [...errors, ...others].map((f) => `    ? ${f.ruleId}: ${f.messageEn}`),
  };
}

/** A partial report's gaps, after its line (`; 19 gaps`, each a `!` line under it): nothing for a whole one. */
export const gapsOf = (report: { gaps: readonly unknown[] }) =>
  report.gaps.length > 0 ? `; ${plural(report.gaps.length, 'gap')}` : '';

/** The one reason shown for a rejected file in the summary. */
export function mainReason(problems: readonly { code: string; message: string }[]): string {
  const incomplete = problems.find((p) => p.code === 'INCOMPLETE_REPORT');
  if (incomplete) {
    const gaps = problems.filter((p) => p.code !== 'INCOMPLETE_REPORT');
    return `INCOMPLETE_REPORT: ${plural(gaps.length, 'gap')}, e.g. ${gaps[0]?.message ?? ''} Use --allow-partial to store it with the gaps recorded.`;
  }
  const first = problems[0];
  return first ? `${first.code}: ${first.message}` : 'rejected';
}

/** One agency's report of a year as several files of the run read it. */
export interface SameReport {
  agency: string;
  year: number;
  /** In the order they were stored; `revision` is null in a dry run. */
  files: { file: string; revision: number | null }[];
}

export interface ImportSummary {
  files: number;
  seconds: number;
  dryRun: boolean;
  counts: Record<Outcome, number>;
  rejected: readonly { file: string; reason: string }[];
  /**
   * Reports that more than one file of the run was read as: each later file became a new
   * revision, so a PDF and its text layer, or two agencies' reports under one --agency, end up
   * as one report with the last file current. Said, since it is easy to do by accident.
   */
  sameReport: readonly SameReport[];
  /**
   * Manifest entries that matched no file; `sharedBy`: the files of the run that have the base
   * name of an entry whose path names no file, which is applied to none of them.
   */
  unused: readonly { file: string; missing: boolean; sharedBy?: readonly string[] }[];
  /** The signal that stopped the run, if one did. */
  interrupted: NodeJS.Signals | null;
  /** Files whose transaction was open when the database went away. */
  inTransaction: ReadonlySet<string>;
  /** Reports stored, or readable in a dry run, with gaps (--allow-partial). */
  partial: number;
}

export function printImportSummary(out: (line: string) => void, s: ImportSummary): number {
  const { counts, files, interrupted } = s;
  const done = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const rate = s.seconds > 0 ? done / s.seconds : 0;
  out('');
  out(
    `${s.dryRun ? 'Dry run (nothing written): ' : ''}${interrupted ? `${done} of ` : ''}${plural(files, 'file')} in ${s.seconds.toFixed(1)} s (${rate.toFixed(1)} files/s):`,
  );
  const line = (label: string, n: number, note: string) =>
    out(`  ${label.padEnd(14)}${String(n).padStart(6)}  ${note}`);
  if (s.dryRun) {
    line('readable', counts.READABLE, 'would be imported');
  } else {
    line('imported', counts.CREATED, 'new reports (revision 1)');
    line('new revisions', counts.NEW_REVISION, 'changed sources of stored reports');
    if (counts.RESTORED > 0) line('restored', counts.RESTORED, 'earlier revisions made current again');
    line('unchanged', counts.UNCHANGED, 'already stored, skipped');
  }
  if (s.partial > 0) {
    line(
      'partial',
      s.partial,
      `of them with gaps: cells ${s.dryRun ? 'to be ' : ''}stored MISSING or UNREADABLE (--allow-partial)`,
    );
  }
  line('rejected', counts.REJECTED, s.rejected.length > 0 ? 'nothing stored for these:' : '');
  for (const r of s.rejected) out(`    ${r.file}: ${r.reason}`);
  if (s.sameReport.length > 0) printSameReport(out, s.sameReport, s.dryRun);
  // Stopped early, files not reached yet are no mistake of the manifest's; missing ones are.
  const unused = interrupted ? s.unused.filter((e) => e.missing) : s.unused;
  const shared = unused.filter((e) => e.sharedBy);
  const missing = unused.filter((e) => e.missing && !e.sharedBy);
  const passedOver = unused.filter((e) => !e.missing);
  const listed = (entries: readonly { file: string }[]) =>
    firstFew(
      entries.map((e) => e.file),
      5,
    );
  if (missing.length > 0) {
    out(
      `  The manifest lists ${plural(missing.length, 'file')} that ${missing.length === 1 ? 'does' : 'do'} not exist (its paths are relative to its folder): ${listed(missing)}`,
    );
  }
  for (const e of shared) {
    out(
      `  The manifest lists ${e.file}, which does not exist, and ${e.sharedBy?.length} files imported have its name (${firstFew(e.sharedBy ?? [], 5)}): which one it is meant for cannot be told, so it was applied to none. Give its path relative to the manifest's folder.`,
    );
  }
  if (passedOver.length > 0) {
    out(
      `  The manifest lists ${plural(passedOver.length, 'file')} that ${passedOver.length === 1 ? 'was' : 'were'} not among the files imported (not under the paths given, hidden, or left out by its name): ${listed(passedOver)}`,
    );
  }
  if (interrupted) {
    out(
      `Stopped by ${interrupted} after ${done} of ${plural(files, 'file')}; nothing is half-written. Run the same command again to go on: files already stored are skipped by their checksum.`,
    );
    if (s.inTransaction.size > 0) {
      const [first] = s.inTransaction;
      out(
        `PostgreSQL stopped too, while ${s.inTransaction.size === 1 ? `${first} was` : `${plural(s.inTransaction.size, 'file')} (${first}, …) were`} being stored: stored whole if the commit got there first, else not at all. The next run says which (UNCHANGED if stored).`,
      );
    }
    return 128 + (constants.signals[interrupted] ?? 0);
  }
  return counts.REJECTED > 0 ? 1 : 0;
}

/** The reports several files of the run were read as, each with its files and revisions. */
function printSameReport(out: (line: string) => void, reports: readonly SameReport[], dryRun: boolean) {
  const n = reports.length;
  out(
    dryRun
      ? `  ${n === 1 ? '1 report is' : `${n} reports are`} read from more than one file; stored, each later file would become a new revision and the last one current:`
      : `  ${n === 1 ? '1 report was' : `${n} reports were`} read from more than one file; each later file became a new revision, the last one current:`,
  );
  const shown = reports.slice(0, 10);
  for (const report of shown) {
    const files = report.files.map(({ file, revision }, i) => {
      if (revision === null) return file;
      const current = i === report.files.length - 1 ? ', current' : '';
      return `${file} (revision ${revision}${current})`;
    });
    out(`    ${report.agency} ${report.year}: ${files.join(', ')}`);
  }
  if (reports.length > shown.length) out(`    … and ${reports.length - shown.length} more`);
  out(
    `  If they are different reports, give each file its own agency and year (--agency, --year or a manifest)${dryRun ? '' : '; `revision use <agency> <year> <n>` makes another revision current'}.`,
  );
}
