/**
 * Tables drawn with box characters: a text browser (w3m, elinks -dump) prints a page's bordered
 * <table> so, and a Chinese input method types the full-width bar ｜. Read as running text
 * before, every bar ended a run of figures and every rule between rows filled a row with blank
 * cells: table 3 read as "─" throughout, and "│ 12 │ +3 │ 456 │" as 4 | 5 | 6.
 */
import { describe, expect, it } from 'vitest';
import { parseReportText } from '../../src/ingest/parse-report.ts';
import type { ParseResult } from '../../src/ingest/types.ts';
import { EXAMPLE_V2021, fixtureText, REAL_V2019 } from '../support/fixtures.ts';

const figures = (result: ParseResult) => {
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  return result.report.cells.map((c) => [c.code, c.status, c.value]);
};

/** Each run of tab rows as a box-drawn table, cells padded to their column's width as w3m does. */
function boxDrawn(text: string, { bar = '│', rules = true } = {}): string {
  const out: string[] = [];
  let rows: string[][] = [];
  const flush = () => {
    if (rows.length === 0) return;
    const width = Math.max(...rows.map((r) => r.length));
    const sizes = Array.from({ length: width }, (_, i) =>
      Math.max(2, ...rows.map((r) => (r[i] ?? '').length)),
    );
    const rule = (left: string, mid: string, right: string) =>
      `${left}${sizes.map((n) => '─'.repeat(n + 2)).join(mid)}${right}`;
    if (rules) out.push(rule('┌', '┬', '┐'));
    rows.forEach((row, r) => {
      out.push(`${bar} ${sizes.map((n, i) => (row[i] ?? '').padEnd(n)).join(` ${bar} `)} ${bar}`);
      if (rules) out.push(r === rows.length - 1 ? rule('└', '┴', '┘') : rule('├', '┼', '┤'));
    });
    rows = [];
  };
  for (const line of text.split('\n')) {
    if (line.includes('\t')) rows.push(line.split('\t'));
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out.join('\n');
}

describe('tables drawn with box characters', () => {
  for (const [name, fixture] of [
    ['V2019', REAL_V2019],
    ['V2021', EXAMPLE_V2021],
  ] as const) {
    const text = fixtureText(fixture);
    const expected = figures(parseReportText(text));

    it(`${name}: drawn with rules between rows, every figure reads as in the tab text`, () => {
      const drawn = boxDrawn(text);
      expect(drawn).toContain('├');
      expect(figures(parseReportText(drawn))).toEqual(expected);
    });

    it.each(['│', '┃', '║', '｜', '¦'])(
      `${name}: rows between bars %s without rules read the same`,
      (bar) => {
        expect(figures(parseReportText(boxDrawn(text, { bar, rules: false })))).toEqual(expected);
      },
    );
  }

  it('a figure beside its column, and a rule printed in a cell for a blank, are read in their columns', () => {
    const text = fixtureText(REAL_V2019)
      .replace('行政许可\t0\t0\t0', '行政许可\t12\t+3\t456')
      .replace('行政处罚\t2\t0\t0', '行政处罚\t2\t─\t9');
    const cells = figures(parseReportText(boxDrawn(text)));
    const row = (prefix: string) =>
      cells.filter(([code]) => String(code).startsWith(prefix)).map((c) => c.slice(1));
    expect(row('T2.LICENSING.')).toEqual([
      ['REPORTED', '12'],
      ['REPORTED', '3'],
      ['REPORTED', '456'],
    ]);
    expect(row('T2.PENALTY.')).toEqual([
      ['REPORTED', '2'],
      ['NOT_REPORTED', null],
      ['REPORTED', '9'],
    ]);
  });

  it('a bar in prose (首页｜政务公开) and a line of rules alone leave the text as it was', () => {
    const text = fixtureText(REAL_V2019);
    const withProse = text.replace('一、总体情况', '首页｜政务公开\n────────────\n一、总体情况');
    expect(withProse).not.toBe(text);
    expect(figures(parseReportText(withProse))).toEqual(figures(parseReportText(text)));
  });
});
