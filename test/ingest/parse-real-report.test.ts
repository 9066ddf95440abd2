import { describe, expect, it } from 'vitest';
import { APPLICANT_COLUMNS, TABLE4_PROCEEDINGS, TABLE4_RESULTS } from '../../src/catalogue/template.ts';
import { parseReportBytes, parseReportText } from '../../src/ingest/parse-report.ts';
import type { ParsedReport } from '../../src/ingest/types.ts';
import { EXAMPLE_V2021, fixtureBytes, fixtureText, REAL_V2019, toPipeTables } from '../support/fixtures.ts';

function parse(text: string): ParsedReport {
  const result = parseReportText(text);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.report;
}

/** code → printed text, for every cell that was read. */
const printed = (report: ParsedReport) =>
  Object.fromEntries(report.cells.map((c) => [c.code, c.status === 'MISSING' ? 'MISSING' : c.rawText]));
const values = (report: ParsedReport) => Object.fromEntries(report.cells.map((c) => [c.code, c.value]));

/** Expected table-3 cells from rows written as printed: [row code, seven values]. */
function table3(rows: [string, string[]][]) {
  return Object.fromEntries(
    rows.flatMap(([row, cells]) => APPLICANT_COLUMNS.map((col, i) => [`T3.${row}.${col.code}`, cells[i]])),
  );
}
function table4(numbers: string[]) {
  return Object.fromEntries(
    TABLE4_PROCEEDINGS.flatMap((p, i) =>
      TABLE4_RESULTS.map((r, j) => [`T4.${p.code}.${r.code}`, numbers[i * 5 + j]]),
    ),
  );
}
const zeros = (n: number) => Array.from({ length: n }, () => '0');

describe('the real 2020 report of 中卫市科学技术局 (V2019)', () => {
  const report = parse(fixtureText(REAL_V2019));

  it('reads the metadata', () => {
    expect(report.agencyName).toBe('中卫市科学技术局');
    expect(report.year).toBe(2020);
    expect(report.templateVersion).toBe('V2019');
    expect(report.title).toBe('2020年政府信息公开工作年度报告');
    expect(report.publishedOn).toBe('2021-01-26');
    expect(report.contact).toEqual({
      website: 'http://www.nxzw.gov.cn/',
      address: '市行政中心 212 室',
      postcode: '755000',
      phone: '0955-7063893',
      fax: '0955-7063893',
      email: 'nxzwskj@163.com',
    });
    expect(report.gaps).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.extras).toEqual([]);
  });

  it('reads all five narrative sections and the preamble', () => {
    expect(report.narrative.map((s) => [s.number, s.heading])).toEqual([
      [0, ''],
      [1, '一、总体情况'],
      [2, '二、主动公开政府信息情况'],
      [3, '三、收到和处理政府信息公开申请情况'],
      [4, '四、政府信息公开行政复议和行政诉讼情况'],
      [5, '五、政府信息公开工作存在的主要问题及改进情况'],
    ]);
    const text = (n: number) => report.narrative.find((s) => s.number === n)?.text ?? '';
    expect(text(0)).toMatch(/^根据《中华人民共和国政府信息公开条例》/);
    expect(text(1)).toContain('2020 年,我局未收到任何形式的申请公开信息要求。');
    expect(text(1)).toMatch(/提高工作能力。$/);
    expect(text(5)).toMatch(/^2020年，我局较好地完成了政府信息公开工作/);
    expect(text(5)).toContain('强化政务公开的权威性和时效性。');
  });

  it('reads every number of table 2, including the signed "+2"', () => {
    const t2 = Object.fromEntries(Object.entries(printed(report)).filter(([code]) => code.startsWith('T2.')));
    expect(t2).toEqual({
      'T2.RULES.MADE': '0',
      'T2.RULES.PUBLISHED': '0',
      'T2.RULES.TOTAL_PUBLISHED': '0',
      'T2.NORMATIVE_DOCUMENTS.MADE': '0',
      'T2.NORMATIVE_DOCUMENTS.PUBLISHED': '0',
      'T2.NORMATIVE_DOCUMENTS.TOTAL_PUBLISHED': '0',
      'T2.LICENSING.PREVIOUS_ITEMS': '0',
      'T2.LICENSING.CHANGE': '0',
      'T2.LICENSING.DECISIONS': '0',
      'T2.OTHER_SERVICES.PREVIOUS_ITEMS': '3',
      'T2.OTHER_SERVICES.CHANGE': '+2',
      'T2.OTHER_SERVICES.DECISIONS': '49',
      'T2.PENALTY.PREVIOUS_ITEMS': '2',
      'T2.PENALTY.CHANGE': '0',
      'T2.PENALTY.DECISIONS': '0',
      'T2.COERCION.PREVIOUS_ITEMS': '0',
      'T2.COERCION.CHANGE': '0',
      'T2.COERCION.DECISIONS': '0',
      'T2.FEES.PREVIOUS_ITEMS': '0',
      'T2.FEES.CHANGE': '0',
      'T2.PROCUREMENT.PROJECTS': '0',
      'T2.PROCUREMENT.AMOUNT': '0',
    });
    expect(values(report)['T2.OTHER_SERVICES.CHANGE']).toBe('2');
    expect(report.cells.find((c) => c.code === 'T2.OTHER_SERVICES.DECISIONS')?.line).toBe(46);
  });

  it('reads every number of table 3 (all zero) with its line', () => {
    const t3 = Object.fromEntries(Object.entries(printed(report)).filter(([code]) => code.startsWith('T3.')));
    const rows = [
      'NEW_REQUESTS',
      'CARRIED_OVER',
      'GRANTED',
      'PARTLY_GRANTED',
      'REFUSED_STATE_SECRET',
      'REFUSED_PROHIBITED_BY_LAW',
      'REFUSED_ENDANGERS_SECURITY',
      'REFUSED_THIRD_PARTY',
      'REFUSED_INTERNAL_AFFAIRS',
      'REFUSED_PROCESS_INFORMATION',
      'REFUSED_ENFORCEMENT_FILE',
      'REFUSED_QUERY_MATTER',
      'CANNOT_PROVIDE_NOT_HELD',
      'CANNOT_PROVIDE_NEEDS_CREATION',
      'CANNOT_PROVIDE_STILL_UNCLEAR',
      'NOT_HANDLED_PETITION',
      'NOT_HANDLED_REPEATED',
      'NOT_HANDLED_PUBLICATION',
      'NOT_HANDLED_EXCESSIVE',
      'NOT_HANDLED_CONFIRMATION',
      'OTHER_HANDLING',
      'OUTCOMES_TOTAL',
      'CARRIED_FORWARD',
    ];
    expect(t3).toEqual(table3(rows.map((r) => [r, zeros(7)])));
    const lineOf = (code: string) => report.cells.find((c) => c.code === code)?.line;
    expect(lineOf('T3.NEW_REQUESTS.NATURAL_PERSON')).toBe(63);
    expect(lineOf('T3.REFUSED_STATE_SECRET.TOTAL')).toBe(67);
    expect(lineOf('T3.OTHER_HANDLING.TOTAL')).toBe(83);
    expect(lineOf('T3.CARRIED_FORWARD.TOTAL')).toBe(85);
  });

  it('reads every number of table 4 (all zero)', () => {
    const t4 = Object.fromEntries(Object.entries(printed(report)).filter(([code]) => code.startsWith('T4.')));
    expect(t4).toEqual(table4(zeros(15)));
  });

  it('reads the same numbers from " | " tables and from GBK bytes', async () => {
    expect(printed(parse(toPipeTables(fixtureText(REAL_V2019))))).toEqual(printed(report));
    const iconv = (await import('iconv-lite')).default;
    const gbk = parseReportBytes(iconv.encode(fixtureText(REAL_V2019), 'gbk'));
    expect(gbk.encoding).toBe('gb18030');
    expect(gbk.result.ok && printed(gbk.result.report)).toEqual(printed(report));
  });
});

describe('a V2021 report with non-zero figures', () => {
  const report = parse(fixtureText(EXAMPLE_V2021));

  it('detects the 2021 template from its headers and reads the metadata', () => {
    expect(report.templateVersion).toBe('V2021');
    expect(report.templateEvidence[0]).toContain('本年制发件数');
    expect(report.agencyName).toBe('宁夏回族自治区中卫市沙坡头区卫生健康局');
    expect(report.year).toBe(2022);
    expect(report.publishedOn).toBe('2023-01-18');
    expect(report.narrative.map((s) => s.number)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(report.narrative.find((s) => s.number === 6)?.text).toContain('信息处理费');
  });

  it('reads table 2 in the V2021 blocks, with money decimals exact', () => {
    const t2 = Object.fromEntries(Object.entries(values(report)).filter(([code]) => code.startsWith('T2.')));
    expect(t2).toEqual({
      'T2.RULES.ISSUED': '0',
      'T2.RULES.REPEALED': '0',
      'T2.RULES.IN_FORCE': '0',
      'T2.NORMATIVE_DOCUMENTS.ISSUED': '3',
      'T2.NORMATIVE_DOCUMENTS.REPEALED': '1',
      'T2.NORMATIVE_DOCUMENTS.IN_FORCE': '17',
      'T2.LICENSING.DECISIONS': '1268',
      'T2.PENALTY.DECISIONS': '87',
      'T2.COERCION.DECISIONS': '5',
      'T2.FEES.AMOUNT': '12.35',
    });
  });

  it('reads every table-3 row, including the three V2021 其他处理 sub-rows', () => {
    const t3 = Object.fromEntries(Object.entries(values(report)).filter(([code]) => code.startsWith('T3.')));
    const z = zeros(7);
    expect(t3).toEqual(
      table3([
        ['NEW_REQUESTS', ['41', '6', '0', '0', '2', '0', '49']],
        ['CARRIED_OVER', ['3', '1', '0', '0', '0', '0', '4']],
        ['GRANTED', ['21', '2', '0', '0', '1', '0', '24']],
        ['PARTLY_GRANTED', ['5', '1', '0', '0', '0', '0', '6']],
        ['REFUSED_STATE_SECRET', z],
        ['REFUSED_PROHIBITED_BY_LAW', z],
        ['REFUSED_ENDANGERS_SECURITY', z],
        ['REFUSED_THIRD_PARTY', ['2', '1', '0', '0', '0', '0', '3']],
        ['REFUSED_INTERNAL_AFFAIRS', z],
        ['REFUSED_PROCESS_INFORMATION', ['1', '0', '0', '0', '0', '0', '1']],
        ['REFUSED_ENFORCEMENT_FILE', ['1', '0', '0', '0', '0', '0', '1']],
        ['REFUSED_QUERY_MATTER', z],
        ['CANNOT_PROVIDE_NOT_HELD', ['6', '1', '0', '0', '1', '0', '8']],
        ['CANNOT_PROVIDE_NEEDS_CREATION', ['1', '0', '0', '0', '0', '0', '1']],
        ['CANNOT_PROVIDE_STILL_UNCLEAR', ['1', '0', '0', '0', '0', '0', '1']],
        ['NOT_HANDLED_PETITION', ['1', '0', '0', '0', '0', '0', '1']],
        ['NOT_HANDLED_REPEATED', ['2', '0', '0', '0', '0', '0', '2']],
        ['NOT_HANDLED_PUBLICATION', z],
        ['NOT_HANDLED_EXCESSIVE', z],
        ['NOT_HANDLED_CONFIRMATION', z],
        ['OTHER_NO_CORRECTION', ['1', '0', '0', '0', '0', '0', '1']],
        ['OTHER_FEE_UNPAID', z],
        ['OTHER_OTHER', ['0', '1', '0', '0', '0', '0', '1']],
        ['OUTCOMES_TOTAL', ['42', '6', '0', '0', '2', '0', '50']],
        ['CARRIED_FORWARD', ['2', '1', '0', '0', '0', '0', '3']],
      ]),
    );
  });

  it('reads table 4', () => {
    const t4 = Object.fromEntries(Object.entries(values(report)).filter(([code]) => code.startsWith('T4.')));
    expect(t4).toEqual(table4(['2', '1', '0', '1', '4', '1', '0', '0', '1', '2', '0', '1', '0', '0', '1']));
  });

  it('reads the same numbers from " | " tables', () => {
    expect(values(parse(toPipeTables(fixtureText(EXAMPLE_V2021))))).toEqual(values(report));
  });
});

it('the bundled copy of the real report is byte-identical to the shared fixture', async () => {
  const { existsSync, readFileSync } = await import('node:fs');
  const shared = new URL(
    '../../../shared/fixtures/reports/zhongwei-science-bureau-2020.txt',
    import.meta.url,
  );
  if (!existsSync(shared)) return;
  expect(fixtureBytes(REAL_V2019).equals(readFileSync(shared))).toBe(true);
});
