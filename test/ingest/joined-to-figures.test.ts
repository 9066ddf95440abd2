/**
 * A point, a rough word or a sign printed with a figure in a table printed as running text (a PDF
 * text layer, a crawler's text, a web page's rows as paragraphs): `.35`, `。35`, `约35`, `35%`,
 * `35余`. A table's cell holding them is not a number; running text started the figure at its
 * first digit and ended it at its last, so `.35` under 本年收费金额（单位：万元） was stored as 35,
 * a hundred times 0.35, and `约35` as 35, without a word. Each is refused naming its cell, as in a
 * table of cells; figures printed exactly still read.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { parseReportText } from '../../src/ingest/parse-report.ts';
import type { ParseResult } from '../../src/ingest/types.ts';
import { EXAMPLE_V2021, fixtureText, toSingleSpaceText } from '../support/fixtures.ts';
import { refusals } from '../support/parse-results.ts';

const tabs = fixtureText(EXAMPLE_V2021);
const running = toSingleSpaceText(tabs);
const AMOUNT = 'T2.FEES.AMOUNT';
const NATURAL = 'T3.NEW_REQUESTS.NATURAL_PERSON';
const COMMERCIAL = 'T3.NEW_REQUESTS.COMMERCIAL_ENTERPRISE';

/** The text with one figure of a row changed: the row's line (at its start), the figure's place in it. */
function edit(text: string, label: string, figure: number, printed: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(label));
  const line = lines[at] ?? '';
  const sep = line.includes('\t') ? '\t' : ' ';
  const cells = line.slice(label.length).split(sep);
  const figures = cells.map((c, i) => [c, i] as const).filter(([c]) => c.trim() !== '');
  const index = figures[figure]?.[1] ?? -1;
  expect(index).toBeGreaterThanOrEqual(0);
  cells[index] = printed;
  lines[at] = `${label}${cells.join(sep)}`;
  return lines.join('\n');
}
const FEES = '行政事业性收费';
const NEW = '一、本年新收政府信息公开申请数量';

const asParagraphs = (text: string) =>
  new TextEncoder().encode(
    `<html><body>${text
      .split('\n')
      .map((l) => `<p>${l.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`)
      .join('\n')}</body></html>`,
  );

/** Each way of printing the report: a text layer's single spaces, a web page's paragraphs, tab-separated cells. */
const FORMS: [string, (edited: (text: string) => string) => Promise<ParseResult>][] = [
  ['running text', async (e) => parseReportText(e(running))],
  ['rows as paragraphs', async (e) => (await parseDocument(asParagraphs(e(running)))).result],
  ['table cells', async (e) => parseReportText(e(tabs))],
];

const cell = (result: ParseResult, code: string) =>
  result.ok ? result.report.cells.find((c) => c.code === code) : undefined;

describe('a figure printed with a point, a rough word or a sign is refused, naming its cell', () => {
  const PRINTED = [
    '.35',
    '．35',
    '。35',
    '·35',
    '35.',
    '35%',
    '35 %',
    '35+',
    '35余',
    '35左右',
    '约35',
    '约 35',
    '≈35',
    '<35',
    '~35',
  ];
  for (const [form, parse] of FORMS) {
    it.each(PRINTED)(`${form}: %s in 本年收费金额（万元） and in a count`, async (printed) => {
      for (const [label, figure, code] of [
        [FEES, 0, AMOUNT],
        [NEW, 0, NATURAL],
        [NEW, 1, COMMERCIAL],
      ] as const) {
        const result = await parse((text) => edit(text, label, figure, printed));
        // Before: running text stored 35 for each (.35 in 万元: a hundred times 0.35), where a
        // count's row did not lose a column over it.
        expect(cell(result, code)).toBeUndefined();
        // Running text is read folded (．35 as .35), a cell as printed.
        const quoted = form === 'table cells' ? printed : printed.normalize('NFKC');
        expect(refusals(result)).toEqual([['NOT_A_NUMBER', code, quoted]]);
        if (!result.ok) expect(result.problems[0]?.message).toContain(`"${quoted}" is not a number`);
      }
    });
  }

  it('the message of a point before the digits says what the figure may be', async () => {
    const result = parseReportText(edit(running, FEES, 0, '.35'));
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /row "行政事业性收费", column "本年收费金额（单位：万元）": "\.35" is not a number: a point \(\.\) stands before its digits, so it may be 0\.35 .* neither read as 35 nor guessed/,
      ),
    ]);
  });
});

describe('figures printed exactly still read, in running text as in cells', () => {
  it.each([
    ['0.35', FEES, AMOUNT, '0.35'],
    ['1,234', NEW, NATURAL, '1234'],
    ['1，234', NEW, NATURAL, '1234'],
    ['３５', NEW, NATURAL, '35'],
    ['35万', FEES, AMOUNT, '35'],
  ])('%s', async (printed, label, code, value) => {
    for (const [, parse] of FORMS) {
      const result = await parse((text) => edit(text, label, 0, printed));
      expect(cell(result, code)?.value).toBe(value);
    }
  });

  it('a decimal point inside a figure and a numbered row after a row are no mark', () => {
    const result = parseReportText(running);
    expect(cell(result, AMOUNT)?.value).toBe('12.35');
    expect(refusals(result)).toEqual([]);
  });
});
