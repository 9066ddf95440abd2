/**
 * A web page saved as PDF with the browser's headers and footers on: the date and time and the
 * page's title above each page, its address and "3/6" below. The number changes from page to
 * page, so the lines were no running header, and where a table went on over a page break they
 * were kept as its rows: two UNKNOWN_ROW warnings, "https://…" and "2023/1/15 10:32" stored as
 * extra rows of table 2. They are now dropped as the page's margin, the figures read as before.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { launchChromium, printedPdf, RULED_STYLE } from '../support/chromium.ts';
import { figures } from '../support/parse-results.ts';

const page = readFileSync(new URL('../fixtures/formats/report.html', import.meta.url), 'utf8').replace(
  '<head>',
  `<head>${RULED_STYLE}`,
);
const margin = (left: string, right: string) =>
  `<div style="font-size:8px;width:100%;display:flex;justify-content:space-between;padding:0 1cm"><span>${left}</span><span>${right}</span></div>`;

describe('a web page printed with the browser header and footer', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it.each([
    ['2023/1/15 10:32', 'https://www.spt.gov.cn/zwgk/ndbg/t20230115_123456.html', '/'],
    ['1/15/23, 10:32 AM', 'file:///C:/Users/admin/Downloads/report.html', ' of '],
  ])(
    'dated %s, at %s: the margins are no rows, the figures as on the web page',
    {
      timeout: 60_000,
    },
    async (date, address, of) => {
      // A5 paper: table 2 goes on over a page break, the footer and header between its parts.
      const pdf = await printedPdf(browser, page, {
        format: 'A5',
        displayHeaderFooter: true,
        margin: { top: '1.5cm', bottom: '1.5cm', left: '1cm', right: '1cm' },
        headerTemplate: margin(date, '沙坡头区卫生健康局2022年政府信息公开工作年度报告'),
        footerTemplate: margin(
          address,
          `<span class="pageNumber"></span>${of}<span class="totalPages"></span>`,
        ),
      });
      const { result } = await parseDocument(pdf);
      if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
      expect(result.report.warnings).toEqual([]);
      const web = (await parseDocument(new TextEncoder().encode(page))).result;
      expect(figures(result)).toEqual(figures(web));
    },
  );
});
