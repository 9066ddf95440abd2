/**
 * A local row the template has no label for (其中：网上申请 …), printed in a PDF's text layer
 * between two of the template's rows. Its figures are not read as anyone's, and before they
 * were dropped without a word; now a warning names the line and what was not read. A table's
 * own figures are read as before, and the narrative after a table dumped as one line (a year,
 * a sentence's numbers) is no row. A row printed twice with the same figures is read once, as
 * in a table of cells; before, a group label's piece on the copy's line made it a conflict.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));

async function parse(text: string) {
  const { result } = await parseDocument(new TextEncoder().encode(text), { allowPartial: true });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  return result.report;
}
const figures = (report: Awaited<ReturnType<typeof parse>>) =>
  report.cells.map((c) => [c.code, c.status, c.value]);
const unknownRows = (report: Awaited<ReturnType<typeof parse>>) =>
  report.warnings.filter((w) => w.code === 'UNKNOWN_ROW').map((w) => w.message);

describe.runIf(existsSync(SHARED))('rows the template has no label for, in running text', () => {
  const text = existsSync(SHARED) ? readFileSync(`${SHARED}huaian-szf-2024.pdftext.txt`, 'utf8') : '';
  const row = '一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119\n';

  it.each([
    ['其中：网上申请 2500 40 0 0 50 3 2593', '其中:网上申请 2500 40 0 0 50 3 2593'],
    ['含转办件 12 0 0 0 0 0 12', '含转办件 12 0 0 0 0 0 12'],
  ])('"%s" after row 一 is said, and every figure is as printed', async (extra, said) => {
    expect(text).toContain(row);
    const original = await parse(text);
    const report = await parse(text.replace(row, `${row}${extra}\n`));
    expect(figures(report)).toEqual(figures(original));
    expect(unknownRows(report)).toEqual([
      `Line 85, table 3 (依申请公开): "${said}" after the figures of row "一、本年新收政府信息公开申请数量" is not a row of the template; its figures were not read. Check that the row's own figures are the ones before it.`,
    ]);
  });

  it('a row printed twice with the same figures, a group label’s piece on the line after it, is read once', async () => {
    const copy = '2.重复申请 25 0 0 0 0 0 25\n';
    expect(text).toContain(`${copy}（五）不 3.要求提供公开出版物`);
    const report = await parse(text.replace(copy, copy + copy));
    expect(figures(report)).toEqual(figures(await parse(text)));
    expect(report.warnings.filter((w) => w.code === 'DUPLICATE_ROW').map((w) => w.message)).toEqual([
      'Line 111, table 3 (依申请公开): row "（五）不予处理 2.重复申请" is printed again with the same figures (first on line 110); it is read once.',
    ]);
    const { result } = await parseDocument(
      new TextEncoder().encode(text.replace(copy, `${copy}2.重复申请 25 0 0 0 0 0 26\n`)),
      { allowPartial: true },
    );
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(['DUPLICATE_ROW']);
  });

  it('a row printed twice before a group label split around its figures (（四）无 … 法提供) is read once', async () => {
    const row = '8.属于行政查询事项 105 0 0 0 0 0 105\n';
    expect(text).toContain(`${row}（四）无 1.本机关不掌握相关政府信息`);
    const report = await parse(text.replace(row, row + row));
    expect(figures(report)).toEqual(figures(await parse(text)));
    expect(report.warnings.map((w) => w.code)).toContain('DUPLICATE_ROW');
  });

  it('copies whose blank marks (无) stand under different columns differ', async () => {
    const row = '3.补正后申请内容仍不明确 1 0 0 0 0 0 1\n';
    expect(text).toContain(row);
    const copies = '3.补正后申请内容仍不明确 1 无 0 0 0 0 1\n3.补正后申请内容仍不明确 1 0 0 0 0 无 1\n';
    const { result } = await parseDocument(new TextEncoder().encode(text.replace(row, copies)), {
      allowPartial: true,
    });
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(['DUPLICATE_ROW']);
  });

  it('the real documents, narrative after their tables included, have no such rows', async () => {
    for (const file of readdirSync(SHARED).filter((f) => f.endsWith('.txt'))) {
      expect(unknownRows(await parse(readFileSync(SHARED + file, 'utf8'))), file).toEqual([]);
    }
  });
});

describe.runIf(existsSync(SHARED))(
  'a numbered row the template has not, after one of its numbered rows',
  () => {
    it('in a text layer, on its own line: the template row keeps its figures, the local row is named', async () => {
      const text = readFileSync(`${SHARED}huaian-szf-2024.pdftext.txt`, 'utf8').replace(
        '8.属于行政查询事项 105 0 0 0 0 0 105\n',
        '8.属于行政查询事项 0 0 0 0 0 0 0\n9.其他 105 0 0 0 0 0 105\n',
      );
      expect(text).toContain('9.其他 105');
      const report = await parse(text);
      // Before: the number 9 ran on into row 8's figures, which then did not fit, and 9.其他's were read.
      expect(figures(report).filter(([code]) => String(code).startsWith('T3.REFUSED_QUERY_MATTER.'))).toEqual(
        [
          'NATURAL_PERSON',
          'COMMERCIAL_ENTERPRISE',
          'RESEARCH_INSTITUTION',
          'SOCIAL_ORGANISATION',
          'LEGAL_SERVICE',
          'OTHER_ORGANISATION',
          'TOTAL',
        ].map((column) => [`T3.REFUSED_QUERY_MATTER.${column}`, 'REPORTED', '0']),
      );
      expect(unknownRows(report)).toContainEqual(expect.stringContaining('"9.其他 105 0 0 0 0 0 105"'));
    });

    it('run together with the figures: the template row is refused, naming the local row', async () => {
      const text = readFileSync(`${SHARED}pingtan-gaj-2021.pagetxt.txt`, 'utf8').replace(
        '8.属于行政查询事项0000000',
        '8.属于行政查询事项00000009.其他1000001',
      );
      expect(text).toContain('9.其他1000001');
      const { result } = await parseDocument(new TextEncoder().encode(text), { allowPartial: true });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems.map((p) => [p.code, p.row])).toContainEqual([
        'UNKNOWN_ROW',
        '（三）不予公开 8.属于行政查询事项',
      ]);
    });
  },
);

describe.runIf(existsSync(SHARED))('a second row of figures in table 4 of a web page, however sparse', () => {
  const page = existsSync(SHARED) ? readFileSync(`${SHARED}shanghai-bgt-2019.html`, 'utf8') : '';
  // Table 4's one row of figures: 5, 2, 7 (复议) and 8, 1, 9 (直接起诉), zeros printed blank.
  const realRow = /<tr><td style="width:28px;"><p>5<\/p><\/td>.*?<\/tr>/s;
  const row = (figures: Record<number, string>) =>
    `<tr>${Array.from({ length: 15 }, (_, i) => `<td>${figures[i] ?? '&nbsp;'}</td>`).join('')}</tr>`;
  const codes = async (html: string) => {
    const { result } = await parseDocument(new TextEncoder().encode(html));
    return result.ok ? 'stored' : result.problems.map((p) => `${p.code} ${p.table}`);
  };

  it.each([
    ['a stray 7 before the real row', (real: string) => `${row({ 0: '7' })}${real}`],
    [
      'the first figures of the row repeated before it',
      (real: string) => `${row({ 0: '5', 3: '2', 4: '7' })}${real}`,
    ],
    ['a stray 7 after the real row', (real: string) => `${real}${row({ 0: '7' })}`],
    ['a row of one figure in the middle after it', (real: string) => `${real}${row({ 7: '3' })}`],
    [
      'a row of blank marks before it',
      (real: string) => `${row(Object.fromEntries(Array.from({ length: 15 }, (_, i) => [i, '/'])))}${real}`,
    ],
  ])(
    '%s: refused as DUPLICATE_ROW, where the first row was stored and the other dropped',
    async (_, edit) => {
      const real = realRow.exec(page)?.[0] ?? '';
      expect(real).toContain('<p>8</p>');
      expect(await codes(page)).toBe('stored');
      expect(await codes(page.replace(real, edit(real)))).toEqual(['DUPLICATE_ROW T4']);
    },
  );

  it('a note row under the table, words with digits in one cell, is no second row', async () => {
    const real = realRow.exec(page)?.[0] ?? '';
    const note = '<tr><td colspan="15">注：2019年行政复议7件均获维持。</td></tr>';
    expect(await codes(page.replace(real, `${real}${note}`))).toBe('stored');
  });
});

describe.runIf(existsSync(SHARED))('figures with no label above table 3’s first row of a web page', () => {
  const page = existsSync(SHARED) ? readFileSync(`${SHARED}shanghai-bgt-2019.html`, 'utf8') : '';
  const FIRST =
    '<tr><td colspan="3" nowrap="nowrap" style="width:217px;"><p>一、本年新收政府信息公开申请数量</p>';
  const unlabelled = (cells: string[]) =>
    `<tr><td colspan="3"></td>${cells.map((c) => `<td>${c || '&nbsp;'}</td>`).join('')}</tr>`;

  it.each([
    [['5', '', '', '', '', '', '5'], '5 |  |  |  |  |  | 5'],
    [['', '', '', '', '', '', '7'], '7'],
  ])('%j: refused as no row’s figures, where they were dropped without a word', async (cells, printed) => {
    expect(page.split(FIRST)).toHaveLength(2);
    const { result } = await parseDocument(
      new TextEncoder().encode(page.replace(FIRST, `${unlabelled(cells)}${FIRST}`)),
    );
    expect(result.ok ? [] : result.problems.map((p) => [p.code, p.table, p.message])).toEqual([
      [
        'UNKNOWN_ROW',
        'T3',
        expect.stringContaining(
          `the figures "${printed}" have no row label and stand before the table's first row`,
        ),
      ],
    ]);
  });
});
