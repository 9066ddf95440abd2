/**
 * Text a PDF lays over a ruled table's figures is never read as (part of) one. Each was stored
 * with no word: a faint "2025" set large over two blank cells as 20 and 5, the same on a slant as
 * 2025 and 121, a grey 2 printed over a figure's first digit as one more digit, a 7 at 2% opacity
 * before a figure as 7524, and a figure with its text shadow as 524524. Now what a reader cannot
 * see is left out, a copy of a figure drawn a little off (a shadow) is read once, and anything
 * else laid over a figure refuses its cell naming why; a watermark outside the tables is read as
 * before.
 *
 * The formats fixture's web page is printed by Chromium with ruled cells, as published PDFs
 * draw them (as the reviewer made these cases, test/ingest/pdf-marks.test.ts).
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { type Item, joinLine } from '../../src/ingest/pdf-text.ts';
import { launchChromium, printedRuled } from '../support/chromium.ts';
import { figures, refusals } from '../support/parse-results.ts';

const page = readFileSync(new URL('../fixtures/formats/report.html', import.meta.url), 'utf8');

/** 一、本年新收…'s 自然人 (41), printed as `cell` gives. */
const NATURAL_PERSON = '<td>41</td><td>6</td>';
const withNaturalPerson = (cell: string) => {
  expect(page).toContain(NATURAL_PERSON);
  return page.replace(NATURAL_PERSON, `${cell}<td>6</td>`);
};
const FIGURE = 'T3.NEW_REQUESTS.NATURAL_PERSON';

/**
 * The row 2.其他法律行政法规禁止公开 with its 科研机构 and 社会组织 cells printed blank, and
 * `mark` (absolutely placed) anchored at the start of the first: laid over both, as a watermark.
 */
const PROHIBITED = '<td>2.其他法律行政法规禁止公开</td><td>0</td><td>0</td><td>0</td><td>0</td>';
const BLANKS = [
  'T3.REFUSED_PROHIBITED_BY_LAW.RESEARCH_INSTITUTION',
  'T3.REFUSED_PROHIBITED_BY_LAW.SOCIAL_ORGANISATION',
];
const overBlanks = (style: string, text: string) => {
  expect(page).toContain(PROHIBITED);
  return page.replace(
    PROHIBITED,
    `<td>2.其他法律行政法规禁止公开</td><td>0</td><td>0</td><td><p style="position:relative;margin:0">&nbsp;<span style="position:absolute;white-space:nowrap;${style}">${text}</span></p></td><td></td>`,
  );
};

describe('text laid over a ruled PDF table (printed by Chromium)', () => {
  let browser: Browser;
  let printed: Record<string, string | null> | null;
  beforeAll(async () => {
    browser = await launchChromium();
    printed = figures(await pdf(page));
  }, 60_000);
  afterAll(() => browser?.close());
  const pdf = async (html: string) => (await parseDocument(await printedRuled(browser, html))).result;

  it('reads the page as printed', () => {
    expect(printed?.[FIGURE]).toBe('41');
    expect(printed?.[BLANKS[0] ?? '']).toBe('0');
  });

  it('digits set large or on a slant across blank cells are no figure: each cell of figures they cross is refused', async () => {
    const watermarks = {
      // 12% black, 30 pt: faint and large (stored as 20 and 5)
      'faint and large': ['font-size:40px;top:-14px;color:rgba(0,0,0,0.12)', '2025'],
      // light grey, but plainly seen, 30 pt: large only
      large: ['font-size:40px;top:-14px;color:#bbb', '2025'],
      // faint, on a slant (stored as 2025 and 121)
      'faint, on a slant': [
        'font-size:30px;left:-20px;top:-30px;color:rgba(0,0,0,0.12);transform:rotate(-30deg)',
        '20250121',
      ],
      // grey, plainly seen, on a slant, at the table's own size
      'on a slant': ['font-size:12px;left:-10px;top:-10px;color:#888;transform:rotate(-30deg)', '20250121'],
    };
    for (const [name, [style, text]] of Object.entries(watermarks)) {
      const result = await pdf(overBlanks(style ?? '', text ?? ''));
      expect(result.ok, name).toBe(false);
      if (result.ok) continue;
      const refused = result.problems.map((p) => p.cellCode);
      // The cell it starts in (where the slant rises away from the second, that one is not crossed).
      expect(refused, name).toContain(BLANKS[0]);
      if (!name.includes('slant')) expect(refused, name).toContain(BLANKS[1]);
      for (const problem of result.problems) {
        expect(problem.code, name).toBe('NOT_A_NUMBER');
        expect(problem.message, name).toMatch(/a watermark or rotated text crosses the table over this cell/);
      }
    }
  }, 240_000);

  it('a watermark outside the tables is read as the text it is: every figure as printed', async () => {
    const stamp =
      '<div style="position:absolute;top:0;right:20px;font-size:40px;color:rgba(0,0,0,0.12);transform:rotate(-30deg)">2025-01-21</div>';
    expect(figures(await pdf(page.replace('<body>', `<body>${stamp}`)))).toEqual(printed);
  }, 60_000);

  it('a digit at 2% opacity before a figure is unseen and left out; one at 12% cannot be told, and is refused', async () => {
    expect(figures(await pdf(withNaturalPerson('<td><span style="opacity:0.02">7</span>41</td>')))).toEqual(
      printed,
    );
    const faint = refusals(
      await pdf(withNaturalPerson('<td><span style="color:rgba(0,0,0,0.12)">7</span>41</td>')),
    );
    expect(faint).toHaveLength(1);
    expect(faint[0]?.slice(0, 2)).toEqual(['NOT_A_NUMBER', FIGURE]);
    expect(faint[0]?.[2]).toMatch(/^⟦7‖it is drawn in a colour barely apart from what is behind it/);
  }, 120_000);

  it('a figure with its shadow reads once; a digit or another figure printed over it is refused', async () => {
    const shadowed = '<td><span style="text-shadow:3px 1px 0 #888">41</span></td>';
    expect(figures(await pdf(withNaturalPerson(shadowed)))).toEqual(printed);
    const over = (style: string, text: string) =>
      `<td><p style="position:relative;margin:0">41<span style="position:absolute;${style}">${text}</span></p></td>`;
    const cases = {
      'a grey 2 over its first digit': over('left:2px;top:-1px;font-size:13px;color:#676767', '2'),
      'another figure a few points off': over('left:3px;top:1px;color:#888', '47'),
    };
    for (const [name, cell] of Object.entries(cases)) {
      const refused = refusals(await pdf(withNaturalPerson(cell)));
      expect(refused, name).toHaveLength(1);
      expect(refused[0]?.slice(0, 2), name).toEqual(['NOT_A_NUMBER', FIGURE]);
      expect(refused[0]?.[2], name).toMatch(/overlapping text/);
    }
  }, 180_000);
});

describe('text drawn over other text on a line (joinLine)', () => {
  /** Digits are half a size wide, CJK text a whole size. */
  const item = (text: string, x: number, size = 10, y = 500): Item => ({
    text,
    x,
    y,
    width: (text.length * size) / (/^[\d.]+$/.test(text) ? 2 : 1),
    size,
  });

  it('a copy of the text a little off (a shadow) is read once', () => {
    expect(joinLine([item('524', 100), item('524', 102.5, 10, 499.3)])).toBe('524');
  });

  it('a digit or another figure over a figure is marked, never joined on', () => {
    expect(joinLine([item('2', 98.5), item('524', 100)])).toMatch(/^2⟦524‖.*overlapping text/);
    expect(joinLine([item('524', 100), item('525', 101)])).toMatch(/^524⟦525‖.*overlapping text/);
    // the same figure shifted by a digit's width is two drawings of it side by side, not a shadow
    expect(joinLine([item('524', 100), item('524', 105)])).toMatch(/overlapping text/);
  });

  it('pieces that follow each other, or close up after CJK punctuation, are joined as before', () => {
    expect(joinLine([item('52', 100), item('4', 109.9)])).toBe('524');
    // Word closes up a full-width 。 and an opening 《 to half their advance.
    expect(joinLine([item('规定编制。', 100), item('报告所列', 145)])).toBe('规定编制。报告所列');
    expect(joinLine([item('根据', 100), item('《条例》', 115)])).toBe('根据《条例》');
    expect(joinLine([item('编制。', 100), item('2024', 125)])).toBe('编制。2024');
  });
});
