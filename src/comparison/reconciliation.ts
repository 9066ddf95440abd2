/**
 * A report's reconciliation: every identity of its template (table 2's bounds among them) and
 * every cross-year link of table 3, each HOLDS, VIOLATED or UNKNOWN. Table 2's cross-year link
 * (T2_ITEMS_CARRY_OVER) is in the findings only: whether the year before prints its cells (a
 * V2021 year does not) is not known here, so its silence cannot be read as HOLDS. Derived from the catalogue's identity list, the stored
 * findings of the revision and its figures, so that a rule without a finding reads HOLDS
 * only when it could be checked (its cells printed, and the year before stored). Pure.
 */
import { CARRY_OVER_LINKS, identitiesOf, type RuleId } from '../catalogue/identities.ts';
import { boundsOf } from '../catalogue/table2-rules.ts';
import type { TemplateVersion } from '../catalogue/template.ts';
import { type Figures, type FindingCell, figuresOf } from '../validation/check.ts';
import { formatDecimal, parseDecimal, sumDecimals } from '../validation/decimal.ts';

export type ReconciliationStatus = 'HOLDS' | 'VIOLATED' | 'UNKNOWN';
/** Why a check is UNKNOWN. */
export type UnknownReason = 'NOT_PRINTED' | 'NO_PREVIOUS_YEAR';

/** A stored finding, as far as reconciliation reads it. */
export interface FindingOfRevision {
  ruleId: string;
  scope: string;
  status: 'VIOLATED' | 'INCOMPLETE';
  cells: FindingCell[];
  expected: string | null;
  actual: string | null;
  difference: string | null;
}

export interface ReconciliationCheck {
  rule: RuleId;
  scope: string;
  status: ReconciliationStatus;
  unknownReason: UnknownReason | null;
  /** Cross-year rules: the year compared with. */
  otherYear: number | null;
  cells: FindingCell[];
  /** Exact decimals; null when UNKNOWN. difference = actual − expected. */
  expected: string | null;
  actual: string | null;
  difference: string | null;
  /** UNKNOWN only because cells were printed blank: whether it would hold with the blanks as 0. */
  holdsIfBlanksAreZero: boolean | null;
}

export interface ReportUnderReconciliation {
  year: number;
  templateVersion: TemplateVersion;
  /** The revision's cells as stored (printed text included, so blanks are told from marks). */
  cells: Parameters<typeof figuresOf>[0];
  /** Whether the agency has a stored report for the year before. */
  previousYearStored: boolean;
  findings: readonly FindingOfRevision[];
}

const cellOf = (figures: Figures, code: string, side: FindingCell['side'], year: number): FindingCell => {
  const figure = figures.get(code) ?? { status: 'MISSING' as const, value: null };
  return { code, side, year, status: figure.status, value: figure.value };
};

const sum = (cells: readonly FindingCell[]) =>
  formatDecimal(sumDecimals(cells.map((c) => (c.value === null ? 0n : parseDecimal(c.value)))));

/** Every identity and cross-year link of the report, in catalogue order. */
export function reconcile(input: ReportUnderReconciliation): ReconciliationCheck[] {
  const report = { ...input, figures: figuresOf(input.cells) as Figures };
  const findingOf = (rule: string, scope: string) =>
    report.findings.find((f) => f.ruleId === rule && f.scope === scope);
  const fromFinding = (
    base: Pick<ReconciliationCheck, 'rule' | 'scope' | 'otherYear'>,
    finding: FindingOfRevision,
  ): ReconciliationCheck => {
    const blanks = findingOf('BLANKS_AS_ZERO', `${base.rule}:${base.scope}`.slice(0, 64));
    const violated = finding.status === 'VIOLATED';
    return {
      ...base,
      status: violated ? 'VIOLATED' : 'UNKNOWN',
      unknownReason: violated ? null : 'NOT_PRINTED',
      cells: finding.cells,
      expected: finding.expected,
      actual: finding.actual,
      difference: finding.difference,
      holdsIfBlanksAreZero: violated
        ? null
        : blanks?.difference
          ? parseDecimal(blanks.difference) === 0n
          : allBlank(finding.cells) || null,
    };
  };
  /**
   * Every cell printed blank in this report: with the blanks as 0 the identity is 0 = 0 (and
   * 0 ≤ 0). A cross-year link's cell of the year before is not this report's to tell (its code
   * looked up here is this year's cell), so such a link is never said to hold.
   */
  const allBlank = (cells: readonly FindingCell[]) =>
    cells.every(
      (c) =>
        c.status === 'NOT_REPORTED' && c.year === report.year && report.figures.get(c.code)?.blank === true,
    );
  const unknown = (
    base: Pick<ReconciliationCheck, 'rule' | 'scope' | 'otherYear'>,
    cells: FindingCell[],
    reason: UnknownReason,
  ): ReconciliationCheck => ({
    ...base,
    status: 'UNKNOWN',
    unknownReason: reason,
    cells,
    expected: null,
    actual: null,
    difference: null,
    holdsIfBlanksAreZero: null,
  });

  const checks: ReconciliationCheck[] = [];
  // The identities, then table 2's bounds (V2019: a sum at most, or at least, another). One that
  // holds has the difference it holds by: 0 for an identity.
  const withinReport = [
    ...identitiesOf(report.templateVersion),
    ...boundsOf(report.templateVersion).map((b) => ({ ...b, expected: b.bound, actual: b.value })),
  ];
  for (const identity of withinReport) {
    const base = { rule: identity.rule, scope: identity.scope, otherYear: null };
    const finding = findingOf(identity.rule, identity.scope);
    if (finding) {
      checks.push(fromFinding(base, finding));
      continue;
    }
    const expectedCells = identity.expected.cells.map((c) =>
      cellOf(report.figures, c, 'EXPECTED', report.year),
    );
    const actualCells = identity.actual.cells.map((c) => cellOf(report.figures, c, 'ACTUAL', report.year));
    const cells = [...expectedCells, ...actualCells];
    // No finding and a cell not printed: the checker skipped it (a gap of the source, or a
    // revision checked before such identities had a finding).
    if (cells.some((c) => c.status !== 'REPORTED')) {
      checks.push({ ...unknown(base, cells, 'NOT_PRINTED'), holdsIfBlanksAreZero: allBlank(cells) || null });
      continue;
    }
    const [expected, actual] = [sum(expectedCells), sum(actualCells)];
    checks.push({
      ...base,
      status: 'HOLDS',
      unknownReason: null,
      cells,
      expected,
      actual,
      difference: formatDecimal(parseDecimal(actual) - parseDecimal(expected)),
      holdsIfBlanksAreZero: null,
    });
  }
  const previous = report.year - 1;
  for (const link of CARRY_OVER_LINKS) {
    const base = { rule: link.rule, scope: link.scope, otherYear: previous };
    const finding = findingOf(link.rule, link.scope);
    if (finding) {
      checks.push(fromFinding(base, finding));
      continue;
    }
    const now = cellOf(report.figures, link.thisYear.cell, 'ACTUAL', report.year);
    const before: FindingCell = {
      code: link.previousYear.cell,
      side: 'EXPECTED',
      year: previous,
      status: 'MISSING',
      value: null,
    };
    if (!report.previousYearStored) {
      checks.push(unknown(base, [before, now], 'NO_PREVIOUS_YEAR'));
    } else if (now.status !== 'REPORTED') {
      checks.push(unknown(base, [before, now], 'NOT_PRINTED'));
    } else {
      // Checked against the stored year before and no finding: both printed and equal.
      checks.push({
        ...base,
        status: 'HOLDS',
        unknownReason: null,
        cells: [{ ...before, status: 'REPORTED', value: now.value }, now],
        expected: now.value,
        actual: now.value,
        difference: '0',
        holdsIfBlanksAreZero: null,
      });
    }
  }
  return checks;
}

/**
 * The overall status of some checks: VIOLATED if any is, else UNKNOWN if any is (or there are
 * none: nothing was checked), else HOLDS.
 */
export function overallStatus(checks: readonly ReconciliationCheck[]): ReconciliationStatus {
  if (checks.length === 0) return 'UNKNOWN';
  if (checks.some((c) => c.status === 'VIOLATED')) return 'VIOLATED';
  if (checks.some((c) => c.status === 'UNKNOWN')) return 'UNKNOWN';
  return 'HOLDS';
}
