/**
 * A web page's blank cell merged across several columns (`<td colspan="5">&nbsp;</td>` under
 * five applicant columns), and a row that leaves out its last cells: on screen they are blanks
 * under each column, but the row came out with fewer cells than columns and the whole report
 * was refused ("3 values for 7 columns"). They now read as the blanks they show. A figure
 * merged across columns still cannot be placed, and a row short of a cell for another reason is
 * still refused. The same page printed to PDF by Chromium (ruled cells, as published PDFs
 * draw them) reads the same: a merged cell there is slots with no rule between them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';
import type { ParseResult } from '../../../src/ingest/types.ts';
import { launchChromium, RULED_STYLE } from '../../support/chromium.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
const page = existsSync(SHARED) ? readFileSync(`${SHARED}shanghai-bgt-2019.html`, 'utf8') : '';

/** The `<tr>` holding `label` (the first one after `after`), its cells and where it stands. */
function rowOf(html: string, label: string, after = '') {
  const at = html.indexOf(`>${label}<`, html.indexOf(after));
  expect(at, label).toBeGreaterThan(0);
  const start = html.lastIndexOf('<tr>', at);
  const end = html.indexOf('</tr>', at) + '</tr>'.length;
  const cells = html.slice(start, end).match(/<td[^>]*>[\s\S]*?<\/td>/g) ?? [];
  return { start, end, cells };
}
/** The page with the row of `label` made of `cells` (its own, rearranged by `change`). */
function withRow(label: string, change: (cells: string[]) => string[], after = '') {
  const row = rowOf(page, label, after);
  return `${page.slice(0, row.start)}<tr>${change(row.cells).join('')}</tr>${page.slice(row.end)}`;
}
const merged = (columns: number, text = '&nbsp;') =>
  `<td colspan="${columns}" nowrap="nowrap"><p align="center">${text}</p></td>`;

async function parse(document: string | Uint8Array): Promise<ParseResult> {
  const bytes = typeof document === 'string' ? new TextEncoder().encode(document) : document;
  return (await parseDocument(bytes)).result;
}
const figures = (result: ParseResult) =>
  result.ok ? Object.fromEntries(result.report.cells.map((c) => [c.code, c.value])) : null;
const problems = (result: ParseResult) =>
  result.ok ? [] : result.problems.map((p) => [p.code, p.table, p.row, p.column]);

const CARRIED_OVER = '二、上年结转政府信息公开申请数量';
const NEW = '一、本年新收政府信息公开申请数量';
const PARTLY = '（二）部分公开（区分处理的，只计这一情形，不计其他情形）';

/** Blanks merged across columns, each read as the page it changes was. */
const readable = (): Record<string, string> => ({
  // 18 | five blank 法人或其他组织 columns as one cell | 18
  'five applicant columns': withRow(CARRIED_OVER, ([label, natural, , , , , , total]) => [
    label ?? '',
    natural ?? '',
    merged(5),
    total ?? '',
  ]),
  // 821 | 35 | 科研机构 and 社会公益组织 as one blank | 2 | 1 | 859
  'two columns inside the row': withRow(NEW, ([label, a, b, , , ...rest]) => [
    label ?? '',
    a ?? '',
    b ?? '',
    merged(2),
    ...rest,
  ]),
  // 3 | six blanks, 总计 among them, as one cell
  'to the end of the row': withRow(PARTLY, ([label, figure]) => [label ?? '', figure ?? '', merged(6)]),
  // table 4: 复议后起诉's five blank results as one cell
  'table 4, one proceeding': withRow('5', (cells) => [...cells.slice(0, 10), merged(5)], '未经复议直接起诉'),
  // table 4: 行政复议's 结果纠正 and 其他结果 as one blank
  'table 4, inside a proceeding': withRow(
    '5',
    ([first, , , ...rest]) => [first ?? '', merged(2), ...rest],
    '未经复议直接起诉',
  ),
});

/** Rows short of a cell that no blank explains: refused, naming the row. */
const refused = (): Record<string, { html: string; row: string }> => ({
  // 18 | 0 merged across five columns | 18: which column the 0 is under cannot be told
  'a figure merged across columns': {
    row: CARRIED_OVER,
    html: withRow(CARRIED_OVER, ([label, natural, , , , , , total]) => [
      label ?? '',
      natural ?? '',
      merged(5, '0'),
      total ?? '',
    ]),
  },
  // 821 | 35 | one blank for two columns | 2 | 859: 其他's 1 is gone as well, so 859 shows
  // under 其他 and nothing under 总计; whether a cell was lost there or in the middle is unknown
  'a cell lost besides': {
    row: NEW,
    html: withRow(NEW, ([label, a, b, , , legal, , total]) => [
      label ?? '',
      a ?? '',
      b ?? '',
      merged(2),
      legal ?? '',
      total ?? '',
    ]),
  },
  // 3, and no cells after it: the six blanks may as well be a lost cell and five blanks
  'cells left out at the end': {
    row: '（二）部分公开',
    html: withRow(PARTLY, ([label, figure]) => [label ?? '', figure ?? '']),
  },
});

describe.runIf(existsSync(SHARED))('a blank cell merged across columns, on the real Shanghai page', () => {
  it('reads as the blanks it shows, where the report was refused', async () => {
    const original = figures(await parse(page));
    expect(original?.['T3.CARRIED_OVER.NATURAL_PERSON']).toBe('18');
    expect(original?.['T3.CARRIED_OVER.TOTAL']).toBe('18');
    for (const [name, html] of Object.entries(readable())) {
      expect(html, name).not.toBe(page);
      const result = await parse(html);
      expect(problems(result), name).toEqual([]);
      expect(figures(result), name).toEqual(original);
    }
  });

  it('table 2: a blank merged over its last two columns', async () => {
    const original = figures(await parse(page));
    // 行政处罚 | 0 (上一年项目数量) | 0 (本年增/减) | 0 (处理决定数量): the last two left blank, merged
    const html = withRow('行政处罚', ([label, first]) => [label ?? '', first ?? '', merged(2)]);
    const read = figures(await parse(html));
    const changed = Object.keys(original ?? {}).filter((code) => read?.[code] !== original?.[code]);
    expect(changed).toHaveLength(2);
    for (const code of changed) expect([code, read?.[code]]).toEqual([code, null]);
    expect(changed.every((code) => code.startsWith('T2.'))).toBe(true);
  });

  it('a figure merged across columns, or a row short of a cell besides, is still refused', async () => {
    for (const [name, { html, row }] of Object.entries(refused())) {
      const result = await parse(html);
      expect(problems(result), name).toContainEqual(['MISSING_CELL', 'T3', row, '自然人']);
      expect(figures(result), name).toBeNull();
    }
  });
});

describe.runIf(existsSync(SHARED))('the same pages printed to PDF by Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(() => browser?.close());
  const pdf = async (html: string) => {
    const tab = await browser.newPage();
    await tab.setContent(html.replace('<head>', `<head>${RULED_STYLE}`));
    const bytes = new Uint8Array(await tab.pdf({ format: 'A4' }));
    await tab.close();
    return parse(bytes);
  };

  it('a blank merged across columns reads as blanks; a merged figure is refused', async () => {
    const original = figures(await pdf(page));
    expect(original?.['T3.CARRIED_OVER.TOTAL']).toBe('18');
    for (const [name, html] of Object.entries(readable())) {
      const result = await pdf(html);
      expect(problems(result), name).toEqual([]);
      expect(figures(result), name).toEqual(original);
    }
    // A row that lost a cell is not among them: this page's table draws a border around itself,
    // so in print the slot the lost cell leaves is a blank cell like any other.
    const { html, row } = refused()['a figure merged across columns'] ?? { html: '', row: '' };
    const result = await pdf(html);
    expect(problems(result)).toContainEqual(['MISSING_CELL', 'T3', row, '自然人']);
    expect(figures(result)).toBeNull();
  }, 120_000);
});
