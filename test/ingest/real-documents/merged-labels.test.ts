/**
 * A row label merged down over two table rows (rowspan="2" in a web page, or a label copied
 * into one cell of two in tab text), with the figures on the second row: the figures stand on
 * a line without a label. They were dropped without a word, and the labelled line's blanks
 * stored as the row's figures (上年结转 18 stored blank). Which line holds the row's figures
 * cannot be told, so the report is refused naming both lines; a blank line under a merged
 * label still reads as before.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';
import type { ParseResult } from '../../../src/ingest/types.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
const page = existsSync(SHARED) ? readFileSync(`${SHARED}shanghai-bgt-2019.html`, 'utf8') : '';

/** The `<tr>` holding `label`, its first cell (the label) and the rest. */
function rowOf(html: string, label: string) {
  const at = html.indexOf(`>${label}<`);
  expect(at, label).toBeGreaterThan(0);
  const start = html.lastIndexOf('<tr>', at);
  const end = html.indexOf('</tr>', at) + '</tr>'.length;
  const tr = html.slice(start, end);
  const cells = tr.match(/<td[^>]*>[\s\S]*?<\/td>/g) ?? [];
  return { start, end, label: cells[0] ?? '', rest: cells.slice(1) };
}
const BLANK = '<td><p align="center">&nbsp;</p></td>';
const blanks = (cells: readonly string[]) => cells.map((c) => c.replace(/>\d+</, '>&nbsp;<'));

/** The row's label merged over two rows: `first` on the label's row, `second` below it. */
function overTwoRows(html: string, label: string, place: 'figures below' | 'blanks below') {
  const row = rowOf(html, label);
  const spanned = row.label.replace('<td ', '<td rowspan="2" ');
  const [first, second] =
    place === 'figures below' ? [blanks(row.rest), row.rest] : [row.rest, blanks(row.rest)];
  const rows = `<tr>${spanned}${first.join('')}</tr><tr>${second.join('')}</tr>`;
  return html.slice(0, row.start) + rows + html.slice(row.end);
}

async function parse(html: string): Promise<ParseResult> {
  return (await parseDocument(new TextEncoder().encode(html))).result;
}
const refusals = (result: ParseResult) =>
  result.ok ? [] : result.problems.map((p) => [p.code, p.table, p.row, p.text]);
const figures = (result: ParseResult) =>
  result.ok ? Object.fromEntries(result.report.cells.map((c) => [c.code, c.value])) : null;

describe.runIf(existsSync(SHARED))('a row label merged over two rows, figures on the second', () => {
  it('table 3: refused naming the row and the figures, where the blanks above were stored', async () => {
    const result = await parse(overTwoRows(page, '二、上年结转政府信息公开申请数量', 'figures below'));
    expect(refusals(result)).toEqual([
      ['MERGED_CELL', 'T3', '二、上年结转政府信息公开申请数量', '18 |  |  |  |  |  | 18'],
    ]);
    if (!result.ok)
      expect(result.problems[0]?.message).toMatch(
        /^Line \d+, table 3 \(依申请公开\): the figures "18 \| .* \| 18" have no row label; they stand below row "二、上年结转政府信息公开申请数量" \(line \d+\).*Put the figures on the label's line/,
      );
  });

  it('table 2 too (the first figure was taken for an unknown row "13", its figures lost)', async () => {
    const result = await parse(overTwoRows(page, '规章', 'figures below'));
    expect(refusals(result)).toEqual([['MERGED_CELL', 'T2', '规章', '13 | 13 | 524']]);
  });

  it('a blank row under the label reads as before: the figures are on the label’s line', async () => {
    const original = figures(await parse(page));
    expect(original?.['T3.CARRIED_OVER.TOTAL']).toBe('18');
    for (const label of ['二、上年结转政府信息公开申请数量', '规章', '四、结转下年度继续办理']) {
      expect(figures(await parse(overTwoRows(page, label, 'blanks below'))), label).toEqual(original);
    }
  });

  it('a row of figures without a label after the table’s last row is refused too, not dropped', async () => {
    const row = rowOf(page, '四、结转下年度继续办理');
    const unlabelled = `<tr>${BLANK}${row.rest.map((c) => c.replace(/>(\d+)</, (_, n) => `>${Number(n) + 1}<`)).join('')}</tr>`;
    const result = await parse(page.slice(0, row.end) + unlabelled + page.slice(row.end));
    expect(refusals(result)).toEqual([
      ['MERGED_CELL', 'T3', '四、结转下年度继续办理', '73 |  |  |  |  |  | 73'],
    ]);
  });

  it('figures below a bare group label, or below an extra row, are refused too', async () => {
    const tab = readFileSync(
      fileURLToPath(new URL('../../fixtures/reports/example-county-health-2022.txt', import.meta.url)),
      'utf8',
    );
    const parseTab = async (from: string, to: string) => {
      expect(tab).toContain(from);
      return (await parseDocument(new TextEncoder().encode(tab.replace(from, to)))).result;
    };
    // A group's total under its label, which has no cells of its own: before, dropped unseen.
    const group = await parseTab(
      '\t(三) 不予公开\t1.属于国家秘密\t0',
      '\t(三) 不予公开\t\t\t\t\t\t\t\t\n\t\t\t4\t1\t0\t0\t0\t0\t5\n\t\t1.属于国家秘密\t0',
    );
    expect(refusals(group)).toEqual([['MERGED_CELL', 'T3', '(三) 不予公开', '4 | 1 | 0 | 0 | 0 | 0 | 5']]);
    const extra = await parseTab(
      '\t(四) 无法提供',
      '\t\t其中：网上申请\t30\t5\t0\t0\t2\t0\t37\n\t\t\t9\t9\t9\t9\t9\t9\t9\n\t(四) 无法提供',
    );
    expect(refusals(extra)).toEqual([['MERGED_CELL', 'T3', '其中：网上申请', '9 | 9 | 9 | 9 | 9 | 9 | 9']]);
  });

  it('in tab text, a label copied into one cell of two lines', async () => {
    const tab = readFileSync(
      fileURLToPath(new URL('../../fixtures/reports/example-county-health-2022.txt', import.meta.url)),
      'utf8',
    );
    const line = tab.split('\n').find((l) => l.startsWith('二、上年结转政府信息公开申请数量\t'));
    expect(line).toBeDefined();
    const [label, ...rest] = (line ?? '').split('\t');
    const split = `${label}${'\t'.repeat(rest.length)}\n\t${rest.join('\t')}`;
    const result = (await parseDocument(new TextEncoder().encode(tab.replace(line ?? '', split)))).result;
    expect(refusals(result)).toEqual([
      ['MERGED_CELL', 'T3', '二、上年结转政府信息公开申请数量', '3 | 1 | 0 | 0 | 0 | 0 | 4'],
    ]);
  });
});
