/**
 * Splits digit runs into cells when a text prints a table row's numbers with no separator
 * between them (a web archive's text dump: `规范性文件898989`, `一、本年新收…640020470`).
 *
 * A split is only accepted when it fits the row's number of columns, the form each cell's
 * figure may take (no leading zero; a sign only on 本年增/减; a decimal part only on 万元
 * amounts), and every identity of the template (row totals, table-3 column balances,
 * table-4 totals). A cell is decoded when every accepted split gives it the same value;
 * otherwise it is unreadable and keeps the values that remain possible. One split is never
 * picked among several and stored as if it were printed.
 */
import { identitiesOf, type RuleId, type SumIdentity } from '../catalogue/identities.ts';
import type { TemplateVersion } from '../catalogue/template.ts';
import {
  type Assignment,
  balances,
  formOf,
  MAX_TABLE_STEPS,
  numeric,
  type RowRun,
  type RowSplits,
  rowSplits,
} from './digit-splits.ts';

export type { RowRun, ValueToken } from './digit-splits.ts';

export type DecodedCell =
  | {
      code: string;
      status: 'value';
      value: string /** Cut out of a digit run (the only split that fits the template). */;
      decoded: boolean;
    }
  | { code: string; status: 'mark' }
  /**
   * `orNotReported`: in some split the cell is a blank cell's mark, which `candidates` cannot list.
   * `open`: more splits fit than the search could list, so `candidates` are only some of them.
   */
  | { code: string; status: 'unreadable'; candidates: string[]; orNotReported?: boolean; open?: boolean };

export interface DecodeResult {
  cells: DecodedCell[];
  /**
   * Rows whose tokens fit no split at all: the row cannot be read. `blanksDropped`: they fit
   * only by splitting figures printed apart by spaces, against the row's own total, which is
   * what a row whose blank cells were dropped looks like (258 12 1 1 for seven columns).
   */
  impossible: { row: number; reason: string; blanksDropped?: boolean }[];
  /** Identities the printed figures break, which were therefore not used to decide splits. */
  brokenIdentities: SumIdentity[];
  /**
   * Rows whose split only their own totals decided, no identity across rows checking it (table
   * 4's one line of figures): the cells (`codes`) whose figure they fixed. A total the agency
   * misprinted would have fixed another split (12|0|0|0|21 read as 1|20|0|0|21), so these are
   * said to the reader, not taken as proven.
   */
  splitByTotals: { row: number; codes: string[] }[];
}

/** The identities usable on these rows: those whose every cell is one of the rows' cells. */
function usableIdentities(version: TemplateVersion, codes: ReadonlySet<string>) {
  return identitiesOf(version).filter((identity) =>
    [...identity.expected.cells, ...identity.actual.cells].every((c) => codes.has(c)),
  );
}

const CROSS_ROW_RULES: readonly RuleId[] = ['T3_BALANCE', 'T3_OUTCOMES_SUM'];

/**
 * Decodes the rows of one table. Rows are solved on their own first (their column count,
 * forms and row total), then together under the identities that span rows.
 */
export function decodeRuns(
  version: TemplateVersion,
  rows: readonly RowRun[],
  options: { separated?: boolean } = {},
): DecodeResult {
  const separated = options.separated ?? false;
  const codes = new Set(rows.flatMap((r) => r.codes));
  const identities = usableIdentities(version, codes);
  const rowOf = new Map<string, number>();
  rows.forEach((row, r) => {
    for (const code of row.codes) rowOf.set(code, r);
  });
  const withinRow = (identity: SumIdentity) => {
    const all = [...identity.expected.cells, ...identity.actual.cells];
    return all.every((c) => rowOf.get(c) === rowOf.get(all[0] ?? ''));
  };
  const impossible: DecodeResult['impossible'] = [];
  const brokenIdentities: SumIdentity[] = [];

  // Cells no identity reaches (table 2's): a cut there is checked by the column count alone. In
  // a table that prints a row's figures apart ("3 45"), a row one figure short left a blank cell
  // out, as text drops empty cells, rather than running figures together: 3|4|5 is a guess.
  const checkedCells = new Set(identities.flatMap((i) => [...i.expected.cells, ...i.actual.cells]));
  const printsApart = rows.some((row) => row.codes.length >= 2 && row.apart === true);
  const perRow = rows.map((row, r): RowSplits & { byTotals?: boolean } => {
    const forms = row.codes.map(formOf);
    if (printsApart && !separated && !row.codes.every((c) => checkedCells.has(c))) {
      const whole = rowSplits(row, forms, [], true);
      if (whole.splits.length === 0 && rowSplits(row, forms, [], false).splits.length > 0) {
        impossible.push({
          row: r,
          reason: `"${row.tokens.map((t) => t.text).join(' ')}" fills the ${row.codes.length} columns only by cutting a figure, where this table prints its figures apart: a blank cell may have been left out instead`,
          blanksDropped: true,
        });
      }
      if (whole.splits.length > 0 || whole.overflow) return whole;
      return { ...whole, splits: [] };
    }
    const own = identities
      .filter((i) => withinRow(i) && rowOf.get(i.expected.cells[0] ?? '') === r)
      .map((i) => ({
        identity: i,
        positions: [i.expected.cells, i.actual.cells].map((side) => side.map((c) => row.codes.indexOf(c))),
      }));
    let result: RowSplits & { byTotals?: boolean } = rowSplits(row, forms, own, separated);
    // Read by its own totals too: rivalSplits may read it by its columns alone.
    if (own.length > 0) result.byTotals = true;
    if (result.splits.length === 0 && own.length > 0) {
      // The printed figures break the row's own total: read the row by its columns alone, unless
      // that splits figures the row prints apart (258 12 1 1 as 2|5|8|1|2|1|1): spaces between
      // some figures say where figures end, so a split they do not show, against the row's own
      // total, is a guess; blank cells dropped from between them fit the print as well.
      const numbers = row.tokens.filter((t) => t.kind === 'digits').length;
      const splitsApart = numbers >= 2 && row.tokens.length < row.codes.length;
      const structural = rowSplits(row, forms, [], separated);
      if (structural.splits.length > 0 && splitsApart) {
        impossible.push({
          row: r,
          reason: `"${row.tokens.map((t) => t.text).join(' ')}" fits the ${row.codes.length} columns only by splitting figures printed apart, and the split breaks the row's own total; blank cells may have been dropped`,
          blanksDropped: true,
        });
        return { ...result, splits: [] };
      }
      // Figures printed whole break the total as printed: read as printed, the total's finding
      // says so. A split that cuts digits is checked by nothing then but the column count: a row
      // run together with a blank cell left out ("2581211" for 258|12|—|—|1|1|—, as a page that
      // prints zeros blank is dumped) fits seven columns one digit each, and was stored so.
      const whole = rowSplits(row, forms, [], true);
      // (Only where the search by the total finished: past its budget nothing is proven.)
      if (!result.overflow && structural.splits.length > 0 && whole.splits.length === 0) {
        impossible.push({
          row: r,
          reason: `"${row.tokens.map((t) => t.text).join(' ')}" fits the ${row.codes.length} columns only by cutting figures, and no cut keeps the row's own total; blank cells may have been left out, or a figure misprinted`,
          blanksDropped: true,
        });
        return { ...result, splits: [] };
      }
      if (structural.splits.length > 0) {
        // Only the totals the figures as read break are said broken (a row of three proceedings
        // may break one proceeding's total and keep the others').
        // Where no one total is broken by every split (each breaks another), those some split
        // breaks are said: none of the row's totals was used.
        const always = own.filter((o) => structural.splits.every((split) => breaks(o.positions, split)));
        const some = own.filter((o) => structural.splits.some((split) => breaks(o.positions, split)));
        // (Unless the search by the totals stopped at its budget: then nothing says they break.)
        if (!result.overflow)
          brokenIdentities.push(
            ...(always.length > 0 ? always : some.length > 0 ? some : own).map((o) => o.identity),
          );
        result = structural;
      }
    }
    if (result.splits.length === 0) {
      impossible.push({
        row: r,
        reason: `${row.tokens.map((t) => t.text).join(' ')} cannot be split into ${row.codes.length} figures`,
      });
    }
    return result;
  });

  // Cross-row identities, instance by instance; an instance the determined figures already break is dropped.
  const cross = identities.filter((i) => !withinRow(i));
  const solveTogether = (active: readonly SumIdentity[]) => {
    const values = rows.map((row) => row.codes.map(() => new Set<string | null>()));
    // Rows no identity reaches combine freely: each adds its own splits' values, and the search
    // goes over the others only (with none active it had enumerated every row's every split).
    const reached = new Set(
      active.flatMap((i) => [...i.expected.cells, ...i.actual.cells].map((c) => rowOf.get(c) ?? -1)),
    );
    const readable = perRow
      .map((p, r) => ({ r, count: p.overflow ? 0 : p.splits.length }))
      .filter((o) => o.count > 0);
    const free = readable.filter((o) => !reached.has(o.r)).map((o) => o.r);
    const order = readable
      .filter((o) => reached.has(o.r))
      .sort((a, b) => a.count - b.count)
      .map((o) => o.r);
    const chosen = new Map<number, Assignment>();
    const chosenValue = (code: string) => {
      const r = rowOf.get(code);
      const split = r === undefined ? undefined : chosen.get(r);
      if (!split || r === undefined) return undefined;
      return split[rows[r]?.codes.indexOf(code) ?? -1];
    };
    const ready = active.map((identity) => ({
      identity,
      rows: new Set([...identity.expected.cells, ...identity.actual.cells].map((c) => rowOf.get(c) ?? -1)),
    }));
    let steps = 0;
    let solutions = 0;
    const visit = (k: number): boolean => {
      if (++steps > MAX_TABLE_STEPS) return false;
      if (k === order.length) {
        solutions++;
        for (const [r, split] of chosen) {
          for (const [i, v] of split.entries()) values[r]?.[i]?.add(v);
        }
        return true;
      }
      const r = order[k] ?? 0;
      for (const split of perRow[r]?.splits ?? []) {
        chosen.set(r, split);
        const ok = ready.every(({ identity, rows: needed }) => {
          if (!needed.has(r) || [...needed].some((n) => !chosen.has(n))) return true;
          return balances(identity.expected.cells, identity.actual.cells, chosenValue);
        });
        if (ok && !visit(k + 1)) return false;
      }
      chosen.delete(r);
      return true;
    };
    const finished = visit(0);
    if (solutions > 0) {
      for (const r of free) {
        for (const split of perRow[r]?.splits ?? []) {
          for (const [i, v] of split.entries()) values[r]?.[i]?.add(v);
        }
      }
    }
    return { values, solutions, finished };
  };
  /**
   * Solves the rows together under the cross-row identities; where no split fits them all, sets
   * aside those the figures already determined break, then whole rules, until one fits.
   */
  const solveSettingAside = () => {
    let active = cross;
    const setAside: SumIdentity[] = [];
    let together = solveTogether(active);
    const fitsAll = !together.finished || together.solutions > 0;
    if (!fitsAll) {
      const determined = (code: string) => {
        const r = rowOf.get(code) ?? -1;
        const splits = perRow[r]?.splits ?? [];
        const i = rows[r]?.codes.indexOf(code) ?? -1;
        return splits.length > 0 && splits.every((s) => s[i] === splits[0]?.[i])
          ? (splits[0]?.[i] ?? null)
          : undefined;
      };
      const provablyBroken = active.filter(
        (identity) => !balances(identity.expected.cells, identity.actual.cells, determined),
      );
      setAside.push(...provablyBroken);
      active = active.filter((i) => !provablyBroken.includes(i));
      together = solveTogether(active);
      for (const rule of CROSS_ROW_RULES) {
        if (!together.finished || together.solutions > 0) break;
        setAside.push(...active.filter((i) => i.rule === rule));
        active = active.filter((i) => i.rule !== rule);
        together = solveTogether(active);
      }
    }
    return { together, setAside, fitsAll };
  };
  /**
   * Where no split fits every identity, a row's printed total or a column's balance is wrong,
   * and which cannot be told: trusting the totals stored 71|0|…|17 (a total misprinted for 71)
   * as 7|10|…|17, whose row total holds while two column balances break. Per row, the splits
   * by its columns alone that break fewer cross-row identities than the split read does
   * (broken whatever the other rows' undecided cells hold) stay possible, so where they differ
   * the cell is unreadable instead of decoded. A row every cross-row identity of which was set
   * aside was decided by its own total alone, which may be the misprint: every split by its
   * columns stays possible (4|10|…|41, a total misprinted for 14, was stored 41|0|…|41). The
   * splits that break fewer are searched for, not listed and then counted: a row of 17 digits
   * has more splits than can be listed, and one whose splits could not all be tried, with one of
   * its identities set aside, is `open` (which of them the misprint allows cannot be told).
   */
  const rivalSplits = (
    possibleOf: (r: number, i: number) => Set<string | null>,
    setAside: readonly SumIdentity[],
  ) => {
    // A cell's possible figures, from the reading so far; null where one is not a whole number.
    // A blank cell's mark adds nothing, as in `balances`: counted as unknown, any column with a
    // blank in it was never found broken, and 36———2130 (36|—|—|—|2|1|30, a total misprinted for
    // 39) was stored 3|6|—|—|—|21|30.
    // Memoised: the bounded search asks at every step, and a row's possible figures do not change.
    const figuresOf = new Map<string, number[] | null>();
    const possibleFigures = (code: string): number[] | null => {
      if (figuresOf.has(code)) return figuresOf.get(code) ?? null;
      const figures = figuresNow(code);
      figuresOf.set(code, figures);
      return figures;
    };
    const figuresNow = (code: string): number[] | null => {
      const r = rowOf.get(code) ?? -1;
      const figures = [...possibleOf(r, rows[r]?.codes.indexOf(code) ?? -1)].map((v) =>
        v === null ? 0 : numeric(v),
      );
      return figures.length === 0 || figures.includes(null) ? null : (figures as number[]);
    };
    const rivals = new Map<number, Assignment[] | 'open'>();
    perRow.forEach((p, r) => {
      const row = rows[r];
      if (!row || !p.byTotals || p.splits.length === 0) return;
      const codes = row.codes;
      const forms = codes.map(formOf);
      const reaching = cross.filter((identity) =>
        [...identity.expected.cells, ...identity.actual.cells].some((c) => rowOf.get(c) === r),
      );
      // A cross-row identity of the row was set aside: a figure in its columns is misprinted.
      const doubted = reaching.some((identity) => setAside.includes(identity));
      if (reaching.length > 0 && reaching.every((identity) => setAside.includes(identity))) {
        const loose = rowSplits(row, forms, [], separated);
        rivals.set(r, loose.overflow ? 'open' : loose.splits);
        return;
      }
      // The last of the row's cells each identity reads: it is counted once they are all chosen.
      const lastCell = new Map(
        reaching.map((identity) => [
          identity,
          Math.max(...[...identity.expected.cells, ...identity.actual.cells].map((c) => codes.indexOf(c))),
        ]),
      );
      // The identities broken whatever the other rows' undecided cells hold (the sides' ranges
      // do not meet), among those whose cells in this row are chosen.
      const broken = (split: readonly (string | null)[]) => {
        const figures = (code: string) => {
          if (rowOf.get(code) !== r) return possibleFigures(code);
          const at = split[codes.indexOf(code)];
          const v = at === null ? 0 : numeric(at ?? '');
          return v === null ? null : [v];
        };
        const range = (cells: readonly string[]) => {
          let low = 0;
          let high = 0;
          for (const code of cells) {
            const f = figures(code);
            if (!f) return null;
            low += Math.min(...f);
            high += Math.max(...f);
          }
          return [low, high] as const;
        };
        return reaching.filter((identity) => {
          if ((lastCell.get(identity) ?? 0) >= split.length) return false;
          const a = range(identity.expected.cells);
          const b = range(identity.actual.cells);
          return a !== null && b !== null && (a[1] < b[0] || b[1] < a[0]);
        }).length;
      };
      const fewest = Math.min(...p.splits.map(broken));
      if (fewest === 0) return;
      const better = rowSplits(row, forms, [], separated, { cost: broken, below: fewest });
      if (better.overflow) {
        if (doubted) rivals.set(r, 'open');
        return;
      }
      if (better.splits.length > 0) rivals.set(r, better.splits);
    });
    return rivals;
  };
  const strict = solveSettingAside();
  const together = strict.together;
  brokenIdentities.push(...strict.setAside);
  // Past the search budget, or with no solution at all, each row stands on its own splits.
  const useTogether = together.finished && together.solutions > 0;
  const possibleOf = (r: number, i: number) =>
    useTogether
      ? new Set(together.values[r]?.[i] ?? [])
      : new Set((perRow[r]?.splits ?? []).map((s) => s[i] ?? null));
  // An identity reading a row that has no split to offer (its search stopped at its budget, or
  // nothing fits it) checks nothing: the rows it reaches stand on their own totals, as where it is
  // set aside (4|10|…|41 read from a row whose column balance read a 20-digit total row).
  const unreadableRows = new Set(perRow.flatMap((p, r) => (p.overflow || p.splits.length === 0 ? [r] : [])));
  const unchecking = cross.filter((identity) =>
    [...identity.expected.cells, ...identity.actual.cells].some((c) =>
      unreadableRows.has(rowOf.get(c) ?? -1),
    ),
  );
  const rival =
    strict.fitsAll && unchecking.length === 0
      ? null
      : rivalSplits(possibleOf, [
          ...strict.setAside,
          ...unchecking.filter((i) => !strict.setAside.includes(i)),
        ]);

  const splitByTotals: DecodeResult['splitByTotals'] = [];
  perRow.forEach((p, r) => {
    const row = rows[r];
    if (!row || !p.byTotals || p.overflow || p.splits.length === 0) return;
    const checked = cross.some((identity) =>
      [...identity.expected.cells, ...identity.actual.cells].some((c) => rowOf.get(c) === r),
    );
    if (checked) return;
    const loose = rowSplits(row, row.codes.map(formOf), [], separated);
    const valuesAt = (splits: readonly Assignment[], i: number) => new Set(splits.map((split) => split[i]));
    const codes = row.codes.filter(
      (_, i) => valuesAt(p.splits, i).size === 1 && (loose.overflow || valuesAt(loose.splits, i).size > 1),
    );
    if (codes.length > 0) splitByTotals.push({ row: r, codes });
  });

  const cells: DecodedCell[] = [];
  rows.forEach((row, r) => {
    const own = perRow[r];
    row.codes.forEach((code, i) => {
      if (!own || own.splits.length === 0) return;
      const possible = possibleOf(r, i);
      const rivals = rival?.get(r);
      const open = own.overflow || rivals === 'open';
      if (rivals !== 'open') for (const split of rivals ?? []) possible.add(split[i] ?? null);
      const list = [...possible];
      if (!open && list.length === 1) {
        const only = list[0];
        cells.push(
          only === null || only === undefined
            ? { code, status: 'mark' }
            : { code, status: 'value', value: only, decoded: row.tokens.length < row.codes.length },
        );
        return;
      }
      const candidates = list
        .filter((v): v is string => v !== null)
        .sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
      cells.push({
        code,
        status: 'unreadable',
        candidates,
        ...(list.includes(null) ? { orNotReported: true } : {}),
        ...(open ? { open: true } : {}),
      });
    });
  });
  return { cells, impossible, brokenIdentities, splitByTotals };
}

/** Whether a split's figures break a total, as the split search counts them (a blank adds nothing). */
const breaks = (positions: readonly (readonly number[])[], split: readonly (string | null)[]) =>
  !balances(positions[0] ?? [], positions[1] ?? [], (at) => split[at]);

/**
 * Why an unreadable cell of a digit run is not read, as the gap's message says it: the figures it
 * could be (`inColumn`, in the column's unit), or that they could not all be listed.
 */
export function splitDoubt(
  cell: Extract<DecodedCell, { status: 'unreadable' }>,
  inColumn: readonly string[],
  unit: string | undefined,
): string {
  const wan = unit === '元' ? ' (万元)' : '';
  if (cell.open || inColumn.length === 0)
    return `and more splits fit the template than could be tried (or a misprinted figure leaves them open); cell ${cell.code} cannot be told${inColumn.length > 0 ? `: ${inColumn.join(' or ')}${wan} among others` : ''}`;
  return `and more than one split fits the template; cell ${cell.code} could be ${inColumn.join(' or ')}${wan}${cell.orNotReported ? " or not reported (a blank cell's mark run into the figures)" : ''}`;
}
