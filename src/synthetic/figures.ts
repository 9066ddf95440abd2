/**
 * Plausible, internally consistent figures for one agency over a run of years: every
 * accounting identity of the catalogue holds and 二、上年结转 equals the previous year's
 * 四、结转下年度继续办理. A configurable share of reports gets one deliberate error.
 */
import { cellsOfVersion, table3CellCode, table4CellCode } from '../catalogue/cells.ts';
import type { RuleId } from '../catalogue/identities.ts';
import {
  APPLICANT_COLUMNS,
  TABLE3_ROWS,
  TABLE4_PROCEEDINGS,
  TABLE4_RESULTS,
  type TemplateVersion,
} from '../catalogue/template.ts';
import { departmentProfile, type SyntheticAgency } from './agencies.ts';
import { hashSeed, Random, split } from './random.ts';

/** Cell code → the text printed in the cell ("12", "+3", "12.35"). */
export type PrintedFigures = Map<string, string>;

export interface SyntheticYear {
  year: number;
  templateVersion: TemplateVersion;
  figures: PrintedFigures;
  /** The rule the deliberate error breaks, or null for a consistent report. */
  injected: RuleId | null;
}

export const versionOfYear = (year: number): TemplateVersion => (year <= 2020 ? 'V2019' : 'V2021');

const APPLICANTS = APPLICANT_COLUMNS.filter((c) => !c.isTotal);
const TOTAL_COLUMN = APPLICANT_COLUMNS.find((c) => c.isTotal)?.code ?? 'TOTAL';
/** Who asks: natural persons most, then businesses, law firms and others. */
const APPLICANT_WEIGHTS = [76, 11, 1, 1.5, 6, 4.5];

/** How requests end, by outcome row code (rows absent from a version are skipped). */
const OUTCOME_WEIGHTS: Record<string, number> = {
  GRANTED: 42,
  PARTLY_GRANTED: 8,
  REFUSED_STATE_SECRET: 0.3,
  REFUSED_PROHIBITED_BY_LAW: 0.6,
  REFUSED_ENDANGERS_SECURITY: 0.3,
  REFUSED_THIRD_PARTY: 1.5,
  REFUSED_INTERNAL_AFFAIRS: 1.2,
  REFUSED_PROCESS_INFORMATION: 1.5,
  REFUSED_ENFORCEMENT_FILE: 0.8,
  REFUSED_QUERY_MATTER: 1,
  CANNOT_PROVIDE_NOT_HELD: 18,
  CANNOT_PROVIDE_NEEDS_CREATION: 3,
  CANNOT_PROVIDE_STILL_UNCLEAR: 3,
  NOT_HANDLED_PETITION: 4,
  NOT_HANDLED_REPEATED: 3,
  NOT_HANDLED_PUBLICATION: 0.5,
  NOT_HANDLED_EXCESSIVE: 0.5,
  NOT_HANDLED_CONFIRMATION: 0.8,
  OTHER_HANDLING: 8,
  OTHER_NO_CORRECTION: 4,
  OTHER_FEE_UNPAID: 0.2,
  OTHER_OTHER: 4,
};

const INJECTABLE: readonly RuleId[] = [
  'T3_TOTAL_COLUMN',
  'T3_OUTCOMES_SUM',
  'T3_BALANCE',
  'T4_TOTAL',
  'T3_CARRY_OVER',
];

const money = (random: Random, median: number) => random.logNormal(median, 1.2).toFixed(2);
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

interface Carry {
  /** Per applicant column, requests still open at the end of the year. */
  forward: number[];
  normativeInForce: number;
  rulesInForce: number;
  items: Record<string, number>;
}

function table2(
  random: Random,
  agency: SyntheticAgency,
  version: TemplateVersion,
  carry: Carry,
  out: PrintedFigures,
) {
  const profile = departmentProfile(agency);
  const isGovernment = agency.kind === 'GOVERNMENT';
  const makesRules = isGovernment && (agency.level === 'PROVINCE' || agency.level === 'CITY');
  const rulesIssued = makesRules ? random.count(agency.level === 'PROVINCE' ? 4 : 1.5) : 0;
  const rulesRepealed = Math.min(carry.rulesInForce, makesRules ? random.count(0.8) : 0);
  carry.rulesInForce += rulesIssued - rulesRepealed;
  const docsIssued = random.count(agency.scale / 6 + 1);
  const docsRepealed = Math.min(carry.normativeInForce, random.count(docsIssued / 3));
  carry.normativeInForce += docsIssued - docsRepealed;
  const decisions = (kind: 'licensing' | 'penalties' | 'coercion') => {
    const weight =
      kind === 'licensing'
        ? profile.licensing
        : kind === 'penalties'
          ? profile.penalties
          : profile.penalties / 8;
    return weight === 0 ? 0 : Math.round(random.logNormal(agency.scale * weight * 20, 1));
  };
  if (version === 'V2021') {
    out.set('T2.RULES.ISSUED', String(rulesIssued));
    out.set('T2.RULES.REPEALED', String(rulesRepealed));
    out.set('T2.RULES.IN_FORCE', String(carry.rulesInForce));
    out.set('T2.NORMATIVE_DOCUMENTS.ISSUED', String(docsIssued));
    out.set('T2.NORMATIVE_DOCUMENTS.REPEALED', String(docsRepealed));
    out.set('T2.NORMATIVE_DOCUMENTS.IN_FORCE', String(carry.normativeInForce));
    out.set('T2.LICENSING.DECISIONS', String(decisions('licensing')));
    out.set('T2.PENALTY.DECISIONS', String(decisions('penalties')));
    out.set('T2.COERCION.DECISIONS', String(decisions('coercion')));
    out.set('T2.FEES.AMOUNT', random.chance(0.3) ? money(random, agency.scale / 4) : '0');
    return;
  }
  out.set('T2.RULES.MADE', String(rulesIssued));
  out.set('T2.RULES.PUBLISHED', String(rulesIssued));
  out.set('T2.RULES.TOTAL_PUBLISHED', String(carry.rulesInForce));
  out.set('T2.NORMATIVE_DOCUMENTS.MADE', String(docsIssued));
  out.set('T2.NORMATIVE_DOCUMENTS.PUBLISHED', String(Math.max(0, docsIssued - random.count(0.3))));
  out.set('T2.NORMATIVE_DOCUMENTS.TOTAL_PUBLISHED', String(carry.normativeInForce));
  for (const [row, kind] of [
    ['LICENSING', 'licensing'],
    ['OTHER_SERVICES', 'licensing'],
    ['PENALTY', 'penalties'],
    ['COERCION', 'coercion'],
  ] as const) {
    const previous = carry.items[row] ?? random.count(agency.scale / 4 + 2);
    const change = Math.max(-previous, random.int(-2, 3));
    carry.items[row] = previous + change;
    out.set(`T2.${row}.PREVIOUS_ITEMS`, String(previous));
    out.set(`T2.${row}.CHANGE`, signed(change));
    out.set(`T2.${row}.DECISIONS`, String(decisions(kind)));
  }
  const fees = carry.items.FEES ?? random.count(1);
  const feeChange = Math.max(-fees, random.int(-1, 1));
  carry.items.FEES = fees + feeChange;
  out.set('T2.FEES.PREVIOUS_ITEMS', String(fees));
  out.set('T2.FEES.CHANGE', signed(feeChange));
  const projects = random.count(agency.scale / 5);
  out.set('T2.PROCUREMENT.PROJECTS', String(projects));
  out.set('T2.PROCUREMENT.AMOUNT', projects === 0 ? '0' : money(random, projects * 30));
}

function table3(random: Random, agency: SyntheticAgency, version: TemplateVersion, carry: Carry) {
  const rows = TABLE3_ROWS.filter((r) => r.versions.includes(version));
  const outcomeRows = rows.filter((r) => r.outcome && !r.isOutcomeTotal);
  const newTotal = random.count(agency.scale * random.logNormal(1, 0.35));
  const fresh = split(random, newTotal, APPLICANT_WEIGHTS);
  const values = new Map<string, number[]>();
  const forward: number[] = [];
  const outcomes = outcomeRows.map(() => APPLICANTS.map(() => 0));
  for (const [i] of APPLICANTS.entries()) {
    const open = (fresh[i] ?? 0) + (carry.forward[i] ?? 0);
    const stillOpen = open === 0 ? 0 : Math.min(open, random.count(open * 0.06));
    forward.push(stillOpen);
    const handled = split(
      random,
      open - stillOpen,
      outcomeRows.map((r) => OUTCOME_WEIGHTS[r.code] ?? 1),
    );
    for (const [o] of outcomeRows.entries()) (outcomes[o] as number[])[i] = handled[o] ?? 0;
  }
  values.set('NEW_REQUESTS', fresh);
  values.set('CARRIED_OVER', carry.forward);
  for (const [o, row] of outcomeRows.entries()) values.set(row.code, outcomes[o] as number[]);
  values.set(
    'OUTCOMES_TOTAL',
    APPLICANTS.map((_, i) => outcomes.reduce((sum, row) => sum + (row[i] ?? 0), 0)),
  );
  values.set('CARRIED_FORWARD', forward);
  carry.forward = forward;
  return values;
}

/** One agency's figures for each of `years`, in order, each year chained to the one before. */
export function syntheticYears(
  agency: SyntheticAgency,
  years: readonly number[],
  options: {
    seed: number;
    inconsistencyRate: number;
    /**
     * A deliberate error this agency's report of a year must have (or null for none
     * forced); it replaces the drawn one, and every other figure stays as drawn.
     */
    inject?: (agency: SyntheticAgency, year: number) => RuleId | null;
  },
): SyntheticYear[] {
  const random = new Random(hashSeed(options.seed, `${agency.name}/figures`));
  const carry: Carry = {
    forward: split(random, random.count(agency.scale * 0.05), APPLICANT_WEIGHTS),
    normativeInForce: random.count(agency.scale + 5),
    rulesInForce: agency.kind === 'GOVERNMENT' && agency.level !== 'COUNTY' ? random.count(20) : 0,
    items: {},
  };
  const result: SyntheticYear[] = [];
  for (const year of years) {
    const version = versionOfYear(year);
    const figures: PrintedFigures = new Map();
    table2(random, agency, version, carry, figures);
    const t3 = table3(random, agency, version, carry);
    const reviews = random.count(agency.scale * 0.03);
    const direct = random.count(agency.scale * 0.012);
    const afterReview = random.count(agency.scale * 0.004);
    const t4 = new Map<string, number[]>();
    for (const [proceeding, total] of [
      ['REVIEW', reviews],
      ['LITIGATION_DIRECT', direct],
      ['LITIGATION_AFTER_REVIEW', afterReview],
    ] as const) {
      t4.set(proceeding, split(random, total, [70, 12, 8, 10]));
    }

    let injected: RuleId | null = null;
    if (random.chance(options.inconsistencyRate)) {
      const candidates = INJECTABLE.filter((r) => r !== 'T3_CARRY_OVER' || year !== years[0]);
      injected = random.pick(candidates);
    }
    const forced = options.inject?.(agency, year) ?? null;
    if (forced && (!INJECTABLE.includes(forced) || (forced === 'T3_CARRY_OVER' && year === years[0]))) {
      throw new Error(`${forced} cannot be injected into the ${year} report of ${agency.name}`);
    }
    if (forced) injected = forced;
    for (const [code, row] of t3) {
      const total = row.reduce((a, b) => a + b, 0);
      for (const [i, column] of APPLICANTS.entries())
        figures.set(table3CellCode(code, column.code), String(row[i] ?? 0));
      figures.set(table3CellCode(code, TOTAL_COLUMN), String(total));
    }
    for (const proceeding of TABLE4_PROCEEDINGS) {
      const parts = t4.get(proceeding.code) ?? [];
      for (const [i, result] of TABLE4_RESULTS.entries()) {
        const value = result.isTotal ? parts.reduce((a, b) => a + b, 0) : (parts[i] ?? 0);
        figures.set(table4CellCode(proceeding.code, result.code), String(value));
      }
    }
    const bump = (code: string, by: number) => figures.set(code, String(Number(figures.get(code) ?? 0) + by));
    const by = random.int(1, 3);
    switch (injected) {
      case 'T3_TOTAL_COLUMN':
        bump(table3CellCode('GRANTED', TOTAL_COLUMN), by);
        break;
      case 'T3_OUTCOMES_SUM':
        // The natural-person outcome total no longer adds up (and so neither does the total column).
        bump(table3CellCode('OUTCOMES_TOTAL', 'NATURAL_PERSON'), by);
        bump(table3CellCode('OUTCOMES_TOTAL', TOTAL_COLUMN), by);
        break;
      case 'T3_BALANCE':
        bump(table3CellCode('NEW_REQUESTS', 'NATURAL_PERSON'), by);
        bump(table3CellCode('NEW_REQUESTS', TOTAL_COLUMN), by);
        break;
      case 'T4_TOTAL':
        bump(table4CellCode('REVIEW', 'TOTAL'), by);
        break;
      case 'T3_CARRY_OVER':
        // The carried-over and handled figures move together, so only the link to last year breaks.
        for (const code of ['CARRIED_OVER', 'GRANTED', 'OUTCOMES_TOTAL']) {
          bump(table3CellCode(code, 'NATURAL_PERSON'), by);
          bump(table3CellCode(code, TOTAL_COLUMN), by);
        }
        break;
      default:
    }
    const expected = cellsOfVersion(version);
    if (expected.some((c) => !figures.has(c.code))) {
      throw new Error(
        `synthetic ${version} report lacks ${expected.find((c) => !figures.has(c.code))?.code}`,
      );
    }
    result.push({ year, templateVersion: version, figures, injected });
  }
  return result;
}
