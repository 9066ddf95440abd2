/**
 * What every dashboard end-to-end file shares: the dashboard built as `npm install` builds it,
 * the real server on a database seeded for the file, headless Chromium (Debian's `chromium`,
 * driven by playwright-core) at desk and phone size, and the checks of what a reader sees.
 * `dashboardSuite()` registers the file's beforeAll and afterAll; its pages are there from then on.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { type RunningServer, startHttpServer } from '../../src/server/http.ts';
import { createLogger } from '../../src/server/observability.ts';
import type { Db } from '../../src/store/db.ts';
import { testDb } from '../support/db.ts';
import { testConfig } from '../support/graphql.ts';
import { seedDashboardData } from './dataset.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Dashboard {
  db: Db;
  /** 1440×900. */
  page: Page;
  /** 390×844, a phone. */
  phone: Page;
  /** The server's address, ending in /. */
  base: string;
}

/** Starts the dashboard on `seed`'s data for the file's tests; the returned object is filled in beforeAll. */
export function dashboardSuite(seed: (db: Db) => Promise<void> = seedDashboardData): Dashboard {
  const dashboard = { db: testDb() } as Dashboard;
  const build = join(tmpdir(), `disclosure-dashboard-test-${process.pid}-${Date.now()}`);
  let server: RunningServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: the dashboard end-to-end tests need Debian's Chromium. Install it with \`apt-get install -y chromium\`.`,
      );
    }
    // Build the dashboard as `npm install` does, so the test never depends on a build made by hand,
    // into a folder of its own: web/dist is what a running `npm start` serves.
    await promisify(execFile)(
      process.execPath,
      [
        `${ROOT}node_modules/vite/bin/vite.js`,
        'build',
        '--config',
        'web/vite.config.ts',
        '--outDir',
        build,
        '--emptyOutDir',
        '--logLevel',
        'warn',
      ],
      { cwd: ROOT },
    );
    const { db } = dashboard;
    await seed(db);
    const config = testConfig();
    const logger = createLogger(config);
    server = await startHttpServer(createApp({ db, config, logger, dashboardDir: build }), {
      port: 0,
      host: '127.0.0.1',
      maxBodyBytes: config.maxBodyBytes,
      logger,
    });
    const base = `http://127.0.0.1:${server.port}/`;
    dashboard.base = base;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    dashboard.page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    dashboard.phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    // Nothing may come from the internet: every request must go to this server.
    for (const p of [dashboard.page, dashboard.phone])
      p.on('request', (request) => {
        if (!request.url().startsWith(base) && !request.url().startsWith('data:')) {
          throw new Error(`The dashboard fetched ${request.url()}`);
        }
      });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    rmSync(build, { recursive: true, force: true });
    await browser?.close();
    await server?.close();
    await dashboard.db.$disconnect();
  });

  return dashboard;
}

/** Opens a view and waits until its data (not the loading state) is shown and charts are drawn. */
export async function openView(target: Page, base: string, hash: string) {
  await target.goto(`${base}#/${hash}`);
  await target.waitForSelector(
    '#app[data-state="ready"], #app[data-state="empty"], #app[data-state="error"]',
  );
  expect(await target.getAttribute('#app', 'data-state')).not.toBe('error');
  await target.waitForFunction(() =>
    [...document.querySelectorAll<HTMLElement>('[data-chart]')].every((c) => c.dataset.ready === 'true'),
  );
}

/** Saves the page as test/e2e/screenshots/<name>.png (an ignored folder). */
export const shot = (name: string, target: Page) =>
  target.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });

/**
 * What a reader would see go wrong, measured in the page: sideways scrolling, an element (or a
 * chart's text) sticking out of its card or chart, a chart taller than 600 px, and in the Chinese
 * view any run of capitals and underscores (an enum code or an untranslated message).
 */
export const problems = (target: Page) =>
  target.evaluate(() => {
    const found: string[] = [];
    // A phone (isMobile) widens its layout viewport to fit content that overflows, so the page is
    // measured against the width of the screen, not innerWidth.
    const overflow = document.documentElement.scrollWidth - Math.min(window.innerWidth, window.screen.width);
    if (overflow > 0) found.push(`page scrolls sideways by ${overflow}px`);
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    const scrolls = (el: Element) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    for (const box of document.querySelectorAll('.card, [data-chart]')) {
      const outer = box.getBoundingClientRect();
      for (const el of box.querySelectorAll('*')) {
        let parent = el.parentElement;
        let hidden = false;
        while (parent && parent !== box) {
          if (scrolls(parent)) hidden = true;
          parent = parent.parentElement;
        }
        const r = el.getBoundingClientRect();
        if (hidden || r.width === 0 || getComputedStyle(el).visibility === 'hidden') continue;
        if (r.left < outer.left - 1 || r.right > outer.right + 1)
          found.push(`${describe(el)} sticks out of ${describe(box).slice(0, 40)}`);
      }
    }
    for (const c of document.querySelectorAll<HTMLElement>('[data-chart]'))
      if (c.offsetHeight > 600) found.push(`chart ${c.dataset.chart} is ${c.offsetHeight}px tall`);
    if (document.documentElement.lang === 'zh-CN') {
      const svgText = [...document.querySelectorAll('svg text')].map((t) => t.textContent).join('\n');
      // biome-ignore lint/performance/useDomNodeTextContent: the visible text is what is checked, not hidden text.
      for (const code of `${document.body.innerText}\n${svgText}`.match(/[A-Z_]{6,}/g) ?? [])
        found.push(`raw code ${code} in the Chinese view`);
    }
    return found;
  });

/** The text of each row of a data table, cells joined by |. */
export const tableRowsOf = (target: Page, name: string) =>
  target.$$eval(`[data-table="${name}"] tbody tr`, (rows) =>
    rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent?.trim()).join('|')),
  );
