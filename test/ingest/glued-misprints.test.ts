/**
 * Tables dumped as one run of digits (a web archive's crawler text, as Pingtan's) with one
 * figure misprinted, as a fuzzing reviewer made them: a row total typed 30 for 39, a figure 13
 * for 22. Each was stored with a wrong split and 0 errors: the cross-row checks that would show
 * it were counted as unknown wherever a blank cell's mark stood in the column, or read a row whose
 * own search stopped at its budget, or the row's splits were too many to list. The misprinted
 * row's cells are now read as printed or left unreadable, never cut otherwise.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APPLICANT_COLUMNS } from '../../src/catalogue/table3.ts';
import { parseDocument } from '../../src/ingest/document.ts';
import type { ParsedCell } from '../../src/ingest/types.ts';

const read = async (name: string) => {
  const bytes = readFileSync(new URL(`../fixtures/glued-misprints/${name}`, import.meta.url));
  const { result } = await parseDocument(new Uint8Array(bytes), { allowPartial: true });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.report;
};

// Table 3's columns in the template's order (the last is 总计).
const COLUMNS = APPLICANT_COLUMNS.map((c) => c.code);

/** Each cell of the row as printed (null: a blank's mark), or unreadable with the printed figure possible. */
function readAsPrintedOrUnreadable(cells: readonly ParsedCell[], row: string, printed: (number | null)[]) {
  COLUMNS.forEach((column, i) => {
    const cell = cells.find((c) => c.code === `T3.${row}.${column}`);
    const figure = printed[i];
    const where = `T3.${row}.${column}, printed ${figure ?? '—'}`;
    if (cell?.status === 'UNREADABLE') {
      if (figure === null || figure === undefined) expect(cell.orNotReported, where).toBe(true);
      else expect(cell.candidates ?? [], where).toContain(String(figure));
    } else if (figure === null) expect(cell?.status, where).toBe('NOT_REPORTED');
    else expect(cell?.value, where).toBe(String(figure));
  });
}

describe('a misprinted figure in digits run together is never read into other cells', () => {
  it('dashes for blanks and a row total typed 30 for 39: 36———2130 is not 3|6|—|—|—|21|30', async () => {
    const report = await read('dashes-row-total.txt');
    readAsPrintedOrUnreadable(report.cells, 'REFUSED_ENFORCEMENT_FILE', [36, null, null, null, 2, 1, 30]);
    expect(report.cells.find((c) => c.code === 'T3.REFUSED_ENFORCEMENT_FILE.NATURAL_PERSON')?.status).toBe(
      'UNREADABLE',
    );
  });

  it('10——1——2 with a blank marked: the 10 is not cut into 1|0 with the blank read as 0', async () => {
    const report = await read('dashes-row-total-2.txt');
    readAsPrintedOrUnreadable(report.cells, 'NOT_HANDLED_PUBLICATION', [10, null, null, 1, null, null, 2]);
  });

  it('a figure 13 for 22 in a row of 17 digits, too many splits to list: the row is unreadable, not 52|416|3|…', async () => {
    const report = await read('new-requests-figure.txt');
    // Its candidates are only those found (52, 416 …): too many splits fit to list them all.
    const row = report.cells.filter((c) => c.code.startsWith('T3.NEW_REQUESTS.'));
    expect(row.map((c) => c.status)).toEqual(Array(7).fill('UNREADABLE'));
    const gaps = report.gaps.filter((g) => g.cellCode?.startsWith('T3.NEW_REQUESTS.'));
    expect(gaps).toHaveLength(7);
    expect(gaps[0]?.message).toContain('more splits fit the template than could be tried');
  });

  it('rows of 20 digits the search cannot split check nothing: a row total typed 90 for 99 leaves 980010090 unreadable', async () => {
    const report = await read('long-rows-row-total.txt');
    readAsPrintedOrUnreadable(report.cells, 'REFUSED_THIRD_PARTY', [98, 0, 0, 1, 0, 0, 90]);
    // The search stopped at its budget: the printed figures are not said to break a total.
    expect(report.warnings.filter((w) => w.code === 'BROKEN_IDENTITY')).toEqual([]);
    expect(report.gaps.find((g) => g.cellCode === 'T3.NEW_REQUESTS.TOTAL')?.message).not.toContain(
      'could be ,',
    );
  });
});
