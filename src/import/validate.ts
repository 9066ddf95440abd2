/**
 * Checking reports without storing them: a parsed upload against the agency's stored
 * neighbours (validateReport), files against each other (the validate command), one file
 * alone (a dry-run import); and recomputing every stored finding (validate --stored).
 */
import { readInputLimits } from '../ingest/limits.ts';
import { type ParsePool, parseOrRefuse } from '../ingest/parse-pool.ts';
import type { ParsedReport, ParseResult, Problem } from '../ingest/types.ts';
import { identityKeyOf } from '../store/agency-identity.ts';
import type { Db } from '../store/db.ts';
import { countCurrentFindingsByRule, type RuleCount, recomputeStoredFindings } from '../store/findings.ts';
import { loadNeighbours } from '../store/neighbours.ts';
import {
  checkReport,
  checkWithNeighbours,
  type FindingDraft,
  figuresOf,
  isBlocking,
  type ReportUnderCheck,
} from '../validation/check.ts';

const underCheck = (report: ParsedReport): ReportUnderCheck => ({
  templateVersion: report.templateVersion,
  year: report.year,
  figures: figuresOf(report.cells),
  narrative: report.narrative,
});

/**
 * Every rule on a parsed report, the cross-year ones against the current revisions of the
 * same agency's year before and after: its own findings first, then those against the year
 * before, then the next year's against it.
 */
export async function checkAgainstStored(
  db: Db,
  report: ParsedReport,
): Promise<{ findings: FindingDraft[]; comparedWithYears: number[] }> {
  const neighbours = await loadNeighbours(db, { name: report.agencyName }, report.year);
  const { own, againstPrevious, ofNext } = checkWithNeighbours(underCheck(report), neighbours);
  return {
    findings: [...own, ...againstPrevious, ...ofNext],
    comparedWithYears: [neighbours.previous?.year, neighbours.next?.year].filter(
      (y): y is number => y !== undefined,
    ),
  };
}

/** The within-report rules on one parsed report (a dry run has no database to compare with). */
export const checkAlone = (report: ParsedReport): FindingDraft[] => checkReport(underCheck(report));

/**
 * One file's result, as `--json` prints it. `ok` is whether the file passes: it could be read
 * and has no error-level finding. `readable` tells a rejected file (with `problems`) from one
 * whose figures break an identity (with `findings`; `errors` counts the error-level ones).
 */
export type FileResult =
  | {
      file: string;
      ok: boolean;
      readable: true;
      agencyName: string;
      year: number;
      templateVersion: string;
      errors: number;
      findings: FindingDraft[];
      /** With allowPartial: what the report lacks, read as missing (each with its table, row and line). */
      gaps: Problem[];
      /** What the parser noticed without refusing the report (an overridden year, a figure read oddly). */
      warnings: Problem[];
    }
  | { file: string; ok: false; readable: false; problems: Problem[] };

/** A file to check: `read` gives its bytes, or why it cannot be read (the reason, said as is). */
export interface SourceFile {
  file: string;
  read: () => { bytes: Uint8Array } | { error: string };
}

/**
 * Checks report files; cross-year rules pair the files of consecutive years of one agency.
 * Files are read only as they are parsed, a few at a time, so a large folder is never in
 * memory at once; each is parsed through `pool` (on its workers, under their heap and time limits).
 */
export async function validateSources(
  sources: readonly SourceFile[],
  options: { allowPartial?: boolean; agencyName?: string; year?: number },
  pool: ParsePool,
): Promise<FileResult[]> {
  const parseOptions = { ...options, limits: readInputLimits(process.env) };
  const parsed: { file: string; result: ParseResult }[] = new Array(sources.length);
  let next = 0;
  const work = async () => {
    for (let i = next++; i < sources.length; i = next++) {
      const source = sources[i] as SourceFile;
      const read = source.read();
      parsed[i] = {
        file: source.file,
        result:
          'error' in read
            ? {
                ok: false,
                problems: [{ code: 'UNREADABLE_DOCUMENT', severity: 'error', message: read.error }],
              }
            : (await parseOrRefuse(pool, read.bytes, parseOptions)).result,
      };
    }
  };
  // A few in flight keep the pool's workers busy; each file's bytes are let go once parsed.
  await Promise.all(Array.from({ length: 4 }, work));
  const byAgencyYear = new Map<string, ParsedReport>();
  for (const { result } of parsed) {
    // Keyed as stored: the agency's name printed another way is the same agency.
    if (result.ok)
      byAgencyYear.set(
        `${identityKeyOf(result.report.agencyName)}\u0000${result.report.year}`,
        result.report,
      );
  }
  return parsed.map(({ file, result }): FileResult => {
    if (!result.ok) return { file, ok: false, readable: false, problems: result.problems };
    const report = result.report;
    const previous = byAgencyYear.get(`${identityKeyOf(report.agencyName)}\u0000${report.year - 1}`);
    const { own, againstPrevious } = checkWithNeighbours(underCheck(report), {
      previous: previous ? { year: previous.year, figures: figuresOf(previous.cells) } : null,
    });
    const findings = [...own, ...againstPrevious];
    const errors = findings.filter(isBlocking).length;
    return {
      file,
      ok: errors === 0,
      readable: true,
      agencyName: report.agencyName,
      year: report.year,
      templateVersion: report.templateVersion,
      errors,
      findings,
      gaps: report.gaps,
      warnings: report.warnings,
    };
  });
}

export type { RuleCount };

/** Recomputes every stored finding, then counts those of current revisions by rule. */
export async function recheckStored(
  db: Db,
): Promise<{ totals: { agencies: number; revisions: number; findings: number }; counts: RuleCount[] }> {
  const totals = await recomputeStoredFindings(db);
  const counts = await countCurrentFindingsByRule(db);
  return { totals, counts };
}
