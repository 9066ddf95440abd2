/**
 * A footnote mark after a figure in running text (a PDF's text layer, a crawler's text): 1362①,
 * 1362*, 1362 (1). A table of cells refuses such a cell (typography.test.ts); running text used
 * to end the row's figures at the mark and drop it without a word, or, after a figure inside the
 * row, cut the row short and report its cells missing. Now the marked figure is refused, naming
 * its cell and the mark, and nothing else changes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';
import type { ParseResult } from '../../../src/ingest/types.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
const read = (name: string) => (existsSync(SHARED) ? readFileSync(`${SHARED}${name}`, 'utf8') : '');
const huaian = read('huaian-szf-2024.pdftext.txt');
const pingtan = read('pingtan-2023.pagetxt.txt');

async function parse(text: string, from: string, to: string): Promise<ParseResult> {
  expect(text).toContain(from);
  const { result } = await parseDocument(new TextEncoder().encode(text.replace(from, to)));
  return result;
}
/** Each refusal as [code, cell, line, quoted text]. */
const refusals = (result: ParseResult) =>
  result.ok ? [] : result.problems.map((p) => [p.code, p.cellCode ?? null, p.line ?? null, p.text ?? null]);

const GRANTED = '（一）予以公开 1288 21 0 0 50 3 1362';

describe.runIf(existsSync(SHARED))('footnote marks after figures in running text', () => {
  it('a mark joined to a row’s last figure refuses that cell, quoting figure and mark', async () => {
    for (const mark of ['①', '㉑', '¹', '²³', '₁', '*', '※', '#', '△', '(1)', '（1）', '[1]', '注1']) {
      const result = await parse(huaian, GRANTED, `${GRANTED}${mark}`);
      // Quoted as running text is read, folded: （1） as (1).
      const quoted = mark === '（1）' ? '(1)' : mark;
      expect(refusals(result), mark).toEqual([['NOT_A_NUMBER', 'T3.GRANTED.TOTAL', 86, `1362${quoted}`]]);
      if (!result.ok)
        expect(result.problems[0]?.message).toContain(
          `column "总计": "1362${quoted}" has a footnote mark (${quoted}) after the figure`,
        );
    }
  });

  it('a mark after spaces at the row’s end, as a text layer sets a superscript apart', async () => {
    for (const mark of ['①', '*', '△', '(1)', '注1']) {
      const result = await parse(huaian, GRANTED, `${GRANTED} ${mark}`);
      expect(refusals(result), mark).toEqual([['NOT_A_NUMBER', 'T3.GRANTED.TOTAL', 86, `1362 ${mark}`]]);
    }
  });

  it('a mark after a figure inside the row names that figure’s cell; the row is not cut short', async () => {
    const result = await parse(huaian, GRANTED, GRANTED.replace('1288', '1288①'));
    // Before: "1288" alone was taken as the row, and all seven cells were reported missing.
    expect(refusals(result)).toEqual([['NOT_A_NUMBER', 'T3.GRANTED.NATURAL_PERSON', 86, '1288①']]);
  });

  it('in table 2 and table 4 too', async () => {
    expect(refusals(await parse(huaian, '行政许可 447228', '行政许可 447228②'))).toEqual([
      ['NOT_A_NUMBER', 'T2.LICENSING.DECISIONS', 67, '447228②'],
    ]);
    const t4 = '72 64 178 37 351 13 4 8 1 26 12 1 1 6 20';
    expect(refusals(await parse(huaian, t4, t4.replace('351', '351*')))).toEqual([
      ['NOT_A_NUMBER', 'T4.REVIEW.TOTAL', 137, '351*'],
    ]);
  });

  it('figures run together: the mark’s figure cannot be told, so its row is refused', async () => {
    expect(refusals(await parse(pingtan, '行政许可2629', '行政许可2629*'))).toEqual([
      ['NOT_A_NUMBER', 'T2.LICENSING.DECISIONS', 10, '2629*'],
    ]);
    // Seven cells' digits in one run: no figure is a column's alone.
    const result = await parse(pingtan, '（一）予以公开220000022', '（一）予以公开220000022①');
    expect(refusals(result)).toEqual([['NOT_A_NUMBER', null, 10, '220000022①']]);
    if (!result.ok)
      expect(result.problems[0]?.message).toContain(
        'row "（一）予以公开": "220000022①" has a footnote mark (①)',
      );
  });

  it('in text without separators, a number that text runs on from is the next label’s, not a mark', async () => {
    // Sub-rows numbered （2） or ② run into the figures before them: 国家秘密0000000（2）其他法律…
    const gaj = read('pingtan-gaj-2021.pagetxt.txt');
    const original = await parse(gaj, '', '');
    expect(original.ok).toBe(true);
    const cells = (r: ParseResult) => (r.ok ? r.report.cells.map((c) => [c.code, c.value]) : r.problems);
    for (const ordinal of [(n: number) => `（${n}）`, (n: number) => String.fromCodePoint(0x2460 + n - 1)]) {
      const numbered = gaj.replace(/(?<=\d)([2-8])\.(?=[\u4E00-\u9FFF])/g, (_, n) => ordinal(Number(n)));
      expect(numbered).toContain(`0000000${ordinal(2)}其他法律行政法规禁止公开`);
      const { result } = await parseDocument(new TextEncoder().encode(numbered));
      expect(cells(result), ordinal(2)).toEqual(cells(original));
    }
    // A heading run on from the last figure: 7816（2）主动公开…
    const heading = await parse(pingtan, '行政许可2629', '行政许可2629（2）主动公开');
    expect(refusals(heading).filter(([code]) => code === 'NOT_A_NUMBER')).toEqual([]);
    // Markdown bold is no star.
    expect((await parse(huaian, '行政许可 447228', '行政许可 **447228**')).ok).toBe(true);
  });

  it('a note after the table, or text after a bracketed number, is no mark', async () => {
    const t4 = '72 64 178 37 351 13 4 8 1 26 12 1 1 6 20';
    for (const after of [' 注：数据来源于各县区上报', '注：数据来源于各县区上报', ' (1)本机关', ' *本表']) {
      const result = await parse(huaian, t4, `${t4}${after}`);
      expect(result.ok, after).toBe(true);
      if (result.ok)
        expect(result.report.cells.find((c) => c.code === 'T4.LITIGATION_AFTER_REVIEW.TOTAL')?.value).toBe(
          '20',
        );
    }
  });
});
