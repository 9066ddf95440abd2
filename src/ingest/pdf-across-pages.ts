/**
 * Ruled tables that run over page breaks, put back together as the pages are read: the
 * header rows a writer repeats at the top of each page (a `<thead>` printed by a browser,
 * Word's "repeat as header row") are dropped, and a row the break cut in two is joined.
 */
import { joinSplitRow, type Row } from './pdf-text.ts';

/** How many of a table's first rows are kept to recognise its header repeated on a later page. */
const HEAD_ROWS = 6;
/** Text after a table at a page's foot that is page furniture (a page number), not content. */
const FURNITURE = 20;

const sameCells = (a: readonly string[] | null, b: readonly string[]) =>
  a !== null && a.length === b.length && a.every((text, i) => text === b[i]);

export class TablesAcrossPages {
  readonly rows: Row[] = [];
  /** Where the last page's rows start in `rows`. */
  private lastPage = 0;
  /** The first rows of the table at the last page's foot, as printed where that table began. */
  private head: string[][] = [];

  addPage(pageRows: Row[]): void {
    const page = [...pageRows];
    const footIndex = this.rows.findLastIndex((row, i) => i >= this.lastPage && row.table !== undefined);
    const foot = this.rows[footIndex];
    // The last page's last table ran to its foot: nothing but page furniture after it.
    const ranToFoot =
      foot !== undefined &&
      this.rows.slice(footIndex + 1).every((row) => row.cells === null && row.text.length <= FURNITURE);
    const start = page.findIndex((row) => row.table !== undefined);
    const firstTable = page[start]?.table;
    let repeated = 0;
    if (ranToFoot && start >= 0) {
      while (
        repeated < this.head.length &&
        page[start + repeated]?.table === firstTable &&
        sameCells(page[start + repeated]?.cells ?? null, this.head[repeated] ?? [])
      )
        repeated++;
      page.splice(start, repeated);
    }
    const first = page[start];
    // A cut row goes on right under the header repeated above it, or at the page's head.
    const continues =
      foot?.split === 'continues' &&
      first?.table === firstTable &&
      (first?.split === 'continued' || (repeated > 0 && ranToFoot));
    const joined = continues && foot && first ? joinSplitRow(foot, first) : null;
    if (joined) {
      this.rows[footIndex] = { ...joined, table: foot?.table };
      page.splice(start, 1);
    }
    this.rememberHead(page, firstTable, repeated > 0 || joined !== null);
    this.lastPage = this.rows.length;
    for (const row of page) this.rows.push(row);
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
