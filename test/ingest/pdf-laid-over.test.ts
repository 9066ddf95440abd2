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
});
