/**
 * Table 3's 序号 column and a 备注 of 无 on a row of blanks, in a PDF: the web page rendering
 * printed by Chromium with ruled cells (table3-row-numbers.test.ts and table3-remarks.test.ts
 * for the text forms). Before, both were refused, as in text.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICANT_COLUMNS } from '../../src/catalogue/template.ts';
import { parseDocument } from '../../src/ingest/document.ts';
import { launchChromium, printedRuled } from '../support/chromium.ts';
import { EXAMPLE_V2021, fixtureText, toHtmlTables } from '../support/fixtures.ts';
import { figures, refusals } from '../support/parse-results.ts';
import { numbered, withRemarks } from '../support/table3-layouts.ts';

const original = fixtureText(EXAMPLE_V2021);

describe('table 3 layouts in a PDF', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(() => browser?.close());
  const parsePdf = async (text: string) =>
    (await parseDocument(await printedRuled(browser, toHtmlTables(text)))).result;

  it('a 序号 column, some of its numbers left blank: the same figures', async () => {
    const baseline = figures(await parsePdf(original));
    expect(baseline).not.toBeNull();
    const result = await parsePdf(numbered(original, (n) => (n % 3 === 0 ? '' : String(n))));
    expect(refusals(result)).toEqual([]);
    expect(figures(result)).toEqual(baseline);
  }, 60_000);

  it('a row of blanks with 无 under 备注: read as blanks', async () => {
    const expected = { ...figures(await parsePdf(withRemarks(original, '\u0000'))) };
    for (const c of APPLICANT_COLUMNS) expected[`T3.CARRIED_FORWARD.${c.code}`] = null;
    const result = await parsePdf(withRemarks(original, '四、结转下年度继续办理'));
    expect(refusals(result)).toEqual([]);
    expect(figures(result)).toEqual(expected);
  }, 60_000);
});
