/**
 * What a rule finds, and the helpers every checker builds its findings with. Pure.
 */
import { cellByCode } from '../catalogue/cells.ts';
import { type RuleId, ruleById, type Severity, type Side } from '../catalogue/identities.ts';
import { formatDecimal, parseDecimal, type Scaled, sumDecimals } from './decimal.ts';

export type CellStatus = 'REPORTED' | 'NOT_REPORTED' | 'MISSING' | 'UNREADABLE';

export interface Figure {
  status: CellStatus;
  /** Exact decimal text; null unless REPORTED. */
  value: string | null;
  /** NOT_REPORTED because the cell was printed empty (some agencies print 0 that way), not with a mark. */
  blank?: boolean;
}

/** Cell code → figure. A code absent from the map is MISSING. */
export type Figures = ReadonlyMap<string, Figure>;

export type FindingStatus = 'VIOLATED' | 'INCOMPLETE';

/** One figure involved in a finding, as it was when checked. */
export interface FindingCell {
  code: string;
  /** Which side of the identity the figure is on; narrative rules only have ACTUAL. */
  side: 'EXPECTED' | 'ACTUAL';
  /** The report year the figure belongs to (differs from the report's for cross-year rules). */
  year: number;
  status: CellStatus;
  value: string | null;
}

export interface FindingDraft {
  /** Year of the report the finding belongs to. */
  year: number;
  ruleId: RuleId;
  severity: Severity;
  status: FindingStatus;
  scope: string;
  cells: FindingCell[];
  /** Exact decimals; null when INCOMPLETE. difference = actual − expected. */
  expected: string | null;
  actual: string | null;
  difference: string | null;
  messageZh: string;
  messageEn: string;
  /** Narrative rules: the sentence making the claim. */
  evidence: string | null;
  /** Cross-year rules: the year the figures were compared with. */
  otherYear: number | null;
}

export const figureOf = (figures: Figures, code: string): Figure =>
  figures.get(code) ?? { status: 'MISSING', value: null };

export const signed = (value: Scaled) => (value > 0n ? `+${formatDecimal(value)}` : formatDecimal(value));

export function severityOf(rule: RuleId): Severity {
  const found = ruleById(rule);
  if (!found) throw new Error(`Unknown rule ${rule}`);
  return found.severity;
}

export function describeCodes(codes: readonly string[]): { zh: string; en: string } {
  const shown = codes.slice(0, 3);
  const more = codes.length - shown.length;
  const labels = shown.map((code) => cellByCode(code)?.labelZh.join(' ') ?? code);
  return {
    zh: `${labels.join('、')}${more > 0 ? ` 等 ${codes.length} 项` : ''}`,
    en: `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
  };
}

/** How an unchecked cell was printed, in the words of the INCOMPLETE message. */
const UNCHECKED = {
  BLANK: { zh: '为空白', en: 'blank' },
  NOT_REPORTED: { zh: '未填报', en: 'not reported' },
  MISSING: { zh: '缺失', en: 'missing' },
  UNREADABLE: { zh: '无法识别', en: 'unreadable' },
} as const;

/**
 * An identity some of whose cells hold no number. The message says how each cell was printed
 * (blank, a not-reported mark, missing, unreadable): each sends the reader to a different
 * place, a blank to the agency's habit of printing 0 that way, an unreadable cell to the source.
 */
export function incomplete(
  base: Pick<FindingDraft, 'year' | 'ruleId' | 'scope' | 'cells' | 'otherYear'>,
  scope: { zh: string; en: string },
  isBlank: (cell: FindingCell) => boolean,
): FindingDraft {
  const groups = new Map<keyof typeof UNCHECKED, string[]>();
  for (const cell of base.cells) {
    if (cell.status === 'REPORTED') continue;
    const how = cell.status === 'NOT_REPORTED' && isBlank(cell) ? 'BLANK' : cell.status;
    groups.set(how, [...(groups.get(how) ?? []), cell.code]);
  }
  const parts = [...groups].map(([how, codes]) => ({ ...describeCodes(codes), n: codes.length, how }));
  const en = parts.map((p) => `${p.en} ${p.n === 1 ? 'is' : 'are'} ${UNCHECKED[p.how].en}`);
  return {
    ...base,
    severity: 'INFO',
    status: 'INCOMPLETE',
    expected: null,
    actual: null,
    difference: null,
    messageZh: `${scope.zh}：${parts.map((p) => `${p.zh} ${UNCHECKED[p.how].zh}`).join('，')}，无法核对（不按 0 计算）。`,
    messageEn: `${scope.en}: cannot check, ${[en.slice(0, -1).join(', '), en.at(-1)].filter(Boolean).join(' and ')} (never counted as 0).`,
    evidence: null,
  };
}

/**
 * A finding its figures break: `expected` and `actual` as exact decimals, their difference, and
 * the message `say` words from them (each as printed: e, a, and d signed).
 */
export function violated(
  base: Pick<FindingDraft, 'year' | 'ruleId' | 'scope' | 'cells' | 'otherYear'>,
  expected: Scaled,
  actual: Scaled,
  say: (e: string, a: string, d: string) => { zh: string; en: string },
): FindingDraft {
  const [e, a, d] = [formatDecimal(expected), formatDecimal(actual), signed(actual - expected)];
  const { zh, en } = say(e, a, d);
  return {
    ...base,
    severity: severityOf(base.ruleId),
    status: 'VIOLATED',
    expected: e,
    actual: a,
    difference: formatDecimal(actual - expected),
    messageZh: zh,
    messageEn: en,
    evidence: null,
  };
}

export function sideCells(
  figures: Figures,
  side: Side,
  which: FindingCell['side'],
  year: number,
): FindingCell[] {
  return side.cells.map((code) => {
    const { status, value } = figureOf(figures, code);
    return { code, side: which, year, status, value };
  });
}
export const sumOf = (cells: readonly FindingCell[]) =>
  sumDecimals(cells.map((c) => (c.value === null ? 0n : parseDecimal(c.value))));

export interface YearFigures {
  year: number;
  figures: Figures;
}
