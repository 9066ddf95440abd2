/**
 * The Shanghai report's page printed to PDF by Chromium with its default page margins, as a
 * reader saving the page does. Its table 3 goes on over a page break under the cell
 * 三、本年度办理结果 that spans its rows, and the browser draws a rule under that cell's part
 * on the next page alone: the row beside it was read as two, its figures in both, and refused.
 * On paper narrower than the table (Letter, Legal, A4) the page cuts the table at its right
 * edge, through or past its 总计 column: what the cut took cannot be told (a browser drops the
 * digits it crosses, 8591234567 printed as 85912345), so that is refused, saying so; it was
 * refused as a table whose header lacks 总计.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';
import { findTables } from '../../../src/ingest/pdf-tables.ts';
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

  it('in landscape: every figure as published, the row beside the split cell one row', {
    timeout: 60_000,
  }, async () => {
    const pdf = await printedPdf(browser, page, { format: 'A4', landscape: true, margin: MARGIN });
    const { result } = await parseDocument(pdf);
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
    const expected: ExpectedReport = shanghai;
    const byCode = new Map(result.report.cells.map((c) => [c.code, c]));
    expect(
      Object.fromEntries(Object.keys(expected.cells).map((code) => [code, read(byCode.get(code))])),
    ).toEqual(expected.cells);
  });

  it.each([
    ['Letter', '"总计", "859", "18"'],
    ['Legal', '"总计", "859", "18"'],
    ['A4', '"总", "8", "1"'],
  ] as const)(
    'on %s paper, which cuts the table: refused, naming the page and what the cut column shows',
    {
      timeout: 60_000,
    },
    async (format, shown) => {
      const { result } = await parseDocument(await printedPdf(browser, page, { format, margin: MARGIN }));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems.map((p) => p.code)).toEqual(['UNREADABLE_DOCUMENT']);
      expect(result.problems[0]?.message).toContain(
        `Page 2 of the PDF cuts a table at its right edge: its rules run on to the edge of the page with no border there, so its last column (${shown}`,
      );
    },
  );
});

describe('which tables the page cuts at the right edge', () => {
  /** Rules of a 3-row table: horizontal ones from x0 to x1, vertical ones at xs from top to bottom. */
  const rules = (x0: number, x1: number, xs: number[]) => ({
    horizontal: [300, 280, 260, 240].map((at) => ({ at, a: x0, b: x1 })),
    vertical: xs.map((at) => ({ at, a: 240, b: 300 })),
  });

  it('one closed at the left whose rules run on past its last vertical rule to one place', () => {
    const { horizontal, vertical } = rules(50, 585, [50, 150, 300, 551]);
    expect(findTables(horizontal, vertical).map((t) => t.cutAt)).toEqual([585]);
  });

  it('not one drawn open at both sides (左右不封口), nor one closed at both', () => {
    const open = rules(50, 550, [150, 300, 450]);
    expect(findTables(open.horizontal, open.vertical).map((t) => t.cutAt)).toEqual([null]);
    const closed = rules(50, 550, [50, 300, 550]);
    expect(findTables(closed.horizontal, closed.vertical).map((t) => t.cutAt)).toEqual([null]);
  });
});
