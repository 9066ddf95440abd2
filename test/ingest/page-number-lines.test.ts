/**
 * A bare page number ("3") alone on a line between or inside the tables, on pages otherwise not
 * numbered and without page breaks (form feeds) to tell it by. In a table of cells (tab or pipe
 * text, a web page) the line is no row, and never was read. In running text (single spaces, a
 * PDF's text layer copied without its form feeds) it was read as one more figure of the row
 * before, and the report refused; now it is dropped, with a PAGE_NUMBER warning, where the row's
 * figures before it fill the row and keep its totals: then it is no figure of the row, nor the
 * end of its last figure wrapped. Elsewhere (a row without a total to check, table 2's) it is
 * still refused.
 */
import { describe, expect, it } from 'vitest';
import {
  EXAMPLE_V2021,
  fixtureText,
  toHtmlTables,
  toPipeTables,
  toSingleSpaceText,
} from '../support/fixtures.ts';
import { figures, parsedText, refusals } from '../support/parse-results.ts';

const original = fixtureText(EXAMPLE_V2021);
const parse = parsedText;
const baseline = figures(await parse(original));

/** Where a page ends: between tables 2 and 3, inside table 3 and after it. */
const PLACES: [string, (text: string, footer: string) => string][] = [
  ['between tables 2 and 3', (t, f) => t.replace('\n\n三、收到和处理', `\n${f}\n三、收到和处理`)],
  ['inside table 3', (t, f) => t.replace(/(\t\(一\) 予以公开[^\n]*\n)/, `$1${f}\n`)],
  ['after table 3', (t, f) => t.replace('\n\n四、政府信息公开行政复议', `\n${f}\n四、政府信息公开行政复议`)],
];
const FOOTERS = ['3', '- 3 -', '第3页'];

describe('a bare page number between rows, without page breaks', () => {
  it.each([
    ['tab text', (t: string) => t],
    ['pipe text', toPipeTables],
    ['HTML', toHtmlTables],
  ])('%s: already read, anywhere (a line that is no row of cells)', async (_, form) => {
    for (const [, place] of PLACES) {
      for (const footer of FOOTERS) {
        const text = place(original, footer);
        expect(text).not.toBe(original);
        expect(figures(await parse(form(text)))).toEqual(baseline);
      }
    }
  });

  it.each(PLACES.slice(1))('single-space text, %s: dropped as a page number, said', async (_, place) => {
    for (const footer of FOOTERS) {
      const result = await parse(toSingleSpaceText(place(original, footer)));
      expect(refusals(result)).toEqual([]);
      expect(figures(result)).toEqual(baseline);
      if (!result.ok || footer !== '3') continue;
      expect(result.report.warnings.filter((w) => w.code === 'PAGE_NUMBER').map((w) => w.message)).toEqual([
        expect.stringMatching(
          /"3" alone on its line after the figures of row "[^"]+" is read as a page number/,
        ),
      ]);
    }
  });

  it('single-space text, after table 2: still refused, since nothing tells it from the amount 12.35 wrapped (12.353)', async () => {
    const result = await parse(toSingleSpaceText(PLACES[0]?.[1](original, '3') ?? ''));
    expect(refusals(result)).toEqual([['TOO_MANY_VALUES', null, '12.35\n3']]);
  });

  it("single-space text: a row's last figure wrapped onto the next line is not a page number (its total says so)", async () => {
    const text = toSingleSpaceText(original).replace('21 2 0 0 1 0 24\n', '21 2 0 0 1 0 2\n4\n');
    expect(text).toContain('21 2 0 0 1 0 2\n4\n');
    const result = await parse(text);
    expect(refusals(result)).toEqual([['TOO_MANY_VALUES', null, '21 2 0 0 1 0 2\n4']]);
  });

  it('single-space text: a page number after a row that left a cell blank never fills that cell: the row is refused', async () => {
    // 一、本年新收's 总计 (49) left blank, gone from the text; the page's 3 after it made seven.
    // Before, 3 was stored as the 总计.
    const text = toSingleSpaceText(original.replace('\t2\t0\t49\t', '\t2\t0\t\t')).replace(
      '41 6 0 0 2 0\n',
      '41 6 0 0 2 0\n3\n',
    );
    expect(text).toContain('\n一、本年新收政府信息公开申请数量 41 6 0 0 2 0\n3\n');
    const result = await parse(text);
    expect(figures(result)).toBeNull();
    expect(refusals(result)).toEqual([['MISSING_CELL', null, '41 6 0 0 2 0\n3']]);
    expect(result.ok ? '' : result.problems[0]?.message).toContain(
      'it may be a page number printed where the row left a cell blank',
    );
    // Its total wrapped onto the next line, and kept, reads.
    const wrapped = toSingleSpaceText(original).replace('41 6 0 0 2 0 49\n', '41 6 0 0 2 0\n49\n');
    expect(figures(await parse(wrapped))).toEqual(baseline);
  });

  it('single-space text: a lone 0 is no page number', async () => {
    const text = toSingleSpaceText(original).replace('21 2 0 0 1 0 24\n', '21 2 0 0 1 0 24\n0\n');
    expect(refusals(await parse(text))[0]?.[0]).toBe('TOO_MANY_VALUES');
  });
});
