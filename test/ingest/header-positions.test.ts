/**
 * Every column's header is held against the template's column at its place, not only the order
 * of the labels the parser knows. A header it did not know turned the check off: 科研院所 printed
 * before 商业企业, 社会公益组织 where 法律服务机构 stands, a column the template lacks (个体工商户),
 * table 4's results or proceedings reworded and swapped (维持|纠正|未审结|其他, 复议后起诉 before
 * 直接起诉), and a PDF text layer's wrapped header with its pieces swapped were all read by
 * position, their figures stored under other columns without a word. Now refused; the rewordings
 * the catalogue knows, printed in the template's order, read as the unaltered report.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import type { ParseResult } from '../../src/ingest/types.ts';
import { EXAMPLE_V2021, fixtureText, toHtmlTables, toPipeTables } from '../support/fixtures.ts';

const original = fixtureText(EXAMPLE_V2021);
const T3_HEADER = '\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t';
const T4_PROCEEDINGS = '未经复议直接起诉\t\t\t\t\t复议后起诉';

/** The sample with one header line's cells renamed (each cell named in `names`, wherever it is on that line). */
function renamed(line: string, names: Record<string, string>): string {
  expect(original).toContain(line);
  const changed = line
    .split('\t')
    .map((cell) => names[cell] ?? cell)
    .join('\t');
  return original.replace(line, changed);
}
/** Table 4's results line, renamed under every proceeding. */
function resultsRenamed(names: Record<string, string>): string {
  return original
    .split('\n')
    .map((l) =>
      l.includes('结果维持\t结果纠正')
        ? l
            .split('\t')
            .map((c) => names[c] ?? c)
            .join('\t')
        : l,
    )
    .join('\n');
}

const RENDERINGS: [string, (text: string) => string][] = [
  ['tab text', (t) => t],
  ['pipe text', toPipeTables],
  ['a web page', (t) => toHtmlTables(t)],
];

async function parse(text: string, allowPartial = false): Promise<ParseResult> {
  return (await parseDocument(new TextEncoder().encode(text), { allowPartial })).result;
}
const figures = (result: ParseResult) => {
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  return result.report.cells.filter((c) => /^T[34]\./.test(c.code)).map((c) => [c.code, c.status, c.value]);
};

const REFUSED: [string, string, () => string][] = [
  [
    '科研院所 before 商业企业',
    'COLUMN_ORDER',
    () => renamed(T3_HEADER, { 商业企业: '科研院所', 科研机构: '商业企业' }),
  ],
  [
    '科研单位 before 企业',
    'COLUMN_ORDER',
    () => renamed(T3_HEADER, { 商业企业: '科研单位', 科研机构: '企业' }),
  ],
  [
    '研究机构 before 公司',
    'COLUMN_ORDER',
    () => renamed(T3_HEADER, { 商业企业: '研究机构', 科研机构: '公司' }),
  ],
  [
    '科学研究机构 before 商业企业',
    'COLUMN_ORDER',
    () => renamed(T3_HEADER, { 商业企业: '科学研究机构', 科研机构: '商业企业' }),
  ],
  [
    '律师事务所 where 社会公益组织 stands, 社会公益组织 where 法律服务机构 does',
    'COLUMN_ORDER',
    () => renamed(T3_HEADER, { 社会公益组织: '律师事务所', 法律服务机构: '社会公益组织' }),
  ],
  [
    '个体工商户 where 科研机构 stands',
    'COLUMN_MISSING',
    () => renamed(T3_HEADER, { 科研机构: '个体工商户' }),
  ],
  ['个体工商户 where 其他 stands', 'COLUMN_MISSING', () => renamed(T3_HEADER, { 其他: '个体工商户' })],
  // 企业 and 公司 may be any enterprise, not the template's 商业企业: never taken for it.
  ['企业 where 商业企业 stands', 'COLUMN_MISSING', () => renamed(T3_HEADER, { 商业企业: '企业' })],
  ['公司 where 商业企业 stands', 'COLUMN_MISSING', () => renamed(T3_HEADER, { 商业企业: '公司' })],
  [
    'table 4: 维持|纠正|未审结|其他|合计',
    'COLUMN_ORDER',
    () =>
      resultsRenamed({
        结果维持: '维持',
        结果纠正: '纠正',
        其他结果: '未审结',
        尚未审结: '其他',
        总计: '合计',
      }),
  ],
  ['table 4: 撤回 where 其他结果 stands', 'COLUMN_MISSING', () => resultsRenamed({ 其他结果: '撤回' })],
  [
    'table 4: 复议后起诉 before 直接起诉',
    'COLUMN_ORDER',
    () => original.replace(T4_PROCEEDINGS, '复议后起诉\t\t\t\t\t直接起诉'),
  ],
  [
    'table 4: 经复议后起诉 before 未经复议直接起诉',
    'COLUMN_ORDER',
    () => original.replace(T4_PROCEEDINGS, '经复议后起诉\t\t\t\t\t未经复议直接起诉'),
  ],
];

describe('a header printing another column, or one the template lacks, where a template column stands', () => {
  it('the sample reads as it is printed, in every rendering', async () => {
    const unaltered = figures(await parse(original));
    for (const [, render] of RENDERINGS) expect(figures(await parse(render(original)))).toEqual(unaltered);
  });

  for (const [rendering, render] of RENDERINGS) {
    it.each(REFUSED)(
      `%s (${rendering}): refused, naming the line and what is printed`,
      async (_name, code, text) => {
        for (const allowPartial of [false, true]) {
          const result = await parse(render(text()), allowPartial);
          expect(result.ok).toBe(false);
          const problem = result.ok ? undefined : result.problems.find((p) => p.code === code);
          expect(problem?.message).toMatch(/^Line \d+, table [34] .*the header prints/);
        }
      },
    );
  }

  it('a column the template lacks is said to be none of its columns, with what to do', async () => {
    const result = await parse(renamed(T3_HEADER, { 科研机构: '个体工商户' }));
    const message = result.ok ? '' : (result.problems[0]?.message ?? '');
    expect(message).toContain('"个体工商户" stands where the template\'s column is 科研机构');
    expect(message).toContain('is not a column of the template');
    expect(message).toContain('print the table with the template');
  });
});

const READ: [string, () => string][] = [
  ['科研院所 for 科研机构', () => renamed(T3_HEADER, { 科研机构: '科研院所' })],
  ['科研单位 for 科研机构', () => renamed(T3_HEADER, { 科研机构: '科研单位' })],
  ['科学研究机构 for 科研机构', () => renamed(T3_HEADER, { 科研机构: '科学研究机构' })],
  ['研究机构 for 科研机构', () => renamed(T3_HEADER, { 科研机构: '研究机构' })],
  ['其余 for 其他', () => renamed(T3_HEADER, { 其他: '其余' })],
  ['法律服务 (a cell cut short) for 法律服务机构', () => renamed(T3_HEADER, { 法律服务机构: '法律服务' })],
  ['法人或者其他组织', () => original.replace('\t法人或其他组织\t', '\t法人或者其他组织\t')],
  [
    'table 4: 维持|纠正|其他|未审结|合计',
    () =>
      resultsRenamed({
        结果维持: '维持',
        结果纠正: '纠正',
        其他结果: '其他',
        尚未审结: '未审结',
        总计: '合计',
      }),
  ],
  ['table 4: 直接起诉, 复议后起诉', () => original.replace(T4_PROCEEDINGS, '直接起诉\t\t\t\t\t复议后起诉')],
  [
    'table 4: 直接起诉, 经复议后起诉',
    () => original.replace(T4_PROCEEDINGS, '直接起诉\t\t\t\t\t经复议后起诉'),
  ],
];

describe('headers the catalogue knows in other words, in the template order', () => {
  for (const [rendering, render] of RENDERINGS) {
    it.each(READ)(`%s (${rendering}): read as the unaltered report`, async (_name, text) => {
      const altered = text();
      expect(altered).not.toBe(original);
      expect(figures(await parse(render(altered)))).toEqual(figures(await parse(render(original))));
    });
  }
});

const SHARED = fileURLToPath(new URL('../../../shared/fixtures/real-reports/', import.meta.url));

describe.runIf(existsSync(SHARED))('a header wrapped over lines in a PDF text layer (Huai’an)', () => {
  const text = existsSync(SHARED) ? readFileSync(`${SHARED}huaian-szf-2024.pdftext.txt`, 'utf8') : '';
  const [pieces, rest] = ['商业企 科研机 社会公益 法律服务', '业 构 组织 机构'];

  it('reads as printed', async () => {
    expect(text).toContain(pieces);
    expect(text).toContain(rest);
    const read = figures(await parse(text));
    const row = read
      .filter(([code]) => String(code).startsWith('T3.NEW_REQUESTS.'))
      .map(([, , value]) => value);
    expect(row).toEqual(['3001', '53', '0', '0', '61', '4', '3119']);
  });

  it.each([
    ['商业企 / 业 and 法律服务 / 机构 swapped', '法律服务 科研机 社会公益 商业企', '机构 构 组织 业'],
    ['科研机 / 构 and 社会公益 / 组织 swapped', '商业企 社会公益 科研机 法律服务', '业 组织 构 机构'],
  ])('%s: refused as COLUMN_ORDER, not read by position', async (_name, top, bottom) => {
    for (const allowPartial of [false, true]) {
      const result = await parse(text.replace(pieces, top).replace(rest, bottom), allowPartial);
      expect(result.ok ? [] : result.problems.map((p) => p.code)).toContain('COLUMN_ORDER');
    }
  });
});
