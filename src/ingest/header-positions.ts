/**
 * Where a header line prints each of its columns. Figures are placed by position, so the order
 * of the labels a header prints is not enough: a label printed one place off (社会公益组织 where
 * 法律服务机构 stands) or a column the template lacks (个体工商户 where 科研机构 stands) puts
 * figures under another column with every identity still holding. A header line is held
 * against the ways the template's header is printed, every cell at its place.
 */
import {
  APPLICANT_COLUMNS,
  type Label,
  LITIGATION_HEADER,
  ORGANISATION_HEADER,
  TABLE4_PROCEEDINGS,
  TABLE4_RESULTS,
} from '../catalogue/template.ts';
import { labelKeys, TABLE_NAMES } from './table-reading.ts';
import { isRowNumberHeader } from './table3-row-numbers.ts';
import { readCell, remembered, splitLabel } from './text.ts';
import type { Problem } from './types.ts';

type Table = 'T3' | 'T4';

/** Each table's header labels, and the ways a line of its header prints them (a row of the template's header, or its rows run into one). */
interface HeaderShape {
  labels: readonly Label[];
  /** Each kind of label (a table 4 line prints a run of results, then proceedings) is placed on its own. */
  kind: (label: number) => number;
  /** By kind, the label sequences a line may print any stretch of. */
  rows: readonly (readonly number[])[][];
}

const [NATURAL, COMMERCIAL, RESEARCH, SOCIAL, LEGAL, OTHER, TOTAL] = APPLICANT_COLUMNS.map(
  (_, i) => i,
) as number[];
const ORG = APPLICANT_COLUMNS.length;
const organisations = [COMMERCIAL, RESEARCH, SOCIAL, LEGAL, OTHER] as number[];
// 法人或其他组织 may be left out of a line (printed on a line of its own above, or with a note).
const withHeading = (heading: boolean) => (heading ? [NATURAL, ORG] : [NATURAL]) as number[];
const T3_ROWS: number[][] = [true, false].flatMap((heading) => [
  [...withHeading(heading), TOTAL as number],
  [...withHeading(heading), ...organisations, TOTAL as number],
  [...withHeading(heading), TOTAL as number, ...organisations],
]);
T3_ROWS.unshift(organisations);

const [REVIEW, DIRECT, AFTER_REVIEW] = [0, 1, 2];
const LAWSUITS = TABLE4_PROCEEDINGS.length;
const RESULT = LAWSUITS + 1;
const results = TABLE4_RESULTS.map((_, i) => RESULT + i);

const SHAPES: Record<Table, HeaderShape> = {
  T3: { labels: [...APPLICANT_COLUMNS, ORGANISATION_HEADER], kind: () => 0, rows: [T3_ROWS] },
  T4: {
    labels: [...TABLE4_PROCEEDINGS, LITIGATION_HEADER, ...TABLE4_RESULTS],
    kind: (label) => (label >= RESULT ? 1 : 0),
    rows: [
      [
        [REVIEW, LAWSUITS, DIRECT, AFTER_REVIEW],
        [REVIEW, DIRECT, AFTER_REVIEW],
      ] as number[][],
      // The five results under each of the three proceedings.
      [[...results, ...results, ...results]],
    ],
  },
};

/** A header cell: the label it names (its index in the shape's labels), or what else it is. */
type Cell = { text: string; label: number } | { text: string; label: 'unknown' | 'piece' };

/** Each header label's spellings, normalised, read once (a header's every cell is held against them). */
const KEYS: Record<Table, (readonly string[])[]> = {
  T3: SHAPES.T3.labels.map(labelKeys),
  T4: SHAPES.T4.labels.map(labelKeys),
};
/** The label each normalised spelling names (the first, where two labels share one). */
const labelAt = (table: Table) => {
  const at = new Map<string, number>();
  KEYS[table].forEach((keys, i) => {
    for (const key of keys) if (!at.has(key)) at.set(key, i);
  });
  return at;
};
const LABEL_AT: Record<Table, Map<string, number>> = { T3: labelAt('T3'), T4: labelAt('T4') };
/** Every spelling of a table's header labels, normalised, for telling a piece of one. */
const SPELLINGS: Record<Table, string[]> = { T3: KEYS.T3.flat(), T4: KEYS.T4.flat() };

/**
 * The label a cell names, -1 for none; null for a cell that is no column's header (a row label, a
 * note, 申请人情况). Remembered whole: every report's header prints the same cells, and each was
 * read, split, folded and looked up again by every pass over it.
 */
const labelOf = (table: Table, text: string): number | null => LABEL_OF[table](text);
const LABEL_OF: Record<Table, (text: string) => number | null> = {
  T3: remembered((text) => readLabelOf('T3', text)),
  T4: remembered((text) => readLabelOf('T4', text)),
};

function readLabelOf(table: Table, text: string): number | null {
  if (text.trim() === '' || readCell(text).kind !== 'text') return null;
  const { key, ordinal } = splitLabel(text);
  if (ordinal !== null || key === '') return null;
  // Table 3's row-number column (序号) stands before the labels: no column of figures.
  if (table === 'T3' && isRowNumberHeader(text)) return null;
  const at = LABEL_AT[table].get(key);
  if (at !== undefined) return at;
  // Words of a column label's length; the headings and notes over the columns are longer or name 申请人.
  return key.length > 8 || /申请人|勾稽|情况/.test(key) ? null : -1;
}

/** A word that is part of a label's spelling and no label (商业企 / 业, as a narrow header wraps). */
const isPiece = (table: Table, text: string) => {
  const { key } = splitLabel(text);
  return SPELLINGS[table].some((s) => s !== key && s.includes(key));
};

/**
 * A line of cells among its table's lines, for telling a piece of a label wrapped over lines
 * (wrapsAt). A place, not a closure over it: tsx (esbuild's keepNames) names every closure as it
 * is made, with Object.defineProperty; the parser's closures made per line or row cost a tenth
 * of its instructions that way (README, Performance).
 */
export interface CellsAround {
  lines: readonly { cells?: readonly string[] | null }[];
  at: number;
}

/** A line's cells or words read as labels; a piece of one is a piece where `around` completes it, or everywhere without it. */
function headerCells(table: Table, texts: readonly string[], around: CellsAround | undefined): Cell[] {
  const cells: Cell[] = [];
  texts.forEach((text, index) => {
    const label = labelOf(table, text);
    if (label === null) return;
    if (label >= 0) cells.push({ text: text.trim(), label });
    else if (isPiece(table, text) && (around === undefined || wrapsAt(table, around, index)))
      cells.push({ text: text.trim(), label: 'piece' });
    else cells.push({ text: text.trim(), label: cutShort(table, text) ?? 'unknown' });
  });
  return cells;
}

/**
 * The label a header cell cut short names (法律服务 for 法律服务机构, a cell too narrow for its
 * words): the one label some spelling of which it begins, in two characters or more. Only the
 * start of a label: 企业 ends 商业企业 but is a word of its own, which may name another column.
 */
function cutShort(table: Table, text: string): number | null {
  const { key } = splitLabel(text);
  if (key.length < 2) return null;
  const begun = KEYS[table].flatMap((keys, i) => (keys.some((s) => s.startsWith(key)) ? [i] : []));
  return begun.length === 1 ? (begun[0] as number) : null;
}

/**
 * Whether the header cell at `index` of line `at` is part of a label wrapped over lines (法律服务 /
 * 机构 in a ruled PDF's cell): a cell at the same index on a line next to it completes it, read
 * down. A piece no line completes (企业 for 商业企业) is a word of its own, which may name
 * another column.
 */
function wrapsAt(table: Table, { lines, at }: CellsAround, index: number): boolean {
  const text = (i: number) => lines[i]?.cells?.[index]?.trim() ?? '';
  const reads = (joined: string) => {
    const key = splitLabel(joined).key;
    return SPELLINGS[table].some((s) => s.includes(key));
  };
  return (
    (text(at - 1) !== '' && reads(text(at - 1) + text(at))) ||
    (text(at + 1) !== '' && reads(text(at) + text(at + 1)))
  );
}

/**
 * A line of text (a PDF's text layer) whose words are pieces of labels wrapped over two lines, as
 * a narrow column's header is printed (商业企 科研机 社会公益 法律服务 / 其他 / 业 构 组织 机构):
 * the line's words with each piece joined to the word under it, and the line that was joined, where
 * one of the next three lines prints as many words, each completing its piece into a label. Else null.
 */
export function joinedWrap(
  table: Table,
  words: readonly string[],
  next: readonly (readonly string[])[],
): { words: string[]; with: number } | null {
  const pieces = words.flatMap((w, i) => (labelOf(table, w) === -1 && isPiece(table, w) ? [i] : []));
  if (pieces.length < 2) return null;
  for (const [at, below] of next.slice(0, 3).entries()) {
    if (below.length !== pieces.length) continue;
    const joined = pieces.map((i, k) => `${words[i]}${below[k]}`);
    if (!joined.every((j) => (labelOf(table, j) ?? -1) >= 0)) continue;
    const out = [...words];
    pieces.forEach((i, k) => {
      out[i] = joined[k] as string;
    });
    return { words: out, with: at };
  }
  return null;
}

interface Placing {
  /** The cells of one kind, in order. */
  cells: Cell[];
  row: readonly number[];
  /** The row's index of the first cell. */
  from: number;
}

/** Whether every cell fits its place (a piece of a label fits any), and how many cells naming a label sit at it. */
function fits({ cells, row, from }: Placing): { ok: boolean; agree: number } {
  let agree = 0;
  let ok = true;
  cells.forEach((cell, i) => {
    const slot = row[from + i];
    if (typeof cell.label === 'number') {
      if (slot === cell.label) agree++;
      else ok = false;
    } else if (slot !== undefined && cell.label === 'unknown') ok = false;
  });
  return { ok, agree };
}

/**
 * The problem with a header line's cells (or a text line's words), or null: each run of one kind
 * of label must be a stretch of a row of the template's header, every cell at its place; cells
 * before the stretch or after it (a corner's words, a 备注 column) are no column of it. A cell that
 * names no label sits at a template column only where a column is printed that is not the
 * template's, or worded as the catalogue does not know: refused too, since which it is cannot be
 * told. In text, words that are pieces of labels (a wrapped header) place nothing, and a line of
 * labels alone is checked for order only, as a narrow header's words sit wherever they wrapped.
 */
export function headerPositionError(
  table: Table,
  line: number,
  texts: readonly string[],
  { text, around }: { text: boolean; around?: CellsAround },
): Problem | null {
  const cells = headerCells(table, texts, around);
  if (cells.length < 2 || !cells.some((c) => typeof c.label === 'number')) return null;
  if (text && (cells.some((c) => c.label === 'piece') || !cells.some((c) => c.label === 'unknown')))
    return null;
  const shape = SHAPES[table];
  // Cells naming no label join the run they stand in, or the run that starts after them.
  const runs: { kind: number | null; cells: Cell[] }[] = [];
  for (const cell of cells) {
    const kind = typeof cell.label === 'number' ? shape.kind(cell.label) : null;
    const last = runs.at(-1);
    if (last && (kind === null || last.kind === kind || last.kind === null)) {
      last.cells.push(cell);
      last.kind ??= kind;
    } else runs.push({ kind, cells: [cell] });
  }
  for (const { kind, cells: run } of runs) {
    if (kind === null) continue;
    const best = bestPlacing(run, shape.rows[kind] ?? []);
    if (best) return misplaced(table, line, best);
  }
  return null;
}

/**
 * Null where the run fits some row of the template's header at some place (each cell naming a
 * label put where that label stands); else the placing that puts the most cells at their labels.
 * Plain loops: this runs on every header line of every report, and nested flatMaps cost a tenth
 * of a text parse.
 */
function bestPlacing(run: Cell[], rows: readonly (readonly number[])[]): Placing | null {
  let best: { placing: Placing; agree: number } | null = null;
  for (const row of rows) {
    for (const [i, cell] of run.entries()) {
      if (typeof cell.label !== 'number') continue;
      for (let at = row.indexOf(cell.label); at >= 0; at = row.indexOf(cell.label, at + 1)) {
        const placing = { cells: run, row, from: at - i };
        const { ok, agree } = fits(placing);
        if (ok) return null;
        if (!best || agree > best.agree) best = { placing, agree };
      }
    }
  }
  return best?.placing ?? null;
}

function misplaced(table: Table, line: number, { cells, row, from }: Placing): Problem {
  const { labels } = SHAPES[table];
  const expected = (i: number) => {
    const slot = row[from + i];
    return slot === undefined ? null : (labels[slot] as Label).zh;
  };
  const printed = cells.map((c) => c.text).join(', ');
  const template = row.map((slot) => (labels[slot] as Label).zh).join(', ');
  const named = cells.findIndex(
    (c, i) => typeof c.label === 'number' && expected(i) !== (labels[c.label] as Label).zh,
  );
  const where = `Line ${line}, ${TABLE_NAMES[table]}: the header prints ${printed}`;
  const why =
    "Figures are read by their position under the template's columns, so this layout cannot be read without guessing";
  if (named >= 0) {
    const cell = cells[named] as Cell;
    const there = expected(named);
    return {
      code: 'COLUMN_ORDER',
      severity: 'error',
      table,
      line,
      message: `${where}: "${cell.text}" stands ${there ? `where the template's column is ${there}` : 'beyond the template’s columns'} (the template's order is ${template}). ${why}; re-save the table with the template's columns, in its order.`,
    };
  }
  const unknown = cells.findIndex((c, i) => typeof c.label !== 'number' && expected(i) !== null);
  const cell = cells[unknown] as Cell;
  return {
    code: 'COLUMN_MISSING',
    severity: 'error',
    table,
    line,
    message: `${where}: "${cell.text}" stands where the template's column is ${expected(unknown)}, and is not a column of the template (nor a wording of one the parser knows) (the template's order is ${template}). ${why}; print the table with the template's columns, in its order (a figure for a column the template lacks belongs in none of them), or, if "${cell.text}" is that column by another name, rename the header.`,
  };
}
