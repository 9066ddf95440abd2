/**
 * Lines struck through text in a PDF, where pdf-marks.test.ts's ruled tables do not show them:
 * a table laid out in columns with no rules (the figures of a struck 40 and its correction 41
 * were read as 4041), a strike stroked as a line rather than filled as a thin bar, one stroke
 * through two cells (taken for a rule of the table, splitting the row), a struck row label, the
 * correction printed above or raised beside the struck figure, and a strike in running text.
 * Each is refused, naming its cell and saying the figure is struck through; underlines,
 * overlines and a table's own rules still read as printed.
 *
 * The formats fixture's web page is printed by Chromium, which draws <del> and line-through as a
 * thin filled bar; a stroked line is an SVG <line> over the figure.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { pdfToLines } from '../../src/ingest/pdf.ts';
import { launchChromium, printedPdf, printedRuled } from '../support/chromium.ts';
import { figures, refusals } from '../support/parse-results.ts';

const page = readFileSync(new URL('../fixtures/formats/report.html', import.meta.url), 'utf8');
const text = readFileSync(new URL('../fixtures/formats/report.tab.txt', import.meta.url), 'utf8');

/** The page's tables with no rules, their columns set apart by padding only. */
const UNRULED =
  'table.report-table td, table.report-table th { border: none; padding: 1px 14px; white-space: nowrap; }';
/** A three-line table's rules: under each row, none between columns. */
const THREE_LINE =
  'table.report-table td, table.report-table th { border: none; border-bottom: 1px solid #000; padding: 0 14px; white-space: nowrap; line-height: 1 }';
const RULE = 'border: 1px solid #000;';

const replaced = (html: string, from: string, to: string) => {
  expect(html).toContain(from);
  return html.replace(from, to);
};
const unruled = (html: string, style = UNRULED) =>
  replaced(html, RULE, '').replace('</style>', `${style}</style>`);

/** 一、本年新收…'s 自然人 (41), beside 商业企业 (6), printed as `cell` (and `next`) give. */
const NATURAL_PERSON = '<td>41</td><td>6</td>';
const NATURAL = 'T3.NEW_REQUESTS.NATURAL_PERSON';
const COMMERCIAL = 'T3.NEW_REQUESTS.COMMERCIAL_ENTERPRISE';
const withNaturalPerson = (cell: string, next = '<td>6</td>') =>
  replaced(page, NATURAL_PERSON, `${cell}${next}`);
const NEW_REQUESTS = '>一、本年新收政府信息公开申请数量</td>';

/** A stroked line (not a filled bar) through `struck`, a little above the middle of its digits. */
const stroked = (struck: string) =>
  `<span style="position:relative;display:inline-block">${struck}<svg style="position:absolute;left:0;top:0;width:100%;height:100%;overflow:visible"><line x1="0" y1="60%" x2="100%" y2="60%" stroke="#000" stroke-width="0.7"/></svg></span>`;

/** A line over its cell from rule to rule, a little above the middle of a line of text. */
const WHOLE_CELL = '<span style="position:absolute;left:0;right:0;top:55%;border-top:1px solid #000"></span>';

describe('struck text in a PDF beyond ruled tables, and strikes ruled tables missed (printed by Chromium)', () => {
  let browser: Browser;
  let printed: Record<string, string | null> | null;
  beforeAll(async () => {
    browser = await launchChromium();
    printed = figures(await ruled(page));
  }, 60_000);
  afterAll(() => browser?.close());

  const ruled = async (html: string) => (await parseDocument(await printedRuled(browser, html))).result;
  /** The page printed on A4 across, so each row of its tables fits on one line. */
  const bytesOf = (html: string) => printedPdf(browser, html, { landscape: true });
  const plain = async (html: string, style = UNRULED) =>
    (await parseDocument(await bytesOf(unruled(html, style)))).result;

  it('a struck figure in a table with no rules is refused; an underline, an overline or the rows’ rules are no strike', async () => {
    expect(printed?.[NATURAL]).toBe('41');
    expect(figures(await plain(page))).toEqual(printed);
    const struck = {
      'a struck figure before': ['<td><del>40</del>41</td>', '~~40~~41'],
      'a struck digit after': ['<td>41<s>7</s></td>', '41~~7~~'],
      'line-through': ['<td><span style="text-decoration:line-through">40</span>41</td>', '~~40~~41'],
    };
    for (const [name, [cell, shown]] of Object.entries(struck)) {
      expect(refusals(await plain(withNaturalPerson(cell ?? ''))), name).toEqual([
        ['NOT_A_NUMBER', NATURAL, shown],
      ]);
    }
    const penalty = replaced(page, '<td colspan="3">87</td>', '<td colspan="3">87<s>7</s></td>');
    expect(refusals(await plain(penalty))).toEqual([['NOT_A_NUMBER', 'T2.PENALTY.DECISIONS', '87~~7~~']]);
    const alike = {
      underlined: withNaturalPerson('<td><u>41</u></td>'),
      overlined: withNaturalPerson('<td><span style="text-decoration:overline">41</span></td>'),
    };
    for (const [name, html] of Object.entries(alike)) {
      const result = await plain(html);
      expect(refusals(result), name).toEqual([]);
      expect(figures(result), name).toEqual(printed);
    }
    // A rule under every row, none between the columns: not a table the rules make, and no strike
    expect(figures(await plain(page, THREE_LINE))).toEqual(printed);
  }, 180_000);

  it('a struck cell’s refusal says it is struck through and what to do, naming the cell', async () => {
    const cell = withNaturalPerson('<td><del>40</del>41</td>');
    for (const result of [await ruled(cell), await plain(cell)]) {
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      const [problem, ...others] = result.problems;
      expect(others).toEqual([]);
      expect(problem?.cellCode).toBe(NATURAL);
      expect(problem?.message).toContain('row "一、本年新收政府信息公开申请数量", column "自然人"');
      expect(problem?.message).toContain('"~~40~~41" is not a number: ~~40~~ is struck through');
      expect(problem?.message).toContain('Check the figure the agency published, correct the file');
    }
  }, 60_000);

  it('a strike stroked as a line is one, as a filled bar is: the struck digits alone are shown struck', async () => {
    const html = withNaturalPerson(`<td>${stroked('40')}41</td>`);
    // It ended a hair into the 4 of 41, which was shown struck too (~~404~~1), in a ruled table.
    expect(refusals(await ruled(html))).toEqual([['NOT_A_NUMBER', NATURAL, '~~40~~41']]);
    expect(refusals(await plain(html))).toEqual([['NOT_A_NUMBER', NATURAL, '~~40~~41']]);
  }, 60_000);

  it('one stroke through two cells refuses both, in a ruled table and in one without rules', async () => {
    const across = (left: number, width: number) =>
      withNaturalPerson(
        `<td style="position:relative">41<span style="position:absolute;left:${left}px;top:55%;width:${width}px;border-top:1px solid #000"></span></td>`,
      );
    // In a ruled table it crossed the rule between the cells and was taken for a rule: the row
    // was cut in two, its figures refused as standing below it with no label.
    const expected = [
      ['NOT_A_NUMBER', NATURAL, '~~41~~'],
      ['NOT_A_NUMBER', COMMERCIAL, '~~6~~'],
    ];
    expect(refusals(await ruled(across(2, 40)))).toEqual(expected);
    expect(refusals(await plain(across(14, 80)))).toEqual(expected);
    // A stroke over a whole cell, from its left rule to its right, was taken for a rule as well.
    for (const align of ['left', 'center']) {
      const whole = withNaturalPerson(
        `<td style="position:relative;text-align:${align}">41${WHOLE_CELL}</td>`,
      );
      expect(refusals(await ruled(whole)), align).toEqual([['NOT_A_NUMBER', NATURAL, '~~41~~']]);
    }
  }, 60_000);

  it('a struck row label: its row is missing, none of its figures read', async () => {
    const label = NEW_REQUESTS.slice(1, -5);
    const html = replaced(page, NEW_REQUESTS, `><del>${label}</del></td>`);
    // struck from the cell's left rule to its right
    const whole = replaced(
      page,
      `<td colspan="3">${label}</td>`,
      `<td colspan="3" style="position:relative">${label}${WHOLE_CELL}</td>`,
    );
    for (const result of [await ruled(html), await plain(html), await ruled(whole)]) {
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(
        result.problems
          .filter((p) => p.code === 'MISSING_ROW')
          .map((p) => p.message.includes('一、本年新收')),
      ).toEqual([true]);
    }
  }, 60_000);

  it('the correction printed above, or raised beside, the struck figure: the cell is refused', async () => {
    const corrections = {
      // the struck 40 was read as a line of its own below the row, and dropped: the row read 41
      'raised beside': '<td><del>40</del><sup style="color:red">41</sup></td>',
      // the 41 and the struck 40 each a line of their own, the row short of a figure
      above: '<td><span style="color:red;font-size:7pt">41</span><br><del>40</del></td>',
    };
    for (const [name, cell] of Object.entries(corrections)) {
      const html = withNaturalPerson(cell);
      for (const result of [await ruled(html), await plain(html)]) {
        const refused = refusals(result);
        expect(refused, name).toHaveLength(1);
        expect(refused[0]?.slice(0, 2), name).toEqual(['NOT_A_NUMBER', NATURAL]);
        expect(refused[0]?.[2], name).toContain('~~40~~');
      }
    }
  }, 120_000);

  it('a strike in running text is shown struck; a table row printed as running text is refused', async () => {
    const html = replaced(page, '其中自然人申请 41 件', '其中自然人申请 <del>40</del>41 件');
    const bytes = await bytesOf(unruled(html));
    const lines = (await pdfToLines(bytes)).map((l) => l.text);
    expect(lines.filter((l) => l.includes('其中自然人申请'))).toEqual([
      expect.stringContaining('其中自然人申请~~40~~41件'),
    ]);
    expect(figures((await parseDocument(bytes)).result)).toEqual(printed);
    // The text report printed as it is, its cells a space apart: rows of running text
    const escaped = text.replace(/\t/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const pre = `<meta charset="utf-8"><pre style="font-size:9pt;white-space:pre-wrap">${escaped}</pre>`;
    const struck = await bytesOf(replaced(pre, '行政处罚 87', '行政处罚 <del>86</del>87'));
    const { result } = await parseDocument(struck, { allowPartial: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.filter((p) => p.row === '行政处罚').map((p) => [p.code, p.text])).toEqual([
      ['NOT_A_NUMBER', '~~86~~'],
    ]);
  }, 60_000);
});
