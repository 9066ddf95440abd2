import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (CI installs it; no browser download from npm). */
export const CHROMIUM = '/usr/bin/chromium';

/** Ruled cells, as published PDFs draw them: the PDF reader rebuilds tables from the rules. */
export const RULED_STYLE =
  '<meta charset="utf-8"><style>table{border-collapse:collapse} td{border:1px solid #000;padding:2px;font-size:9pt}</style>';

/** Headless Chromium for printing pages to PDF; fails with what to install when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: printing reports to PDF needs Debian's Chromium (apt-get install -y chromium).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
}

/**
 * One tab per browser for printedRuled, reused: opening a tab (a new browser context) took
 * longer than loading and printing the page in it (0.7 to 1.7 s against 0.5 to 1.5 s on a busy
 * machine). setContent replaces the whole document, so nothing of one page is left for the next.
 * The tests print one page at a time.
 */
const tabs = new WeakMap<Browser, Promise<Page>>();

/** `html` printed to a PDF (A4 unless `options` say otherwise) in the browser's reused tab. */
export async function printedPdf(
  browser: Browser,
  html: string,
  options: Parameters<Page['pdf']>[0] = {},
): Promise<Uint8Array> {
  let tab = tabs.get(browser);
  if (!tab) {
    tab = browser.newPage();
    tabs.set(browser, tab);
  }
  const page = await tab;
  await page.setContent(html);
  return new Uint8Array(await page.pdf({ format: 'A4', ...options }));
}

/** A page printed to an A4 PDF, its tables ruled (RULED_STYLE first in its head, before its own styles). */
export const printedRuled = (browser: Browser, html: string): Promise<Uint8Array> =>
  printedPdf(
    browser,
    html.includes('<head>') ? html.replace('<head>', `<head>${RULED_STYLE}`) : RULED_STYLE + html,
  );
