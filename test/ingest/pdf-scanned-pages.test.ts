/**
 * A scanned page among printed ones: an agency prints its report, scans the page it stamped (or
 * a table it filled in by hand) and puts the picture in the PDF. The page has no text, so its
 * table was simply not there: the report was refused with "Table 3 … was not found; no section
 * heading … precedes it", nothing saying a page was a scan. Such a page now refuses the file,
 * naming it. A page left blank and a page with only a small picture (a logo) are not scans.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { launchChromium, printedRuled } from '../support/chromium.ts';
import { pdfOf } from '../support/hostile-files.ts';

const page = readFileSync(new URL('../fixtures/formats/report.html', import.meta.url), 'utf8');

/** A grey pixel, which the browser draws at the size the page asks. */
const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==';

/** The report with table 3's section replaced by `by`, on a page of its own. */
function withTable3As(by: string): string {
  const start = page.indexOf('<h2>三、');
  const end = page.indexOf('<h2>四、');
  expect(start).toBeGreaterThan(0);
  return `${page.slice(0, start)}<div style="break-before:page"></div>${by}<div style="break-after:page"></div>${page.slice(end)}`;
}

/**
 * Two pages as a scanner's software writes them: a line of text, then a page-sized image, with
 * `footer` (a page number a tool stamped on every page) printed over it.
 */
function scannerPdf(footer = ''): Uint8Array {
  const font = '/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>';
  const text = Buffer.from('BT /F1 12 Tf 72 700 Td (Annual report 2024) Tj ET\n');
  const stamp = footer && `BT /F1 10 Tf 280 30 Td (${footer}) Tj ET\n`;
  const scan = Buffer.from(`q 595 0 0 842 0 0 cm /Im1 Do Q\n${stamp}`);
  const pixel = Buffer.from([128]);
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << ${font} >> /Contents 4 0 R >>`,
    { dictionary: `<< /Length ${text.length} >>`, stream: text },
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 7 0 R >> ${font} >> /Contents 6 0 R >>`,
    { dictionary: `<< /Length ${scan.length} >>`, stream: scan },
    {
      dictionary: `<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${pixel.length} >>`,
      stream: pixel,
    },
  ]);
}

describe('a scanned page among printed pages', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('refuses the file naming the page, where table 3 is a picture', { timeout: 60_000 }, async () => {
    const scanned = withTable3As(`<img src="${PIXEL}" style="display:block;width:180mm;height:250mm">`);
    const { result } = await parseDocument(await printedRuled(browser, scanned));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ code: 'NO_TEXT', severity: 'error' });
    expect(result.problems[0]?.message).toMatch(
      /^Page 3 of the PDF \(of 4\) holds no text but a page number, only a picture: a scanned page/,
    );
  });

  it.each([
    ['', 'no page number'],
    ['- 2 -', 'a page number stamped on it'],
    ['2 / 2', 'a page number and count stamped on it'],
  ])('refuses a scanner-written page drawing its image over the whole page, %s (%s)', async (footer) => {
    const { result } = await parseDocument(scannerPdf(footer));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.message).toMatch(
      /^Page 2 of the PDF \(of 2\) holds no text but a page number, only a picture/,
    );
  });

  it.each([
    ['a blank page', ''],
    ['a page with only a logo', `<img src="${PIXEL}" style="display:block;width:30mm;height:30mm">`],
  ])('reads the report past %s', { timeout: 60_000 }, async (_, by) => {
    const { result } = await parseDocument(await printedRuled(browser, withTable3As(by)));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // Table 3 is not in the file at all: a gap, as before, and no page is called a scan.
    expect(result.problems.map((p) => p.code)).toEqual(['MISSING_TABLE', 'INCOMPLETE_REPORT']);
  });
});
