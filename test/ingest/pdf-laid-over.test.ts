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
import type { ParseResult } from '../../src/ingest/types.ts';
import { launchChromium, printedRuled } from '../support/chromium.ts';

const page = readFileSync(new URL('../fixtures/formats/report.html', import.meta.url), 'utf8');

/** 一、本年新收…'s 自然人 (41), printed as `cell` gives. */
const NATURAL_PERSON = '<td>41</td><td>6</td>';
const withNaturalPerson = (cell: string) => {
  expect(page).toContain(NATURAL_PERSON);
  return page.replace(NATURAL_PERSON, `${cell}<td>6</td>`);
};
const FIGURE = 'T3.NEW_REQUESTS.NATURAL_PERSON';

const figures = (result: ParseResult) =>
  result.ok ? Object.fromEntries(result.report.cells.map((c) => [c.code, c.value])) : null;
/** Each refusal as [code, cell, text quoted]. */
const refusals = (result: ParseResult) =>
  result.ok ? [] : result.problems.map((p) => [p.code, p.cellCode ?? null, p.text ?? null]);

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
  });

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
