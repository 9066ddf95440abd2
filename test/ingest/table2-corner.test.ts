/**
 * Table 2's header rows as agencies also print them: the corner over the labels blank or
 * another word than 信息内容 (项目, 内容, 类别, 信息类别). Every row under them was refused for want
 * of a header (UNKNOWN_COLUMN), though a reader takes the columns from the header's other cells
 * without doubt.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import type { ParseResult } from '../../src/ingest/types.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/formats/${name}`, import.meta.url), 'utf8');
const parse = async (text: string): Promise<ParseResult> =>
  (await parseDocument(new TextEncoder().encode(text), {})).result;
const table2 = (result: ParseResult) =>
  result.ok
    ? result.report.cells.filter((c) => c.code.startsWith('T2.')).map((c) => [c.code, c.status, c.value])
    : result.problems.map((p) => [p.code, p.message]);

const formats: [string, string, string][] = [
  // [format, fixture, the header's first cell as printed]
  ['a web page', 'report.html', '<td>信息内容</td>'],
  ['tab-separated text', 'report.tab.txt', '信息内容\t'],
];
const corners: [string, string][] = [
  ['blank', ''],
  ['项目', '项目'],
  ['内容', '内容'],
  ['类别', '类别'],
  ['信息类别', '信息类别'],
];

describe.each(formats)('in %s, a table 2 header whose corner is not 信息内容', (_, name, corner) => {
  const page = fixture(name);
  const every = (by: string) => page.split(corner).join(by);
  it.each(corners)('(%s) reads every figure as under 信息内容', async (_, word) => {
    const expected = table2(await parse(page));
    expect(page.split(corner).length).toBeGreaterThan(4);
    const by = name.endsWith('.html') ? `<td>${word}</td>` : `${word}\t`;
    expect(table2(await parse(every(by)))).toEqual(expected);
  });

  it('a first row of words that name no column is still no header: its rows are refused', async () => {
    const by = name.endsWith('.html') ? '<td>项目</td>' : '项目\t';
    const result = await parse(
      every(by)
        .replace(/本年制发件数/g, '甲')
        .replace(/本年废止件数/g, '乙'),
    );
    expect(result.ok).toBe(false);
    expect(table2(result)).toContainEqual(['UNKNOWN_COLUMN', expect.stringContaining('row "规章"')]);
  });
});

describe.each(formats)('in %s, a table 2 column the template does not have', (_, name) => {
  it('refuses the rows without it naming the column printed, not "row missing"', async () => {
    const page = fixture(name);
    expect(page).toContain('现行有效件数');
    const result = await parse(page.replace('现行有效件数', '现行有效文件数'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const gaps = result.problems.filter((p) => p.table === 'T2');
    expect(gaps.map((p) => [p.code, p.cellCode])).toEqual([
      ['MISSING_CELL', 'T2.RULES.IN_FORCE'],
      ['MISSING_CELL', 'T2.NORMATIVE_DOCUMENTS.IN_FORCE'],
    ]);
    expect(gaps[0]?.message).toMatch(
      /row "第二十条第（一）项 规章" was read, but not its column "现行有效件数".*The header prints "现行有效文件数" \(line \d+\), which the template does not have; if one of them is "现行有效件数", rename it/,
    );
  });
});
