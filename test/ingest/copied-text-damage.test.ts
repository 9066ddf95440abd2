/**
 * Reports copied as text and then damaged the ways editors and crawlers damage text: trailing
 * tabs trimmed from every line, a column left out, zero-width spaces in empty cells, a page
 * number read into a row. Table 3 copied as a full grid (a spreadsheet's tab- or pipe-separated
 * text: a merged label leaves empty cells before the figures) put a blank figure next to a
 * label's empty cells, which could be either, and was read one column off: 41 under 商业企业
 * instead of 自然人. Each figure is now read where the header prints its column, or not at all.
 */
import { describe, expect, it } from 'vitest';
import { APPLICANT_COLUMNS } from '../../src/catalogue/template.ts';
import { parseReportText } from '../../src/ingest/parse-report.ts';
import type { ParsedCell } from '../../src/ingest/types.ts';
import { EXAMPLE_V2021, fixtureText, toPipeTables, toSingleSpaceText } from '../support/fixtures.ts';

const original = fixtureText(EXAMPLE_V2021);
const NEW_REQUESTS = '一、本年新收政府信息公开申请数量\t\t41\t6\t0\t0\t2\t0\t49\t';
const trimmed = (text: string) => text.replace(/[\t ]+$/gm, '');
/** Tab rows as "a | b | c", as a spreadsheet saves "|"-separated text. */
const spacedPipes = (text: string) =>
  text
    .split('\n')
    .map((l) => (l.includes('\t') ? l.split('\t').join(' | ') : l))
    .join('\n');
/** Every table 3 cell read: code → value ('' for blank), or MISSING. */
function table3(text: string, allowPartial = false) {
  const result = parseReportText(text, { allowPartial });
  const report = result.ok ? result.report : result.partial;
  const cells = new Map<string, string>(
    (report?.cells ?? [])
      .filter((c: ParsedCell) => c.code.startsWith('T3.'))
      .map((c: ParsedCell) => [
        c.code,
        c.status === 'REPORTED'
          ? (c.value ?? '')
          : c.status === 'NOT_REPORTED'
            ? (c.rawText ?? '')
            : c.status,
      ]),
  );
  return { result, cells };
}
const newRequests = (cells: Map<string, string>) =>
  APPLICANT_COLUMNS.map((c) => cells.get(`T3.NEW_REQUESTS.${c.code}`) ?? 'MISSING');

/**
 * The fixture's table 3 as a grid every row of which lines up with its header: the fixture's
 * sub-rows print their label where the header has 自然人 and their figures one cell right of
 * the header's columns, so the header and the other rows get one more empty cell before them.
 */
function linedUp(text: string): string {
  const lines = text.split('\n');
  const from = lines.findIndex((l) => l.startsWith('(本列数据'));
  const to = lines.findIndex((l) => l.startsWith('四、结转下年度'));
  return lines
    .map((line, i) => {
      const cells = line.split('\t');
      if (i < from || i > to || cells.findIndex((c) => /^\d+$/.test(c)) === 3) return line;
      cells.splice(2, 0, '');
      return cells.join('\t');
    })
    .join('\n');
}
const grid = linedUp(original);
const GRID_NEW_REQUESTS = NEW_REQUESTS.replace('\t\t41', '\t\t\t41');

describe('table 3 as a full grid: figures read where the header prints their columns', () => {
  it('the lined-up grid reads as the fixture, and trimming every line changes no figure', () => {
    expect(grid).toContain(GRID_NEW_REQUESTS);
    const before = table3(original);
    expect([...table3(grid).cells]).toEqual([...before.cells]);
    const after = table3(trimmed(grid));
    expect(after.result.ok).toBe(true);
    expect([...after.cells]).toEqual([...before.cells]);
    expect(newRequests(after.cells)).toEqual(['41', '6', '0', '0', '2', '0', '49']);
  });

  it('a blank 总计 is read as blank, under 总计', () => {
    const text = grid.replace(GRID_NEW_REQUESTS, GRID_NEW_REQUESTS.replace('\t49\t', '\t\t'));
    const { result, cells } = table3(text);
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([]);
    expect(newRequests(cells)).toEqual(['41', '6', '0', '0', '2', '0', '']);
  });

  it('a blank first figure (自然人) is read as blank, under 自然人', () => {
    const text = grid.replace(GRID_NEW_REQUESTS, GRID_NEW_REQUESTS.replace('\t\t\t41\t', '\t\t\t\t'));
    const { result, cells } = table3(text);
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([]);
    expect(newRequests(cells)).toEqual(['', '6', '0', '0', '2', '0', '49']);
  });

  it.each([
    ['tabs', (t: string) => t],
    ['pipes without outer ones', spacedPipes],
  ])(
    'a blank 总计 whose cell trimming dropped (%s): the row is missing, never read one column off',
    (_name, format) => {
      const text = format(
        trimmed(grid.replace(GRID_NEW_REQUESTS, GRID_NEW_REQUESTS.replace('\t49\t', '\t\t'))),
      );
      const refused = table3(text);
      expect(refused.result.ok).toBe(false);
      const { result, cells } = table3(text, true);
      expect(newRequests(cells)).toEqual(Array(7).fill('MISSING'));
      const gap = result.ok ? result.report.gaps[0] : undefined;
      expect(gap?.code).toBe('MISSING_CELL');
      expect(gap?.message).toMatch(
        /a cell was lost, at the end \(a blank 总计 trimmed from the line's end\) or before it/,
      );
      // Every other row is read where it was printed.
      expect(cells.get('T3.CARRIED_OVER.NATURAL_PERSON')).toBe('3');
      expect(cells.get('T3.CARRIED_OVER.TOTAL')).toBe('4');
    },
  );

  it('a figure in a cell the header gives no column is refused', () => {
    const text = grid.replace(GRID_NEW_REQUESTS, GRID_NEW_REQUESTS.replace('\t\t\t41', '\t7\t\t41'));
    const { result } = table3(text, true);
    expect(result.ok).toBe(false);
    const problem = result.ok ? undefined : result.problems.find((p) => p.code === 'TOO_MANY_VALUES');
    expect(problem?.message).toContain('row "一、本年新收政府信息公开申请数量"');
  });
});

describe('table 3 as a full grid whose rows do not all line up with its header (the fixture)', () => {
  it.each([
    [
      'a blank 总计 trimmed from the line',
      (t: string) => trimmed(t.replace(NEW_REQUESTS, NEW_REQUESTS.replace('\t49\t', '\t\t'))),
    ],
    ['a blank 自然人', (t: string) => t.replace(NEW_REQUESTS, NEW_REQUESTS.replace('\t\t41\t', '\t\t\t'))],
  ])('%s: the row is missing, never read one column off', (_name, damage) => {
    const { result, cells } = table3(damage(original), true);
    expect(newRequests(cells)).toEqual(Array(7).fill('MISSING'));
    const gap = result.ok ? result.report.gaps[0] : undefined;
    expect(gap?.message ?? (result.ok ? '' : result.problems[0]?.message)).toMatch(
      /the table's rows do not all print their figures under the header's columns|which blank cells are figures/,
    );
  });
});

describe('table 3 printed without one of its columns', () => {
  /** The table's lines with cell `index` removed from each (a column deleted). */
  const withoutCell = (text: string, index: number) => {
    const lines = text.split('\n');
    const from = lines.findIndex((l) => l.startsWith('(本列数据'));
    const to = lines.findIndex((l) => l.startsWith('四、结转下年度'));
    expect(from).toBeGreaterThan(0);
    return lines
      .map((l, i) =>
        i >= from && i <= to
          ? l
              .split('\t')
              .filter((_, c) => c !== index)
              .join('\t')
          : l,
      )
      .join('\n');
  };

  it.each([
    ['法律服务机构', 6, (t: string) => t],
    ['法律服务机构, trimmed', 6, trimmed],
    ['总计', 8, (t: string) => t],
    ['总计, trimmed', 8, trimmed],
    ['法律服务机构, pipes', 6, (t: string) => toPipeTables(t)],
    ['法律服务机构, trimmed pipes without outer ones', 6, (t: string) => spacedPipes(trimmed(t))],
  ])('without %s: refused, saying which column is not printed', (name, index, damage) => {
    const text = damage(withoutCell(original, index));
    for (const allowPartial of [false, true]) {
      const { result } = table3(text, allowPartial);
      expect(result.ok).toBe(false);
      const problem = result.ok ? undefined : result.problems.find((p) => p.code === 'COLUMN_MISSING');
      expect(problem?.message).toContain(
        `the header does not print the column ${name.split(',')[0]} of the template's`,
      );
    }
  });

  it.each([
    ['其他组织 for 其他', '\t其他\t', '\t其他组织\t'],
    ['其余 for 其他', '\t其他\t', '\t其余\t'],
    ['a header cell cut short (法律服务)', '\t法律服务机构\t', '\t法律服务\t'],
  ])(
    'a header wording a column otherwise (%s), over rows of seven figures, is read as printed',
    (_name, from, to) => {
      const text = original.replace(from, to);
      expect(text).not.toBe(original);
      const { result, cells } = table3(text);
      expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([]);
      expect([...cells]).toEqual([...table3(original).cells]);
    },
  );

  it('a header cell wrapped onto the next line (法律服务 / 机构) is still that column', () => {
    const lines = original.split('\n');
    const at = lines.findIndex((l) => l.includes('\t法律服务机构\t'));
    const cells = (lines[at] ?? '').split('\t');
    const below = cells.map((c) => (c === '法律服务机构' ? '机构' : ''));
    lines.splice(
      at,
      1,
      cells.map((c) => (c === '法律服务机构' ? '法律服务' : c)).join('\t'),
      below.join('\t'),
    );
    const { result, cells: read } = table3(lines.join('\n'));
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([]);
    expect([...read]).toEqual([...table3(original).cells]);
  });
});

describe('empty cells holding only invisible characters', () => {
  it.each([
    ['a zero-width space', '\u200b'],
    ['a word joiner and a soft hyphen', '\u2060\u00ad'],
  ])('%s in every empty cell: read as empty, every figure where it was printed', (_name, invisible) => {
    const text = original.replace(/\t(?=\t)/g, `\t${invisible}`);
    expect(text).not.toBe(original);
    const { result, cells } = table3(text);
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([]);
    expect([...cells]).toEqual([...table3(original).cells]);
  });
});

describe('a page number read into a row of running text', () => {
  it('after figures that fill the row and keep its total, is dropped with a warning (page-number-lines.test.ts)', () => {
    const text = toSingleSpaceText(original);
    const row = /^二、上年结转政府信息公开申请数量 3 1 0 0 0 0 4$/m;
    expect(text).toMatch(row);
    const result = parseReportText(text.replace(row, (r) => `${r}\n7`));
    expect(result.ok ? result.report.warnings.map((w) => w.code) : []).toContain('PAGE_NUMBER');
  });

  it('elsewhere is refused with the hint that the extra last figure may be one', () => {
    const text = toSingleSpaceText(original);
    // The total misprinted (4 as 5): the 7 may be the rest of it wrapped.
    const row = /^(二、上年结转政府信息公开申请数量 3 1 0 0 0 0) 4$/m;
    expect(text).toMatch(row);
    const result = parseReportText(text.replace(row, '$1 5\n7'));
    expect(result.ok).toBe(false);
    const problem = result.ok ? undefined : result.problems.find((p) => p.code === 'TOO_MANY_VALUES');
    expect(problem?.message).toContain(
      'The last, "7", may be a page number printed at a page break inside the table',
    );
  });
});

describe('two reports in one file', () => {
  const nextYear = original.replace('2022年政府信息公开工作年度报告', '2023年政府信息公开工作年度报告');
  const read = (text: string) => {
    const result = parseReportText(text, { allowPartial: true });
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
    return result.report;
  };
  const figures = (text: string) => read(text).cells.map((c) => [c.code, c.status, c.value]);

  it('the first is read from its own lines, with a warning naming the second', () => {
    expect(nextYear).not.toBe(original);
    const joined = `${original}\n${nextYear}`;
    const report = read(joined);
    expect(report.year).toBe(2022);
    expect(figures(joined)).toEqual(figures(original));
    const warning = report.warnings.find((w) => w.code === 'ANOTHER_REPORT');
    const secondTitle = original.split('\n').length + 5;
    expect(warning?.line).toBe(secondTitle);
    expect(warning?.message).toContain(
      `Line ${secondTitle}: the file goes on with another report ("2023年政府信息公开工作年度报告"); only the report titled on line 5 was read`,
    );
  });

  it("a table the first lacks is missing, never taken from the second's", () => {
    const lines = original.split('\n');
    const withoutTable4 = [...lines.slice(0, 82), ...lines.slice(89)].join('\n');
    expect(withoutTable4).not.toContain('行政复议、行政诉讼情况');
    const report = read(`${withoutTable4}\n${nextYear}`);
    const table4 = report.cells.filter((c) => c.code.startsWith('T4.'));
    expect(table4.length).toBeGreaterThan(0);
    expect(table4.every((c) => c.status === 'MISSING')).toBe(true);
  });

  it('the title printed again (a running header on every page) is no other report', () => {
    const title = '宁夏回族自治区中卫市沙坡头区卫生健康局2022年政府信息公开工作年度报告';
    const text = original.replace(
      '\n五、存在的主要问题及改进情况',
      `\n${title}\n五、存在的主要问题及改进情况`,
    );
    expect(text).not.toBe(original);
    expect(read(text).warnings.map((w) => w.code)).not.toContain('ANOTHER_REPORT');
  });
});

describe('links to other years\u2019 reports below a report', () => {
  it('are no other report: nothing is cut, nothing is warned', () => {
    const links =
      '\n相关链接\n宁夏回族自治区中卫市沙坡头区卫生健康局2021年政府信息公开工作年度报告\n宁夏回族自治区中卫市沙坡头区卫生健康局2020年政府信息公开工作年度报告\n';
    const result = parseReportText(`${original}${links}`);
    expect(result.ok).toBe(true);
    expect(result.ok ? result.report.warnings.map((w) => w.code) : []).not.toContain('ANOTHER_REPORT');
  });
});

describe('lines that name a report without being another report', () => {
  it.each([
    ['a sentence naming last year’s report', '（六）按时发布2021年政府信息公开工作年度报告。'],
    ['a sentence running on after the title', '现将我局2021年政府信息公开工作年度报告公布如下。'],
    [
      'a PDF line wrapped inside a sentence',
      '宁夏回族自治区中卫市沙坡头区卫生健康局2021年政府信息公开工作年度报告》，接受社会监督。',
    ],
  ])('%s, before the tables: nothing is cut', (_name, line) => {
    const text = original.replace('\n二、', `\n${line}\n二、`);
    expect(text).toContain(line);
    const result = parseReportText(text);
    expect(
      result.ok ? result.report.warnings.map((w) => w.code) : result.problems.map((p) => p.code),
    ).not.toContain('ANOTHER_REPORT');
    expect(result.ok && [...table3(text).cells]).toEqual([...table3(original).cells]);
  });

  it('the body’s own title worded otherwise, under a crawler’s 标题 line: nothing is cut', () => {
    const text = `标题: 沙坡头区卫生健康局2022年政府信息公开工作年度报告\n${original}`;
    const result = parseReportText(text);
    expect(result.ok).toBe(true);
    expect([...table3(text).cells]).toEqual([...table3(original).cells]);
  });
});

describe('pipe tables and a stray line', () => {
  const outerPiped = toPipeTables(original);
  it.each([
    [
      'a navigation line open at its end above the report',
      (t: string) => `首页 | 政务公开 | 政府信息公开年报 |\n${t}`,
    ],
    ['one row that lost its closing pipe', (t: string) => t.replace(/^(\| 规章 \|.*?) \|$/m, '$1')],
  ])('%s: the tables keep their outer pipes, every figure read', (_name, damage) => {
    const text = damage(outerPiped);
    expect(text).not.toBe(outerPiped);
    const result = parseReportText(text);
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([]);
    expect(result.ok && result.report.cells.map((c) => [c.code, c.value])).toEqual(
      (
        parseReportText(original) as { report: { cells: { code: string; value: string | null }[] } }
      ).report.cells.map((c) => [c.code, c.value]),
    );
  });
});
