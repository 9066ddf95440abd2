/**
 * A stray number beside a row's figures in running text: a year (行政许可 2024年 447228), a note's
 * number (行政处罚141注3, 141（注3）), a list number left over (3） 447228). A row's figures are
 * the first run of numbers that fills it, so where the stray filled the row too (a row of one
 * figure, or digits run together that split into its columns) it was stored as the figure, or
 * the figure after it dropped without a word. Now a row with two runs either of which fills it
 * is refused, naming the row and both runs; a note's number in brackets right after the figure
 * is a footnote mark, refused as the others are. What cannot fill the row (a year before seven
 * figures, a note's mark in brackets after the label) is still passed over, but a number right
 * before the figures (2。932 53 …, the rest filling the row) is refused: it may be the first
 * figure's start. A local row after a row's figures is still said as one.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../src/ingest/types.ts';
import { parseParagraphPageReplacing } from '../../support/report-pages.ts';
import { figures, gaj, huaian, parse, realText, SHARED } from './running-text-cases.ts';

/** Each refusal as [code, row, cell, quoted text]. */
const refusals = (result: ParseResult) =>
  result.ok ? [] : result.problems.map((p) => [p.code, p.row ?? null, p.cellCode ?? null, p.text ?? null]);

describe.runIf(existsSync(SHARED))('a stray number beside a row’s figures in running text', () => {
  it.each([
    [
      'a year before the figure',
      huaian,
      '行政许可 447228',
      '行政许可 2024年 447228',
      '行政许可',
      '2024年 447228',
    ],
    [
      'a list number before the figure',
      huaian,
      '行政许可 447228',
      '行政许可 3） 447228',
      '行政许可',
      '3) 447228',
    ],
    [
      'a year before an amount',
      huaian,
      '行政事业性收费 96171.6',
      '行政事业性收费 2024年度 96171.6',
      '行政事业性收费',
      '2024年度 96171.6',
    ],
    ['a year, a one-line dump', gaj, '行政处罚141', '行政处罚2021年141', '行政处罚', '2021年141'],
    [
      'a note’s number after the figure, a one-line dump',
      gaj,
      '行政处罚141',
      '行政处罚141注3',
      '行政处罚',
      '141注3',
    ],
    [
      'a bracketed note’s number, the next label glued on',
      gaj,
      '行政处罚141',
      '行政处罚141（注3）',
      '行政处罚',
      '141(注3',
    ],
    ['a year before digits run together', gaj, '规章000', '规章2021年000', '规章', '2021年000'],
  ])('%s: refused, naming the row and both runs', async (_, text, from, to, row, printed) => {
    const result = await parse(text, from, to);
    expect(refusals(result)).toEqual([['TOO_MANY_VALUES', row, null, printed]]);
    if (!result.ok) expect(result.problems[0]?.message).toContain('prints two runs of figures');
  });

  it('a note’s number in brackets right after the figure is a footnote mark, refused as one', async () => {
    const result = await parse(huaian, '行政许可 447228', '行政许可 447228（注3）');
    expect(refusals(result)).toEqual([['NOT_A_NUMBER', '行政许可', 'T2.LICENSING.DECISIONS', '447228(注3)']]);
  });

  it('a year that cannot fill a row of seven figures is passed over, as before', async () => {
    const row = '（七）总计 2932 53 0 0 61 4 3050';
    expect(figures(await parse(huaian, row, '（七）总计 2024年 2932 53 0 0 61 4 3050'))).toEqual(
      figures(await parse(huaian)),
    );
  });

  // It was passed over as a note's mark, and the rest filled the row: 932 stored for 2932.
  it.each([
    [
      'a stray character inside the first figure',
      '（七）总计 2。932 53 0 0 61 4 3050',
      '2。932 53 0 0 61 4 3050',
    ],
    ['a bracket inside the first figure', '（七）总计 (2)932 53 0 0 61 4 3050', '(2)932 53 0 0 61 4 3050'],
  ])('%s, the rest filling a row of seven figures: refused, naming the number', async (_, to, printed) => {
    const result = await parse(huaian, '（七）总计 2932 53 0 0 61 4 3050', to);
    expect(refusals(result)).toEqual([['TOO_MANY_VALUES', '（七）总计', null, printed]]);
    if (!result.ok) expect(result.problems[0]?.message).toContain('prints "2" right before the figures');
  });

  it('a note’s mark in brackets after the label, set apart from the figures, is passed over, as before', async () => {
    const row = '（七）总计 2932 53 0 0 61 4 3050';
    for (const mark of ['[1]', '（1）', '【1】', '[1]', '[[1]]', '[(1)]', '（注1）', '[注1]', '[1)]']) {
      expect(figures(await parse(huaian, row, `（七）总计${mark} 2932 53 0 0 61 4 3050`))).toEqual(
        figures(await parse(huaian)),
      );
    }
  });

  it('a local row after a row’s figures is still said, not refused', async () => {
    const row = '一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119\n';
    const report = await parse(huaian, row, `${row}其中：网上申请 2500 40 0 0 50 3 2593\n`);
    expect(figures(report)).toEqual(figures(await parse(huaian)));
    expect(report.ok && report.report.warnings.map((w) => w.code)).toContain('UNKNOWN_ROW');
  });

  const fee = '行政事业性收费 96171.6';
  it.each([
    ['a note numbered on the next line', `${fee}\n注：1.本表数据来源于各部门统计。`],
    ['a bracketed note with a year on the next line', `${fee}\n（注：2024年起按新口径统计）`],
    ['a bracketed year after the figure', `${fee} （2024年度）`],
    ['a note after the figure, numbered', `${fee} 注：1.单位万元`],
    ['a note numbered without a colon on the next line', `${fee}\n注1．本表数据来源于各部门统计。`],
    ['a list number starting the next line', `${fee}\n说明：1、本表数据来源于各部门统计。`],
    ['a sentence starting the next line with a year', `${fee}\n2024年全市行政事业性收费有所下降。`],
  ])('%s: not a stray number, the figure reads', async (_, note) => {
    expect(figures(await parse(huaian, fee, note))).toEqual(figures(await parse(huaian)));
  });

  it.each([
    ['a list number before a figure on the next line', `${fee}\n3）447228`, '96171.6 3'],
    ['a note’s number alone on the next line', `${fee}\n注3`, '96171.6 注3'],
    ['a note’s number in brackets after 注:', `${fee}（注：3）`, '96171.6(注:3'],
    ['a year after the figure, no bracket', `${fee} 2024年度`, '96171.6 2024'],
  ])('%s: still refused', async (_, to, printed) => {
    const result = await parse(huaian, fee, to);
    expect(refusals(result)).toEqual([['TOO_MANY_VALUES', '行政事业性收费', null, printed]]);
  });

  it('the narrative after a table dumped as one line is no stray number', async () => {
    const czj = realText('pingtan-czj-2021.pagetxt.txt');
    expect(czj).toMatch(/行政事业性收费\s*7816\s*\(二\)主动公开政府信息的主要类别\s*2021/);
    expect(refusals(await parse(czj))).toEqual([]);
  });
});

describe('a footnote mark on a label of a table printed as paragraphs', () => {
  // A web page's <sup> reads [1]: <sup>[1]</sup>, and Word's footnote reference as mammoth prints
  // it, <sup><a href="#footnote-1">[1]</a></sup>, read [[1]]; the row's figures follow.
  it.each([
    '<sup>1</sup>',
    '<sup>[1]</sup>',
    '<sup><a href="#footnote-1">[1]</a></sup>',
    '<sup>注1</sup>',
    '<sup>(1)</sup>',
    '<sup>1)</sup>',
    '<sup>①</sup>',
  ])('（七）总计%s is passed over, and the row reads', async (mark) => {
    const result = await parseParagraphPageReplacing(
      '<td colspan="2">（七）总计</td><td>42</td>',
      `<td colspan="2">（七）总计${mark}</td><td>42</td>`,
    );
    expect(result.ok && result.report.cells.find((c) => c.code === 'T3.OUTCOMES_TOTAL.TOTAL')?.value).toBe(
      '50',
    );
    expect(
      result.ok && result.report.cells.find((c) => c.code === 'T3.OUTCOMES_TOTAL.NATURAL_PERSON')?.value,
    ).toBe('42');
  });

  it('a raised mark glued to the figures is passed over too: [1]42 cannot be the start of 42', async () => {
    const result = await parseParagraphPageReplacing(
      '<td colspan="2">（七）总计</td><td>42</td>',
      '<td colspan="2">（七）总计<sup>1</sup>42</td>',
    );
    expect(
      result.ok && result.report.cells.find((c) => c.code === 'T3.OUTCOMES_TOTAL.NATURAL_PERSON')?.value,
    ).toBe('42');
  });
});
