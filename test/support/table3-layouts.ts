/** Table 3 printed with a 序号 column before its labels, or a 备注 column after 总计, built from the tab text. */
import { expect } from 'vitest';

export /** The tab text with a 序号 column before table 3: its header cell, then each row's number. */
function numbered(text: string, number: (n: number) => string, header = '序号'): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('(本列数据'));
  const end = lines.findIndex((l) => l.startsWith('四、结转下年度'));
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return lines
    .map((line, i) => {
      if (i < start || i > end) return line;
      if (i === start) return `${header}\t${line}`;
      // The header's two lines below its first.
      if (i < start + 3) return `\t${line}`;
      return `${number(i - start - 2)}\t${line}`;
    })
    .join('\n');
}

export /**
 * The tab text with a 备注 column after table 3's 总计 (each line's trailing empty cell), `remark`
 * on each row, and the figures of the rows starting with `blank` left blank.
 */
function withRemarks(text: string, blank: string, remark = (_row: string) => '无'): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('(本列数据'));
  const end = lines.findIndex((l) => l.startsWith('四、结转下年度'));
  expect(start).toBeGreaterThan(0);
  return lines
    .map((line, i) => {
      if (i < start || i > end) return line;
      const cells = line.split('\t');
      while (cells.length < 10) cells.push('');
      if (i === start) cells[9] = '备注';
      if (i < start + 3) return cells.join('\t');
      // Sub-rows print their figures a cell to the right: their remark is one cell further.
      if (cells[9] === '') cells[9] = remark(line);
      else cells.push(remark(line));
      if (line.includes(blank))
        cells.forEach((c, k) => {
          if (k < cells.length - 1 && /^\d+(\.\d+)?$/.test(c)) cells[k] = '';
        });
      return cells.join('\t');
    })
    .join('\n');
}
