/**
 * `validate <files...>`: checks report files against every rule without a database, so it
 * can gate a pipeline. Cross-year rules compare the given files with each other.
 * Exit code: 0 clean, 1 error-level findings, 2 a file could not be read.
 */

import { type FileResult, type FindingDraft, recheckStored, validateSources } from '../import/index.ts';
import type { Db } from '../store/db.ts';
import { openDatabase } from '../store/open-database.ts';
import { collectFiles, describeSkipped, filesParser, readReportFile } from './import-files.ts';
import { parseCommandArgs, refuseEmptyOption, reportYearOption, UsageError } from './usage.ts';

export { type FileResult, validateSources };

/** Display width in a terminal: CJK characters take two columns. */
const width = (text: string) =>
  [...text].reduce(
    (w, ch) =>
      w +
      (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
        ch,
      )
        ? 2
        : 1),
    0,
  );
const pad = (text: string, to: number, right = false) => {
  const fill = ' '.repeat(Math.max(0, to - width(text)));
  return right ? fill + text : text + fill;
};

function table(findings: readonly FindingDraft[]): string[] {
  const header = ['severity', 'rule', 'scope', 'expected', 'actual', 'diff', 'message'];
  const rows = findings.map((f) => [
    f.status === 'INCOMPLETE' ? 'incomplete' : f.severity.toLowerCase(),
    f.ruleId,
    f.scope,
    f.expected ?? '',
    f.actual ?? '',
    f.difference === null ? '' : f.difference.startsWith('-') ? f.difference : `+${f.difference}`,
    f.messageZh,
  ]);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const numeric = new Set([3, 4, 5]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i] ?? 0, numeric.has(i))))
      .join('  ')
      .trimEnd();
  const indent = ' '.repeat(widths.slice(0, -1).reduce((sum, w) => sum + w + 2, 0));
  return [line(header), ...rows.flatMap((row, i) => [line(row), `${indent}${findings[i]?.messageEn ?? ''}`])];
}

/** A problem with its line in front, unless its message starts with it ("Line 10, table 2 …"). */
const located = (p: { line?: number; message: string }) =>
  p.line && !p.message.startsWith(`Line ${p.line}`) ? `line ${p.line}: ${p.message}` : p.message;

export function formatResults(results: readonly FileResult[]): string {
  const out: string[] = [];
  for (const result of results) {
    if (!result.readable) {
      // An incomplete report is read, but refused as a whole unless partial reports are allowed.
      out.push(
        `✘ ${result.file}: ${isIncomplete(result) ? 'incomplete, so not checked (--allow-partial checks what is there)' : 'cannot be read'}`,
      );
      for (const p of result.problems) out.push(`    ${located(p)}`);
      continue;
    }
    const errors = result.errors;
    const others = result.findings.length - errors;
    const title = `${result.file}: ${result.agencyName} ${result.year} (${result.templateVersion})`;
    // A partial report passes on what it has; what it lacks is said, not left for the reader to guess.
    const gaps =
      result.gaps.length > 0 ? `; ${result.gaps.length} gap(s) read as missing (--allow-partial)` : '';
    const notes = [...result.gaps, ...result.warnings].map((p) => `    ${located(p)}`);
    if (result.findings.length === 0) {
      out.push(`${gaps ? '!' : '✔'} ${title}: no findings${gaps}`, ...notes);
      continue;
    }
    out.push(`${errors > 0 ? '✘' : '!'} ${title}: ${errors} error(s), ${others} other finding(s)${gaps}`);
    out.push(...table(result.findings).map((l) => `    ${l}`), ...notes);
  }
  const incomplete = results.filter(isIncomplete).length;
  const unreadable = results.filter((r) => !r.readable).length - incomplete;
  const withErrors = results.filter((r) => r.readable && !r.ok).length;
  // Incomplete reports were read but not checked: counted apart from files that cannot be read.
  const notChecked = incomplete > 0 ? `, ${incomplete} incomplete (--allow-partial checks them)` : '';
  out.push(
    `\n${results.length} file(s): ${results.length - unreadable - incomplete - withErrors} pass, ${withErrors} with errors${notChecked}, ${unreadable} unreadable`,
  );
  return out.join('\n');
}

/** A report read but refused as a whole for its gaps (INCOMPLETE_REPORT). */
const isIncomplete = (result: FileResult) =>
  !result.readable && result.problems.some((p) => 'code' in p && p.code === 'INCOMPLETE_REPORT');

export function exitCodeOf(results: readonly FileResult[]): number {
  if (results.some((r) => !r.readable)) return 2;
  return results.some((r) => !r.ok) ? 1 : 0;
}

/** Runs the command; `print` receives stdout, `warn` stderr. Returns the exit code. */
export async function runValidate(
  args: string[],
  print: (text: string) => void = console.log,
  warn: (text: string) => void = console.error,
): Promise<number> {
  const { values, positionals } = parseCommandArgs('validate', {
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      stored: { type: 'boolean', default: false },
      'allow-partial': { type: 'boolean', default: false },
      agency: { type: 'string' },
      year: { type: 'string' },
    },
  });
  const usage = (message: string) => {
    warn(`Error: ${message}`);
    return 2;
  };
  if (values.stored) {
    if (positionals.length > 0) return usage('validate --stored takes no files.');
    const database = await openDatabase({ log: warn });
    try {
      return await revalidateStored(database.db, { json: values.json, print, warn });
    } finally {
      await database.close();
    }
  }
  if (positionals.length === 0) return usage('validate needs at least one file or folder. See --help.');
  let year: number | undefined;
  try {
    refuseEmptyOption('--agency', values.agency, "the agency's name (--agency 中卫市科学技术局)");
    year = reportYearOption(values.year);
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    throw error;
  }
  // Folders, globs and what a walk leaves out as import takes them.
  const skipped: string[] = [];
  // With --json a missing file is one of the results, "readable": false, as the help promises
  // (one object per file): a pipeline reading the JSON got none, only a line on stderr.
  const missing = values.json ? new Map<string, string>() : undefined;
  let files: string[];
  try {
    files = collectFiles(positionals, skipped, missing);
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    throw error;
  }
  if (skipped.length > 0) {
    warn(`Left out ${describeSkipped(skipped)}: not reports by their names. Name a file to check it anyway.`);
  }
  if (files.length === 0) return usage('No files to check.');
  const pool = filesParser(files.length);
  const results = await validateSources(
    files.map((file) => {
      const reason = missing?.get(file);
      return { file, read: () => (reason === undefined ? readReportFile(file) : { error: reason }) };
    }),
    {
      allowPartial: values['allow-partial'],
      ...(values.agency ? { agencyName: values.agency } : {}),
      ...(year !== undefined ? { year } : {}),
    },
    pool,
  ).finally(() => pool.close());
  print(values.json ? JSON.stringify(results, null, 2) : formatResults(results));
  return exitCodeOf(results);
}

/** Recomputes every stored finding, then prints those of current revisions counted by rule. */
export async function revalidateStored(
  db: Db,
  io: { json: boolean; print: (text: string) => void; warn: (text: string) => void },
): Promise<number> {
  const started = performance.now();
  const { totals, counts } = await recheckStored(db);
  io.warn(
    `Recomputed ${totals.findings} finding(s) for ${totals.revisions} report(s) of ${totals.agencies} agencies in ${Math.round(performance.now() - started)} ms.`,
  );
  const failed = counts.some((c) => c.severity === 'ERROR' && c.status === 'VIOLATED');
  if (io.json) io.print(JSON.stringify({ ok: !failed, ...totals, byRule: counts }, null, 2));
  else if (counts.length === 0) io.print('No findings: every stored report adds up.');
  else {
    const header = ['severity', 'rule', 'status', 'reports', 'findings'];
    const rows = counts.map((c) => [
      c.severity.toLowerCase(),
      c.rule,
      c.status.toLowerCase(),
      String(c.reports),
      String(c.findings),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    for (const row of [header, ...rows]) {
      io.print(
        row
          .map((cell, i) => (i >= 3 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
          .join('  ')
          .trimEnd(),
      );
    }
  }
  return failed ? 1 : 0;
}
