import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseReportBytes, parseReportText } from '../../src/ingest/parse-report.ts';
import type { Problem } from '../../src/ingest/types.ts';
import { EXAMPLE_V2021, fixtureText, REAL_V2019, toSingleSpaceText } from '../support/fixtures.ts';

const real = fixtureText(REAL_V2019);
const PINGTAN_2021 = fileURLToPath(
  new URL('../../../shared/fixtures/real-reports/pingtan-2021.pagetxt.txt', import.meta.url),
);
const lines = real.split('\n');

function problemsOf(text: string | Uint8Array): Problem[] {
  const { result } = parseReportBytes(typeof text === 'string' ? new TextEncoder().encode(text) : text);
  if (result.ok) throw new Error('expected the parse to fail');
  return result.problems;
}

/** Replaces the whole line `lineNumber` (1-based). */
const withLine = (lineNumber: number, replace: (line: string) => string) =>
  lines.map((l, i) => (i === lineNumber - 1 ? replace(l) : l)).join('\n');

describe('input the parser refuses, with a message that locates the problem', () => {
  it('an empty file', () => {
    expect(problemsOf('')).toMatchObject([{ code: 'EMPTY_FILE', message: expect.stringContaining('empty') }]);
    expect(problemsOf('\n \n')).toMatchObject([{ code: 'EMPTY_FILE' }]);
  });

  it("a title naming no agency or year: NO_AGENCY and NO_YEAR name the title's line, where headings run together before it", () => {
    // Headings glued on one line above the title are split into lines of their own before the
    // title is looked for: the line named is the file's, not the count of lines after the split.
    const title = lines.findIndex((l) => l.includes('政府信息公开工作年度报告'));
    const text = `首页 一、总体情况 二、主动公开政府信息情况\n政府信息公开工作年度报告\n${lines.slice(title + 1).join('\n')}`;
    expect(problemsOf(text).filter((p) => p.code === 'NO_AGENCY' || p.code === 'NO_YEAR')).toMatchObject([
      { code: 'NO_AGENCY', line: 2 },
      { code: 'NO_YEAR', line: 2 },
    ]);
  });

  it.each(['2022—2023年', '2022-2023年度', '2022至2023年', '2022、2023年', '2022~2023年'])(
    'a title naming a span of years (%s) is NO_YEAR saying so: neither year is taken, nor the first read as the agency',
    (span) => {
      const text = fixtureText(EXAMPLE_V2021)
        .replace(/2022年政府信息公开工作年度报告/, `${span}政府信息公开工作年度报告`)
        .replace(/所列数据统计期限[^\n]*/, '');
      expect(problemsOf(text)).toMatchObject([
        {
          code: 'NO_YEAR',
          message: `The title "${span}政府信息公开工作年度报告" names a span of years, not the one year the report is of; pass it explicitly (--year).`,
        },
      ]);
    },
  );

  it('a binary file', () => {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    expect(problemsOf(png)).toMatchObject([
      { code: 'BINARY_FILE', message: expect.stringContaining('binary') },
    ]);
  });

  it('a non-numeric cell names line, table, row and column', () => {
    // Line 63 is 一、本年新收政府信息公开申请数量; its third value is 科研机构.
    const text = withLine(63, (l) => l.replace(/^(一、[^\t]*\t\t0\t0\t)0/, '$1abc'));
    expect(problemsOf(text)).toEqual([
      {
        code: 'NOT_A_NUMBER',
        severity: 'error',
        table: 'T3',
        row: '一、本年新收政府信息公开申请数量',
        column: '科研机构',
        cellCode: 'T3.NEW_REQUESTS.RESEARCH_INSTITUTION',
        line: 63,
        text: 'abc',
        message:
          'Line 63, table 3 (依申请公开), row "一、本年新收政府信息公开申请数量", column "科研机构": "abc" is not a number; expected a number (e.g. 0, 12, +2, 12.5), or blank, "/", "-", "—" or "无" for not reported.',
      },
    ]);
  });

  it.each([
    ['-5', 'whole number of 0 or more'],
    ['2.5', 'whole number of 0 or more'],
  ])('a count printed as %s is refused, naming the cell', (printed, expected) => {
    const text = withLine(63, (l) => l.replace(/^(一、[^\t]*\t\t0\t0\t)0/, `$1${printed}`));
    expect(problemsOf(text)).toMatchObject([
      {
        code: 'NOT_A_COUNT',
        line: 63,
        cellCode: 'T3.NEW_REQUESTS.RESEARCH_INSTITUTION',
        message: expect.stringContaining(`"${printed}" is not a count; this column holds a ${expected}`),
      },
    ]);
    // A decrease in a column printed with a sign (本年增/减 of the 2019 template) is what it says.
    const decrease = real.replace('其他对外管理服务事项\t3\t+2\t49', '其他对外管理服务事项\t3\t-2\t49');
    expect(decrease).not.toBe(real);
    const read = parseReportText(decrease);
    expect(read.ok && read.report.cells.find((c) => c.code === 'T2.OTHER_SERVICES.CHANGE')?.value).toBe('-2');
  });

  it.each(['-12.35', '-123500元', '－12.35', '−12.35 万元'])(
    'a fee amount printed below zero (%s) is refused, naming the cell, never stored',
    (printed) => {
      const example = fixtureText(EXAMPLE_V2021);
      const text = example.replace('行政事业性收费\t12.35', `行政事业性收费\t${printed}`);
      expect(text).not.toBe(example);
      expect(problemsOf(text)).toMatchObject([
        {
          code: 'OUT_OF_RANGE',
          cellCode: 'T2.FEES.AMOUNT',
          text: printed,
          message: expect.stringContaining(
            `"${printed}" is below zero; this column holds an amount of 0 or more.`,
          ),
        },
      ]);
    },
  );

  it.each([
    ['123456789012345', 'digits run together'],
    ['1.234567891', 'more decimals than can be stored'],
  ])('a number that cannot be stored exactly (%s: %s) is refused, never rounded', (printed) => {
    const text = withLine(63, (l) => l.replace(/^(一、[^\t]*\t\t0\t0\t)0/, `$1${printed}`));
    expect(problemsOf(text)).toMatchObject([
      {
        code: 'OUT_OF_RANGE',
        line: 63,
        cellCode: 'T3.NEW_REQUESTS.RESEARCH_INSTITUTION',
        text: printed,
        message: expect.stringMatching(
          /^Line 63, table 3 .*column "科研机构": ".*" has more than 14 digits before or 8 after/,
        ),
      },
    ]);
    // Trailing zeros are not extra precision.
    const padded = withLine(63, (l) => l.replace(/^(一、[^\t]*\t\t0\t0\t)0/, '$15.00000000000'));
    expect(parseReportBytes(new TextEncoder().encode(padded)).result.ok).toBe(true);
  });

  it('a table cut off half-way lists every missing row and cell and refuses without allowPartial', () => {
    // Cut the file in the middle of table 3, inside the 不予公开 group (line 70 is 4.保护第三方合法权益).
    const cut = `${lines.slice(0, 69).join('\n')}\n${lines[69]?.split('\t').slice(0, 6).join('\t')}`;
    const problems = problemsOf(cut);
    const messages = problems.map((p) => p.message);
    // A row cut short places none of its values: the cut could have dropped any cell.
    expect(problems.filter((p) => p.code === 'MISSING_CELL').map((p) => [p.line, p.column])).toEqual(
      ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'].map((c) => [70, c]),
    );
    expect(problems.filter((p) => p.code === 'MISSING_ROW').map((p) => p.row)).toContain(
      '三、本年度办理结果 （三）不予公开 5.属于三类内部事务信息',
    );
    expect(problems.filter((p) => p.code === 'MISSING_ROW').map((p) => p.row)).toContain(
      '四、结转下年度继续办理',
    );
    expect(messages).toContain(
      'Table 4 (政府信息公开行政复议、行政诉讼情况) was not found; no section heading like "四、政府信息公开行政复议、行政诉讼情况" precedes it.',
    );
    expect(messages.at(-1)).toMatch(
      /so an import stores nothing of it and validate checks none of it\. To read what is there.*import or validate again with --allow-partial/,
    );
    // Every refusal about a table says where: a line, or the lines of the section that lacks it.
    for (const problem of problems.filter((p) => p.table && p.code !== 'MISSING_TABLE')) {
      expect(problem.line, problem.message).toBeGreaterThan(0);
      expect(problem.message).toMatch(/[Ll]ines? \d+/);
    }
  });

  it('a cut-off report is readable with allowPartial, with the gaps recorded and nothing invented', () => {
    const cut = lines.slice(0, 70).join('\n');
    const result = parseReportText(cut, { allowPartial: true });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const cell = (code: string) => result.report.cells.find((c) => c.code === code);
    expect(cell('T3.REFUSED_THIRD_PARTY.TOTAL')).toMatchObject({ status: 'REPORTED', value: '0' });
    expect(cell('T3.REFUSED_INTERNAL_AFFAIRS.TOTAL')).toMatchObject({ status: 'MISSING', value: null });
    expect(cell('T4.REVIEW.TOTAL')).toMatchObject({ status: 'MISSING', value: null });
    expect(result.report.gaps.map((g) => g.code)).toContain('MISSING_TABLE');
  });

  it('a report in an unknown template', () => {
    const other = `某某县人民政府\n2022年政府信息公开工作年度报告\n一、概述\n今年我们做了很多工作。\n二、主动公开政府信息情况\n指标\t单位\t数量\n主动公开政府信息数\t条\t120\n`;
    expect(problemsOf(other)).toMatchObject([
      { code: 'UNKNOWN_TEMPLATE', message: expect.stringContaining('Cannot tell which national template') },
    ]);
  });

  it('a report of a year the national template does not cover, by its title or as given', () => {
    const old = `某某县人民政府\n2017年政府信息公开工作年度报告\n一、概述\n今年我们做了很多工作。\n`;
    expect(problemsOf(old)).toEqual([
      {
        code: 'YEAR_OUT_OF_RANGE',
        severity: 'error',
        line: 2,
        message: `The report year 2017 (from the title "2017年政府信息公开工作年度报告") is not one the national template covers: 2019 to ${new Date().getUTCFullYear()}. If the title is wrong, pass the year explicitly (--year, year).`,
      },
    ]);
    for (const year of [20, 2018, new Date().getUTCFullYear() + 1])
      expect(parseReportText(real, { year }), String(year)).toMatchObject({
        ok: false,
        problems: [{ code: 'YEAR_OUT_OF_RANGE', message: expect.stringContaining(`${year} (as given)`) }],
      });
  });

  it('a year given that differs from the title is taken, with a warning on the title line', () => {
    const result = parseReportText(real, { year: 2019 });
    if (!result.ok) throw new Error(result.problems[0]?.message);
    expect(result.report.year).toBe(2019);
    expect(result.report.warnings).toContainEqual(
      expect.objectContaining({
        code: 'YEAR_OVERRIDDEN',
        message: expect.stringMatching(/^The title says 20\d\d; the report is taken as 2019/),
      }),
    );
  });

  it('a title naming another year than the statistics period the report states', () => {
    const example = fixtureText(EXAMPLE_V2021);
    const period = '统计期限为 2022 年 1 月 1 日至 12 月 31 日';
    expect(example).toContain(period);
    for (const stated of [
      '统计期限为 2021 年 1 月 1 日至 12 月 31 日',
      '统计时限自2021年1月1日起至2021年12月31日止',
    ]) {
      const problems = problemsOf(example.replace(period, stated));
      expect(problems).toEqual([
        expect.objectContaining({
          code: 'YEAR_CONFLICT',
          line: 7,
          message:
            'The title (line 5) names 2022, but line 7 gives the statistics period as starting on 2021年1月1日. Check which is right and import it again with that year (--year, year).',
        }),
      ]);
    }
    // The year given decides, with the warning that it differs from the title.
    const given = parseReportText(example.replace(period, '统计期限为 2021 年 1 月 1 日至 12 月 31 日'), {
      year: 2021,
    });
    expect(given.ok && given.report.year).toBe(2021);
    // A period that agrees, or none stated, is no conflict.
    expect(parseReportText(example).ok).toBe(true);
    expect(parseReportText(example.replace(period, '')).ok).toBe(true);
  });

  it('an agency given that differs from the title is taken, with a warning on the title line', () => {
    const result = parseReportText(real, { agencyName: '测试局' });
    if (!result.ok) throw new Error(result.problems[0]?.message);
    expect(result.report.agencyName).toBe('测试局');
    expect(result.report.warnings).toContainEqual(
      expect.objectContaining({
        code: 'AGENCY_OVERRIDDEN',
        line: expect.any(Number),
        message: expect.stringMatching(
          /^The title names .+; the report is stored as 测试局, the agency given/,
        ),
      }),
    );
    const same = parseReportText(real, {
      agencyName: (parseReportText(real) as { report: { agencyName: string } }).report.agencyName,
    });
    expect(same.ok && same.report.warnings.filter((w) => w.code === 'AGENCY_OVERRIDDEN')).toEqual([]);
  });

  it('a report that mixes the two templates', () => {
    const mixed = real.replace(
      '本年新制作数量\t本年新公开数量\t对外公开总数量',
      '本年制发件数\t本年废止件数\t现行有效件数',
    );
    expect(problemsOf(mixed)).toMatchObject([{ code: 'CONFLICTING_TEMPLATE' }]);
  });

  it('text that is not a report', () => {
    expect(problemsOf('hello world\nthis is not a report')).toMatchObject([{ code: 'NO_TITLE' }]);
  });

  it('a row with too many values', () => {
    const text = withLine(63, (l) => `${l}\t5\t6`);
    expect(problemsOf(text)).toMatchObject([{ code: 'TOO_MANY_VALUES', line: 63, table: 'T3' }]);
  });

  it('tables exported with commas (CSV) are refused row by row, each saying how to save them', () => {
    const problems = problemsOf(real.replace(/\t/g, ','));
    const rows = problems.filter((p) => p.code === 'TOO_MANY_VALUES');
    expect(rows.length).toBeGreaterThan(10);
    for (const p of rows)
      expect(p.message, p.text).toMatch(/They look comma-separated \(CSV\): .* tabs or "\|"/);
    // Figures that do not split on commas into the row's columns get no such advice.
    const tooMany = problemsOf(withLine(63, (l) => `${l}\t5\t6`));
    expect(tooMany[0]?.message).not.toMatch(/comma-separated/);
  });

  it('a number with a space between its thousands, in text whose columns are spaces, is refused saying so', () => {
    const spaced = real
      .replace(/\t/g, ' ')
      .replace('其他对外管理服务事项 3 +2 49', '其他对外管理服务事项 3 +2 3 001');
    const problems = problemsOf(spaced);
    expect(problems).toMatchObject([{ code: 'TOO_MANY_VALUES', line: 46, table: 'T2' }]);
    expect(problems[0]?.message).toContain(
      '"3 001" looks like one number with a space between its thousands (3001): a space separates columns in this text, so print it as 3001 or 3,001',
    );
    // A leading zero with no short figure before it is a slip, not a thousands group.
    const slip = problemsOf(
      real.replace(/\t/g, ' ').replace('其他对外管理服务事项 3 +2 49', '其他对外管理服务事项 3 +2 049'),
    );
    expect(slip[0]?.message).not.toMatch(/thousands/);
  });

  it('a row printed twice with other figures', () => {
    // Line 63 again on line 64, its last figure changed: which copy is right cannot be told.
    const copy = (lines[62] ?? '').replace(/\d+(?=\D*$)/, (n) => String(Number(n) + 1));
    expect(copy).not.toBe(lines[62]);
    expect(problemsOf(withLine(64, () => copy))).toMatchObject([{ code: 'DUPLICATE_ROW', line: 64 }]);
  });

  it("rows out of the template's order in text without cell separators, naming where each is", () => {
    // Single spaces between cells, as a PDF's text layer prints them: rows are read in order.
    const spaced = toSingleSpaceText;
    const swap = (text: string, a: string, b: string) => {
      const all = text.split('\n');
      const [i, j] = [a, b].map((label) => all.findIndex((l) => l.includes('\t') && l.includes(label)));
      [all[i as number], all[j as number]] = [all[j as number] ?? '', all[i as number] ?? ''];
      return all.join('\n');
    };
    const example = fixtureText(EXAMPLE_V2021);
    const t3 = problemsOf(spaced(swap(example, '本年新收', '上年结转')));
    expect(t3[0]?.message).toMatch(
      /^Table 3: row "二、上年结转政府信息公开申请数量" was not found after line \d+; it is printed earlier, on line \d+, out of the template's order/,
    );
    const t2 = problemsOf(spaced(swap(example, '行政处罚', '行政强制')));
    expect(t2[0]?.message).toMatch(
      /^Table 2, block 第二十条第（六）项: row "行政强制" was not found after line \d+; it is printed earlier, on line \d+/,
    );
    // In a table with its cells separated the rows are found by their labels, in any order.
    expect(parseReportText(swap(example, '本年新收', '上年结转')).ok).toBe(true);
  });

  // Running text whose rows print 40 digits each: millions of ways to cut every row into its
  // cells. Each row's search has a budget, so the file is read in about a second (it took
  // minutes, holding a parser worker, or the CLI, all that time); no value is guessed.
  // The crawled page is one of the real documents beside the project (../shared), as in CI;
  // a clone without them skips this, as it skips the real-document suite.
  it.runIf(existsSync(PINGTAN_2021))(
    'rows of long digit runs in running text are left unreadable, within a bounded search',
    () => {
      const crawled = readFileSync(PINGTAN_2021, 'utf8');
      const from = crawled.indexOf('一、本年新收');
      const to = crawled.indexOf('四、政府信息公开行政复议');
      const hostile =
        crawled.slice(0, from) +
        crawled.slice(from, to).replace(/(?<=[\u4e00-\u9fff）)])\d{4,}/g, '1234567890'.repeat(4)) +
        crawled.slice(to);
      const result = parseReportText(hostile, { allowPartial: true });
      if (!result.ok) throw new Error(result.problems[0]?.message);
      const table3 = result.report.cells.filter((c) => c.code.startsWith('T3.'));
      expect(table3.filter((c) => c.status === 'UNREADABLE').length).toBeGreaterThan(100);
      for (const cell of table3) if (cell.status === 'UNREADABLE') expect(cell.value).toBeNull();
    },
    20_000,
  );
});

describe('input the parser accepts as it is', () => {
  it('"not reported" marks are kept apart from 0', () => {
    const text = withLine(63, (l) => l.replace(/^(一、[^\t]*\t\t)0\t0\t0\t0/, '$1/\t-\t—\t无'));
    const result = parseReportText(text);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const cells = result.report.cells.filter((c) => c.code.startsWith('T3.NEW_REQUESTS.')).slice(0, 5);
    expect(cells.map((c) => [c.status, c.value, c.rawText])).toEqual([
      ['NOT_REPORTED', null, '/'],
      ['NOT_REPORTED', null, '-'],
      ['NOT_REPORTED', null, '—'],
      ['NOT_REPORTED', null, '无'],
      ['REPORTED', '0', '0'],
    ]);
  });

  it('full-width digits, thousands separators and spaces inside labels', () => {
    const text = fixtureText(EXAMPLE_V2021)
      .replace('行政许可\t1268', '行 政 许 可\t１,２６８')
      .replace('(三) 不予公开', '（三） 不予 公开');
    const result = parseReportText(text);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.report.cells.find((c) => c.code === 'T2.LICENSING.DECISIONS')).toMatchObject({
      value: '1268',
      rawText: '１,２６８',
    });
  });

  it('an extra local row is kept as an annotated extra, not an error', () => {
    const text = real.replace('规范性文件\t0\t0\t0', '规范性文件\t0\t0\t0\n其他主动公开文件\t5\t5\t9');
    const result = parseReportText(text);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.report.extras).toMatchObject([
      { table: 'T2', label: '其他主动公开文件', cells: ['5', '5', '9'] },
    ]);
    expect(result.report.warnings).toMatchObject([{ code: 'UNKNOWN_ROW', row: '其他主动公开文件' }]);
  });
});
