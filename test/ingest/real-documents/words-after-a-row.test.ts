/**
 * Words after a row's label in running text: a row's figures are printed before any words the
 * template does not print. Where the last row of table 2 was blank, the first number after it
 * was read as its figure, from the report's next section ("（二）主动公开政府信息的主要类别 2021年，
 * 在主动公开的198条…" stored 2021 万元 for a blank fee), from a note (注：2021年无收费) or from the next
 * block's heading printed with an Arabic item number (第二十条第（8）项 stored 8 for a blank
 * 行政强制). A sign the template has no use for there (±5) was dropped, and 5 stored.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../src/ingest/types.ts';
import { gaj, huaian, parse, realText, SHARED } from './running-text-cases.ts';

const czj = realText('pingtan-czj-2021.pagetxt.txt');

/** A cell's status and value, or the refusal's messages. */
function cell(result: ParseResult, code: string) {
  if (!result.ok) return result.problems.map((p) => p.message);
  const found = result.report.cells.find((c) => c.code === code);
  return found ? [found.status, found.value] : null;
}

describe.runIf(existsSync(SHARED))('words after a row of running text', () => {
  it('reads the real figures as before', async () => {
    expect(cell(await parse(czj), 'T2.FEES.AMOUNT')).toEqual(['REPORTED', '7816']);
    expect(cell(await parse(gaj), 'T2.FEES.AMOUNT')).toEqual(['REPORTED', '0']);
    expect(cell(await parse(huaian), 'T2.FEES.AMOUNT')).toEqual(['REPORTED', '96171.6']);
  });

  it.each([
    ['the next section on its own lines', '行政事业性收费\n（二）主动公开政府信息的主要类别\n2021年'],
    ['the next section on the same line', '行政事业性收费 (二)主动公开政府信息的主要类别 2021年'],
    ['the next section run into the label', '行政事业性收费(二)主动公开政府信息的主要类别 2021年'],
    ['a sentence with a count in it', '行政事业性收费 (二)主动公开政府信息的主要类别 在主动公开的198条'],
  ])('a blank last row of table 2 before %s is missing, never a number of the text', async (_, to) => {
    const result = await parse(czj, '行政事业性收费7816 (二)主动公开政府信息的主要类别 2021年', to);
    expect(cell(result, 'T2.FEES.AMOUNT')).toEqual(['MISSING', null]);
    if (result.ok)
      expect(result.report.gaps.map((g) => g.message)).toContainEqual(
        expect.stringContaining('row "行政事业性收费": no figures follow the label (expected 1)'),
      );
  });

  it('a note of a year after a blank row is no figure', async () => {
    const result = await parse(gaj, '行政事业性收费0三、', '行政事业性收费 注：2021年无收费。三、');
    expect(cell(result, 'T2.FEES.AMOUNT')).toEqual(['MISSING', null]);
  });

  it('the next block headed with an Arabic item number (（8）) ends the block: its 8 is no figure', async () => {
    const result = await parse(czj, '行政强制0第二十条第（八）项', '行政强制第二十条第（8）项');
    expect(cell(result, 'T2.COERCION.DECISIONS')).toEqual(['MISSING', null]);
    // The block it heads is read as before.
    expect(cell(result, 'T2.FEES.AMOUNT')).toEqual(['REPORTED', '7816']);
    // And printed with its figure, the row reads it.
    const printed = await parse(czj, '行政强制0第二十条第（八）项', '行政强制3第二十条第（8）项');
    expect(cell(printed, 'T2.COERCION.DECISIONS')).toEqual(['REPORTED', '3']);
  });

  it('words of the template between a label and its figures are passed over (a wrapped label)', async () => {
    // The Huai'an text layer wraps （二）部分公开's note around its figures; read as before.
    const result = await parse(huaian);
    expect(cell(result, 'T3.PARTLY_GRANTED.TOTAL')).toEqual(['REPORTED', '454']);
  });

  it.each([
    ['±5', gaj, '行政事业性收费0三、', '行政事业性收费±5三、'],
    ['±7816', czj, '行政事业性收费7816', '行政事业性收费±7816'],
    ['∓7816', czj, '行政事业性收费7816', '行政事业性收费 ∓7816'],
  ])('a figure printed with %s is refused, not read without its sign', async (printed, text, from, to) => {
    const result = await parse(text, from, to);
    expect(result.ok).toBe(false);
    expect(cell(result, 'T2.FEES.AMOUNT')).toContainEqual(
      expect.stringMatching(
        new RegExp(`"${printed.replace(/[±∓]/, '.')}" is not a number: ".+" printed with it`),
      ),
    );
  });

  it('a negative figure in a row without a signed column is refused, saying the sign is the slip', async () => {
    const result = await parse(czj, '行政事业性收费7816', '行政事业性收费-7816');
    expect(cell(result, 'T2.FEES.AMOUNT')).toContainEqual(
      expect.stringContaining('A minus sign belongs only in a 本年增/减 column, and this row has none'),
    );
  });
});
