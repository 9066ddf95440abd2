/**
 * A 备注 (remarks) column after table 3's 总计: its cells are notes (含转办件, 其中网上申请…),
 * never figures. Table 2's header reader ignores an unknown column with a warning; table 3 is
 * read by position, so the column is taken off its lines first, as printed at the end of each.
 */
import { APPLICANT_COLUMNS } from '../catalogue/template.ts';
import type { Line } from './lines.ts';
import { printsFigure, type TableReading } from './table-reading.ts';
import { compact } from './text.ts';

const REMARKS = /^(?:备注|说明|备注说明)$/;
const DIGIT = /\d/;

/**
 * `lines` without the remarks column, where table 3's header ends with one: each line's last
 * cell, when it holds no figure. A figure there is left in place, for the row's own check to
 * refuse (a row wider than its table): a figure is never dropped. Text dropped is said.
 */
export function withoutRemarksColumn(lines: readonly Line[], reading: TableReading): readonly Line[] {
  const firstRow = lines.findIndex((l) => l.cells?.some((c) => DIGIT.test(c)));
  const header = lines.slice(0, firstRow < 0 ? lines.length : firstRow);
  const headerLine = header.find((l) =>
    REMARKS.test(compact(l.cells?.findLast((c) => c.trim() !== '') ?? '')),
  );
  if (!headerLine?.cells) return lines;
  const column = compact(headerLine.cells.findLast((c) => c.trim() !== '') ?? '');
  return lines.map((line, i) => {
    if (!line.cells || line.cells.length === 0) return line;
    const last = line.cells.at(-1) ?? '';
    if (i < (firstRow < 0 ? lines.length : firstRow)) {
      // The header line that names the column loses that cell; the others keep theirs.
      return REMARKS.test(compact(last)) ? { ...line, cells: line.cells.slice(0, -1) } : line;
    }
    // A mark (无, /) is no figure where the row's figures, from its first, fill the template's
    // columns before it, or where every cell before it after the label is blank and there are
    // as many as the columns (blankRowRemark): the remarks column's "nothing to remark".
    // Anywhere else it may be 总计's mark, and stays for the row to read or be refused.
    const first = line.cells.findIndex(printsFigure);
    const remark =
      !DIGIT.test(last) &&
      first >= 0 &&
      (line.cells.length - 1 - first === APPLICANT_COLUMNS.length || blankRowRemark(line.cells));
    if (printsFigure(last) && !remark) return line;
    if (last.trim() !== '') {
      reading.warnings.push({
        code: 'UNKNOWN_COLUMN',
        severity: 'warning',
        table: 'T3',
        column,
        line: line.number,
        message: `Line ${line.number}, table 3: column "${column}" is not in the template; its text "${last.trim()}" is ignored.`,
      });
    }
    return { ...line, cells: line.cells.slice(0, -1) };
  });
}

/**
 * Whether `cells` are a row of blanks ending in its remark: a label, then no cell holding
 * anything but the last (a mark, such as 无), with at least as many blank cells between them as
 * the template has columns. Read as 总计's mark instead, that 无 would leave the same seven
 * cells blank (a merged label cell before them one wider): no figure depends on which it is.
 * Fewer blank cells than columns, and the mark may stand in a column's place: the row is left as
 * it is (a row one cell short places none of its figures).
 */
function blankRowRemark(cells: readonly string[]): boolean {
  const label = cells.findLastIndex((c, i) => i < cells.length - 1 && c.trim() !== '');
  if (label < 0 || printsFigure(cells[label] ?? '')) return false;
  return cells.length - 2 - label >= APPLICANT_COLUMNS.length;
}
