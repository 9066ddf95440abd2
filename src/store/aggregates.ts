/**
 * The pre-aggregations' catalogue side. Every metric of the catalogue, taken for each of its
 * applicant columns, is a "base" (277 of them): per report a numerator n, a denominator d
 * (ratios only) and a null reason w. figure_aggregate holds, per year × template version ×
 * province × agency level × kind and base, the sums and counts a rollup, an outcome breakdown
 * or a total pools. Sums and counts only: they can be taken back when a report leaves a group,
 * a minimum or a median cannot.
 *
 * The bases are computed here, in TypeScript, from a revision's stored figures, exactly as
 * the comparison facts compute them in SQL (src/comparison/facts.ts through figureValueSql and
 * figureStatusSql): the same blanks, "/", template versions and null reasons, with exact
 * decimal arithmetic. test/comparison/aggregate-path.test.ts checks both give the same answers.
 * Per-slot sums would not do: a group metric or a ratio pools only the reports that printed
 * every one of its cells, which sums of single cells cannot tell apart.
 */
import { METRICS, type MetricDefinition, type MetricNullReason } from '../catalogue/metrics.ts';
import { CELL_CODES_BY_SLOT, cellSlot } from '../catalogue/slots.ts';
import { APPLICANT_COLUMNS, TEMPLATE_VERSIONS, type TemplateVersion } from '../catalogue/template.ts';
import type { StoredFigures } from './figures.ts';

export interface FigureBase {
  /** Its number in figure_aggregate.base. */
  index: number;
  metric: MetricDefinition;
  applicant: string;
  ratio: boolean;
  /** The base of （七）总计 for the same applicant, whose shares an outcome breakdown gives. */
  shareTotal: number | null;
  /** 1-based position in report_fact's arrays, or null when report_fact does not hold it. */
  narrow: number | null;
}

const OUTCOME_TOTAL = 'T3_OUTCOMES_TOTAL';
/** What rankings and filters mostly ask for: the 总计 column's table 3 and every ratio. */
const isNarrow = (metric: MetricDefinition, applicant: string) =>
  applicant === 'TOTAL' && (metric.table === 'T3' || metric.kind === 'RATIO');

function buildBases(): FigureBase[] {
  const pairs = METRICS.flatMap((metric) =>
    (metric.byApplicant ? APPLICANT_COLUMNS.map((c) => c.code) : ['TOTAL']).map((applicant) => ({
      metric,
      applicant,
    })),
  );
  const indexOf = (name: string, applicant: string) =>
    pairs.findIndex((p) => p.metric.name === name && p.applicant === applicant) + 1;
  let narrow = 0;
  return pairs.map(({ metric, applicant }, i) => ({
    index: i + 1,
    metric,
    applicant,
    ratio: metric.kind === 'RATIO',
    shareTotal:
      metric.table === 'T3' && metric.byApplicant ? indexOf(OUTCOME_TOTAL, applicant) || null : null,
    narrow: isNarrow(metric, applicant) ? ++narrow : null,
  }));
}

export const FIGURE_BASES: readonly FigureBase[] = buildBases();
/** The bases report_fact holds, in the order of its arrays. */
export const NARROW_BASES: readonly FigureBase[] = FIGURE_BASES.filter((b) => b.narrow !== null);

/**
 * SQL of a narrow base's value in a report_fact row: the numerator, or for a ratio the numerator
 * over the denominator (null when it is zero), as the comparison facts compute a value. `row`
 * qualifies the columns; without it the text is what the base's rank index is built on, and a
 * query must spell the expression the same way for PostgreSQL to walk that index.
 */
export function narrowValueSql(base: FigureBase, row?: string): string {
  if (base.narrow === null) throw new Error(`${base.metric.name} (${base.applicant}) is not in report_fact`);
  const column = (name: string) => `${row ? `${row}.` : ''}${name}[${base.narrow}]`;
  return base.ratio ? `(${column('n')} / NULLIF(${column('d')}, 0))` : column('n');
}

/**
 * One index per narrow base on (year, value), which a ranking with a limit walks from its best
 * value down instead of sorting every report of the year. Created by the migration
 * 20261202000000_report_fact_rank_indexes; the schema-drift check holds the database to this list.
 */
export const RANK_INDEXES: readonly { name: string; base: FigureBase; definition: string }[] =
  NARROW_BASES.map((base) => {
    const name = `report_fact_rank_${base.narrow}`;
    return {
      name,
      base,
      definition: `CREATE INDEX "${name}" ON "report_fact"("year", (${narrowValueSql(base)}));`,
    };
  });

const byKey = new Map(FIGURE_BASES.map((b) => [`${b.metric.name}|${b.applicant}`, b]));

/** The base of a metric for an applicant column (TOTAL for metrics not by applicant). */
export function figureBase(metricName: string, applicant: string): FigureBase {
  const base = byKey.get(`${metricName}|${applicant}`);
  if (!base) throw new Error(`No figure base for ${metricName} (${applicant})`);
  return base;
}

/**
 * An exact decimal: `units` × 10^-`scale`, as PostgreSQL's numeric keeps it. Units are a safe
 * integer while they fit, which report figures (counts) nearly always do, and a bigint past
 * that: a bulk import adds thousands of them per report, and bigint arithmetic allocated and
 * cost more than the rest of the aggregate work.
 */
export interface Exact {
  units: number | bigint;
  scale: number;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** `units` as a number where it is a safe integer, else as a bigint. */
const unitsOf = (big: bigint): number | bigint => {
  const small = Number(big);
  return Number.isSafeInteger(small) ? small : big;
};

export function parseExact(text: string): Exact | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const fraction = m[3] ?? '';
  const units = unitsOf(BigInt(`${m[2]}${fraction}`));
  return { units: m[1] ? -units : units, scale: fraction.length };
}

/** An exact whole number. */
export const exactInt = (units: number): Exact => ({ units, scale: 0 });

export const isZeroExact = (a: Exact): boolean => a.units === 0 || a.units === 0n;

/**
 * a.units + sign × b.units where both are safe integers of one scale and so is the sum, else
 * null. A sum of two safe integers that is itself one is exact; one that is not went past 2^53.
 */
function smallSum(a: Exact, b: Exact, sign: 1 | -1): number | null {
  if (a.scale !== b.scale || typeof a.units !== 'number' || typeof b.units !== 'number') return null;
  const sum = a.units + sign * b.units;
  return Number.isSafeInteger(sum) ? sum : null;
}

/** a + sign × b. */
export function addExact(a: Exact, b: Exact, sign: 1 | -1 = 1): Exact {
  const small = smallSum(a, b, sign);
  if (small !== null) return { units: small, scale: a.scale };
  const scale = Math.max(a.scale, b.scale);
  const up = (x: Exact) => BigInt(x.units) * 10n ** BigInt(scale - x.scale);
  return { units: unitsOf(up(a) + BigInt(sign) * up(b)), scale };
}

export function exactText({ units, scale }: Exact): string {
  if (scale === 0) return String(units);
  const negative = units < 0;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

const ZERO: Exact = { units: 0, scale: 0 };

/** One report's base: numerator, denominator (ratios) and why there is no value. */
export interface BaseValue {
  n: Exact | null;
  d: Exact | null;
  w: MetricNullReason | null;
}

type Status = 'REPORTED' | 'NOT_REPORTED' | 'UNREADABLE' | 'MISSING';
const STATUS_OF: Record<string, Status> = {
  R: 'REPORTED',
  D: 'REPORTED',
  N: 'NOT_REPORTED',
  U: 'UNREADABLE',
};

/** A formula's cells as storage slots, per template version, computed once. */
type SlotFormula =
  | { kind: 'ABSENT' }
  | { kind: 'SUM'; cells: number[] }
  | { kind: 'RATIO'; numerator: number[]; denominator: number[] };

const slotFormulas: Map<TemplateVersion, SlotFormula[]> = new Map(
  TEMPLATE_VERSIONS.map((version) => [
    version,
    FIGURE_BASES.map((b): SlotFormula => {
      const f = b.metric.formula(version, b.applicant);
      if (f.kind === 'SUM') return { kind: 'SUM', cells: f.cells.map(cellSlot) };
      if (f.kind === 'RATIO')
        return {
          kind: 'RATIO',
          numerator: f.numerator.map(cellSlot),
          denominator: f.denominator.map(cellSlot),
        };
      return { kind: 'ABSENT' };
    }),
  ]),
);

const ABSENT_VALUE: BaseValue = { n: null, d: null, w: 'NOT_IN_TEMPLATE_VERSION' };

/**
 * Every base of one report from its revision_figures row, in FIGURE_BASES order. A stored
 * value that is not exact decimal text is an error, never a guess.
 */
export function reportBases(version: string, figures: StoredFigures, revisionId: number): BaseValue[] {
  const formulas = slotFormulas.get(version as TemplateVersion);
  if (!formulas) return FIGURE_BASES.map(() => ABSENT_VALUE);
  const raw = figures.statuses ?? '';
  const statuses = typeof raw === 'string' ? raw : Buffer.from(raw).toString('latin1');
  const ints = figures.intValues ?? [];
  const decimals = (figures.decimalValues ?? {}) as Record<string, string | undefined>;
  // Every slot read once up front, into arrays sized for the catalogue: its value (null when
  // there is none) and status, by slot number.
  const slotCount = CELL_CODES_BY_SLOT.length;
  const values: (Exact | null)[] = new Array(slotCount + 1).fill(null);
  const statusOf: Status[] = new Array(slotCount + 1).fill('MISSING');
  for (let slot = 1; slot <= slotCount; slot++) {
    const char = statuses[slot - 1] ?? '';
    statusOf[slot] = STATUS_OF[char] ?? 'MISSING';
    if (char === 'R') {
      const int = ints[slot - 1];
      if (typeof int === 'number') values[slot] = exactInt(int);
    } else if (char === 'D') {
      const text = decimals[String(slot)];
      if (text !== undefined) {
        const value = parseExact(text);
        if (!value)
          throw new Error(`Revision ${revisionId}, slot ${slot}: stored value "${text}" is not a decimal`);
        values[slot] = value;
      }
    }
  }
  // Whole numbers add up as doubles while the sum stays a safe integer; one Exact per sum.
  const sum = (slots: readonly number[]): Exact | null => {
    let small = 0;
    let total: Exact | null = null;
    for (const slot of slots) {
      const value = values[slot];
      if (!value) return null;
      if (total === null && value.scale === 0 && typeof value.units === 'number') {
        const next = small + value.units;
        if (Number.isSafeInteger(next)) {
          small = next;
          continue;
        }
      }
      total = addExact(total ?? exactInt(small), value);
    }
    return total ?? exactInt(small);
  };
  const reason = (...lists: (readonly number[])[]): MetricNullReason | null => {
    let found: MetricNullReason | null = null;
    for (const slots of lists) {
      for (const slot of slots) {
        const status = statusOf[slot];
        if (status === 'MISSING') return 'MISSING';
        if (status === 'UNREADABLE') found = 'UNREADABLE';
        else if (status === 'NOT_REPORTED' && found === null) found = 'NOT_REPORTED';
      }
    }
    return found;
  };
  return formulas.map((f): BaseValue => {
    if (f.kind === 'SUM') return { n: sum(f.cells), d: null, w: reason(f.cells) };
    if (f.kind === 'RATIO') {
      const d = sum(f.denominator);
      const w = reason(f.numerator, f.denominator) ?? (d && isZeroExact(d) ? 'DIVISION_BY_ZERO' : null);
      return { n: sum(f.numerator), d, w };
    }
    return ABSENT_VALUE;
  });
}

/** The sums and counts of one base in one group, as figure_aggregate holds them. */
export interface BaseTotals {
  reportCount: number;
  cntV: number;
  sumV: Exact;
  cntOk: number;
  sumN: Exact;
  sumD: Exact;
  wAbsent: number;
  wNotReported: number;
  wMissing: number;
  wUnreadable: number;
  wDivisionByZero: number;
  shareN: Exact;
  shareT: Exact;
}

/** Totals of no report; each sum its own object, as countReport adds into them in place. */
export const emptyTotals = (): BaseTotals => ({
  reportCount: 0,
  cntV: 0,
  sumV: { ...ZERO },
  cntOk: 0,
  sumN: { ...ZERO },
  sumD: { ...ZERO },
  wAbsent: 0,
  wNotReported: 0,
  wMissing: 0,
  wUnreadable: 0,
  wDivisionByZero: 0,
  shareN: { ...ZERO },
  shareT: { ...ZERO },
});

/** Adds sign × x to `sum` in place. */
function addInto(sum: Exact, x: Exact, sign: 1 | -1): void {
  const small = smallSum(sum, x, sign);
  if (small !== null) {
    sum.units = small;
    return;
  }
  const next = addExact(sum, x, sign);
  sum.units = next.units;
  sum.scale = next.scale;
}

const REASON_FIELD: Record<string, keyof BaseTotals> = {
  NOT_IN_TEMPLATE_VERSION: 'wAbsent',
  NOT_REPORTED: 'wNotReported',
  MISSING: 'wMissing',
  UNREADABLE: 'wUnreadable',
  DIVISION_BY_ZERO: 'wDivisionByZero',
};

/**
 * Adds (sign 1) or takes out (sign -1) one report's bases to per-base totals, as the row path
 * pools them (src/comparison/facts.ts): a value counts where it is known, a numerator and
 * denominator where all the figures are, an outcome's share where the outcomes' total is too.
 */
export function countReport(totals: BaseTotals[], bases: readonly BaseValue[], sign: 1 | -1): void {
  for (let i = 0; i < FIGURE_BASES.length; i++) {
    const base = FIGURE_BASES[i] as FigureBase;
    const t = totals[i] as BaseTotals;
    const { n, d, w } = bases[i] as BaseValue;
    t.reportCount += sign;
    const ok = n !== null && (!base.ratio || d !== null);
    if (base.ratio ? ok && d !== null && !isZeroExact(d) : n !== null) t.cntV += sign;
    if (!base.ratio && n) addInto(t.sumV, n, sign);
    if (ok && n) {
      t.cntOk += sign;
      addInto(t.sumN, n, sign);
      if (d) addInto(t.sumD, d, sign);
      const total = base.shareTotal === null ? null : (bases[base.shareTotal - 1]?.n ?? null);
      if (total) {
        addInto(t.shareN, n, sign);
        addInto(t.shareT, total, sign);
      }
    }
    const field = w ? REASON_FIELD[w] : undefined;
    if (field) (t[field] as number) += sign;
  }
}

/** A PostgreSQL array literal of one report's narrow bases: n, d (exact text) or w. */
export function narrowArrays(bases: readonly BaseValue[]): { n: string; d: string; w: string } {
  const list = (pick: (v: BaseValue) => string | null) =>
    `{${NARROW_BASES.map((b) => pick(bases[b.index - 1] as BaseValue) ?? 'NULL').join(',')}}`;
  return {
    n: list((v) => (v.n ? exactText(v.n) : null)),
    d: list((v) => (v.d ? exactText(v.d) : null)),
    w: list((v) => v.w),
  };
}
