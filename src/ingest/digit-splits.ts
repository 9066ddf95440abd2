/**
 * The splits of one row's printed values into its cells, each cell's figure in its form (no
 * leading zero; a sign only on 本年增/减; a decimal part only on 万元 amounts) and, where given,
 * the row's own identities holding: what decodeRuns (digit-runs.ts) searches over.
 */
import { cellByCode } from '../catalogue/cells.ts';

/**
 * A piece of a row's printed values: numbers run together (`640020470`), a not-reported mark
 * (`/`), or dashes run together (`71—————71`), which are as many blank cells as fit: each cell
 * printed "—" or "——", so k dashes are k/2 to k cells. `signs`: the dashes run into the digits
 * after them (`35—15`), so the last dash may instead be the next figure's minus sign. Every
 * reading is tried, and only what fits is kept.
 */
export interface ValueToken {
  text: string;
  kind: 'digits' | 'mark' | 'dashes';
  signs?: boolean;
}

/** The fewest cells a token fills. */
function fewestCells(token: ValueToken): number {
  if (token.kind !== 'dashes') return 1;
  const dashes = [...token.text].length - (token.signs ? 1 : 0);
  return Math.ceil(dashes / 2);
}

/** A table row read from running text: the cells it must fill and the tokens printed for them. */
export interface RowRun {
  codes: readonly string[];
  tokens: readonly ValueToken[];
  /** The row prints spaces between its figures ("3 45", one figure a line): they mark where figures end. */
  apart?: boolean;
}

type Form = 'count' | 'signed' | 'money';
const FORMS: Record<Form, RegExp> = {
  count: /^(?:0|[1-9]\d*)$/,
  signed: /^[+-]?(?:0|[1-9]\d*)$/,
  money: /^(?:0|[1-9]\d*)(?:\.\d+)?$/,
};

export function formOf(code: string): Form {
  const cell = cellByCode(code);
  if (cell?.signed) return 'signed';
  if (cell?.unit === 'WAN_YUAN') return 'money';
  return 'count';
}

/** Splits of one row beyond which the row is left unreadable rather than enumerated further. */
const MAX_ROW_SPLITS = 5_000;
/**
 * Steps of one row's search beyond which it is left unreadable: a run of 40 digits for seven
 * cells has millions of cuts to try, nearly all failing the row total only at the end (an 8 KB
 * file of such rows took minutes). The real documents' rows take at most 25,148 steps
 * (pingtan-2025's table 3).
 */
const MAX_ROW_STEPS = 100_000;
/** Search steps across rows beyond which only each row's own identities are used. */
export const MAX_TABLE_STEPS = 2_000_000;

const ZERO_DECIMALS = /\.0+$/;
export const numeric = (text: string) => (/^[+-]?\d+$/.test(text) ? Number(text) : null);

/**
 * Whether both sides of an identity add up alike, given each cell's figure: null for a blank
 * cell's mark, which adds nothing (as a total that leaves it out is printed), undefined for a
 * cell not yet chosen. An identity with a cell not yet chosen or without a whole number (a
 * decimal) cannot fail. Marks count: with them left out, any split of a row that prints one
 * passed its row total, and "71—————71" was read as 7 | 1 | — | — | — | 7 | 1.
 */
export function balances<K>(
  expected: readonly K[],
  actual: readonly K[],
  figure: (cell: K) => string | null | undefined,
) {
  const sum = (cells: readonly K[]) =>
    cells.reduce<number | null>((total, cell) => {
      const f = figure(cell);
      const v = f === null ? 0 : numeric(f ?? '');
      return total === null || v === null ? null : total + v;
    }, 0);
  const a = sum(expected);
  const b = sum(actual);
  return a === null || b === null || a === b;
}

/** A cell value: the figure text, or null for a not-reported mark. */
export type Assignment = (string | null)[];

export function rowSplits(
  row: RowRun,
  forms: readonly Form[],
  rowIdentities: readonly { positions: number[][] }[],
  separated: boolean,
  /**
   * Only the splits that cost less than `below`: `cost` of the cells chosen so far, never
   * less as more are chosen, so a split that reaches it is left at once (a search for the
   * splits breaking fewer identities, among more than could be listed).
   */
  bound?: { cost: (cells: readonly (string | null)[]) => number; below: number },
): { splits: Assignment[]; overflow: boolean } {
  const splits: Assignment[] = [];
  const cells: (string | null)[] = [];
  let overflow = false;
  const holds = () =>
    rowIdentities.every(({ positions: [expected = [], actual = []] }) =>
      balances(expected, actual, (i) => cells[i]),
    );
  let steps = 0;
  // The fewest cells the tokens from each one on fill.
  const needFrom: number[] = [];
  for (let t = row.tokens.length - 1; t >= 0; t--)
    needFrom[t] = (needFrom[t + 1] ?? 0) + fewestCells(row.tokens[t] as ValueToken);
  /** `minus`: the dash before this token is read as its first figure's sign. */
  const visit = (token: number, at: number, minus = false) => {
    if (overflow) return;
    if (++steps > MAX_ROW_STEPS) {
      overflow = true;
      return;
    }
    const cell = cells.length;
    if (bound && bound.cost(cells) >= bound.below) return;
    if (token === row.tokens.length) {
      if (cell === row.codes.length && holds()) {
        splits.push([...cells]);
        if (splits.length > MAX_ROW_SPLITS) overflow = true;
      }
      return;
    }
    const current = row.tokens[token];
    if (!current || cell >= row.codes.length) return;
    // The tokens still to come need cells of their own.
    if (row.codes.length - cell < (needFrom[token] ?? 0)) return;
    if (current.kind === 'mark') {
      cells.push(null);
      visit(token + 1, 0);
      cells.pop();
      return;
    }
    if (current.kind === 'dashes') {
      const dashes = [...current.text].length;
      const signed = current.signs === true && row.tokens[token + 1]?.kind === 'digits';
      for (const sign of signed ? [false, true] : [false]) {
        const marks = dashes - (sign ? 1 : 0);
        for (let blanks = Math.ceil(marks / 2); blanks <= marks; blanks++) {
          for (let b = 0; b < blanks; b++) cells.push(null);
          visit(token + 1, 0, sign);
          cells.length -= blanks;
        }
      }
      return;
    }
    const form = FORMS[forms[cell] ?? 'count'];
    // Where the text separates its cells, a token is one figure and is never cut; there a count
    // printed with zero decimals (1362.00), as a spreadsheet formats it, is that count.
    for (let end = separated ? current.text.length : at + 1; end <= current.text.length; end++) {
      const printed = current.text.slice(at, end);
      const piece =
        (minus && at === 0 ? '-' : '') +
        (separated && form !== FORMS.money ? printed.replace(ZERO_DECIMALS, '') : printed);
      if (!form.test(piece)) continue;
      cells.push(piece);
      visit(end === current.text.length ? token + 1 : token, end === current.text.length ? 0 : end);
      cells.pop();
    }
  };
  visit(0, 0);
  return { splits, overflow };
}

export type RowSplits = ReturnType<typeof rowSplits>;
