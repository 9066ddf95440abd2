/**
 * Table 3 printed with a row-number column (序号) before its labels: the header's first cell
 * 序号, each row's 1, 2, … (or 一, （一）, 1.) before its label, some left blank. Before, the
 * header was refused (COLUMN_MISSING: 序号 was taken for a column of figures the template
 * lacks, where 自然人 stands). The row numbers are never figures: a row short of a figure is
 * not made up by the next row's number, and a number with no label after it is refused.
 */
import { describe, expect, it } from 'vitest';
import {
  EXAMPLE_V2021,
  fixtureText,
  toHtmlTables,
  toPipeTables,
  toSingleSpaceText,
} from '../support/fixtures.ts';
import { figures, parsedText, refusals } from '../support/parse-results.ts';
import { numbered } from '../support/table3-layouts.ts';

const original = fixtureText(EXAMPLE_V2021);
const parse = parsedText;
const baseline = figures(await parse(original));

const CHINESE = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const STYLES: Record<string, (n: number) => string> = {
  '1, 2, …': (n) => String(n),
  '一, 二, …': (n) => CHINESE[(n - 1) % 10] as string,
  '（一）, （二）, …': (n) => `（${CHINESE[(n - 1) % 10]}）`,
  '1., 2., …': (n) => `${n}.`,
  'every third left blank': (n) => (n % 3 === 0 ? '' : String(n)),
};

/** Table 3's rows one cell a line, as some text layers print them: 1 / 一、本年新收… / 41 / 6 / …. */
function oneCellALine(text: string): string {
  const lines = toSingleSpaceText(text).split('\n');
  const first = lines.findIndex((l) => l.includes('一、本年新收'));
  const last = lines.findIndex((l) => l.includes('四、结转下年度'));
  return lines.map((l, i) => (i >= first && i <= last ? l.split(' ').join('\n') : l)).join('\n');
}

/** Table 3's rows on one line, their figures set apart by spaces, or (`glued`) run together, as a page dumped as one line. */
function oneLine(text: string, glued = false): string {
  const lines = toSingleSpaceText(text).split('\n');
  const first = lines.findIndex((l) => l.includes('一、本年新收'));
  const last = lines.findIndex((l) => l.includes('四、结转下年度'));
  const rows = lines.slice(first, last + 1).join(' ');
  return [...lines.slice(0, first), glued ? rows.replace(/ /g, '') : rows, ...lines.slice(last + 1)].join(
    '\n',
  );
}

const FORMS: [string, (text: string) => string][] = [
  ['tab text', (t) => t],
  ['pipe text', toPipeTables],
  ['single-space text', toSingleSpaceText],
  ['one cell a line', oneCellALine],
  ['one line', (t) => oneLine(t)],
  ['HTML', toHtmlTables],
];

describe('a 序号 column before table 3', () => {
  it.each(FORMS)('%s: read to the same figures, with every style of row number', async (_, form) => {
    for (const [style, number] of Object.entries(STYLES)) {
      // One cell a line, a row without its number is below (refused).
      if (['one cell a line', 'one line'].includes(_) && style === 'every third left blank') continue;
      const text = form(numbered(original, number));
      expect(text).toContain('序号');
      expect(refusals(await parse(text))).toEqual([]);
      expect(figures(await parse(text))).toEqual(baseline);
    }
  });

  it("one cell a line, with some numbers left blank: a number alone before a label may be the next row's or the last figure of the row before, and that row is refused", async () => {
    const result = await parse(
      oneCellALine(numbered(original, STYLES['every third left blank'] as (n: number) => string)),
    );
    expect(figures(result)).toBeNull();
    // 二、上年结转 (row 2) ends "… 0 / 4", and 三、本年度办理结果's number (3) is left blank.
    expect(refusals(result)[0]).toEqual([
      'MISSING_CELL',
      'T3.CARRIED_OVER.NATURAL_PERSON',
      expect.any(String),
    ]);
  });

  it("its rows run together on one line: where the figures end and the next row's number starts cannot be told, and the rows are refused", async () => {
    const text = oneLine(numbered(original, String), true);
    expect(text).toContain('一、本年新收政府信息公开申请数量4160020492二、上年结转');
    const result = await parse(text);
    expect(figures(result)).toBeNull();
    expect(result.ok ? [] : result.problems[0]?.message).toContain(
      'the table numbers its rows (序号), and the row\'s figures run into the next row\'s label with no space before it ("4160020492")',
    );
    // Without the 序号 column, the same text reads.
    expect(figures(await parse(oneLine(original, true)))).toEqual(baseline);
  });

  it.each(FORMS)('%s: a row short of a figure is not made up by a row number', async (_, form) => {
    // 一、本年新收's 总计 (49) left blank: in single-space text the blank is gone, and the next
    // line starts with its row number, 2 (one cell a line, the number is a line of its own
    // before the next label, and was read as the 总计). The row is refused, as it is without
    // the column.
    const text = numbered(original, String).replace('\t41\t6\t0\t0\t2\t0\t49\t', '\t41\t6\t0\t0\t2\t0\t\t');
    const result = await parse(form(text));
    expect(figures(result)).toBeNull();
    expect(refusals(result)[0]?.[0]).toMatch(/TOO_MANY_VALUES|MISSING_CELL/);
  });

  it.each(FORMS)('%s: a row number with figures but no label is refused', async (_, form) => {
    const text = numbered(original, String).replace(/\n(\d+)\t二、上年结转政府信息公开申请数量/, '\n$1\t');
    const result = await parse(form(text));
    expect(figures(result)).toBeNull();
    expect(refusals(result).map((r) => r[0])).toContainEqual(
      expect.stringMatching(/MERGED_CELL|TOO_MANY_VALUES/),
    );
  });

  it('tab text: a row printed without its 序号 cell (its cells one to the left) is refused', async () => {
    const text = numbered(original, String).replace(/\n\d+\t(二、上年结转)/, '\n$1');
    const result = await parse(text);
    expect(figures(result)).toBeNull();
    expect(refusals(result)[0]).toEqual(['MISSING_CELL', 'T3.CARRIED_OVER.NATURAL_PERSON', null]);
  });

  it('a 序号 header over a table 3 missing a column is still COLUMN_MISSING', async () => {
    const text = numbered(original, String)
      .split('\n')
      .map((line) => (line.includes('\t法律服务机构\t') ? line.replace('\t法律服务机构\t', '\t\t') : line))
      .join('\n');
    expect(text).not.toContain('法律服务机构\t');
    const result = await parse(text);
    expect(refusals(result)[0]?.[0]).toMatch(/COLUMN_MISSING|COLUMN_ORDER/);
  });

  it('another word where 序号 stands is still refused: it may be a column', async () => {
    const result = await parse(numbered(original, String, '个体工商户'));
    expect(refusals(result)[0]?.[0]).toBe('COLUMN_MISSING');
  });
});
