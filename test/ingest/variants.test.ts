/**
 * Variants of a well-formed report that agencies really print, each read to the same
 * figures as the original: heading numbering styles, stray pipes and colons around block
 * titles, a block title and its header on one line, wrapped row labels, units in cells.
 */
import { describe, expect, it } from 'vitest';
import { classifyLine } from '../../src/ingest/lines.ts';
import { parseReportText } from '../../src/ingest/parse-report.ts';
import type { ParsedReport } from '../../src/ingest/types.ts';
import {
  EXAMPLE_V2021,
  fixtureText,
  REAL_V2019,
  toPipeTables,
  toSingleSpaceText,
} from '../support/fixtures.ts';

const original = fixtureText(EXAMPLE_V2021);

function read(text: string): ParsedReport {
  const result = parseReportText(text);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  return result.report;
}
const figures = (report: ParsedReport) => report.cells.map((c) => [c.code, c.status, c.value]);
const baseline = figures(read(original));

const SECTION_HEADINGS = [
  '二、主动公开政府信息情况',
  '三、收到和处理政府信息公开申请情况',
  '四、政府信息公开行政复议、行政诉讼情况',
  '五、存在的主要问题及改进情况',
];
const renumber = (text: string, style: (n: number, title: string) => string) =>
  SECTION_HEADINGS.reduce(
    (t, heading, i) => t.replace(`\n${heading}\n`, `\n${style(i + 2, heading.slice(2))}\n`),
    text,
  );
const CHINESE = ['', '一', '二', '三', '四', '五', '六'];

describe('section headings, however they are numbered', () => {
  it.each([
    ['（二）', (n: number, t: string) => `（${CHINESE[n]}）${t}`],
    ['(二)', (n: number, t: string) => `(${CHINESE[n]})${t}`],
    ['2.', (n: number, t: string) => `${n}.${t}`],
    ['2、', (n: number, t: string) => `${n}、${t}`],
    ['第二部分', (n: number, t: string) => `第${CHINESE[n]}部分 ${t}`],
    ['not numbered', (_n: number, t: string) => t],
    ['with a trailing colon', (n: number, t: string) => `${CHINESE[n]}、${t}：`],
  ])('%s', (_name, style) => {
    const text = renumber(original, style);
    expect(text).not.toContain('\n二、主动公开政府信息情况\n');
    expect(figures(read(text))).toEqual(baseline);
  });

  it('a heading inside a run-on line (a page dumped as one line) still starts its section', () => {
    const text = original.replace('。\n\n二、主动公开政府信息情况\n', '。二、主动公开政府信息情况\n');
    expect(figures(read(text))).toEqual(baseline);
  });
});

describe('table 2 block titles and headers', () => {
  it('a pipe table whose block-title line ends in | (or starts with it, or carries a colon)', () => {
    const pipes = toPipeTables(original);
    for (const variant of [
      pipes.replace(/^\| (第二十条第（[一五六八]）项)[ |]*$/gm, '$1 |'),
      pipes.replace(/^\| (第二十条第（[一五六八]）项)[ |]*$/gm, '| $1'),
      pipes.replace(/^\| (第二十条第（[一五六八]）项)[ |]*$/gm, '$1：'),
    ]) {
      expect(variant).not.toBe(pipes);
      expect(figures(read(variant))).toEqual(baseline);
    }
  });

  it('pipe tables without spaces or outer pipes (规章|0|0|0), as a spreadsheet saves them; one bare pipe in prose is prose', () => {
    const bare = original
      .split('\n')
      .map((line) => (line.includes('\t') ? line.split('\t').join('|') : line))
      .join('\n');
    expect(bare).toContain('\n规章|0|0|0\n');
    expect(figures(read(bare))).toEqual(baseline);
    expect(classifyLine('规章|0|0|0', { barePipes: true }).cells).toEqual(['规章', '0', '0', '0']);
    expect(classifyLine('规章|0|0|0').cells).toBeNull();
    expect(classifyLine('本报告另见政府网站|政务公开专栏', { barePipes: true }).cells).toBeNull();
    // A title printed with its site's name is the title, not a row.
    const titled = bare.replace(
      '2022年政府信息公开工作年度报告',
      '2022年政府信息公开工作年度报告|年度报告|中卫市沙坡头区人民政府',
    );
    expect(titled).not.toBe(bare);
    expect(figures(read(titled))).toEqual(baseline);
  });

  it('a block title and its column header on one line', () => {
    const text = original.replace(/^(第二十条第（[一五六八]）项)\t*\n信息内容/gm, '$1\t信息内容');
    expect(text).not.toBe(original);
    expect(figures(read(text))).toEqual(baseline);
  });
});

describe('row labels and cells', () => {
  it('a row label wrapped onto two lines', () => {
    const text = original
      .replace(
        '\t(二) 部分公开(区分处理的,只计这一情形,不计其他情形)\t',
        '\t(二) 部分公开(区分处理的,只计这一情形,\n\t不计其他情形)\t',
      )
      .replace(
        '\t\t5.要求行政机关确认或重新出具已获取信息\t',
        '\t\t5.要求行政机关确认或重新出\n\t\t具已获取信息\t',
      );
    expect(text).not.toBe(original);
    expect(figures(read(text))).toEqual(baseline);
  });

  it('a row label wrapped around its figures, its note left open (a PDF text layer with tabs)', () => {
    const text = original.replace(
      '\t(二) 部分公开(区分处理的,只计这一情形,不计其他情形)\t5\t1\t0\t0\t0\t0\t6\t',
      '(二) 部分公开(区分处理的,只计这一情\n\t\t5\t1\t0\t0\t0\t0\t6\t\n形,不计其他情形)',
    );
    expect(text).not.toBe(original);
    expect(figures(read(text))).toEqual(baseline);
  });

  it('a row label alone on its line and its figures on the next (a cell ending in a line break)', () => {
    for (const label of ['一、本年新收政府信息公开申请数量', '四、结转下年度继续办理']) {
      const text = original.replace(new RegExp(`^${label}\t\t`, 'm'), `${label}\n\t\t`);
      expect(text).not.toBe(original);
      expect(figures(read(text))).toEqual(baseline);
    }
    // Table 2 the same way: every row of every block ("规章" / "\t0\t0\t0").
    const table2 = original.replace(
      /^(规章|规范性文件|行政许可|行政处罚|行政强制|行政事业性收费|政府集中采购)\t/gm,
      '$1\n\t',
    );
    expect(table2.match(/^规章\n\t/m)).not.toBeNull();
    expect(figures(read(table2))).toEqual(baseline);
  });

  it('figures on the next line without the label cell before them are not placed, saying the row is narrower than the rest', () => {
    const text = original.replace(/^(二、上年结转政府信息公开申请数量)\t\t/m, '$1\n');
    const result = parseReportText(text);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.filter((p) => p.code === 'MISSING_CELL');
    expect(problems).toHaveLength(7);
    expect(problems[0]?.message).toContain(
      "the row has 9 cells where the table's other rows have 10, so which column each of its 7 values was printed under cannot be told",
    );
  });

  it('the shortened labels some agencies print (本年新收申请数量, 上年结转申请), in tabs and in running text', () => {
    const text = original
      .replace('一、本年新收政府信息公开申请数量', '一、本年新收申请数量')
      .replace('二、上年结转政府信息公开申请数量', '二、上年结转申请');
    expect(text).not.toContain('政府信息公开申请数量');
    expect(figures(read(text))).toEqual(baseline);
    expect(figures(read(text.replace(/\t+/g, ' ')))).toEqual(baseline);
  });

  it('outcome rows printed without （一）…（七）, 总计 among them, in tabs, pipes and running text', () => {
    const text = original.replace(/\(([一二三四五六七])\) ?/g, '');
    expect(text).toContain('\t总计\t42\t');
    expect(figures(read(text))).toEqual(baseline);
    expect(figures(read(toPipeTables(text)))).toEqual(baseline);
    expect(figures(read(text.replace(/\t+/g, ' ')))).toEqual(baseline);
  });

  it('sub-rows printed without their numbers (属于国家秘密 for 1.属于国家秘密, 其他 for 3.其他), in tabs, pipes, running text and the 2019 template', () => {
    const unnumbered = (text: string) => text.replace(/(^|\t)[1-8]\.(?=[^\d\s])/gm, '$1');
    const text = unnumbered(original);
    expect(text).not.toContain('\t1.属于国家秘密');
    expect(text).toContain('\t其他\t0\t1\t');
    expect(figures(read(text))).toEqual(baseline);
    expect(figures(read(toPipeTables(text)))).toEqual(baseline);
    expect(figures(read(toSingleSpaceText(text)))).toEqual(baseline);
    const real = fixtureText(REAL_V2019);
    expect(unnumbered(real)).not.toBe(real);
    expect(figures(read(unnumbered(real)))).toEqual(figures(read(real)));
  });

  it("其他 without its number and without figures is not taken for （六）'s 3.其他: a column header prints none", () => {
    // Only figures after it tell the sub-row from the header's 其他 or the start of a cut label.
    const result = parseReportText(original.replace('\t\t3.其他\t0\t1\t0\t0\t0\t0\t1', '\t\t其他'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.message).toContain(
      'row "三、本年度办理结果 （六）其他处理 3.其他" of the V2021 template is missing',
    );
  });

  it('社会团体 or 非营利组织 printed for 社会公益组织 names that column; printed beside it, it is refused', () => {
    for (const wording of ['社会团体', '非营利组织']) {
      const text = original.replace('\t社会公益组织\t', `\t${wording}\t`);
      expect(text).toContain(wording);
      expect(figures(read(text))).toEqual(baseline);
      expect(figures(read(toSingleSpaceText(text)))).toEqual(baseline);
    }
    const both = parseReportText(original.replace('\t社会公益组织\t', '\t社会公益组织\t社会团体\t'));
    expect(both.ok).toBe(false);
    if (both.ok) return;
    expect(both.problems[0]).toMatchObject({ code: 'COLUMN_ORDER' });
  });

  it('units printed in cells are read as the number printed, the unit kept as provenance', () => {
    const text = original
      .replace('行政许可\t1268', '行政许可\t1268件')
      .replace('行政事业性收费\t12.35', '行政事业性收费\t12.35万元');
    const report = read(text);
    expect(figures(report)).toEqual(baseline);
    const cell = (code: string) => report.cells.find((c) => c.code === code);
    expect(cell('T2.LICENSING.DECISIONS')).toMatchObject({ value: '1268', rawText: '1268件', unit: '件' });
    expect(cell('T2.FEES.AMOUNT')).toMatchObject({ value: '12.35', rawText: '12.35万元', unit: '万元' });
  });

  it('a unit printed in brackets after the figure (1268（件）, 12.35(万元)) is read as unbracketed; a magnitude in brackets is refused by name', () => {
    const text = original
      .replace('行政许可\t1268', '行政许可\t1268（件）')
      .replace('行政事业性收费\t12.35', '行政事业性收费\t12.35(万元)')
      .replace('(七) 总计\t42', '(七) 总计\t42（ 件 ）');
    for (const variant of [text, toSingleSpaceText(text)]) {
      const report = read(variant);
      expect(figures(report)).toEqual(baseline);
      const cell = (code: string) => report.cells.find((c) => c.code === code);
      expect(cell('T2.LICENSING.DECISIONS')).toMatchObject({
        value: '1268',
        rawText: expect.stringMatching(/^1268[（(]件[）)]$/),
        unit: '件',
      });
      expect(cell('T2.FEES.AMOUNT')).toMatchObject({ value: '12.35', unit: '万元' });
    }
    const magnitude = parseReportText(original.replace('行政许可\t1268', '行政许可\t1268（万）'));
    expect(magnitude.ok).toBe(false);
    if (magnitude.ok) return;
    expect(magnitude.problems[0]).toMatchObject({ cellCode: 'T2.LICENSING.DECISIONS' });
    expect(magnitude.problems[0]?.message).toContain('a magnitude, in a column of counts');
  });

  it('a unit that is not a unit (a letter inside the number) is still refused, naming the line and cell', () => {
    const result = parseReportText(original.replace('行政许可\t1268', '行政许可\t12x68'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]).toMatchObject({
      code: 'NOT_A_NUMBER',
      cellCode: 'T2.LICENSING.DECISIONS',
      text: '12x68',
    });
    expect(result.problems[0]?.message).toMatch(/^Line \d+, table 2/);
  });
});

describe('the 2019 template too', () => {
  it('reads the real 2019 report with unnumbered headings', () => {
    const text = fixtureText(REAL_V2019);
    const plain = text.replace(/^[二三四五]、/gm, '');
    expect(figures(read(plain))).toEqual(figures(read(text)));
  });
});
