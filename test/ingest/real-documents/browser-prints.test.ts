/**
 * The Shanghai report's page printed to PDF by Chromium with its default page margins, as a
 * reader saving the page does. Its table 3 is wider than a Letter page's printable width: the
 * browser cuts the table at the page's edge, so its 总计 column has no rule on its right, and the
 * rows under the cell 三、本年度办理结果 that spans them go on over a page break, where the
 * browser draws a rule under that cell's part alone. Each was refused: the 总计 column was read
 * as outside the table ("the header does not print the column 总计"), then the row below the
 * short rule as a second 总计 row. On A4 the cut falls before the 总计 column, whose figures
 * the PDF then does not hold: that stays refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';
import type { ParsedCell } from '../../../src/ingest/types.ts';
import { launchChromium, printedPdf } from '../../support/chromium.ts';
import shanghai from './expected/shanghai-bgt-2019.ts';
import type { ExpectedCell, ExpectedReport } from './expected-types.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
const FILE = 'shanghai-bgt-2019.html';
/** Chromium's own print margins (0.4 in), which the table overflows on Letter paper. */
const MARGIN = { top: '0.4in', bottom: '0.4in', left: '0.4in', right: '0.4in' };

const read = (cell: ParsedCell | undefined): ExpectedCell =>
  !cell || cell.status === 'MISSING'
    ? 'MISSING'
    : cell.status === 'NOT_REPORTED'
      ? cell.rawText === ''
        ? 'BLANK'
        : 'NOT_REPORTED'
      : (cell.value ?? 'MISSING');

describe.runIf(existsSync(SHARED + FILE))('the Shanghai page printed by Chromium', () => {
  let browser: Browser;
  const page = existsSync(SHARED + FILE)
    ? `<html><head><meta charset="utf-8"></head><body>${readFileSync(SHARED + FILE, 'utf8')}</body></html>`
    : '';
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it.each([
    ['Letter', { format: 'Letter' }],
    ['Legal', { format: 'Legal' }],
    ['A4 landscape', { format: 'A4', landscape: true }],
  ] as const)(
    'on %s: every figure as published, the cut 总计 column and the split rows included',
    {
      timeout: 60_000,
    },
    async (_, paper) => {
      const pdf = await printedPdf(browser, page, { ...paper, margin: MARGIN });
      const { result } = await parseDocument(pdf);
      if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
      const expected: ExpectedReport = shanghai;
      const byCode = new Map(result.report.cells.map((c) => [c.code, c]));
      expect(
        Object.fromEntries(Object.keys(expected.cells).map((code) => [code, read(byCode.get(code))])),
      ).toEqual(expected.cells);
    },
  );

  it('on A4, where the page cuts the 总计 column off, refuses the table naming the column', {
    timeout: 60_000,
  }, async () => {
    const { result } = await parseDocument(await printedPdf(browser, page, { format: 'A4', margin: MARGIN }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.message).toMatch(/the header does not print the column 总计/);
  });
});
