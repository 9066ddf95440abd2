/**
 * A report link whose page holds more than one report: several attachments (three departments'
 * reports, or one report in two formats), or a page that is a report and links another year's.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.ts';
import { syntheticReports } from '../../src/synthetic/index.ts';
import { type FixtureSite, reportDocx, reportHtml } from '../support/fixture-site.ts';
import { freshSiteEachTest, runCollectIn as run } from './site-suite.ts';

const FAST = ['--delay', '0', '--timeout', '3000', '--retries', '0'];
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const HTML = 'text/html; charset=utf-8';

const [p22, p23, q22, q23, r22, r23, s22] = [
  ...syntheticReports({ agencies: 4, years: { from: 2022, to: 2023 }, seed: 41, inconsistencyRate: 0 }),
];
if (!p22 || !p23 || !q22 || !q23 || !r22 || !r23 || !s22) throw new Error('synthetic reports');

const attachment = (path: string, body: Buffer) => ({ path, title: '', body, type: DOCX, unlisted: true });
const page = (links: string) => Buffer.from(`<html><body><p>全文见附件。</p>${links}</body></html>`);
const withLink = (html: string, link: string) =>
  html.replace('</body>', `<div class="side">${link}</div></body>`);
// The same report's text with a line more: other bytes, the same figures.
const otherBytes = (text: string) => `${text}\n（可下载Word版）\n`;
// A 更正版: the report with one figure (table 2's first) one more.
const corrected = (text: string) =>
  text.replace(/^([^\t\n]+\t)(\d+)/m, (_, label, n) => `${label}${Number(n) + 1}`);
// The page's view counter, changed in place between runs as a site's CMS does.
const counted = Buffer.from(
  withLink(reportHtml(`${r23.text}\n浏览次数：0001\n`), '<a href="files/r22.docx">2022年报告</a>'),
);

const revisions = (db: Db) =>
  db.reportRevision.findMany({
    select: {
      number: true,
      sourceUrl: true,
      report: { select: { year: true, agency: { select: { name: true } } } },
    },
    orderBy: { id: 'asc' },
  });

describe('collect: a report link holding more than one report', () => {
  let db: Db;
  let site: FixtureSite;
  freshSiteEachTest(
    {
      extra: [
        {
          path: '/more/departments.html',
          title: '2023年各部门政府信息公开工作年度报告',
          body: page(
            ['p23.docx', 'q23.docx', 'p23-word.docx']
              .map((f) => `<p><a href="files/${f}">${f}</a></p>`)
              .join(''),
          ),
          type: HTML,
        },
        attachment('/more/files/p23.docx', reportDocx(p23.text)),
        attachment('/more/files/q23.docx', reportDocx(q23.text)),
        attachment('/more/files/p23-word.docx', reportDocx(otherBytes(p23.text))),
        // A page that is its report, with a sidebar linking last year's as an attachment.
        {
          path: '/more/r23.html',
          title: `${r23.agency.name}2023年政府信息公开工作年度报告`,
          body: counted,
          type: HTML,
        },
        attachment('/more/files/r22.docx', reportDocx(r22.text)),
        // A page repeating its attachment's report: one report, stored once.
        {
          path: '/more/q22.html',
          title: `${q22.agency.name}2022年政府信息公开工作年度报告`,
          body: Buffer.from(withLink(reportHtml(q22.text), '<a href="files/q22.docx">附件</a>')),
          type: HTML,
        },
        attachment('/more/files/q22.docx', reportDocx(q22.text)),
        // A report and its correction, side by side: two revisions, the correction current.
        {
          path: '/more/s22.html',
          title: `${s22.agency.name}2022年政府信息公开工作年度报告`,
          // The correction listed first, as pages that put the newest on top do.
          body: page('<a href="files/s22-corrected.docx">更正版</a><a href="files/s22.docx">原文</a>'),
          type: HTML,
        },
        attachment('/more/files/s22.docx', reportDocx(s22.text)),
        attachment('/more/files/s22-corrected.docx', reportDocx(corrected(s22.text))),
      ],
    },
    (d, s) => {
      db = d;
      site = s;
    },
  );

  it('keeps every report of a page, one revision for one report in two formats, and counts each', async () => {
    const first = await run([site.extraSeed, ...FAST]);
    expect(first.code, first.out.join('\n')).toBe(0);
    const stored = await revisions(db);
    const byReport = (name: string, year: number) =>
      stored.filter((r) => r.report.agency.name === name && r.report.year === year);
    expect(byReport(p23.agency.name, 2023)).toEqual([
      expect.objectContaining({ number: 1, sourceUrl: `${site.url}/more/files/p23.docx` }),
    ]);
    expect(byReport(q23.agency.name, 2023)).toEqual([
      expect.objectContaining({ number: 1, sourceUrl: `${site.url}/more/files/q23.docx` }),
    ]);
    expect(byReport(r23.agency.name, 2023)).toEqual([
      expect.objectContaining({ number: 1, sourceUrl: `${site.url}/more/r23.html` }),
    ]);
    expect(byReport(q22.agency.name, 2022)).toEqual([
      expect.objectContaining({ number: 1, sourceUrl: `${site.url}/more/files/q22.docx` }),
    ]);
    expect(byReport(r22.agency.name, 2022)).toEqual([
      expect.objectContaining({ number: 1, sourceUrl: `${site.url}/more/files/r22.docx` }),
    ]);
    expect(byReport(s22.agency.name, 2022)).toEqual([
      expect.objectContaining({ number: 1, sourceUrl: `${site.url}/more/files/s22.docx` }),
      expect.objectContaining({ number: 2, sourceUrl: `${site.url}/more/files/s22-corrected.docx` }),
    ]);
    const current = await db.report.findFirst({
      where: { agency: { name: s22.agency.name }, year: 2022 },
      select: { currentRevision: { select: { number: true } } },
    });
    expect(current?.currentRevision?.number).toBe(2);
    expect(stored).toHaveLength(7);
    const text = first.summary.join('\n');
    expect(text).toMatch(/imported\s+7/);
    expect(text).toMatch(/unchanged\s+1/);
    const documents = await db.collectedDocument.findMany({ select: { url: true, status: true } });
    const status = Object.fromEntries(documents.map((d) => [d.url.replace(site.url, ''), d.status]));
    expect(status).toMatchObject({
      '/more/departments.html': 'NOT_REPORT',
      '/more/files/p23-word.docx': 'IMPORTED',
      '/more/q22.html': 'NOT_REPORT',
      '/more/r23.html': 'IMPORTED',
    });
  });

  it('--recheck adds no revision for a page whose view counter alone changed', async () => {
    await run([site.extraSeed, ...FAST]);
    counted.write('0002', counted.indexOf('0001'));
    const recheck = await run([site.extraSeed, ...FAST, '--recheck']);
    expect(recheck.code, recheck.out.join('\n')).toBe(0);
    expect(site.served.get('/more/r23.html')).toBe(2);
    expect(await db.reportRevision.count()).toBe(7);
    expect(recheck.summary.join('\n')).toMatch(/imported\s+0/);
  });
});

describe('collect: two attachments of one report on a site that sends no validators', () => {
  let db: Db;
  let site: FixtureSite;
  freshSiteEachTest(
    {
      withoutValidators: true,
      extra: [
        {
          path: '/more/p22.html',
          title: `${p22.agency.name}2022年政府信息公开工作年度报告`,
          body: page('<a href="files/p22.docx">原文</a><a href="files/p22-corrected.docx">更正版</a>'),
          type: HTML,
        },
        attachment('/more/files/p22.docx', reportDocx(p22.text)),
        attachment('/more/files/p22-corrected.docx', reportDocx(corrected(p22.text))),
      ],
    },
    (d, s) => {
      db = d;
      site = s;
    },
  );

  it('--recheck, which reads both in full each time, imports neither again: the current revision is not switched back and forth, and none is added', async () => {
    const current = async () =>
      (
        await db.report.findFirst({
          where: { agency: { name: p22.agency.name }, year: 2022 },
          select: { currentRevision: { select: { number: true } } },
        })
      )?.currentRevision?.number;
    const first = await run([site.extraSeed, ...FAST]);
    expect(first.code, first.out.join('\n')).toBe(0);
    expect(await db.reportRevision.count()).toBe(2);
    expect(await current()).toBe(2);
    // Each attachment's bytes were imported again: the original's made revision 1 current
    // (RESTORED), then the correction's revision 2, on every run.
    for (const recheck of [1, 2]) {
      const again = await run([site.extraSeed, ...FAST, '--recheck']);
      expect(again.code, again.out.join('\n')).toBe(0);
      expect(site.served.get('/more/files/p22.docx'), `recheck ${recheck}`).toBe(recheck + 1);
      expect(again.out.filter((l) => l.includes('RESTORED'))).toEqual([]);
      expect(again.summary.join('\n')).toMatch(/imported\s+0\b/);
      expect(again.summary.join('\n')).toMatch(/unchanged\s+2\b/);
      expect(await db.reportRevision.count(), `recheck ${recheck}`).toBe(2);
      expect(await current(), `recheck ${recheck}`).toBe(2);
    }
  });
});
