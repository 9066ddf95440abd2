import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { revalidateStored } from '../../src/cli/validate.ts';
import { importReport } from '../../src/import/index.ts';
import { resetDatabase, tableCounts, testDb } from '../support/db.ts';
import { brief, replaceOnce, setFigures, v2019, v2019Of, v2021, v2021For2021, v2021Of } from './variants.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));

const encode = (text: string) => new TextEncoder().encode(text);
const store = async (text: string, options: { strict?: boolean } = {}) => {
  const result = await importReport(db, { bytes: encode(text), fileName: 'report.txt' }, options);
  if (!result.ok) throw new Error(`rejected: ${result.problems.map((p) => p.message).join('; ')}`);
  return result.value;
};

/** Stored findings of one revision, in the fields asserted exactly. */
const findingsOf = async (revisionId: number) =>
  (
    await db.finding.findMany({
      where: { revisionId },
      orderBy: { id: 'asc' },
      include: { otherRevision: { select: { report: { select: { year: true } } } } },
    })
  ).map((f) => ({
    ...brief({
      ...f,
      expected: f.expected?.toString() ?? null,
      actual: f.actual?.toString() ?? null,
      difference: f.difference?.toString() ?? null,
    }),
    otherYear: f.otherRevision?.report.year ?? null,
  }));

const currentRevision = async (year: number) => {
  const report = await db.report.findFirstOrThrow({ where: { year } });
  if (report.currentRevisionId === null) throw new Error('no current revision');
  return report.currentRevisionId;
};

const countFindings = () => db.finding.count();

/** 2021 carried forward 2 natural-person requests (3 in all); the 2022 fixture carried over 3 (4 in all). */
const mismatched2021 = () => v2021Of(2021);

const BROKEN_BALANCE = () =>
  setFigures(v2021(), '四、结转下年度继续办理', [5, null, null, null, null, null, 6]);

describe('findings are stored with each revision at import', () => {
  it('the real report is stored with no findings', async () => {
    const stored = await store(v2019());
    expect(stored.findings).toEqual([]);
    expect(await findingsOf(stored.revisionId)).toEqual([]);
  });

  it('a report that does not add up is still stored, as published, with its exact findings', async () => {
    const stored = await store(BROKEN_BALANCE());
    expect(stored.outcome).toBe('CREATED');
    const expected = [
      {
        ruleId: 'T3_BALANCE',
        severity: 'ERROR',
        status: 'VIOLATED',
        scope: 'NATURAL_PERSON',
        expected: '44',
        actual: '47',
        difference: '3',
        otherYear: null,
      },
      {
        ruleId: 'T3_BALANCE',
        severity: 'ERROR',
        status: 'VIOLATED',
        scope: 'TOTAL',
        expected: '53',
        actual: '56',
        difference: '3',
        otherYear: null,
      },
    ];
    expect(await findingsOf(stored.revisionId)).toEqual(expected);
    const row = await db.finding.findFirstOrThrow({ where: { revisionId: stored.revisionId } });
    expect(row.messageZh).toBe('自然人：一 + 二 = 44，而三（七）总计 + 四 = 47，相差 +3。');
    expect(row.cells).toEqual([
      {
        code: 'T3.NEW_REQUESTS.NATURAL_PERSON',
        side: 'EXPECTED',
        year: 2022,
        status: 'REPORTED',
        value: '41',
      },
      {
        code: 'T3.CARRIED_OVER.NATURAL_PERSON',
        side: 'EXPECTED',
        year: 2022,
        status: 'REPORTED',
        value: '3',
      },
      {
        code: 'T3.OUTCOMES_TOTAL.NATURAL_PERSON',
        side: 'ACTUAL',
        year: 2022,
        status: 'REPORTED',
        value: '42',
      },
      {
        code: 'T3.CARRIED_FORWARD.NATURAL_PERSON',
        side: 'ACTUAL',
        year: 2022,
        status: 'REPORTED',
        value: '5',
      },
    ]);
    // Re-importing the same bytes writes nothing and reports the stored findings.
    const again = await store(BROKEN_BALANCE());
    expect(again.outcome).toBe('UNCHANGED');
    expect(again.findings.map((f) => [f.ruleId, f.scope, f.difference, f.year])).toEqual([
      ['T3_BALANCE', 'NATURAL_PERSON', '3', 2022],
      ['T3_BALANCE', 'TOTAL', '3', 2022],
    ]);
    expect(await countFindings()).toBe(2);
  });

  it('a corrected revision has its own findings; the old revision keeps its own', async () => {
    const broken = await store(BROKEN_BALANCE());
    const fixed = await store(v2021());
    expect(fixed.outcome).toBe('NEW_REVISION');
    expect(await findingsOf(fixed.revisionId)).toEqual([]);
    expect(await findingsOf(broken.revisionId)).toHaveLength(2);
  });
});

describe('cross-year findings follow the neighbouring years', () => {
  it('importing year N+1 first, then N: the finding appears on N+1 and clears when N is corrected', async () => {
    const y2022 = await store(v2021());
    expect(await findingsOf(y2022.revisionId)).toEqual([]);

    const y2021 = await store(mismatched2021());
    expect(y2021.findings).toEqual([]);
    expect(await findingsOf(await currentRevision(2022))).toEqual([
      {
        ruleId: 'T3_CARRY_OVER',
        severity: 'WARNING',
        status: 'VIOLATED',
        scope: 'NATURAL_PERSON',
        expected: '2',
        actual: '3',
        difference: '1',
        otherYear: 2021,
      },
      {
        ruleId: 'T3_CARRY_OVER',
        severity: 'WARNING',
        status: 'VIOLATED',
        scope: 'TOTAL',
        expected: '3',
        actual: '4',
        difference: '1',
        otherYear: 2021,
      },
    ]);
    const finding = await db.finding.findFirstOrThrow({ where: { revisionId: y2022.revisionId } });
    expect(finding.otherRevisionId).toBe(y2021.revisionId);
    // The 2022 figures were read back from the database: still exact, still in printed form.
    expect(finding.cells).toEqual([
      {
        code: 'T3.CARRIED_FORWARD.NATURAL_PERSON',
        side: 'EXPECTED',
        year: 2021,
        status: 'REPORTED',
        value: '2',
      },
      { code: 'T3.CARRIED_OVER.NATURAL_PERSON', side: 'ACTUAL', year: 2022, status: 'REPORTED', value: '3' },
    ]);

    // The agency publishes a corrected 2021 report: a new revision, and 2022's finding clears.
    const corrected = await store(v2021For2021());
    expect(corrected.outcome).toBe('NEW_REVISION');
    expect(await findingsOf(await currentRevision(2022))).toEqual([]);
    expect(await countFindings()).toBe(0);
  });

  it('importing N then N+1 puts the finding on N+1, compared with N', async () => {
    await store(mismatched2021());
    const y2022 = await store(v2021());
    expect(y2022.findings.map((f) => [f.ruleId, f.scope, f.expected, f.actual, f.otherYear])).toEqual([
      ['T3_CARRY_OVER', 'NATURAL_PERSON', '2', '3', 2021],
      ['T3_CARRY_OVER', 'TOTAL', '3', '4', 2021],
    ]);
    // Correcting 2022 instead (it now carries over what 2021 carried forward) clears it too.
    const fixed2022 = setFigures(
      setFigures(v2021(), '二、上年结转政府信息公开申请数量', [2, null, null, null, null, null, 3]),
      '一、本年新收政府信息公开申请数量',
      [42, null, null, null, null, null, 50],
    );
    const revised = await store(fixed2022);
    expect(revised.findings).toEqual([]);
    expect(await findingsOf(await currentRevision(2022))).toEqual([]);
  });

  it('the V2019 table-2 items follow the year before as the carry-over does: added, then cleared by a correction', async () => {
    // 2020 prints 其他对外管理服务事项 3 | +2: 2019 must have ended with 3 items.
    const items2019 = (previous: number, change: string) =>
      replaceOnce(
        v2019Of(2019),
        '其他对外管理服务事项\t3\t+2\t49\n',
        `其他对外管理服务事项\t${previous}\t${change}\t49\n`,
      );
    const y2020 = await store(v2019());
    expect(await findingsOf(y2020.revisionId)).toEqual([]);
    await store(items2019(1, '+1'));
    expect(await findingsOf(await currentRevision(2020))).toEqual([
      {
        ruleId: 'T2_ITEMS_CARRY_OVER',
        severity: 'WARNING',
        status: 'VIOLATED',
        scope: 'OTHER_SERVICES',
        expected: '2',
        actual: '3',
        difference: '1',
        otherYear: 2019,
      },
    ]);
    // A corrected 2019 report (1 + 2 = 3) clears it on 2020, read back from the database.
    await store(items2019(1, '+2'));
    expect(await findingsOf(await currentRevision(2020))).toEqual([]);
    expect(await countFindings()).toBe(0);
  });

  it('years of different agencies are never compared', async () => {
    await store(v2021());
    // The first line naming the agency is the header the parser reads the name from.
    await store(mismatched2021().replace('宁夏回族自治区中卫市沙坡头区卫生健康局', '中卫市另一个局'));
    expect(await db.agency.count()).toBe(2);
    expect(await countFindings()).toBe(0);
  });
});

describe('strict import', () => {
  it('rejects a report with error-level findings and leaves the database unchanged', async () => {
    await store(v2019());
    const before = { ...(await tableCounts(db)), finding: await countFindings() };
    const result = await importReport(
      db,
      { bytes: encode(BROKEN_BALANCE()), fileName: 'broken.txt' },
      { strict: true },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.findings?.map(brief)).toEqual([
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
    expect(result.problems[0]).toMatchObject({
      code: 'FAILED_CHECK',
      severity: 'error',
      cellCode: 'T3.OUTCOMES_TOTAL.NATURAL_PERSON',
      message: expect.stringContaining('Nothing was stored (strict import)'),
    });
    expect({ ...(await tableCounts(db)), finding: await countFindings() }).toEqual(before);
  });

  it('a strict rejection also rolls back the cross-year findings it would have written on the next year', async () => {
    await store(v2021());
    const before = await countFindings();
    const result = await importReport(
      db,
      {
        bytes: encode(
          setFigures(mismatched2021(), '四、结转下年度继续办理', [5, null, null, null, null, null, 6]),
        ),
        fileName: 'x.txt',
      },
      { strict: true },
    );
    expect(result.ok).toBe(false);
    expect(await countFindings()).toBe(before);
    expect(await db.report.count()).toBe(1);
  });

  it('refuses the bytes of an earlier revision with error-level findings, keeping the current one', async () => {
    const broken = await store(BROKEN_BALANCE());
    const fixed = await store(v2021());
    expect(fixed.outcome).toBe('NEW_REVISION');
    const before = { ...(await tableCounts(db)), finding: await countFindings() };
    const result = await importReport(
      db,
      { bytes: encode(BROKEN_BALANCE()), fileName: 'broken-again.txt' },
      { strict: true },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.findings?.map((f) => f.ruleId)).toContain('T3_BALANCE');
    expect(await currentRevision(fixed.parsed.year)).toBe(fixed.revisionId);
    expect(await currentRevision(fixed.parsed.year)).not.toBe(broken.revisionId);
    expect({ ...(await tableCounts(db)), finding: await countFindings() }).toEqual(before);
    // Without strict, the same bytes make it current again.
    expect((await store(BROKEN_BALANCE())).outcome).toBe('RESTORED');
  });

  it('stores reports whose findings are only warnings', async () => {
    await store(mismatched2021());
    const result = await importReport(db, { bytes: encode(v2021()), fileName: '2022.txt' }, { strict: true });
    expect(result.ok).toBe(true);
    expect(await countFindings()).toBe(2);
  });
});

describe('concurrent imports', () => {
  it('neighbouring years imported at the same time still find their disagreement', async () => {
    for (let round = 0; round < 3; round++) {
      await resetDatabase(db);
      await Promise.all([store(mismatched2021()), store(v2021())]);
      expect(await findingsOf(await currentRevision(2022)), `round ${round}`).toHaveLength(2);
    }
  });
});

describe('validate --stored recomputes the findings of stored reports', () => {
  const snapshot = async () =>
    (
      await db.finding.findMany({
        orderBy: [{ revisionId: 'asc' }, { ruleId: 'asc' }, { scope: 'asc' }],
        select: {
          revisionId: true,
          otherRevisionId: true,
          ruleId: true,
          scope: true,
          severity: true,
          status: true,
          cells: true,
          messageEn: true,
        },
      })
    ).map((f) => ({ ...f }));

  it('rebuilds exactly what imports computed, and exits 1 when errors exist', async () => {
    await store(v2019());
    await store(mismatched2021());
    await store(BROKEN_BALANCE());
    const computedAtImport = await snapshot();
    expect(computedAtImport).toHaveLength(4);
    // As in a database upgraded from before the findings existed.
    await db.$executeRaw`DELETE FROM finding`;
    const out: string[] = [];
    const code = await revalidateStored(db, { json: false, print: (t) => out.push(t), warn: () => {} });
    expect(code).toBe(1);
    expect(await snapshot()).toEqual(computedAtImport);
    expect(out).toEqual([
      'severity  rule           status    reports  findings',
      'error     T3_BALANCE     violated        1         2',
      'warning   T3_CARRY_OVER  violated        1         2',
    ]);
  });

  it('says so when every stored report adds up', async () => {
    await store(v2019());
    const out: string[] = [];
    expect(await revalidateStored(db, { json: false, print: (t) => out.push(t), warn: () => {} })).toBe(0);
    expect(out).toEqual(['No findings: every stored report adds up.']);
  });
});
