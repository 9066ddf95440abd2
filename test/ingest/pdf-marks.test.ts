/**
 * Marks a PDF draws on or by a figure in a ruled table, which its text alone does not show: a
 * footnote mark set smaller or off the baseline (Word's superscript), a line struck through an
 * old figure, and one figure printed in a cell merged down over several rows. Each was read with
 * no word: 41 with a raised 1 as 411, a struck 40 before 41 as 4041, and one 0 over the eight
 * （三）不予公开 rows as the first row's 0, the seven below blank. Each is now refused, naming
 * its cells, while what only looks alike reads as before: a figure cut into pieces of one size,
 * an underlined figure, a figure drawn over a cell's rule, a blank cell and labels merged down.
 *
 * The formats fixture's web page is printed by Chromium with ruled cells, as published PDFs
 * draw them; the PDF reader rebuilds the tables from the rules.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { launchChromium, printedRuled } from '../support/chromium.ts';
import { figures, refusals } from '../support/parse-results.ts';

const page = readFileSync(new URL('../fixtures/formats/report.html', import.meta.url), 'utf8');

/** 一、本年新收…'s 自然人 (41) and 行政处罚's 处理决定数量 (87), each cell printed as `cell` gives. */
const NATURAL_PERSON = '<td>41</td><td>6</td>';
const PENALTY = '<td>行政处罚</td><td colspan="3">87</td>';
const withNaturalPerson = (cell: string) => {
  expect(page).toContain(NATURAL_PERSON);
  return page.replace(NATURAL_PERSON, `${cell}<td>6</td>`);
};
const withPenalty = (cell: string) => {
  expect(page).toContain(PENALTY);
  return page.replace(PENALTY, `<td>行政处罚</td>${cell.replace('<td', '<td colspan="3"')}`);
};

/**
 * The page with table 3's 科研机构 cells of `rows` rows from the one labelled `first` made one
 * cell merged down over them (`cell`, its rowspan added).
 */
function mergedDown(first: string, rows: number, cell: string): string {
  const start = page.lastIndexOf('<tr>', page.indexOf(`>${first}</td>`));
  expect(start).toBeGreaterThan(0);
  let at = start;
  let html = page.slice(0, start);
  for (let i = 0; i < rows; i++) {
    const end = page.indexOf('</tr>', at) + '</tr>'.length;
    const tds = page.slice(at, end).match(/<td[^>]*>[^<]*<\/td>/g) ?? [];
    // The last seven cells are the figures; 科研机构 is the third.
    const research = tds.length - 5;
    const kept = tds.map((td, j) =>
      j !== research ? td : i === 0 ? cell.replace('<td', `<td rowspan="${rows}"`) : '',
    );
    html += `<tr>${kept.join('')}</tr>`;
    at = page.indexOf('<tr>', end);
  }
  return html + page.slice(at);
}

const REFUSED = [
  'STATE_SECRET',
  'PROHIBITED_BY_LAW',
  'ENDANGERS_SECURITY',
  'THIRD_PARTY',
  'INTERNAL_AFFAIRS',
  'PROCESS_INFORMATION',
  'ENFORCEMENT_FILE',
  'QUERY_MATTER',
].map((row) => `T3.REFUSED_${row}.RESEARCH_INSTITUTION`);

describe('marks drawn by a figure in a ruled PDF table (printed by Chromium)', () => {
  let browser: Browser;
  let printed: Record<string, string | null> | null;
  beforeAll(async () => {
    browser = await launchChromium();
    printed = figures(await pdf(page));
  }, 60_000);
  afterAll(() => browser?.close());
  const pdf = async (html: string) => (await parseDocument(await printedRuled(browser, html))).result;

  it('reads the page as printed', () => {
    expect(printed?.['T3.NEW_REQUESTS.NATURAL_PERSON']).toBe('41');
    expect(printed?.['T2.PENALTY.DECISIONS']).toBe('87');
    expect(printed?.['T3.REFUSED_STATE_SECRET.RESEARCH_INSTITUTION']).toBe('0');
  });

  it('a footnote mark set smaller or off the baseline after a figure, or a smaller digit before one, is refused, never read as one more digit', async () => {
    const marks = {
      // Word's superscript: a smaller digit, raised
      'raised and smaller': '<span style="font-size:6pt;vertical-align:3pt">1</span>',
      subscript: '<sub>1</sub>',
      'raised, the same size': '<span style="vertical-align:3pt">1</span>',
      'smaller, on the baseline': '<span style="font-size:6pt">1</span>',
    };
    for (const [name, mark] of Object.entries(marks)) {
      expect(refusals(await pdf(withNaturalPerson(`<td>41${mark}</td>`))), name).toEqual([
        ['NOT_A_NUMBER', 'T3.NEW_REQUESTS.NATURAL_PERSON', '41[1]'],
      ]);
    }
    expect(refusals(await pdf(withPenalty(`<td>87${marks['raised and smaller']}</td>`)))).toEqual([
      ['NOT_A_NUMBER', 'T2.PENALTY.DECISIONS', '87[1]'],
    ]);
    // A smaller digit set before the figure, on its baseline: a mark before it or its first
    // digit, kept apart the same way (pdf-text.ts marks the smaller of two pieces joined digit to
    // digit, whichever comes first).
    for (const before of ['<small>1</small>', '<span style="font-size:6pt">1</span>']) {
      expect(refusals(await pdf(withNaturalPerson(`<td>${before}41</td>`))), before).toEqual([
        ['NOT_A_NUMBER', 'T3.NEW_REQUESTS.NATURAL_PERSON', '[1]41'],
      ]);
    }
    // A figure all in smaller type is a figure.
    expect(figures(await pdf(withNaturalPerson('<td><small>41</small></td>')))).toEqual(printed);
    // A figure drawn in pieces of one size and baseline (a bold digit, another font) is one figure.
    for (const cut of ['4<b>1</b>', '4<span style="font-family:serif">1</span>']) {
      expect(figures(await pdf(withNaturalPerson(`<td>${cut}</td>`))), cut).toEqual(printed);
    }
  }, 120_000);

  it('a figure with text struck through is refused; an underline or a cell’s rule is no strike', async () => {
    const struck = {
      // the old figure of a correction, before the new one, centred as most tables print figures
      'a struck figure before': ['<td style="text-align:center"><del>40</del>41</td>', '~~40~~41'],
      // a struck digit after it, and a strike starting at the cell's left rule
      'a struck digit after': ['<td>41<s>7</s></td>', '41~~7~~'],
      'at the cell’s rule': ['<td style="padding:0"><del>40</del>41</td>', '~~40~~41'],
      'line-through': ['<td><span style="text-decoration:line-through">40</span>41</td>', '~~40~~41'],
    };
    for (const [name, [cell, text]] of Object.entries(struck)) {
      expect(refusals(await pdf(withNaturalPerson(cell ?? ''))), name).toEqual([
        ['NOT_A_NUMBER', 'T3.NEW_REQUESTS.NATURAL_PERSON', text],
      ]);
    }
    expect(refusals(await pdf(withPenalty('<td style="text-align:center">87<s>7</s></td>')))).toEqual([
      ['NOT_A_NUMBER', 'T2.PENALTY.DECISIONS', '87~~7~~'],
    ]);
    const alike = {
      underlined: '<td><u>41</u></td>',
      'underlined, from the cell’s rule': '<td style="padding:0"><u>41</u></td>',
      overlined: '<td><span style="text-decoration:overline">41</span></td>',
      // the row's rule below (above) through the figure's digits, a fifth (a third) of a size
      // above its baseline
      'over the rule below': '<td><span style="position:relative;top:9px">41</span></td>',
      'over the rule above': '<td><span style="position:relative;top:-9px">41</span></td>',
    };
    for (const [name, cell] of Object.entries(alike)) {
      const result = await pdf(withNaturalPerson(cell));
      expect(refusals(result), name).toEqual([]);
      expect(figures(result), name).toEqual(printed);
    }
  }, 180_000);

  it('a figure merged down over rows is refused in each; a blank or a label merged down reads as printed', async () => {
    // One 0 over the eight （三）不予公开 rows of 科研机构, each of which prints 0
    const zero = await pdf(mergedDown('1.属于国家秘密', 8, '<td>0</td>'));
    expect(refusals(zero).filter(([code]) => code === 'MERGED_CELL')).toEqual(
      REFUSED.map((code) => ['MERGED_CELL', code, '0']),
    );
    // One 0 over two rows, at their foot: stored on the first row, the second read blank
    const bottom = await pdf(
      mergedDown('1.本机关不掌握相关政府信息', 2, '<td style="vertical-align:bottom">0</td>'),
    );
    expect(refusals(bottom).filter(([code]) => code === 'MERGED_CELL')).toEqual([
      ['MERGED_CELL', 'T3.CANNOT_PROVIDE_NOT_HELD.RESEARCH_INSTITUTION', '0'],
      ['MERGED_CELL', 'T3.CANNOT_PROVIDE_NEEDS_CREATION.RESEARCH_INSTITUTION', '0'],
    ]);
    // Words in a column of figures, over rows of figures, say nothing of each row's figure
    const words = await pdf(mergedDown('1.属于国家秘密', 8, '<td>见说明</td>'));
    expect(refusals(words).filter(([code]) => code === 'MERGED_CELL')).toEqual(
      REFUSED.map((code) => ['MERGED_CELL', code, '见说明']),
    );
    // A blank cell, or a blank's mark, merged down: a blank in each row
    for (const blank of ['<td></td>', '<td>—</td>']) {
      const result = await pdf(mergedDown('1.属于国家秘密', 8, blank));
      expect(refusals(result), blank).toEqual([]);
      expect(figures(result), blank).toEqual({
        ...printed,
        ...Object.fromEntries(REFUSED.map((code) => [code, null])),
      });
    }
    // The labels merged down (三、本年度办理结果 over 22 rows, （三）不予公开 over 8) name their rows,
    // as on the page: every figure of table 3 is read.
    const html = (await parseDocument(new TextEncoder().encode(page))).result;
    expect(figures(html)).toEqual(printed);
  }, 180_000);
});
