/**
 * Checks a report's figures against the accounting identities of the catalogue. Pure:
 * it sees a map of cell code → figure and the narrative, never the database.
 * Figures that were not printed ("/", blank) or are missing are never taken as 0: an
 * identity that needs them is reported as INCOMPLETE instead of guessed.
 */
import {
  CARRY_OVER_LINKS,
  identitiesOf,
  NARRATIVE_CLAIMS,
  type SumIdentity,
} from '../catalogue/identities.ts';
import type { TemplateVersion } from '../catalogue/template.ts';
import { formatDecimal, parseDecimal } from './decimal.ts';
import {
  type CellStatus,
  describeCodes,
  type Figure,
  type Figures,
  type FindingCell,
  type FindingDraft,
  figureOf,
  incomplete,
  severityOf,
  sideCells,
  signed,
  sumOf,
  violated,
  type YearFigures,
} from './finding.ts';
import { checkBounds, checkItemLinks } from './table2.ts';

export type {
  CellStatus,
  Figure,
  Figures,
  FindingCell,
  FindingDraft,
  FindingStatus,
  YearFigures,
} from './finding.ts';

export interface NarrativeText {
  number: number;
  heading: string;
  text: string;
}

export interface ReportUnderCheck {
  templateVersion: TemplateVersion;
  year: number;
  figures: Figures;
  narrative: readonly NarrativeText[];
}

/**
 * An identity that cannot be checked only because some of its cells were printed blank:
 * whether it would hold if the blanks were 0. The blanks stay blank; this tells an auditor
 * at once whether the agency printed 0 as blank.
 */
function checkBlanksAsZero(identity: SumIdentity, report: ReportUnderCheck): FindingDraft | null {
  const expectedCells = sideCells(report.figures, identity.expected, 'EXPECTED', report.year);
  const actualCells = sideCells(report.figures, identity.actual, 'ACTUAL', report.year);
  const cells = [...expectedCells, ...actualCells];
  const blank = cells.filter((c) => c.status !== 'REPORTED');
  if (blank.length === 0 || blank.length === cells.length) return null;
  if (!blank.every((c) => figureOf(report.figures, c.code).blank)) return null;
  const expected = sumOf(expectedCells);
  const actual = sumOf(actualCells);
  const holds = expected === actual;
  const [e, a, d] = [formatDecimal(expected), formatDecimal(actual), signed(actual - expected)];
  const described = describeCodes(blank.map((c) => c.code));
  return {
    year: report.year,
    ruleId: 'BLANKS_AS_ZERO',
    severity: severityOf('BLANKS_AS_ZERO'),
    status: 'INCOMPLETE',
    scope: `${identity.rule}:${identity.scope}`.slice(0, 64),
    cells,
    expected: e,
    actual: a,
    difference: formatDecimal(actual - expected),
    messageZh: `${identity.scopeZh}：${described.zh} 为空白；若空白按 0 计，${identity.expected.zh} = ${e}，${identity.actual.zh} = ${a}，${holds ? '关系成立' : `仍不成立，相差 ${d}`}。`,
    messageEn: `${identity.scopeEn}: ${described.en} ${blank.length === 1 ? 'is' : 'are'} blank; if blanks were 0, ${identity.expected.en} = ${e} and ${identity.actual.en} = ${a}: the identity ${holds ? 'would hold' : `would still not hold (difference ${d})`}.`,
    evidence: null,
    otherYear: null,
  };
}

/**
 * A cell the import recorded as a gap (missing from the source, or unreadable). An identity of
 * gaps only says nothing the gaps do not; one of cells printed blank (zeros left blank, "/") is
 * unchecked, and its finding says so, as reconciliation counts it UNKNOWN.
 */
const isGap = (cell: FindingCell) => cell.status === 'MISSING' || cell.status === 'UNREADABLE';

function checkIdentity(identity: SumIdentity, report: ReportUnderCheck): FindingDraft | null {
  const expectedCells = sideCells(report.figures, identity.expected, 'EXPECTED', report.year);
  const actualCells = sideCells(report.figures, identity.actual, 'ACTUAL', report.year);
  const cells = [...expectedCells, ...actualCells];
  const base = { year: report.year, ruleId: identity.rule, scope: identity.scope, cells, otherYear: null };
  // Nothing of it in the source (a table the source lacks): the gap is already recorded on import.
  if (cells.every(isGap)) return null;
  if (cells.some((c) => c.status !== 'REPORTED')) {
    return incomplete(
      base,
      { zh: identity.scopeZh, en: identity.scopeEn },
      (cell) => figureOf(report.figures, cell.code).blank === true,
    );
  }
  const expected = sumOf(expectedCells);
  const actual = sumOf(actualCells);
  if (expected === actual) return null;
  return violated(base, expected, actual, (e, a, d) => ({
    zh: `${identity.scopeZh}：${identity.expected.zh} = ${e}，而${identity.actual.zh} = ${a}，相差 ${d}。`,
    en: `${identity.scopeEn}: ${identity.expected.en} = ${e}, but ${identity.actual.en} = ${a} (difference ${d}).`,
  }));
}

/** Sentences of the narrative, split at sentence ends and line breaks. */
function sentences(narrative: readonly NarrativeText[]): string[] {
  return narrative.flatMap((section) =>
    section.text
      .split(/(?<=[。！!？?；;])|\n/)
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
}

function checkNarrative(report: ReportUnderCheck): FindingDraft[] {
  const all = sentences(report.narrative);
  const findings: FindingDraft[] = [];
  for (const claim of NARRATIVE_CLAIMS) {
    const sentence = all.find((s) => claim.patterns.some((p) => p.test(s)));
    if (!sentence) continue;
    const cells = sideCells(report.figures, claim.cells, 'ACTUAL', report.year);
    // A figure that was not printed cannot contradict the text; printed ones can.
    const actual = sumOf(cells.filter((c) => c.status === 'REPORTED'));
    if (actual === 0n) continue;
    const a = formatDecimal(actual);
    findings.push({
      year: report.year,
      ruleId: claim.rule,
      severity: severityOf(claim.rule),
      status: 'VIOLATED',
      scope: claim.scope,
      cells,
      expected: '0',
      actual: a,
      difference: a,
      messageZh: `正文称“${sentence}”，但${claim.cells.zh} = ${a}。`,
      messageEn: `The text says "${sentence}", but ${claim.cells.en} = ${a}.`,
      evidence: sentence,
      otherYear: null,
    });
  }
  return findings;
}

/** Whole numbers small enough that a few hundred of them add up exactly as doubles. */
const SMALL_WHOLE = /^-?\d{1,12}$/;

/**
 * Whether an identity can have no finding at all, decided without building finding cells:
 * nothing of it in the source (gaps only), or everything printed in small whole numbers whose
 * sides agree.
 * Most identities of most reports are one of these, and the bulk import checks hundreds of
 * reports a second; anything else goes through checkIdentity and checkBlanksAsZero.
 */
function quietIdentity(identity: SumIdentity, figures: Figures): boolean {
  let reported = 0;
  let gaps = 0;
  let total = 0;
  let whole = true;
  let expected = 0;
  let actual = 0;
  for (const [side, codes] of [
    [-1, identity.expected.cells],
    [1, identity.actual.cells],
  ] as const) {
    for (const code of codes) {
      total++;
      const figure = figures.get(code);
      if (!figure || figure.status === 'MISSING' || figure.status === 'UNREADABLE') gaps++;
      if (figure?.status !== 'REPORTED' || figure.value === null) continue;
      reported++;
      if (!SMALL_WHOLE.test(figure.value)) whole = false;
      else if (side < 0) expected += Number(figure.value);
      else actual += Number(figure.value);
    }
  }
  return gaps === total || (reported === total && whole && expected === actual);
}

/**
 * Within-report identities and narrative claims of one report, in catalogue order.
 * `shortcut: false` checks every identity in full, for the test that the shortcut
 * (quietIdentity) never changes a finding.
 */
export function checkReport(report: ReportUnderCheck, options: { shortcut?: boolean } = {}): FindingDraft[] {
  const identities = identitiesOf(report.templateVersion).filter(
    (identity) => options.shortcut === false || !quietIdentity(identity, report.figures),
  );
  const table = identities
    .map((identity) => checkIdentity(identity, report))
    .filter((f): f is FindingDraft => f !== null);
  const blanks = identities
    .map((identity) => checkBlanksAsZero(identity, report))
    .filter((f): f is FindingDraft => f !== null);
  return [...table, ...blanks, ...checkBounds(report), ...checkNarrative(report)];
}

/**
 * Cross-year identities: `current`'s requests carried over against `previous`'s carried
 * forward, and its table-2 items of last year against `previous`'s items and change. The
 * findings belong to `current`; `previous` must be the year before.
 */
export function checkCarryOver(current: YearFigures, previous: YearFigures): FindingDraft[] {
  if (previous.year !== current.year - 1) {
    throw new Error(`checkCarryOver compares consecutive years, got ${previous.year} and ${current.year}`);
  }
  const findings: FindingDraft[] = [];
  for (const link of CARRY_OVER_LINKS) {
    const before: FindingCell = {
      code: link.previousYear.cell,
      side: 'EXPECTED',
      year: previous.year,
      ...figureOf(previous.figures, link.previousYear.cell),
    };
    const now: FindingCell = {
      code: link.thisYear.cell,
      side: 'ACTUAL',
      year: current.year,
      ...figureOf(current.figures, link.thisYear.cell),
    };
    const cells = [before, now];
    const base = {
      year: current.year,
      ruleId: link.rule,
      scope: link.scope,
      cells,
      otherYear: previous.year,
    };
    if (cells.every(isGap)) continue;
    if (cells.some((c) => c.status !== 'REPORTED')) {
      findings.push(
        incomplete(
          base,
          {
            zh: `${link.scopeZh}（与 ${previous.year} 年比较）`,
            en: `${link.scopeEn} (compared with ${previous.year})`,
          },
          (cell) => figureOf(cell === before ? previous.figures : current.figures, cell.code).blank === true,
        ),
      );
      continue;
    }
    const expected = sumOf([before]);
    const actual = sumOf([now]);
    if (expected === actual) continue;
    findings.push(
      violated(base, expected, actual, (e, a, d) => ({
        zh: `${link.scopeZh}：${previous.year} 年报告${link.previousYear.zh} = ${e}，而 ${current.year} 年${link.thisYear.zh} = ${a}，相差 ${d}。`,
        en: `${link.scopeEn}: the ${previous.year} report carried forward ${e}, but the ${current.year} report carried over ${a} (difference ${d}).`,
      })),
    );
  }
  return [...findings, ...checkItemLinks(current, previous)];
}

/** The stored or given reports of the year before and after, as far as they exist. */
export interface NeighbourFigures {
  previous?: YearFigures | null;
  next?: YearFigures | null;
}

/**
 * A report's findings split by the revision they belong to: its own (within the report, and
 * against the year before) and the next year's cross-year ones, which compare against it.
 */
export interface NeighbourFindings {
  own: FindingDraft[];
  againstPrevious: FindingDraft[];
  ofNext: FindingDraft[];
}

/** Every rule on one report: within-report rules, and the cross-year rules against its neighbours. */
export function checkWithNeighbours(
  report: ReportUnderCheck,
  neighbours: NeighbourFigures,
): NeighbourFindings {
  const thisYear: YearFigures = { year: report.year, figures: report.figures };
  return {
    own: checkReport(report),
    againstPrevious: neighbours.previous ? checkCarryOver(thisYear, neighbours.previous) : [],
    ofNext: neighbours.next ? checkCarryOver(neighbours.next, thisYear) : [],
  };
}

const CANONICAL_INTEGER = /^(?:0|-?[1-9]\d*)$/;
const shortest = (text: string) => (CANONICAL_INTEGER.test(text) ? text : formatDecimal(parseDecimal(text)));

/** Figures from parsed or stored cells, in shortest exact decimal form. */
export function figuresOf(
  cells: Iterable<{
    code: string;
    status: CellStatus;
    value: { toString(): string } | null;
    rawText?: string | null;
  }>,
): Map<string, Figure> {
  const map = new Map<string, Figure>();
  for (const cell of cells) {
    const printed = cell.status === 'REPORTED' && cell.value !== null;
    map.set(cell.code, {
      ...(cell.status === 'NOT_REPORTED' && cell.rawText === '' ? { blank: true } : {}),
      status: printed ? 'REPORTED' : cell.status === 'REPORTED' ? 'MISSING' : cell.status,
      // Stored numerics may come back as "41.0000"; every figure is kept in its shortest exact
      // form. Plain integers ("0", "41", "-3") already are, and are most figures.
      value: printed ? shortest(String(cell.value)) : null,
    });
  }
  return map;
}

export const isBlocking = (finding: Pick<FindingDraft, 'severity' | 'status'>) =>
  finding.severity === 'ERROR' && finding.status === 'VIOLATED';
