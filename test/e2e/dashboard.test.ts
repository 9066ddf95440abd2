/**
 * The dashboard in headless Chromium (Debian's `chromium`, driven by playwright-core) against
 * the real server and database, seeded with test/e2e/dataset.ts. Each view is checked for
 * hand-computed figures and saved as test/e2e/screenshots/<view>.png.
 *
 *   npx vitest run test/e2e
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { type RunningServer, startHttpServer } from '../../src/server/http.ts';
import { createLogger } from '../../src/server/observability.ts';
import { testDb } from '../support/db.ts';
import { testConfig } from '../support/graphql.ts';
import { EDUCATION, HAIDIAN_GOV, HEALTH, SCIENCE, SHAPOTOU_GOV, seedDashboardData } from './dataset.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DASHBOARD_BUILD = join(tmpdir(), `disclosure-dashboard-test-${process.pid}`);

const db = testDb();
let server: RunningServer;
let browser: Browser;
let page: Page;
let base: string;

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
      DASHBOARD_BUILD,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT },
  );
  await seedDashboardData(db);
  const config = testConfig();
  const logger = createLogger(config);
  server = await startHttpServer(createApp({ db, config, logger, dashboardDir: DASHBOARD_BUILD }), {
    port: 0,
    host: '127.0.0.1',
    maxBodyBytes: config.maxBodyBytes,
    logger,
  });
  base = `http://127.0.0.1:${server.port}/`;
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
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Nothing may come from the internet: every request must go to this server.
  page.on('request', (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith('data:')) {
      throw new Error(`The dashboard fetched ${request.url()}`);
    }
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  rmSync(DASHBOARD_BUILD, { recursive: true, force: true });
  await browser?.close();
  await server?.close();
  await db.$disconnect();
});

/** Opens a view and waits until its data (not the loading state) is shown and charts are drawn. */
async function open(hash: string) {
  await page.goto(`${base}#/${hash}`);
  await page.waitForSelector('#app[data-state="ready"], #app[data-state="empty"], #app[data-state="error"]');
  expect(await page.getAttribute('#app', 'data-state')).not.toBe('error');
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLElement>('[data-chart]')].every((c) => c.dataset.ready === 'true'),
  );
}

const shot = (view: string, target: Page = page) =>
  target.screenshot({ path: `${SCREENSHOTS}${view}.png`, fullPage: true });

/** The text of each row of a data table, cells joined by |. */
const tableRows = (name: string) =>
  page.$$eval(`[data-table="${name}"] tbody tr`, (rows) =>
    rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent?.trim()).join('|')),
  );

describe('dashboard', () => {
  it('serves the built app at / with cache headers, and API paths still reach the API', async () => {
    const index = await fetch(base);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    expect(html).not.toMatch(/(src|href)="https?:/);
    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    const asset = await fetch(new URL(script ?? '/missing.js', base));
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(new URL('/assets/nope.js', base))).status).toBe(404);
    expect((await fetch(new URL('/..%2f..%2fpackage.json', base))).status).toBe(404);
    expect((await fetch(new URL('/health', base))).status).toBe(200);
  });

  it('overview: requests, outcomes and reviews by year for the chosen region', async () => {
    await open('overview?region=640500');
    // 中卫市: 2019 科技局 10 + 教育局 20; 2020 教育局 40 + 科技局 0; 2022 卫生健康局 49 + 沙坡头区 5.
    expect(await tableRows('overview')).toEqual([
      '2019|2|30|16|7|1|6|0|0|30|76.7%|2|0',
      '2020|2|40|20|10|4|0|0|6|40|75.0%|3|0',
      '2022|2|54|29|6|5|10|3|2|55|63.6%|4|3',
    ]);
    expect(await page.textContent('[data-kpi="kpi-new-requests"]')).toContain('54');
    expect(await page.textContent('.synthetic-note')).toContain('合成');
    await shot('overview');
    await open('overview?region=640500&lang=en');
    expect(await page.textContent('h2')).toBe('Requests received by year');
  });

  it('compare: chosen agencies → line and bar charts, table and CSV download', async () => {
    await open('compare?metric=T3_NEW_REQUESTS');
    // Ticking an agency re-renders the view from the new URL, so the checkbox is clicked, not "checked".
    await page.click(`input[data-agency="${SCIENCE}"]`);
    await page.waitForSelector(`#app[data-state="ready"] input[data-agency="${SCIENCE}"]:checked`);
    await page.click(`input[data-agency="${EDUCATION}"]`);
    await page.waitForFunction(
      () => location.hash.split('%2C').length === 2 || location.hash.split(',').length === 2,
    );
    await page.waitForSelector('#app[data-state="ready"] [data-table="compare"]');
    const url = page.url();
    await open(url.slice(url.indexOf('#/') + 2)); // the URL alone restores the view
    expect((await tableRows('compare')).sort()).toEqual(
      [`${EDUCATION}|20|40`, `${SCIENCE}|10|0`, '合计|30|40'].sort(),
    );
    const csv = await page.getAttribute('[data-csv]', 'href');
    const response = await fetch(new URL(csv ?? '', base));
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines.some((line) => line.startsWith(`${EDUCATION},2020,V2019,40`))).toBe(true);
    await shot('compare');
  });

  it('rankings: metric, year and level → ranked list with bars', async () => {
    await open('ranking?metric=DISCLOSURE_RATE&year=2022');
    expect(await tableRows('ranking')).toEqual([
      `1|${SHAPOTOU_GOV}合成数据|县级|100.0%`,
      `2|${HEALTH}|县级|60.0%`,
      `3|${HAIDIAN_GOV}|县级|50.0%`,
    ]);
    await shot('ranking');
    await open('ranking?metric=T3_NEW_REQUESTS&year=2019&level=CITY');
    expect(await tableRows('ranking')).toEqual([`1|${EDUCATION}|市级|20`, `2|${SCIENCE}|市级|10`]);
  });

  it('outcomes: every outcome row by year, stacked', async () => {
    await open('outcomes?region=640500');
    const rows = await tableRows('outcomes');
    expect(rows.find((r) => r.startsWith('（一）予以公开') || r.startsWith('予以公开'))).toMatch(
      /\|16\|20\|29\|65\|/,
    );
    expect(rows.at(-1)).toBe('办理结果总计|30|40|55|125|100.0%');
    await shot('outcomes');
  });

  it('audit: findings by rule and region, drilling down to the report', async () => {
    await open('audit?level=CITY');
    expect(await tableRows('rules')).toContain(
      'T4_TOTAL|ERROR|表四每一类案件：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。|1',
    );
    const regions = await tableRows('regions');
    expect(regions).toContain('中卫市|2020|2|1|1|0|1');
    await shot('audit');
    await page.click(`[data-finding="T4_TOTAL"]`);
    await page.waitForSelector('#app[data-view="report"][data-state="ready"]');
    expect(await page.textContent('.report-head h1')).toContain(`${EDUCATION} · 2020`);
  });

  it('report: tables 2–4 in the template layout, each figure with its provenance', async () => {
    await open(`report?agency=${encodeURIComponent(EDUCATION)}&year=2020`);
    expect(await page.textContent('[data-row="NEW_REQUESTS"] td:last-child')).toBe('40');
    expect(await page.textContent('[data-cell="T4.REVIEW.TOTAL"]')).toBe('3');
    await page.click('[data-cell="T3.GRANTED.TOTAL"]');
    await page.waitForSelector('[data-provenance="T3.GRANTED.TOTAL"]');
    expect(await page.textContent('[data-field="printedText"]')).toBe('20');
    expect(Number(await page.textContent('[data-field="sourceLine"]'))).toBeGreaterThan(0);
    expect(await page.textContent('[data-field="revision"]')).toBe('1 / 1');
    expect(await page.textContent('[data-field="sha256"]')).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.textContent('.findings')).toContain('T4_TOTAL');
    await shot('report');
    await open(`report?agency=${encodeURIComponent(SHAPOTOU_GOV)}&year=2022`);
    expect(await page.textContent('.report-head')).toContain('合成数据');
  });

  it('empty and phone-sized screens', async () => {
    await open('ranking?metric=DISCLOSURE_RATE&year=2022&level=PROVINCE');
    expect(await page.getAttribute('#app', 'data-state')).toBe('empty');
    expect(await page.textContent('.state.empty')).toBe('没有符合条件的数据。');
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await phone.goto(`${base}#/overview?region=640500`);
    await phone.waitForSelector('#app[data-state="ready"]');
    await phone.waitForFunction(() =>
      [...document.querySelectorAll<HTMLElement>('[data-chart]')].every((c) => c.dataset.ready === 'true'),
    );
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('overview-phone', phone);
    await phone.close();
  });
});
