import { describe, expect, it } from 'vitest';
import { TABLE3_CELLS, TABLE4_CELLS } from '../../src/catalogue/cells.ts';
import { identitiesOf, NARRATIVE_CLAIMS, RULES } from '../../src/catalogue/identities.ts';
import { TEMPLATE_VERSIONS } from '../../src/catalogue/template.ts';
import { reconcile } from '../../src/comparison/reconciliation.ts';
import { checkCarryOver, checkReport, figuresOf } from '../../src/validation/check.ts';
import { formatDecimal, parseDecimal, sumDecimals } from '../../src/validation/decimal.ts';
import {
  brief,
  check,
  parsed,
  replaceOnce,
  setFigures,
  setTable4,
  v2019,
  v2021,
  v2021For2021,
  v2021Of,
} from './variants.ts';

describe('the published reports pass every rule', () => {
  it('the real 中卫市科学技术局 2020 report (all zeros, "未收到任何形式的申请") has no finding', () => {
    const report = parsed(v2019());
    expect(report.narrative.some((s) => s.text.includes('未收到任何形式的申请'))).toBe(true);
    expect(check(v2019())).toEqual([]);
  });

  it('the V2021 example with non-zero figures in every table has no finding', () => {
    expect(check(v2021())).toEqual([]);
  });
});

describe('T3_BALANCE: 一 + 二 = 三（七）+ 四 per applicant column', () => {
  it('finds the columns whose carried-forward figure is off, with exact figures', () => {
    const text = setFigures(v2021(), '四、结转下年度继续办理', [5, null, null, null, null, null, 6]);
    expect(check(text).map(brief)).toEqual([
      {
        ruleId: 'T3_BALANCE',
        severity: 'ERROR',
        status: 'VIOLATED',
        scope: 'NATURAL_PERSON',
        expected: '44',
        actual: '47',
        difference: '3',
      },
      {
        ruleId: 'T3_BALANCE',
        severity: 'ERROR',
        status: 'VIOLATED',
        scope: 'TOTAL',
        expected: '53',
        actual: '56',
        difference: '3',
      },
    ]);
    const [first] = check(text);
    expect(first?.messageZh).toBe('自然人：一 + 二 = 44，而三（七）总计 + 四 = 47，相差 +3。');
    expect(first?.messageEn).toBe(
      'Natural persons: new requests + carried over from last year = 44, but total outcomes + carried forward to next year = 47 (difference +3).',
    );
    expect(first?.cells.map((c) => [c.code, c.side, c.value])).toEqual([
      ['T3.NEW_REQUESTS.NATURAL_PERSON', 'EXPECTED', '41'],
      ['T3.CARRIED_OVER.NATURAL_PERSON', 'EXPECTED', '3'],
      ['T3.OUTCOMES_TOTAL.NATURAL_PERSON', 'ACTUAL', '42'],
      ['T3.CARRIED_FORWARD.NATURAL_PERSON', 'ACTUAL', '5'],
    ]);
  });

  it('passes when requests received and requests accounted for move together', () => {
    const text = setFigures(
      setFigures(v2021(), '一、本年新收政府信息公开申请数量', [44, null, null, null, null, null, 52]),
      '四、结转下年度继续办理',
      [5, null, null, null, null, null, 6],
    );
    expect(check(text)).toEqual([]);
  });
});

describe('T3_OUTCOMES_SUM: （七）总计 = the outcome rows of the version', () => {
  it('finds a granted count that does not reach the outcome total', () => {
    const text = setFigures(v2021(), '予以公开', [20, null, null, null, null, null, 23]);
    expect(check(text).map(brief)).toEqual([
      {
        ruleId: 'T3_OUTCOMES_SUM',
        severity: 'ERROR',
        status: 'VIOLATED',
        scope: 'NATURAL_PERSON',
        expected: '41',
        actual: '42',
        difference: '1',
      },
      {
        ruleId: 'T3_OUTCOMES_SUM',
        severity: 'ERROR',
        status: 'VIOLATED',
        scope: 'TOTAL',
        expected: '49',
        actual: '50',
        difference: '1',
      },
    ]);
    expect(check(text)[0]?.messageZh).toBe(
      '自然人：（一）至（六）各项之和 = 41，而（七）总计 = 42，相差 +1。',
    );
  });

  it('counts the three V2021 sub-rows of （六）其他处理: moving a request between them passes', () => {
    const moved = setFigures(
      setFigures(v2021(), '申请人无正当理由逾期不补正', [0, null, null, null, null, null, 0]),
      '3.其他',
      [1, 1, null, null, null, null, 2],
    );
    expect(check(moved)).toEqual([]);
  });

  it('counts the single V2019 （六）其他处理 row', () => {
    let text = replaceOnce(v2019(), '我局未收到任何形式的申请公开信息要求', '我局收到 1 件申请');
    text = setFigures(text, '一、本年新收政府信息公开申请数量', [1, null, null, null, null, null, 1]);
    text = setFigures(text, '其他处理', [1, null, null, null, null, null, 1]);
    expect(check(text).map((f) => [f.ruleId, f.scope, f.expected, f.actual])).toEqual([
      ['T3_BALANCE', 'NATURAL_PERSON', '1', '0'],
      ['T3_BALANCE', 'TOTAL', '1', '0'],
      ['T3_OUTCOMES_SUM', 'NATURAL_PERSON', '1', '0'],
      ['T3_OUTCOMES_SUM', 'TOTAL', '1', '0'],
    ]);
    expect(check(setFigures(text, '(七) 总计', [1, null, null, null, null, null, 1]))).toEqual([]);
  });
});

describe('T3_TOTAL_COLUMN: 总计 = the six applicant columns, every row', () => {
  it('finds a row whose total column is off', () => {
    const text = setFigures(v2021(), '4.保护第三方合法权益', [null, null, null, null, null, null, 4]);
    expect(check(text).map(brief)).toEqual([
      {
        ruleId: 'T3_OUTCOMES_SUM',
        severity: 'ERROR',
        status: 'VIOLATED',
        scope: 'TOTAL',
        expected: '51',
        actual: '50',
        difference: '-1',
      },
      {
        ruleId: 'T3_TOTAL_COLUMN',
        severity: 'ERROR',
        status: 'VIOLATED',
        scope: 'REFUSED_THIRD_PARTY',
        expected: '3',
        actual: '4',
        difference: '1',
      },
    ]);
    expect(check(text)[1]?.messageZh).toBe(
      '（三）不予公开 4.保护第三方合法权益：六个申请人列之和 = 3，而总计列 = 4，相差 +1。',
    );
  });

  it('passes when a request moves between applicant columns', () => {
    let text = setFigures(v2021(), '一、本年新收政府信息公开申请数量', [40, 7]);
    text = setFigures(text, '予以公开', [20, 3]);
    text = setFigures(text, '(七) 总计', [41, 7]);
    expect(check(text)).toEqual([]);
  });
});

describe('T4_TOTAL: each table-4 总计 = 维持 + 纠正 + 其他 + 尚未审结', () => {
  it('finds the proceeding whose total is off', () => {
    const text = setTable4(v2021(), [2, 1, 0, 1, 5, 1, 0, 0, 1, 2, 0, 1, 0, 0, 1]);
    expect(check(text).map(brief)).toEqual([
      {
        ruleId: 'T4_TOTAL',
        severity: 'ERROR',
        status: 'VIOLATED',
        scope: 'REVIEW',
        expected: '4',
        actual: '5',
        difference: '1',
      },
    ]);
    expect(check(text)[0]?.messageZh).toBe(
      '行政复议：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 4，而总计 = 5，相差 +1。',
    );
  });

  it('passes when parts and total move together', () => {
    expect(check(setTable4(v2021(), [2, 1, 0, 1, 4, 1, 0, 1, 1, 3, 0, 1, 0, 0, 1]))).toEqual([]);
  });
});

describe('T3_CARRY_OVER: this year 二 = last year 四', () => {
  const yearOf = (text: string) => {
    const report = parsed(text);
    return { year: report.year, figures: figuresOf(report.cells) };
  };

  it('finds the columns where 2022 carried over differs from what 2021 carried forward', () => {
    const previous = yearOf(v2021Of(2021));
    const findings = checkCarryOver(yearOf(v2021()), previous);
    expect(findings.map(brief)).toEqual([
      {
        ruleId: 'T3_CARRY_OVER',
        severity: 'WARNING',
        status: 'VIOLATED',
        scope: 'NATURAL_PERSON',
        expected: '2',
        actual: '3',
        difference: '1',
      },
      {
        ruleId: 'T3_CARRY_OVER',
        severity: 'WARNING',
        status: 'VIOLATED',
        scope: 'TOTAL',
        expected: '3',
        actual: '4',
        difference: '1',
      },
    ]);
    expect(findings[0]).toMatchObject({
      year: 2022,
      otherYear: 2021,
      cells: [
        { code: 'T3.CARRIED_FORWARD.NATURAL_PERSON', side: 'EXPECTED', year: 2021, value: '2' },
        { code: 'T3.CARRIED_OVER.NATURAL_PERSON', side: 'ACTUAL', year: 2022, value: '3' },
      ],
      messageZh:
        '自然人：2021 年报告四、结转下年度继续办理 = 2，而 2022 年二、上年结转政府信息公开申请数量 = 3，相差 +1。',
    });
  });

  it('passes when 2021 carried forward what 2022 carried over, across template versions too', () => {
    expect(checkCarryOver(yearOf(v2021()), yearOf(v2021For2021()))).toEqual([]);
    expect(check(v2021For2021())).toEqual([]);
    // The V2019 report of 2020 carried nothing forward; a 2021 report carrying nothing over agrees.
    const zeroCarried = setFigures(v2021For2021(), '二、上年结转政府信息公开申请数量', [0, 0, 0, 0, 0, 0, 0]);
    const real2020 = yearOf(v2019());
    expect(checkCarryOver(yearOf(zeroCarried), real2020)).toEqual([]);
  });

  it('refuses to compare years that are not consecutive', () => {
    expect(() => checkCarryOver(yearOf(v2021()), yearOf(v2019()))).toThrow(/consecutive/);
  });
});

describe('narrative rules', () => {
  const withRequests = (text: string) => {
    let t = setFigures(text, '一、本年新收政府信息公开申请数量', [2, null, null, null, null, null, 2]);
    t = setFigures(t, '予以公开', [2, null, null, null, null, null, 2]);
    return setFigures(t, '(七) 总计', [2, null, null, null, null, null, 2]);
  };

  it('NARRATIVE_NO_REQUESTS: "未收到任何形式的申请" contradicts two new requests', () => {
    const findings = check(withRequests(v2019()));
    expect(findings.map(brief)).toEqual([
      {
        ruleId: 'NARRATIVE_NO_REQUESTS',
        severity: 'WARNING',
        status: 'VIOLATED',
        scope: 'NEW_REQUESTS',
        expected: '0',
        actual: '2',
        difference: '2',
      },
    ]);
    expect(findings[0]?.evidence).toBe('2020 年,我局未收到任何形式的申请公开信息要求。');
    expect(findings[0]?.messageZh).toBe(
      '正文称“2020 年,我局未收到任何形式的申请公开信息要求。”，但表三一、本年新收政府信息公开申请数量（总计） = 2。',
    );
  });

  it('NARRATIVE_NO_REQUESTS passes without the claim, and knows other wordings', () => {
    const without = replaceOnce(
      withRequests(v2019()),
      '我局未收到任何形式的申请公开信息要求',
      '我局收到 2 件申请',
    );
    expect(check(without)).toEqual([]);
    for (const wording of ['本年度未收到政府信息公开申请', '全年没有收到依申请公开的申请']) {
      const text = replaceOnce(withRequests(v2019()), '我局未收到任何形式的申请公开信息要求', wording);
      expect(
        check(text).map((f) => f.ruleId),
        wording,
      ).toEqual(['NARRATIVE_NO_REQUESTS']);
    }
    const reviewApplication = replaceOnce(
      withRequests(v2019()),
      '我局未收到任何形式的申请公开信息要求',
      '我局收到 2 件申请，未收到行政复议申请',
    );
    expect(check(reviewApplication)).toEqual([]);
  });

  // The wordings agencies print for "no requests at all" (who may apply, what any request is),
  // each against two new requests in table 3.
  it.each([
    '本年度未收到政府信息公开申请',
    '全年没有收到依申请公开的申请',
    '全年未收到公民、法人或其他组织提出的政府信息公开申请',
    '本年度本机关未收到自然人、法人或者其他组织的政府信息公开申请',
    '未收到公民、法人和其他组织的信息公开申请',
    '未收到公民、法人或者其他组织依法提出的政府信息公开申请',
    '本年度未收到申请人提出的政府信息公开申请',
    '未收到依申请公开政府信息的申请',
    '全年未收到任何形式的政府信息公开申请',
    '未收到有关政府信息公开的申请',
    '本年度没有收到过政府信息公开申请',
    '全年未受理政府信息公开申请',
    '本年度无政府信息公开申请',
    '本年度未发生依申请公开事项',
  ])('NARRATIVE_NO_REQUESTS: "%s" contradicts two new requests', (wording) => {
    const text = replaceOnce(withRequests(v2019()), '我局未收到任何形式的申请公开信息要求', wording);
    expect(check(text).map((f) => [f.ruleId, f.expected, f.actual])).toEqual([
      ['NARRATIVE_NO_REQUESTS', '0', '2'],
    ]);
  });

  // A qualifier restricting the kind of request, or another object than the requests: no claim
  // about their number, so no finding however many requests table 3 has.
  it.each([
    '全年收到政府信息公开申请 2 件，未收到涉及国家秘密的申请',
    '没有收到逾期未补正的申请',
    '本年度未收到因政府信息公开申请提起的行政复议和行政诉讼',
    '未收到涉及商业秘密的政府信息公开申请',
    '未收到要求减免信息处理费的申请',
    '未收到关于某某项目的申请',
    '未收到需要延期答复的申请',
    '未收到关于政府信息公开申请的投诉',
    '目前未收到该申请人提交的补正',
    '本年度没有产生依申请公开信息处理费',
    '无正当理由大量反复申请的情况未发生',
  ])('NARRATIVE_NO_REQUESTS: "%s" says nothing about the number of requests', (wording) => {
    const text = replaceOnce(withRequests(v2019()), '我局未收到任何形式的申请公开信息要求', wording);
    expect(check(text)).toEqual([]);
  });

  const claim = (sentence: string) => replaceOnce(v2019(), '无政务新媒体。', `无政务新媒体。${sentence}`);

  it('NARRATIVE_NO_REVIEWS and NARRATIVE_NO_LAWSUITS: "未发生行政复议、行政诉讼" contradicts a review and a lawsuit', () => {
    const text = setTable4(
      claim('全年未发生行政复议、行政诉讼。'),
      [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0],
    );
    expect(check(text).map(brief)).toEqual([
      {
        ruleId: 'NARRATIVE_NO_REVIEWS',
        severity: 'WARNING',
        status: 'VIOLATED',
        scope: 'REVIEW',
        expected: '0',
        actual: '1',
        difference: '1',
      },
      {
        ruleId: 'NARRATIVE_NO_LAWSUITS',
        severity: 'WARNING',
        status: 'VIOLATED',
        scope: 'LITIGATION',
        expected: '0',
        actual: '1',
        difference: '1',
      },
    ]);
    expect(check(text)[1]?.evidence).toBe('全年未发生行政复议、行政诉讼。');
  });

  it('the narrative rules pass when the tables agree or the sentence says something else', () => {
    expect(check(claim('全年未发生行政复议、行政诉讼。'))).toEqual([]);
    const onlyReview = setTable4(
      claim('全年未发生行政诉讼案件。'),
      [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    );
    expect(check(onlyReview)).toEqual([]);
    for (const sentence of [
      '全年未发生行政复议被纠正的情况。',
      '被申请行政复议 1 件，维持原行政行为，未发生行政复议、行政诉讼被纠错的情况。',
      '未发生行政复议纠错、行政诉讼败诉的情况。',
      '未发生被行政复议机关纠错的情况。',
    ]) {
      const lawsuitToo = setTable4(claim(sentence), [1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
      expect(check(lawsuitToo), sentence).toEqual([]);
    }
  });

  it('every claim has at least one pattern and cells to check', () => {
    for (const c of NARRATIVE_CLAIMS) {
      expect(c.patterns.length, c.rule).toBeGreaterThan(0);
      expect(c.cells.cells.length, c.rule).toBeGreaterThan(0);
    }
  });
});

describe('figures that were not printed are never taken as 0', () => {
  it('an identity with a "/" cell is INCOMPLETE (INFO), not a difference', () => {
    const text = setFigures(v2021(), '予以公开', ['/']);
    const findings = check(text);
    expect(findings.map(brief)).toEqual([
      {
        ruleId: 'T3_OUTCOMES_SUM',
        severity: 'INFO',
        status: 'INCOMPLETE',
        scope: 'NATURAL_PERSON',
        expected: null,
        actual: null,
        difference: null,
      },
      {
        ruleId: 'T3_TOTAL_COLUMN',
        severity: 'INFO',
        status: 'INCOMPLETE',
        scope: 'GRANTED',
        expected: null,
        actual: null,
        difference: null,
      },
    ]);
    expect(findings[0]?.messageEn).toBe(
      'Natural persons: cannot check, T3.GRANTED.NATURAL_PERSON is not reported (never counted as 0).',
    );
    expect(findings[0]?.messageZh).toBe(
      '自然人：三、本年度办理结果 （一）予以公开 自然人 未填报，无法核对（不按 0 计算）。',
    );
    expect(findings[0]?.cells.find((c) => c.code === 'T3.GRANTED.NATURAL_PERSON')).toMatchObject({
      status: 'NOT_REPORTED',
      value: null,
    });
  });

  it('the INCOMPLETE message says how each cell was printed: blank, not reported, missing or unreadable', () => {
    const report = parsed(v2021());
    /** The first INCOMPLETE message (en, zh) with the given cells printed as said. */
    const messageWith = (printed: Record<string, 'BLANK' | 'MISSING' | 'UNREADABLE'>) => {
      const cells = report.cells.map((c) => {
        const how = printed[c.code];
        if (!how) return c;
        const status = how === 'BLANK' ? ('NOT_REPORTED' as const) : how;
        return { ...c, status, value: null, rawText: how === 'BLANK' ? '' : how === 'MISSING' ? null : '1O' };
      });
      const found = checkReport({ ...report, figures: figuresOf(cells) }).find(
        (f) => f.status === 'INCOMPLETE',
      );
      return [found?.messageEn, found?.messageZh];
    };
    expect(messageWith({ 'T3.GRANTED.NATURAL_PERSON': 'BLANK' })).toEqual([
      'Natural persons: cannot check, T3.GRANTED.NATURAL_PERSON is blank (never counted as 0).',
      '自然人：三、本年度办理结果 （一）予以公开 自然人 为空白，无法核对（不按 0 计算）。',
    ]);
    expect(messageWith({ 'T3.GRANTED.NATURAL_PERSON': 'UNREADABLE' })).toEqual([
      'Natural persons: cannot check, T3.GRANTED.NATURAL_PERSON is unreadable (never counted as 0).',
      '自然人：三、本年度办理结果 （一）予以公开 自然人 无法识别，无法核对（不按 0 计算）。',
    ]);
    expect(
      messageWith({
        'T3.GRANTED.NATURAL_PERSON': 'BLANK',
        'T3.PARTLY_GRANTED.NATURAL_PERSON': 'UNREADABLE',
        'T3.REFUSED_STATE_SECRET.NATURAL_PERSON': 'MISSING',
        'T3.REFUSED_THIRD_PARTY.NATURAL_PERSON': 'BLANK',
      })[0],
    ).toBe(
      'Natural persons: cannot check, T3.GRANTED.NATURAL_PERSON, T3.REFUSED_THIRD_PARTY.NATURAL_PERSON are blank, T3.PARTLY_GRANTED.NATURAL_PERSON is unreadable and T3.REFUSED_STATE_SECRET.NATURAL_PERSON is missing (never counted as 0).',
    );
  });

  it('a table absent from a partial report gives no findings for it: the gap is recorded at import', () => {
    const report = parsed(v2021());
    const withoutTable4 = report.cells.map((c) =>
      c.code.startsWith('T4.') ? { ...c, status: 'MISSING' as const, value: null } : c,
    );
    expect(
      checkReport({
        templateVersion: report.templateVersion,
        year: report.year,
        figures: figuresOf(withoutTable4),
        narrative: report.narrative,
      }),
    ).toEqual([]);
  });
});

describe('the identities are derived from the catalogue', () => {
  it('every table-3 and table-4 cell of each version is covered by an identity', () => {
    for (const version of TEMPLATE_VERSIONS) {
      const covered = new Set(identitiesOf(version).flatMap((i) => [...i.expected.cells, ...i.actual.cells]));
      const cells = [...TABLE3_CELLS, ...TABLE4_CELLS].filter((c) => c.versions.includes(version));
      expect(
        cells.filter((c) => !covered.has(c.code)).map((c) => c.code),
        version,
      ).toEqual([]);
      expect(
        [...covered].filter((code) => !cells.some((c) => c.code === code)),
        version,
      ).toEqual([]);
    }
  });

  it('has 7 + 7 + one per row + 3 identities per version, and every rule is explained in both languages', () => {
    expect(identitiesOf('V2019')).toHaveLength(7 + 7 + 23 + 3);
    expect(identitiesOf('V2021')).toHaveLength(7 + 7 + 25 + 3);
    for (const rule of RULES) {
      expect(rule.zh.length, rule.id).toBeGreaterThan(10);
      expect(rule.en.length, rule.id).toBeGreaterThan(10);
    }
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });
});

describe('exact decimals', () => {
  it('adds money amounts exactly and prints the shortest form', () => {
    expect(formatDecimal(sumDecimals([parseDecimal('0.1'), parseDecimal('0.2')]))).toBe('0.3');
    expect(formatDecimal(parseDecimal('12.3500'))).toBe('12.35');
    expect(formatDecimal(parseDecimal('+2') - parseDecimal('417'))).toBe('-415');
    expect(formatDecimal(parseDecimal('-0.0001'))).toBe('-0.0001');
    expect(() => parseDecimal('1.234567891')).toThrow(/decimals/);
    expect(() => parseDecimal('abc')).toThrow(/Not a decimal/);
  });
});

describe('reconciliation of an identity none of whose cells this report prints', () => {
  const S = 'NATURAL_PERSON';
  const blank = (code: string) => ({ code, status: 'NOT_REPORTED' as const, value: null, rawText: '' });
  const current = [blank(`T3.CARRIED_OVER.${S}`), blank(`T3.CARRIED_FORWARD.${S}`)];

  it('a carry-over from a year before that printed 5 is not said to hold with the blanks as 0', () => {
    const before = [
      { code: `T3.CARRIED_FORWARD.${S}`, status: 'REPORTED' as const, value: '5', rawText: '5' },
    ];
    const findings = checkCarryOver(
      { year: 2020, figures: figuresOf(current) },
      { year: 2019, figures: figuresOf(before) },
    ).filter((f) => f.scope === S);
    expect(findings.map((f) => [f.ruleId, f.status])).toEqual([['T3_CARRY_OVER', 'INCOMPLETE']]);
    const checks = reconcile({
      year: 2020,
      templateVersion: 'V2019',
      cells: current,
      previousYearStored: true,
      findings,
    });
    expect(
      checks
        .filter((c) => c.rule === 'T3_CARRY_OVER' && c.scope === S)
        .map((c) => [c.status, c.holdsIfBlanksAreZero]),
    ).toEqual([['UNKNOWN', null]]);
  });
});
