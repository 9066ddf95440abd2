/**
 * Columns separated by characters that look like a bar: 丨 (a CJK ideograph an input method
 * offers for a bar), its Kangxi radical ⼁ (PDF text layers), ︱ ∣ ǀ ⎮ ▏. Not read as separators
 * before, a row 行政许可丨12丨3丨456 was one label and the report was refused row by row (or, as
 * ︱ folds to a dash, read as dashes between figures).
 */
import { describe, expect, it } from 'vitest';
import { toLines } from '../../src/ingest/lines.ts';
import { parseReportText } from '../../src/ingest/parse-report.ts';
import type { ParseResult } from '../../src/ingest/types.ts';
import { EXAMPLE_V2021, fixtureText, REAL_V2019 } from '../support/fixtures.ts';

const figures = (result: ParseResult) => {
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  return result.report.cells.map((c) => [c.code, c.status, c.value]);
};

/** Each tab row with `bar` between its cells, with or without bars outside them. */
const barred = (text: string, bar: string, outer = false) =>
  text
    .split('\n')
    .map((line) => {
      if (!line.includes('\t')) return line;
      const row = line.split('\t').join(bar);
      return outer ? `${bar.trim()}${row}${bar.trim()}` : row;
    })
    .join('\n');

const BARS = ['丨', '⼁', '︱', '∣', 'ǀ', '⎮', '▏'];

describe('columns between bars that look like a pipe', () => {
  for (const [name, fixture] of [
    ['V2019', REAL_V2019],
    ['V2021', EXAMPLE_V2021],
  ] as const) {
    const text = fixtureText(fixture);
    const expected = figures(parseReportText(text));
    it.each(BARS.flatMap((bar) => [bar, ` ${bar} `]))(
      `${name}: every row between "%s" reads as the tab text`,
      (bar) => {
        expect(figures(parseReportText(barred(text, bar)))).toEqual(expected);
      },
    );
    it(`${name}: bars outside the row too`, () => {
      expect(figures(parseReportText(barred(text, '丨', true)))).toEqual(expected);
    });
  }

  it('a row of figures between 丨 reads each figure in its column, mixed with | or spaced', () => {
    const text = barred(fixtureText(REAL_V2019), '丨');
    for (const row of [
      '行政许可丨12丨3丨456',
      '行政许可 丨 12 丨 3 丨 456',
      '行政许可丨12|3丨456',
      '行政许可｜12|3|456',
    ]) {
      const cells = figures(parseReportText(text.replace('行政许可丨0丨0丨0', row)));
      expect(
        cells.filter(([code]) => String(code).startsWith('T2.LICENSING.')).map((c) => c.slice(1)),
        row,
      ).toEqual([
        ['REPORTED', '12'],
        ['REPORTED', '3'],
        ['REPORTED', '456'],
      ]);
    }
  });

  it('丨 stays a character where no row of figures is split by it, and in a line that names the report', () => {
    const prose = ['首页丨政务公开丨信息公开年报', '某局丨2022年政府信息公开工作年度报告丨某市人民政府'];
    expect(toLines(prose.join('\n')).map((l) => l.cells)).toEqual([null, null]);
    const tabled = toLines([...prose, '行政许可丨12丨3丨456'].join('\n'));
    expect(tabled.map((l) => l.cells)).toEqual([
      ['首页', '政务公开', '信息公开年报'],
      null,
      ['行政许可', '12', '3', '456'],
    ]);
    // The tab text with 丨 in prose reads as before.
    const text = fixtureText(REAL_V2019);
    const withProse = text.replace('一、总体情况', '首页丨政务公开丨年报\n一、总体情况');
    expect(withProse).not.toBe(text);
    expect(figures(parseReportText(withProse))).toEqual(figures(parseReportText(text)));
  });
});
