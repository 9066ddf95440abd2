/**
 * A row printed twice in running text. A table of cells refuses a row whose copies differ
 * (DUPLICATE_ROW). Running text only looked for a copy starting its own line before the next
 * row's label, so a copy in a page dumped as one line (pingtan-gaj-2021: the whole body on one
 * line, no separator anywhere), a copy printed after the next row, or a copy beyond a page
 * number, was read from the first copy and the other dropped without a word; a numbered copy
 * glued to the figures before it (…00000002.重复申请…) was refused as a row the template does not
 * have; a table printed twice was refused under its last row's name, or not at all. Now every
 * copy is compared with the first: different figures refuse the report naming the row, the same
 * figures are read once with a warning.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../src/ingest/types.ts';
import { figures, gaj, huaian, parse, SHARED } from './running-text-cases.ts';

/** Each refusal as [code, row]. */
const refusals = (result: ParseResult) =>
  result.ok ? [] : result.problems.map((p) => [p.code, p.row ?? null]);
const repeats = (result: ParseResult) =>
  result.ok ? result.report.warnings.filter((w) => w.code === 'DUPLICATE_ROW').map((w) => w.row) : [];

describe.runIf(existsSync(SHARED))('a row printed twice in a page dumped as one line', () => {
  it.each([
    [
      'table 3, back to back',
      '（一）予以公开0000000',
      '（一）予以公开0000000（一）予以公开1000001',
      '（一）予以公开',
    ],
    [
      'table 3, a numbered row glued to the figures before it',
      '2.重复申请0000000',
      '2.重复申请00000002.重复申请1000001',
      '（五）不予处理 2.重复申请',
    ],
    [
      'table 3, after the next row',
      '二、上年结转政府信息公开申请数量0000000',
      '二、上年结转政府信息公开申请数量0000000一、本年新收政府信息公开申请数量2000002',
      '一、本年新收政府信息公开申请数量',
    ],
    [
      'table 3, a page number between the copies',
      '（一）予以公开0000000',
      '（一）予以公开0000000 第2页 （一）予以公开1000001',
      '（一）予以公开',
    ],
    ['table 2, a row of one figure', '行政处罚141', '行政处罚141行政处罚142', '行政处罚'],
  ])('%s: copies that differ refuse the report, naming the row', async (_, from, to, row) => {
    expect(refusals(await parse(gaj, from, to))).toEqual([['DUPLICATE_ROW', row]]);
  });

  it.each([
    ['（一）予以公开0000000', '（一）予以公开0000000（一）予以公开0000000', '（一）予以公开'],
    ['2.重复申请0000000', '2.重复申请00000002.重复申请0000000', '（五）不予处理 2.重复申请'],
    ['行政处罚141', '行政处罚141行政处罚141', '行政处罚'],
  ])('copies that print the same figures are read once: %s', async (from, to, row) => {
    const report = await parse(gaj, from, to);
    expect(figures(report)).toEqual(figures(await parse(gaj)));
    expect(repeats(report)).toEqual([row]);
  });
});

describe.runIf(existsSync(SHARED))('a row printed twice in a PDF text layer', () => {
  const table3 = huaian.slice(
    huaian.indexOf('一、本年新收政府信息公开申请数量 3001'),
    huaian.indexOf('四、政府信息公开行政复议'),
  );

  it('a copy after the next row, a figure different: refused, naming the row', async () => {
    const row = '2.重复申请 25 0 0 0 0 0 25\n';
    const copy = '1.信访举报投诉类申请 56 6 0 0 0 0 63\n';
    expect(refusals(await parse(huaian, row, row + copy))).toEqual([
      ['DUPLICATE_ROW', '（五）不予处理 1.信访举报投诉类申请'],
    ]);
  });

  it('the same copy after the next row is read once, its figures read as no other row’s', async () => {
    const row = '2.重复申请 25 0 0 0 0 0 25\n';
    const report = await parse(huaian, row, `${row}1.信访举报投诉类申请 56 6 0 0 0 0 62\n`);
    expect(figures(report)).toEqual(figures(await parse(huaian)));
    expect(repeats(report)).toEqual(['（五）不予处理 1.信访举报投诉类申请']);
    expect(report.ok && report.report.warnings.map((w) => w.code)).not.toContain('UNKNOWN_ROW');
  });

  it('the whole table printed twice, one figure different: refused, naming that row', async () => {
    const changed = table3.replace('3001 53 0 0 61 4 3119', '3002 53 0 0 61 4 3120');
    expect(refusals(await parse(huaian, table3, table3 + changed))).toEqual([
      ['DUPLICATE_ROW', '一、本年新收政府信息公开申请数量'],
    ]);
  });

  it('the whole table printed twice alike is read once, every row a warning', async () => {
    const report = await parse(huaian, table3, table3 + table3);
    expect(figures(report)).toEqual(figures(await parse(huaian)));
    expect(repeats(report)).toHaveLength(25);
  });

  it('printed twice with a row whose label the copy prints otherwise, its figures different: refused', async () => {
    const row = '3.危及“三安全一稳定” 5 0 0 0 0 0 5';
    const copy = table3.replace(row, '3.危及三安全、一稳定 6 0 0 0 0 0 6');
    expect(refusals(await parse(huaian, table3, table3 + copy)).map(([code]) => code)).toEqual([
      'DUPLICATE_ROW',
    ]);
  });

  it('a row repeated after a page footer, a figure different: refused', async () => {
    const row = '1.属于国家秘密 2 0 0 0 0 0 2\n';
    const result = await parse(huaian, row, `${row}- 4 -\n1.属于国家秘密 3 0 0 0 0 0 3\n`);
    expect(refusals(result)).toEqual([['DUPLICATE_ROW', '（三）不予公开 1.属于国家秘密']]);
  });

  it('the header printed again after a page break is no copy of a row', async () => {
    const row = '（七）总计 2932 53 0 0 61 4 3050\n';
    const header =
      '- 5 -\n申请人情况\n自然人 法人或其他组织 总计\n商业企业 科研机构 社会公益组织 法律服务机构 其他\n';
    const report = await parse(huaian, row, row + header);
    expect(figures(report)).toEqual(figures(await parse(huaian)));
    expect(repeats(report)).toEqual([]);
  });
});
