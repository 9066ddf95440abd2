import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/catalogue/identities.ts';
import { boundsOf, TABLE2_BOUNDS, TABLE2_ITEM_LINKS } from '../../src/catalogue/table2-rules.ts';
import { checkCarryOver, figuresOf } from '../../src/validation/check.ts';
import { brief, check, parsed, replaceOnce, v2019, v2019Of, v2021, v2021For2021 } from './variants.ts';

// The V2019 sample prints 规范性文件 0 | 0 | 0, 行政许可 0 | 0 | 0, 其他对外管理服务事项 3 | +2 | 49
// and 行政处罚 2 | 0 | 0 (上一年项目数量 | 本年增/减 | 处理决定数量).
const withLine = (from: string, to: string, text = v2019()) => replaceOnce(text, `${from}\n`, `${to}\n`);

describe('T2_PUBLISHED_WITHIN_TOTAL: V2019 本年新公开数量 ≤ 对外公开总数量', () => {
  it('finds a row that published more this year than in all, naming the row, columns and figures', () => {
    const findings = check(withLine('规范性文件\t0\t0\t0', '规范性文件\t0\t50\t6'));
    expect(findings.map(brief)).toEqual([
      {
        ruleId: 'T2_PUBLISHED_WITHIN_TOTAL',
        severity: 'WARNING',
        status: 'VIOLATED',
        scope: 'NORMATIVE_DOCUMENTS',
        expected: '6',
        actual: '50',
        difference: '44',
      },
    ]);
    expect(findings[0]).toMatchObject({
      cells: [
        { code: 'T2.NORMATIVE_DOCUMENTS.TOTAL_PUBLISHED', side: 'EXPECTED', value: '6' },
        { code: 'T2.NORMATIVE_DOCUMENTS.PUBLISHED', side: 'ACTUAL', value: '50' },
      ],
      messageZh: '第二十条第（一）项 规范性文件：本年新公开数量 = 50，应不超过对外公开总数量 = 6，超出 +44。',
    });
  });

  it('passes when this year is all there is, and says when a figure was not printed', () => {
    expect(check(withLine('规范性文件\t0\t0\t0', '规范性文件\t6\t6\t6'))).toEqual([]);
    const slash = check(withLine('规范性文件\t0\t0\t0', '规范性文件\t6\t6\t/'));
    expect(slash.map((f) => [f.ruleId, f.severity, f.status, f.scope])).toEqual([
      ['T2_PUBLISHED_WITHIN_TOTAL', 'INFO', 'INCOMPLETE', 'NORMATIVE_DOCUMENTS'],
    ]);
  });
});

describe('T2_CHANGE_WITHIN_ITEMS: V2019 上一年项目数量 + 本年增/减 ≥ 0', () => {
  it('finds a decrease larger than the items there were', () => {
    const findings = check(withLine('行政许可\t0\t0\t0', '行政许可\t3\t-5\t0'));
    expect(findings.map(brief)).toEqual([
      {
        ruleId: 'T2_CHANGE_WITHIN_ITEMS',
        severity: 'WARNING',
        status: 'VIOLATED',
        scope: 'LICENSING',
        expected: '0',
        actual: '-2',
        difference: '-2',
      },
    ]);
    expect(findings[0]?.messageZh).toBe(
      '第二十条第（五）项 行政许可：上一年项目数量 + 本年增/减 = 3 + -5 = -2，应不小于 0，相差 -2。',
    );
  });

  it('passes when every item is removed, or items are added', () => {
    expect(check(withLine('行政许可\t0\t0\t0', '行政许可\t3\t-3\t0'))).toEqual([]);
    expect(check(withLine('行政许可\t0\t0\t0', '行政许可\t0\t+4\t0'))).toEqual([]);
  });
});

describe('T2_ITEMS_CARRY_OVER: V2019 上一年项目数量 of year N = 上一年项目数量 + 本年增/减 of N−1', () => {
  const yearOf = (text: string) => {
    const report = parsed(text);
    return { year: report.year, figures: figuresOf(report.cells) };
  };
  // 2020 prints 其他对外管理服务事项 3 | +2 (5 items at its end) and 行政处罚 2 | 0 (2).
  const as2021 = (text: string) => v2019Of(2021, text);

  it('finds the rows whose items last year differ from what the year before ended with', () => {
    const findings = checkCarryOver(yearOf(as2021(v2019())), yearOf(v2019()));
    expect(findings.map(brief)).toEqual([
      {
        ruleId: 'T2_ITEMS_CARRY_OVER',
        severity: 'WARNING',
        status: 'VIOLATED',
        scope: 'OTHER_SERVICES',
        expected: '5',
        actual: '3',
        difference: '-2',
      },
    ]);
    expect(findings[0]).toMatchObject({
      year: 2021,
      otherYear: 2020,
      cells: [
        { code: 'T2.OTHER_SERVICES.PREVIOUS_ITEMS', side: 'EXPECTED', year: 2020, value: '3' },
        { code: 'T2.OTHER_SERVICES.CHANGE', side: 'EXPECTED', year: 2020, value: '2' },
        { code: 'T2.OTHER_SERVICES.PREVIOUS_ITEMS', side: 'ACTUAL', year: 2021, value: '3' },
      ],
      messageZh:
        '第二十条第（五）项 其他对外管理服务事项：2020 年报告上一年项目数量 + 本年增/减 = 3 + 2 = 5，而 2021 年上一年项目数量 = 3，相差 -2。',
    });
  });

  it('passes when the items carry over, and compares nothing with a V2021 year (it has no such columns)', () => {
    const carried = withLine(
      '其他对外管理服务事项\t3\t+2\t49',
      '其他对外管理服务事项\t5\t0\t49',
      as2021(v2019()),
    );
    expect(checkCarryOver(yearOf(carried), yearOf(v2019()))).toEqual([]);
    const t2 = checkCarryOver(yearOf(v2021For2021()), yearOf(v2019())).filter((f) =>
      f.ruleId.startsWith('T2_'),
    );
    expect(t2).toEqual([]);
  });
});

describe('the table-2 checks are derived from the catalogue', () => {
  it('exist only in V2019, the version printing the columns they compare, for the rows of the doc', () => {
    expect(boundsOf('V2021')).toEqual([]);
    expect(check(v2021())).toEqual([]);
    expect(TABLE2_BOUNDS.map((b) => `${b.rule}:${b.scope}`)).toEqual([
      'T2_PUBLISHED_WITHIN_TOTAL:RULES',
      'T2_PUBLISHED_WITHIN_TOTAL:NORMATIVE_DOCUMENTS',
      'T2_CHANGE_WITHIN_ITEMS:LICENSING',
      'T2_CHANGE_WITHIN_ITEMS:OTHER_SERVICES',
      'T2_CHANGE_WITHIN_ITEMS:PENALTY',
      'T2_CHANGE_WITHIN_ITEMS:COERCION',
      'T2_CHANGE_WITHIN_ITEMS:FEES',
    ]);
    expect(TABLE2_ITEM_LINKS.map((l) => l.scope)).toEqual([
      'LICENSING',
      'OTHER_SERVICES',
      'PENALTY',
      'COERCION',
      'FEES',
    ]);
    const ids = RULES.map((r) => r.id as string);
    for (const rule of [...TABLE2_BOUNDS, ...TABLE2_ITEM_LINKS].map((r) => r.rule)) {
      expect(ids).toContain(rule);
    }
  });
});
