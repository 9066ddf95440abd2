import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

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

/** A page printed to an A4 PDF, its tables ruled (RULED_STYLE first in its head, before its own styles). */
export async function printedRuled(browser: Browser, html: string): Promise<Uint8Array> {
  const tab = await browser.newPage();
  try {
    await tab.setContent(
      html.includes('<head>') ? html.replace('<head>', `<head>${RULED_STYLE}`) : RULED_STYLE + html,
    );
    return new Uint8Array(await tab.pdf({ format: 'A4' }));
  } finally {
    await tab.close();
  }
}
