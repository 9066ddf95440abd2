/**
 * Words after a row's label in running text: a row's figures are printed before any words the
 * template does not print. Where the last row of table 2 was blank, the first number after it
 * was read as its figure, from the report's next section ("（二）主动公开政府信息的主要类别 2021年，
 * 在主动公开的198条…" stored 2021 万元 for a blank fee), from a note (注：2021年无收费) or from the next
 * block's heading printed with an Arabic item number (第二十条第（8）项 stored 8 for a blank
 * 行政强制). A sign the template has no use for there (±5) was dropped, and 5 stored.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../src/ingest/types.ts';
import { gaj, huaian, parse, realText, SHARED } from './running-text-cases.ts';

const czj = realText('pingtan-czj-2021.pagetxt.txt');
const p2020 = realText('pingtan-2020.pagetxt.txt');
const p2023 = realText('pingtan-2023.pagetxt.txt');

/** A cell's status and value, or the refusal's messages. */
function cell(result: ParseResult, code: string) {
  if (!result.ok) return result.problems.map((p) => p.message);
  const found = result.report.cells.find((c) => c.code === code);
  return found ? [found.status, found.value] : null;
}

describe.runIf(existsSync(SHARED))('words after a row of running text', () => {
  it('reads the real figures as before', async () => {
    expect(cell(await parse(czj), 'T2.FEES.AMOUNT')).toEqual(['REPORTED', '7816']);
    expect(cell(await parse(gaj), 'T2.FEES.AMOUNT')).toEqual(['REPORTED', '0']);
    expect(cell(await parse(huaian), 'T2.FEES.AMOUNT')).toEqual(['REPORTED', '96171.6']);
  });

  it.each([
    ['the next section on its own lines', '行政事业性收费\n（二）主动公开政府信息的主要类别\n2021年'],
    ['the next section on the same line', '行政事业性收费 (二)主动公开政府信息的主要类别 2021年'],
    ['the next section run into the label', '行政事业性收费(二)主动公开政府信息的主要类别 2021年'],
    ['a sentence with a count in it', '行政事业性收费 (二)主动公开政府信息的主要类别 在主动公开的198条'],
  ])('a blank last row of table 2 before %s is missing, never a number of the text', async (_, to) => {
    const result = await parse(czj, '行政事业性收费7816 (二)主动公开政府信息的主要类别 2021年', to);
    expect(cell(result, 'T2.FEES.AMOUNT')).toEqual(['MISSING', null]);
    if (result.ok)
      expect(result.report.gaps.map((g) => g.message)).toContainEqual(
        expect.stringContaining('row "行政事业性收费": no figures follow the label (expected 1)'),
      );
  });

  // What a helper fed after a blank row, each a number the old reading stored as the figure.
  it.each([
    ...[
      '第3季度',
      '第3批',
      '本年3月起',
      '其他3件',
      '总计3件',
      '数量3',
      '项目3个',
      '信息3条',
      '第3项',

      '截至第3季度共',
      '本年度3件',
      '1月31日前',
    ].map((words) => [
      `行政许可${words}`,
      gaj,
      '行政许可0第二十条',
      `行政许可${words}第二十条`,
      'T2.LICENSING.DECISIONS',
    ]),
    [
      'a fee before 第3季度',
      p2023,
      '行政事业性收费5949.088667三、',
      '行政事业性收费第3季度三、',
      'T2.FEES.AMOUNT',
    ],
    ['a fee before a date', gaj, '行政事业性收费0三、', '行政事业性收费2022年1月13日三、', 'T2.FEES.AMOUNT'],
    [
      'a line of words',
      huaian,
      '行政许可 447228',
      '行政许可\n第 3 季度起由审批局统计',
      'T2.LICENSING.DECISIONS',
    ],
    ['a note', huaian, '行政事业性收费 96171.6', '行政事业性收费\n注：自 3 月起免收', 'T2.FEES.AMOUNT'],
    ['a month', huaian, '行政事业性收费 96171.6', '行政事业性收费\n截至 12 月底', 'T2.FEES.AMOUNT'],
    ['an article', huaian, '行政许可 447228', '行政许可\n根据第 20 条', 'T2.LICENSING.DECISIONS'],
    [
      'the next block as 第 20 条',
      huaian,
      '行政强制 88283\n第二十条 第（八）项',
      '行政强制\n第 20 条第（八）项',
      'T2.COERCION.DECISIONS',
    ],
    ['a 小计 line', huaian, '行政强制 88283', '行政强制\n小计 4074041', 'T2.COERCION.DECISIONS'],
    [
      'a 小计 row',
      huaian,
      '8.属于行政查询事项 105 0 0 0 0 0 105',
      '8.属于行政查询事项\n小计 176 2 0 0 0 0 178',
      'T3.REFUSED_QUERY_MATTER.TOTAL',
    ],
    [
      'a 其中 row',
      huaian,
      '（一）予以公开 1288 21 0 0 50 3 1362',
      '（一）予以公开\n其中 25 0 0 0 0 0 25',
      'T3.GRANTED.TOTAL',
    ],
    [
      'a glued 小计 row',
      p2023,
      '8.属于行政查询事项2000002（四）',
      '8.属于行政查询事项小计5000005（四）',
      'T3.REFUSED_QUERY_MATTER.TOTAL',
    ],
  ])('a blank row before %s is missing', async (_, text, from, to, code) => {
    expect(cell(await parse(text, from, to), code)).toEqual(['MISSING', null]);
  });

  it('a block headed 第20条 ends the block before it; the block it heads reads as before', async () => {
    const result = await parse(
      p2020,
      '行政事业性收费35-15第二十条第（九）项',
      '行政事业性收费第20条第（九）项',
    );
    expect(cell(result, 'T2.FEES.PREVIOUS_ITEMS')).toEqual(['MISSING', null]);
    expect(cell(result, 'T2.FEES.CHANGE')).toEqual(['MISSING', null]);
    // Its digits run into the amount (39573802895.90元), unreadable in the document as printed too.
    expect(cell(result, 'T2.PROCUREMENT.PROJECTS')).toEqual(['UNREADABLE', null]);
    expect(cell(await parse(p2020), 'T2.PROCUREMENT.PROJECTS')).toEqual(['UNREADABLE', null]);
  });

  it('a local row glued after a row’s figures leaves them read (其中：… in a page dump)', async () => {
    const row = '一、本年新收政府信息公开申请数量1000001二、';
    const result = await parse(gaj, row, '一、本年新收政府信息公开申请数量1000001其中：网上申请1000001二、');
    expect(cell(result, 'T3.NEW_REQUESTS.TOTAL')).toEqual(['REPORTED', '1']);
    expect(cell(result, 'T3.NEW_REQUESTS.NATURAL_PERSON')).toEqual(['REPORTED', '1']);
  });

  it('a note of a year after a blank row is no figure', async () => {
    const result = await parse(gaj, '行政事业性收费0三、', '行政事业性收费 注：2021年无收费。三、');
    expect(cell(result, 'T2.FEES.AMOUNT')).toEqual(['MISSING', null]);
  });

  it('the next block headed with an Arabic item number (（8）) ends the block: its 8 is no figure', async () => {
    const result = await parse(czj, '行政强制0第二十条第（八）项', '行政强制第二十条第（8）项');
    expect(cell(result, 'T2.COERCION.DECISIONS')).toEqual(['MISSING', null]);
    // The block it heads is read as before.
    expect(cell(result, 'T2.FEES.AMOUNT')).toEqual(['REPORTED', '7816']);
    // And printed with its figure, the row reads it.
    const printed = await parse(czj, '行政强制0第二十条第（八）项', '行政强制3第二十条第（8）项');
    expect(cell(printed, 'T2.COERCION.DECISIONS')).toEqual(['REPORTED', '3']);
  });

  it('words of the template between a label and its figures are passed over (a wrapped label)', async () => {
    // The Huai'an text layer wraps （二）部分公开's note around its figures; read as before.
    const result = await parse(huaian);
    expect(cell(result, 'T3.PARTLY_GRANTED.TOTAL')).toEqual(['REPORTED', '454']);
  });

  it.each([
    ['±5', gaj, '行政事业性收费0三、', '行政事业性收费±5三、'],
    ['±7816', czj, '行政事业性收费7816', '行政事业性收费±7816'],
    ['∓7816', czj, '行政事业性收费7816', '行政事业性收费 ∓7816'],
  ])('a figure printed with %s is refused, not read without its sign', async (printed, text, from, to) => {
    const result = await parse(text, from, to);
    expect(result.ok).toBe(false);
    expect(cell(result, 'T2.FEES.AMOUNT')).toContainEqual(
      expect.stringMatching(
        new RegExp(`"${printed.replace(/[±∓]/, '.')}" is not a number: ".+" printed with it`),
      ),
    );
  });

  it('a negative figure in a row without a signed column is refused, saying the sign is the slip', async () => {
    const result = await parse(czj, '行政事业性收费7816', '行政事业性收费-7816');
    expect(cell(result, 'T2.FEES.AMOUNT')).toContainEqual(
      expect.stringContaining('A minus sign belongs only in a 本年增/减 column, and this row has none'),
    );
  });
});
