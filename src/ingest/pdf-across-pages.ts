/**
 * Ruled tables that run over page breaks, put back together as the pages are read: the
 * header rows a writer repeats at the top of each page (a `<thead>` printed by a browser,
 * Word's "repeat as header row") are dropped, and a row the break cut in two is joined.
 */
import { TOLERANCE } from './pdf-rules.ts';
import { spansIn } from './pdf-tables.ts';
import { joinSplitRow, type Row } from './pdf-text.ts';

/**
 * How many of a table's first rows are kept to recognise its header printed again on a later
 * page: the header and the rows after it (a repeat ends at the first row that differs).
 */
const HEAD_ROWS = 6;

/** A text line's text; null for a table row or no row. */
const textOf = (row: Row | undefined) => (row && row.cells === null ? row.text : null);

const sameCells = (a: readonly string[] | null, b: readonly string[]) =>
  a !== null && a.length === b.length && a.every((text, i) => text === b[i]);

export class TablesAcrossPages {
  readonly rows: Row[] = [];
  /** Where the last page's rows start in `rows`. */
  private lastPage = 0;
  /** The first rows of the table at the last page's foot, as printed where that table began. */
  private head: string[][] = [];
  /** The text line the last page began with: a running header when this one begins with it too. */
  private lastTop: string | null = null;

  addPage(pageRows: Row[]): void {
    const page = [...pageRows];
    // A running header or footer (the report's title above every page, the agency below it),
    // printed the same on two pages running, is page furniture: it does not part a table.
    const top = textOf(page[0]);
    if (top !== null && top === this.lastTop) {
      page.shift();
      // The first page's copy too, above the report's own first lines (its agency and title).
      if (textOf(this.rows[this.lastPage]) === top) this.rows.splice(this.lastPage, 1);
    }
    this.lastTop = top;
    const bottom = textOf(page.at(-1));
    if (bottom !== null && this.rows.length > this.lastPage && bottom === textOf(this.rows.at(-1))) {
      this.rows.pop();
    }
    // The table goes on only where nothing comes between: the last page ends with a table row
    // (its page number, in the margin, is dropped) and this one starts with one.
    const foot = this.rows.length > this.lastPage ? this.rows.at(-1) : undefined;
    const firstTable = page[0]?.table;
    const goesOn = foot?.table !== undefined && firstTable !== undefined;
    let repeated = 0;
    if (goesOn) {
      while (
        repeated < this.head.length &&
        page[repeated]?.table === firstTable &&
        sameCells(page[repeated]?.cells ?? null, this.head[repeated] ?? [])
      )
        repeated++;
      page.splice(0, repeated);
      this.takeColumnsFrom(foot, page, firstTable);
    }
    const first = page[0];
    // A cut row goes on at the page's head, or right under the header printed again there.
    const continues =
      goesOn &&
      foot?.split === 'continues' &&
      first?.table === firstTable &&
      (first?.split === 'continued' || repeated > 0);
    const joined = continues && foot && first ? joinSplitRow(foot, first) : null;
    if (joined) {
      this.rows[this.rows.length - 1] = { ...joined, table: foot?.table };
      page.splice(0, 1);
    }
    this.rememberHead(page, firstTable, repeated > 0 || joined !== null);
    this.lastPage = this.rows.length;
    for (const row of page) this.rows.push(row);
  }

  /**
   * The rows of a table going on from the last page, whose blank merged cells are told by the
   * column boundaries of both pages' parts: where every row on this page merges the same blank
   * cells (its last row alone, say), no rule on this page parts them.
   */
  private takeColumnsFrom(foot: Row | undefined, page: Row[], table: number | undefined) {
    const above = foot?.columns?.xs;
    if (!above) return;
    for (const row of page) {
      if (row.table !== table) break;
      const { columns } = row;
      if (!columns) continue;
      // The same table lacks rules here at most: a rule the last page's part has none at is
      // another table's (one whose heading is a row of its own, no line between the two).
      if (!columns.xs.every((x) => above.some((a) => Math.abs(a - x) <= TOLERANCE))) return;
      const spans = spansIn(columns, [...columns.xs, ...above]);
      if (spans) row.spans = spans;
      else delete row.spans;
    }
  }

  /** The first rows of the page's last table, unless it is the table that went on from the last page. */
  private rememberHead(page: Row[], firstTable: number | undefined, wentOn: boolean) {
    const last = page.findLast((row) => row.table !== undefined)?.table;
    if (last === undefined || (last === firstTable && wentOn)) return;
    this.head = page
      .filter((row) => row.table === last && row.cells !== null)
      .slice(0, HEAD_ROWS)
      .map((row) => row.cells ?? []);
  }
}
