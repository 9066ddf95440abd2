/**
 * Table 4 printed as one run of digits (Pingtan's pages dumped as text): only its own three
 * totals decide where its figures end, and nothing across rows checks them. A total the agency
 * misprinted (12 as 21) made another split the only one that keeps them: 12|0|0|0|21 was stored
 * as 1|20|0|0|21 without a word. Such a split is read, with a warning naming the row, its line
 * and the cells the totals decided.
 */

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APPLICANT_COLUMNS } from '../../../src/catalogue/template.ts';
import { decodeRuns, type ValueToken } from '../../../src/ingest/digit-runs.ts';
import type { ParseResult } from '../../../src/ingest/types.ts';
import { parse, realText, SHARED } from './running-text-cases.ts';

const GROUPS = ['REVIEW', 'LITIGATION_DIRECT', 'LITIGATION_AFTER_REVIEW'];
const T4 = GROUPS.flatMap((g) =>
  ['UPHELD', 'CORRECTED', 'OTHER', 'PENDING', 'TOTAL'].map((c) => `T4.${g}.${c}`),
);
const run = (digits: string) => [{ codes: T4, tokens: [{ text: digits, kind: 'digits' } as ValueToken] }];

describe('table 4 run together, split by its own totals', () => {
  it('names the cells the totals decided', () => {
    const decoded = decodeRuns('V2021', run('10203120001200000'));
    expect(decoded.splitByTotals).toEqual([
      {
        row: 0,
        codes: expect.arrayContaining(['T4.LITIGATION_DIRECT.UPHELD', 'T4.LITIGATION_DIRECT.TOTAL']),
      },
    ]);
    // Its figures are still read: the one split that keeps every total.
    const value = (code: string) => decoded.cells.find((c) => c.code === code);
    expect(value('T4.LITIGATION_DIRECT.UPHELD')).toMatchObject({ status: 'value', value: '12' });
  });

  it('figures printed apart that break one total, a blank among them: only that total is said broken', () => {
    const token = (text: string): ValueToken =>
      (text === '—' ? { text, kind: 'mark' } : { text, kind: 'digits' }) as ValueToken;
    // 行政复议 1 2 — 3 totals 7 (the blank adds nothing: 6); the lawsuits' totals hold.
    const printed = ['1', '2', '—', '3', '7', '1', '0', '0', '1', '2', '0', '1', '0', '0', '1'];
    const decoded = decodeRuns('V2021', [{ codes: T4, tokens: printed.map(token) }], { separated: true });
    expect(decoded.brokenIdentities.map((i) => i.scopeZh)).toEqual(['行政复议']);
  });

  it('a run of one digit a cell needs no total to split, and is not named', () => {
    expect(decodeRuns('V2021', run('102030000000000')).splitByTotals).toEqual([]);
  });

  it('table 3’s rows, which its column balances check across rows, are not named', () => {
    const rows = ['NEW_REQUESTS', 'CARRIED_OVER', 'OUTCOMES_TOTAL', 'CARRIED_FORWARD'];
    const columns = APPLICANT_COLUMNS.map((c) => c.code);
    const printed = ['640020470', '1000001', '630020469', '2000002'];
    const runs = rows.map((row, i) => ({
      codes: columns.map((c) => `T3.${row}.${c}`),
      tokens: [{ text: printed[i] ?? '', kind: 'digits' } as ValueToken],
    }));
    expect(decodeRuns('V2021', runs).splitByTotals).toEqual([]);
  });
});

const pingtan = realText('pingtan-2021.pagetxt.txt');
const warnings = (result: ParseResult) =>
  result.ok ? result.report.warnings.filter((w) => w.code === 'SPLIT_BY_TOTALS') : result.problems;
const cell = (result: ParseResult, code: string) =>
  result.ok ? result.report.cells.find((c) => c.code === code)?.value : undefined;

describe.runIf(existsSync(SHARED))('pingtan-2021’s table 4, run together', () => {
  it('as published, is read with the warning', async () => {
    const result = await parse(pingtan);
    expect(cell(result, 'T4.LITIGATION_DIRECT.UPHELD')).toBe('12');
    expect(warnings(result)).toEqual([
      expect.objectContaining({
        table: 'T4',
        line: 10,
        text: '10203120001200000',
        message: expect.stringContaining("only the row's own totals decided how to cut"),
      }),
    ]);
  });

  it('with a total misprinted (12 as 21), the split read is named, never passed in silence', async () => {
    const result = await parse(pingtan, '10203120001200000', '10203120002100000');
    // The one split that keeps the totals: not the document's 12|0|0|0|21.
    expect(cell(result, 'T4.LITIGATION_DIRECT.UPHELD')).toBe('1');
    expect(warnings(result)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^Line 10, table 4 .*"10203120002100000" .*行政诉讼 未经复议直接起诉 结果维持.*check the row against the document\.$/,
        ),
      }),
    ]);
  });
});

describe.runIf(existsSync(SHARED))(
  'pingtan-2021’s table 3, run together, with a row total misprinted',
  () => {
    it('a row decided by its own total alone, every column balance set aside, is unreadable, not read by that total', async () => {
      // 5.属于三类内部事务信息 printed 4|10|0|0|0|0|41 (41 for 14), 一 and （七） added up with 4|10.
      // The misprint breaks the balances other rows need to be cut, so all were set aside, and the
      // row's own total alone chose 41|0|0|0|0|0|41.
      const text = pingtan
        .replace('本年新收政府信息公开申请数量640020470', '本年新收政府信息公开申请数量6710020483')
        .replace('（七）总计630020469', '（七）总计6610020482');
      const result = await parse(text, '属于三类内部事务信息1000001', '属于三类内部事务信息410000041');
      if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
      const read = (code: string) => result.report.cells.find((c) => c.code === code);
      expect(read('T3.REFUSED_INTERNAL_AFFAIRS.NATURAL_PERSON')).toMatchObject({
        status: 'UNREADABLE',
        value: null,
      });
      expect(read('T3.REFUSED_INTERNAL_AFFAIRS.COMMERCIAL_ENTERPRISE')).toMatchObject({
        status: 'UNREADABLE',
        value: null,
      });
      expect(result.report.gaps.map((g) => g.message)).toContainEqual(
        expect.stringMatching(/"410000041" .*T3\.REFUSED_INTERNAL_AFFAIRS\.NATURAL_PERSON could be 4 or 41/),
      );
    });
  },
);
