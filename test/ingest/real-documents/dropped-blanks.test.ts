/**
 * Blank cells left out of running text: a PDF's text layer, a crawler's get_text(' ') or a dump
 * of one cell a line drops an empty cell, so a table-2 row of three columns prints two figures.
 * Table 2 has no identity to check a cut by, so "1 11" for 本年新制作 | 本年废止 | 现行有效 was cut
 * into 1 | 1 | 1 with no word: where the table prints its figures apart, a row a figure short
 * is refused instead, cell by cell. Also: blanks left out of figures run together, and a header
 * run together with its figures, checked for its columns' order like any other.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';
import type { ParsedReport } from '../../../src/ingest/types.ts';
import { EXAMPLE_V2021, fixtureText, REAL_V2019, toSingleSpaceText } from '../../support/fixtures.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
const HUAIAN = 'huaian-szf-2024.pdftext.txt';

async function read(text: string): Promise<ParsedReport> {
  const { result } = await parseDocument(new TextEncoder().encode(text), { allowPartial: true });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  return result.report;
}
const values = (report: ParsedReport, prefix: string) =>
  report.cells.filter((c) => c.code.startsWith(prefix)).map((c) => [c.status, c.value]);

/** The Huai'an text layer with every 0 of tables 2 and 3 printed as a blank cell, as Shanghai prints them. */
function zerosBlank(): string {
  const text = readFileSync(SHARED + HUAIAN, 'utf8');
  const start = text.indexOf('第二十条 第（一）项');
  const end = text.indexOf('四、政府信息公开行政复议、行政诉讼情况');
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  const tables = text
    .slice(start, end)
    .split('\n')
    .map((line) => (/^- \d+ -$/.test(line) ? line : line.replace(/ 0(?= |$)/g, '')))
    .join('\n');
  expect(tables).toContain('\n规章 1 11\n');
  return text.slice(0, start) + tables + text.slice(end);
}

describe.runIf(existsSync(SHARED))('blank cells left out of running text', () => {
  it('the Huai\'an text layer with its zeros blank: "规章 1 11" is refused, not read as 1 | 1 | 1', async () => {
    const report = await read(zerosBlank());
    expect(values(report, 'T2.RULES.')).toEqual(Array(3).fill(['MISSING', null]));
    const gap = report.gaps.find((g) => g.cellCode === 'T2.RULES.IN_FORCE');
    expect(gap?.message).toContain(
      'row "规章": "1 11" fills the 3 columns only by cutting a figure, where this table prints its figures apart: a blank cell may have been left out instead',
    );
    // The rows that print a figure for every column are read as printed.
    expect(values(report, 'T2.NORMATIVE_DOCUMENTS.')).toEqual([
      ['REPORTED', '8'],
      ['REPORTED', '26'],
      ['REPORTED', '66'],
    ]);
    expect(values(report, 'T2.LICENSING.')).toEqual([['REPORTED', '447228']]);
  });

  /**
   * The sample as a PDF text layer prints it, 本年增/减 left blank in three rows of table 2 and
   * tables 3 and 4 printing their zeros blank (so that most rows are short, and the text is not
   * read as one that prints every figure: there a short row was refused before).
   */
  const blankChanges = () => {
    let text = toSingleSpaceText(fixtureText(REAL_V2019));
    const tables3and4 = text.indexOf('三、收到和处理政府信息公开申请情况');
    text = text.slice(0, tables3and4) + text.slice(tables3and4).replace(/ 0(?= |$)/gm, '');
    const changes: [string, string][] = [
      ['行政许可 0 0 0', '行政许可 3 45'],
      ['行政处罚 2 0 0', '行政处罚 5 20'],
      ['行政事业性收费 0 0', '行政事业性收费 12'],
    ];
    for (const [printed, instead] of changes) {
      expect(text).toContain(`\n${printed}\n`);
      text = text.replace(printed, instead);
    }
    return text;
  };

  it('a V2019 table 2 whose 本年增/减 is blank: "3 45" and "12" are refused, not cut into 3 | 4 | 5 and 1 | 2', async () => {
    const report = await read(blankChanges());
    for (const row of ['LICENSING', 'PENALTY', 'FEES']) {
      expect(
        values(report, `T2.${row}.`).every(([status]) => status === 'MISSING'),
        row,
      ).toBe(true);
    }
    expect(report.gaps.find((g) => g.cellCode === 'T2.FEES.CHANGE')?.message).toContain(
      '"12" fills the 2 columns only by cutting a figure, where this table prints its figures apart',
    );
    // The row printed in full beside them is read.
    expect(values(report, 'T2.OTHER_SERVICES.')).toEqual([
      ['REPORTED', '3'],
      ['REPORTED', '2'],
      ['REPORTED', '49'],
    ]);
  });

  it('the same table printed one cell a line, as a crawler dumps a table without its empty cells', async () => {
    const text = blankChanges()
      .replace('行政许可 3 45', '行政许可\n3\n45')
      .replace('行政处罚 5 20', '行政处罚\n5\n20');
    const report = await read(text);
    for (const row of ['LICENSING', 'PENALTY']) {
      expect(
        values(report, `T2.${row}.`).every(([status]) => status === 'MISSING'),
        row,
      ).toBe(true);
    }
  });

  it('a text that runs every figure together is still cut where only one split fits ("000" as 0 | 0 | 0)', async () => {
    // Glued text has no spaces to say where a figure ends: the column count and the forms decide.
    const text = readFileSync(`${SHARED}pingtan-gaj-2021.pagetxt.txt`, 'utf8');
    const report = await read(text);
    expect(values(report, 'T2.RULES.')).toEqual(Array(3).fill(['REPORTED', '0']));
  });
});

describe.runIf(existsSync(SHARED))('a blank cell left out of figures run together', () => {
  /** pingtan-gaj-2021 (a page dumped with its figures run together) with `changes` made. */
  const changed = (changes: [string, string][]) => {
    let text = readFileSync(`${SHARED}pingtan-gaj-2021.pagetxt.txt`, 'utf8');
    for (const [printed, instead] of changes) {
      expect(text).toContain(printed);
      text = text.replace(printed, instead);
    }
    return text;
  };

  it('"1200000" for 12 natural persons and a blank 总计 is refused, not read as 1 | 2 | 0 | 0 | 0 | 0 | 0', async () => {
    // 13 new requests from natural persons: 12 not held, 1 other; the not-held row's 总计 blank.
    const report = await read(
      changed([
        ['一、本年新收政府信息公开申请数量1000001', '一、本年新收政府信息公开申请数量130000013'],
        ['1.本机关不掌握相关政府信息0000000', '1.本机关不掌握相关政府信息1200000'],
        ['（七）总计1000001', '（七）总计130000013'],
        ['四、结转下年度继续办理1000001', '四、结转下年度继续办理0000000'],
      ]),
    );
    expect(values(report, 'T3.CANNOT_PROVIDE_NOT_HELD.')).toEqual(Array(7).fill(['MISSING', null]));
    expect(report.gaps.find((g) => g.cellCode === 'T3.CANNOT_PROVIDE_NOT_HELD.TOTAL')?.message).toContain(
      '"1200000" fits the 7 columns only by cutting figures, and no cut keeps the row\'s own total',
    );
  });

  it("a row printed whole whose total is misprinted is still read as printed, its total's finding saying so", async () => {
    // Figures set apart need no cut: the broken total is the agency's, and is reported as such.
    const text = readFileSync(`${SHARED}${HUAIAN}`, 'utf8').replace(
      '二、上年结转政府信息公开申请数量 34 0 0 0 0 0 34',
      '二、上年结转政府信息公开申请数量 34 0 0 0 0 0 35',
    );
    expect(text).toContain('34 0 0 0 0 0 35');
    const report = await read(text);
    expect(values(report, 'T3.CARRIED_OVER.').map(([, value]) => value)).toEqual([
      '34',
      '0',
      '0',
      '0',
      '0',
      '0',
      '35',
    ]);
  });
});

describe.runIf(existsSync(SHARED))(
  'a header run together with its figures, in a page dumped as one line',
  () => {
    const gaj = () => readFileSync(`${SHARED}pingtan-gaj-2021.pagetxt.txt`, 'utf8');
    const problems = async (text: string) => {
      const { result } = await parseDocument(new TextEncoder().encode(text), { allowPartial: true });
      return result.ok ? [] : result.problems.map((p) => [p.code, p.table]);
    };

    it.each([
      ['科研机构社会公益组织', '社会公益组织科研机构', 'T3'],
      ['科研机构社会公益组织', '社会公益组织 科研机构', 'T3'],
      ['总计未经复议直接起诉复议后起诉', '总计复议后起诉未经复议直接起诉', 'T4'],
    ])(
      "%s printed as %s is refused COLUMN_ORDER (its figures were read under the template's columns)",
      async (printed, instead, table) => {
        const text = gaj();
        expect(text).toContain(printed);
        expect(await problems(text.replace(printed, instead))).toEqual([['COLUMN_ORDER', table]]);
      },
    );

    it('a sentence naming the columns in another order, with figures in it, is no header', async () => {
      const lines = fixtureText(EXAMPLE_V2021).split('\n');
      for (const sentence of [
        '本年度收到的政府信息公开申请中，以法人或其他组织提出的申请为主，自然人提出的申请较少，共计49件，均已在法定期限内答复完毕，未发生因答复不及时引起的投诉或者举报事项。',
        '本机关本年度未发生因政府信息公开工作引起的行政诉讼及行政复议案件，与2021年相比均为零，各项结果维持、结果纠正、其他结果和尚未审结的数量均为零，具体情况详见下表。',
        '申请人中，社会公益组织、商业企业及自然人分别提出了申请，合计49件，全部在法定期限内办结完毕，办理结果已按照要求逐件登记并归档保存，以备日后查阅和开展监督检查之需。',
      ]) {
        expect(sentence.length, sentence).toBeGreaterThan(80);
        for (const heading of ['三、', '四、']) {
          const at = lines.findIndex((l) => l.startsWith(heading));
          expect(at).toBeGreaterThan(0);
          const changed = [...lines.slice(0, at + 1), sentence, ...lines.slice(at + 1)].join('\n');
          expect(await problems(changed), sentence).toEqual([]);
        }
      }
    });

    it("the page as published reads, its header in the template's order", async () => {
      expect(await problems(gaj())).toEqual([]);
    });
  },
);
