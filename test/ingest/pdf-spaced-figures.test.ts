/**
 * A figure whose digits a PDF prints apart: set with letter spacing (Word's 分散对齐 spreads a
 * cell's characters over its width), or kerned apart piece by piece. The PDF's reader puts a
 * space in the gap, so a cell a reader sees as 41 comes out `4 1`, which may as well be two cells'
 * figures in one: it is refused, as before, but the message said only "is not a number; expected
 * a number (e.g. 0, 12 …)". It now says the digits are set apart and what they may be. A comma
 * where no thousands separator stands (`4,1`) is refused saying so; `1,041` and `1，041` read
 * 1041 as before.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { launchChromium, printedRuled } from '../support/chromium.ts';

const page = readFileSync(new URL('../fixtures/formats/report.html', import.meta.url), 'utf8');
/** 一、本年新收…'s 自然人 (41). */
const CELL = '<td>41</td><td>6</td>';
const CODE = 'T3.NEW_REQUESTS.NATURAL_PERSON';
const withCell = (cell: string) => {
  expect(page).toContain(CELL);
  return page.replace(CELL, `${cell}<td>6</td>`);
};

describe('a PDF figure printed with its digits apart', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());
  const parsed = async (cell: string) =>
    (await parseDocument(await printedRuled(browser, withCell(cell)))).result;

  it.each([
    ['letter spacing', '<td style="letter-spacing:6pt">41</td>'],
    ['distributed alignment', '<td style="text-align-last:justify;text-justify:inter-character">41</td>'],
    ['a piece kerned apart', '<td>4<span style="margin-left:2pt">1</span></td>'],
  ])('with %s: refused, saying the digits are set apart', { timeout: 60_000 }, async (_, cell) => {
    const result = await parsed(cell);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ code: 'NOT_A_NUMBER', cellCode: CODE, text: '4 1' });
    expect(result.problems[0]?.message).toContain(
      '"4 1" is not a number: its digits are set apart by spaces, so it may be one figure spaced out (41, printed with letter spacing, distributed alignment or kerning) or the figures of two cells in one',
    );
  });

  it.each(['4,1', '4，1', '1,04'])(
    '%s: refused, saying the comma is no thousands separator',
    {
      timeout: 60_000,
    },
    async (figure) => {
      const result = await parsed(`<td>${figure}</td>`);
      expect(!result.ok && result.problems[0]?.message).toContain(
        `"${figure}" is not a number: a comma parts its digits where no thousands separator stands`,
      );
    },
  );

  it.each(['1,041', '1，041'])('%s: read 1041, as before', { timeout: 60_000 }, async (figure) => {
    const result = await parsed(`<td>${figure}</td>`);
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
    expect(result.report.cells.find((c) => c.code === CODE)).toMatchObject({
      value: '1041',
      rawText: figure,
    });
  });
});
