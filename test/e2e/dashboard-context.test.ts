/**
 * What the dashboard tells a reader about the data behind what it shows: which year a view opens
 * on and why, how many reports a figure comes from, which agencies are generated demo data, every
 * filter that applies, and where a missing report can be found. The data is test/e2e/dataset.ts
 * with one report of 2024 (2023 has twelve) and 中卫市教育局 marked synthetic as well.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { importReport } from '../../src/import/index.ts';
import type { Db } from '../../src/store/db.ts';
import { EXAMPLE_V2021 } from '../support/fixtures.ts';
import { EDUCATION, editedReport, HAIDIAN_2023, HEALTH, SCIENCE, seedDashboardData } from './dataset.ts';
import { dashboardSuite, openView, problems, shot, tableRowsOf } from './harness.ts';

/** The one report of 2024: a year just begun. */
const EARLY = { agency: '北京市海淀区民政局', requests: 7 };

async function seed(db: Db) {
  await seedDashboardData(db);
  const text = editedReport({
    from: EXAMPLE_V2021,
    agency: EARLY.agency,
    year: 2024,
    rows: { NEW_REQUESTS: EARLY.requests, GRANTED: EARLY.requests, OUTCOMES_TOTAL: EARLY.requests },
  });
  const result = await importReport(db, { bytes: Buffer.from(text), fileName: 'early-2024.txt' });
  if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 3)));
  await db.$executeRaw`UPDATE agency SET synthetic = true WHERE name = ${EDUCATION}`;
}

const dashboard = dashboardSuite(seed);
let page: Page;
beforeAll(() => {
  ({ page } = dashboard);
});
const open = (hash: string) => openView(page, dashboard.base, hash);
const tableRows = (name: string) => tableRowsOf(page, name);
const text = (selector: string) => page.textContent(selector);

/** Nothing a reader would see go wrong at either size; saved as screenshots/<name>-desktop|phone.png. */
async function checkBothSizes(hash: string, name: string) {
  for (const [target, size] of [
    [dashboard.page, 'desktop'],
    [dashboard.phone, 'phone'],
  ] as const) {
    await openView(target, dashboard.base, hash);
    expect(await problems(target), `${name} at ${size} size`).toEqual([]);
    await shot(`${name}-${size}`, target);
  }
}

// A browser drives each test through several views at two sizes: about 10 to 30 s each with
// the machine loaded by the rest of CI, past vitest's 30 s default.
describe('dashboard context', { timeout: 120_000 }, () => {
  it('opens Ranking, Compare and Overview on the latest year well reported, and says which years it passed over', async () => {
    // 2024 has 1 report, 2023 has 12: the default is 2023, and the note says why.
    await open('ranking?metric=T3_NEW_REQUESTS');
    expect(await page.inputValue('select[name="year"]')).toBe('2023');
    expect(await text('[data-default-year]')).toBe(
      '2024 年只有 1 份报告，显示报告较全的 2023 年（12 份报告）。',
    );
    expect(await tableRows('ranking')).toHaveLength(12);
    // 2024 can still be chosen, and then it is shown with no note.
    expect(await page.$$eval('select[name="year"] option', (o) => o.map((x) => x.textContent))).toContain(
      '2024',
    );
    await open('ranking?metric=T3_NEW_REQUESTS&year=2024');
    expect(await tableRows('ranking')).toEqual([`1|${EARLY.agency}|县级|7`]);
    expect(await page.$('[data-default-year]')).toBeNull();
    await open('ranking?metric=T3_NEW_REQUESTS&lang=en');
    expect(await text('[data-default-year]')).toBe(
      '2024 has only 1 report; showing 2023, the latest year well reported (12 reports).',
    );

    // Compare's default list: the ten largest of 2023, not 2024's single agency; its bars are 2023's.
    await open('compare?metric=T3_NEW_REQUESTS');
    const top = HAIDIAN_2023.slice(2)
      .map((x) => x.agency)
      .reverse();
    expect(
      await page.$$eval('input[data-agency]', (i) => i.map((x) => (x as HTMLElement).dataset.agency)),
    ).toEqual(top);
    const titles = await page.$$eval('.card h2', (h) => h.map((x) => x.textContent ?? ''));
    expect(titles.filter((t) => / · \d{4}$/.test(t)).map((t) => t.slice(-4))).toEqual(['2023']);
    expect(await text('[data-default-year]')).toContain('2024 年只有 1 份报告');

    // Overview's key figures: 2023's (10 + 20 + … + 120 requests), not 2024's 7.
    await open('overview');
    expect(await text('[data-kpi="kpi-year"] .kpi-value')).toBe('2023');
    expect(await text('[data-kpi="kpi-new-requests"] .kpi-value')).toBe('780');
    expect(await text('[data-default-year]')).toContain('显示报告较全的 2023 年');
    // Its charts say under 2024 that its sums are one report's.
    const axis = await page.$$eval('[data-chart="requests"] svg text', (t) => t.map((x) => x.textContent));
    expect(axis).toEqual(expect.arrayContaining(['2023', '2024', '（1 份）']));
    await checkBothSizes('overview', 'overview-default-year');
    await checkBothSizes('ranking?metric=T3_NEW_REQUESTS', 'ranking-default-year');
  });

  it("opens Ranking filtered by level on that level's latest year well reported", async () => {
    // City agencies reported for 2019 and 2020 only: 2020, not the nation's 2023, where no city
    // agency has a report.
    await open('ranking?metric=T3_NEW_REQUESTS&level=CITY');
    expect(await page.inputValue('select[name="year"]')).toBe('2020');
    expect(await tableRows('ranking')).toEqual([`1|${EDUCATION}合成数据⚠|市级|40`, `2|${SCIENCE}|市级|0`]);
  });

  it('overview: a figure from fewer reports than the year has says how many', async () => {
    await open('overview?region=640500');
    // 2020: 科学技术局 received nothing (its disclosure rate divides by 0), so the rate is 教育局's alone.
    const row2020 = (await tableRows('overview')).find((r) => r.startsWith('2020|'));
    expect(row2020).toBe('2020|2|40|20|10|4|0|0|6|40|75.0%（1/2 份）|3|0|0');
    expect(await page.getAttribute('[data-table="overview"] [data-basis]', 'title')).toBe(
      '只依据 2 份报告中的 1 份：其余报告未填报此项，或无法计算（如分母为 0）',
    );
    expect(await text('[data-basis-note]')).toContain('n/m 份');
    // Figures every report gave say nothing more.
    expect((await tableRows('overview')).find((r) => r.startsWith('2022|'))).not.toContain('份）');
    await checkBothSizes('overview?region=640500', 'overview-basis');
    await open('overview?region=640500&lang=en');
    expect((await tableRows('overview')).find((r) => r.startsWith('2020|'))).toContain('75.0% (1 of 2)');
  });

  it('outcomes: a sum from fewer reports than the year has says how many', async () => {
    // 2019 in 中卫市: 科学技术局 printed its 予以公开 商业企业 cell blank, 教育局 0 — a sum of 1 report of 2.
    await open('outcomes?region=640500&applicant=COMMERCIAL_ENTERPRISE');
    const rows = await tableRows('outcomes');
    const granted = rows.find((r) => r.startsWith('（一）予以公开|'));
    expect(granted?.split('|').slice(1, 3)).toEqual(['0（1/2 份）', '0']);
    // A row of one template version only, over all years: the 2022 (V2021) reports alone.
    expect(rows.find((r) => r.startsWith('（六）其他处理 3.其他|'))).toMatch(/\|1（2\/6 份）\|/);
    expect(await page.getAttribute('[data-table="outcomes"] [data-basis="1/2"]', 'title')).toBe(
      '只依据 2 份报告中的 1 份：其余报告未填报此项，或无法计算（如分母为 0）',
    );
    expect(await text('[data-basis-note]')).toContain('n/m 份');
    // 总计: every report printed it, so its sums say nothing more.
    await open('outcomes?region=640500');
    const total = (await tableRows('outcomes')).find((r) => r.startsWith('（一）予以公开|'));
    expect(total).toMatch(/^（一）予以公开\|16\|20\|29\|65\|/);
    expect(total).not.toContain('份）');
    await checkBothSizes('outcomes?region=640500&applicant=COMMERCIAL_ENTERPRISE', 'outcomes-basis');
  });

  it('labels generated demo data wherever agencies or their reports are shown', async () => {
    // Audit: the counts include a demo agency's report, and its findings say whose.
    await open('audit?level=CITY');
    expect(await page.$('.synthetic-note')).not.toBeNull();
    expect(await text('.synthetic-note')).toContain('合成');
    const finding = (await tableRows('findings')).find((r) => r.startsWith(EDUCATION));
    expect(finding).toMatch(new RegExp(`^${EDUCATION}合成数据\\|2020\\|`));
    await checkBothSizes('audit?level=CITY', 'audit-synthetic');
    // Ranking: the population holds a demo agency.
    await open('ranking?metric=T3_NEW_REQUESTS&year=2019&level=CITY');
    expect(await text('.synthetic-note')).toContain('合成');
    expect(await tableRows('ranking')).toEqual([`1|${EDUCATION}合成数据|市级|20`, `2|${SCIENCE}|市级|10`]);
    // …and a year without any has no note.
    await open('ranking?metric=T3_NEW_REQUESTS&year=2023');
    expect(await page.$('.synthetic-note')).toBeNull();
    // Outcomes: the region's pooled reports include a demo agency's; 北京's do not.
    await open('outcomes?region=640500');
    expect(await page.$('.synthetic-note')).not.toBeNull();
    await open('outcomes?region=110000');
    expect(await page.$('.synthetic-note')).toBeNull();
    // Compare: a demo agency among those compared.
    await open('compare?metric=T3_NEW_REQUESTS&region=640500');
    expect(await page.$('.synthetic-note')).not.toBeNull();
    // Report: the head, and the agencies a name matches.
    await open(`report?agency=${encodeURIComponent(EDUCATION)}&year=2020`);
    expect(await text('.report-head')).toContain('合成数据');
    await open(`report?agency=${encodeURIComponent('中卫市')}&year=2020`);
    expect(await page.$$eval('.similar span', (s) => s.map((x) => x.textContent))).toContain(
      `${EDUCATION}合成数据`,
    );
  });

  it('audit: every filter that applies is shown by a control, and can be cleared', async () => {
    await open('audit?level=CITY');
    expect(await page.$('select[name="year"]')).not.toBeNull();
    expect(await page.$('[data-clear-filters]')).toBeNull();
    // Drilling down into 中卫市 2020 filters by region and year: both controls say so.
    await page.click('[data-table="regions"] tbody tr:has-text("2020") a');
    await page.waitForFunction(() => location.hash.includes('year=2020'));
    await page.waitForSelector('#app[data-state="ready"] [data-clear-filters]');
    expect(await page.inputValue('select[name="region"]')).toBe('640500');
    expect(await page.inputValue('select[name="year"]')).toBe('2020');
    expect(await tableRows('findings')).not.toContainEqual(expect.stringMatching(/\|2019\|/));
    // The year is cleared by its own control…
    await page.selectOption('select[name="year"]', '');
    await page.waitForFunction(() => !location.hash.includes('year='));
    await page.waitForSelector('#app[data-state="ready"]');
    expect(await page.inputValue('select[name="region"]')).toBe('640500');
    // …and every filter at once by 清除筛选.
    await open('audit?level=CITY&region=640500&year=2020&rule=T4_TOTAL');
    await page.click('[data-clear-filters]');
    await page.waitForFunction(() => !/region=|year=|rule=/.test(location.hash));
    await page.waitForSelector('#app[data-state="ready"]');
    expect(await page.inputValue('select[name="year"]')).toBe('');
    expect(await page.inputValue('select[name="rule"]')).toBe('');
    expect(await page.inputValue('select[name="level"]')).toBe('CITY');
    await checkBothSizes('audit?level=CITY&region=640500&year=2020&rule=T4_TOTAL', 'audit-filters');
  });

  it('audit: demo agencies can be left out, or looked at alone, and the choice is a filter like the others', async () => {
    const demoRow = new RegExp(`^${EDUCATION}合成数据\\|`);
    await open('audit?level=CITY');
    const all = await tableRows('findings');
    expect(all).toContainEqual(expect.stringMatching(demoRow));
    // Published reports only: no demo agency's finding, and no note that demo data is counted.
    await page.selectOption('select[name="demo"]', 'hide');
    await page.waitForFunction(() => location.hash.includes('demo=hide'));
    await page.waitForSelector('#app[data-state="ready"] [data-clear-filters]');
    const published = await tableRows('findings');
    expect(published.length).toBeGreaterThan(0);
    expect(published).not.toContainEqual(expect.stringMatching(demoRow));
    expect(await page.$('.synthetic-note')).toBeNull();
    // A drill-down keeps the choice.
    expect(await page.getAttribute('[data-table="regions"] tbody tr a', 'href')).toContain('demo=hide');
    // Demo data only: every finding is a demo agency's, and the note says so.
    await open('audit?level=CITY&demo=only');
    const demo = await tableRows('findings');
    expect(demo.length).toBeGreaterThan(0);
    expect(demo.every((r) => demoRow.test(r))).toBe(true);
    expect(await page.$('.synthetic-note')).not.toBeNull();
    // Both together are all of them (fewer than the 100 the list shows).
    expect(published.length + demo.length).toBe(all.length);
    // Clearing the filters shows them all again.
    await page.click('[data-clear-filters]');
    await page.waitForFunction(() => !location.hash.includes('demo='));
    await page.waitForSelector('#app[data-state="ready"]');
    expect(await page.inputValue('select[name="demo"]')).toBe('');
    expect((await tableRows('findings')).length).toBe(all.length);
    // A value the control does not offer is refused as input, and the control shows it.
    await page.goto(`${dashboard.base}#/audit?level=CITY&demo=maybe`);
    await page.waitForSelector('#app[data-view="audit"][data-state="error"]');
    expect(await page.textContent('#app .state.error')).toContain('查询条件无效');
    expect(await page.inputValue('select[name="demo"]')).toBe('maybe');
    await checkBothSizes('audit?level=CITY&demo=hide', 'audit-demo-hidden');
  });

  it('report: with no report for the year, it links to the years there are reports for, never to itself', async () => {
    await open(`report?agency=${encodeURIComponent(HEALTH)}&year=2015`);
    expect(await text('.state.empty')).toContain('没有找到该机关该年度的报告');
    const links = await page.$$eval('.state.empty a', (a) =>
      a.map((x) => [x.textContent, decodeURIComponent(x.getAttribute('href') ?? '')]),
    );
    expect(links).toEqual([['2022', `#/report?agency=${HEALTH}&year=2022`]]);
    // A name no agency has: each agency it matches at its report year nearest the one asked for.
    await open(`report?agency=${encodeURIComponent('中卫市')}&year=2015`);
    const similar = await page.$$eval('.similar a', (a) =>
      a.map((x) => decodeURIComponent(x.getAttribute('href') ?? '')),
    );
    expect(similar).toContain(`#/report?agency=${EDUCATION}&year=2019`);
    expect(similar.every((href) => !href.endsWith('year=2015'))).toBe(true);
    await page.click(`.similar a[href*="${encodeURIComponent(EDUCATION)}"]`);
    await page.waitForSelector('#app[data-state="ready"] .report-head');
    expect(await text('.report-head h1')).toContain(`${EDUCATION} · 2019`);
    await checkBothSizes(`report?agency=${encodeURIComponent(HEALTH)}&year=2015`, 'report-missing');
  });
});
