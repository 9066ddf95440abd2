import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.ts';
import { type FixtureSite, reportDocx } from '../support/fixture-site.ts';
import { freshSiteEachTest, oneReport, runCollectIn as run } from './site-suite.ts';

// No retries within a run: the attachment's one 503 is what the run sees.
const ONCE = ['--delay', '0', '--timeout', '3000', '--retries', '0'];

describe('collect: an attachment that could not be fetched', () => {
  let db: Db;
  let site: FixtureSite;
  const report = oneReport();
  freshSiteEachTest(
    {
      extra: [
        // A page that only links to its attachment; it answers 304 to a conditional request.
        {
          path: '/more/page.html',
          title: `${report.agency.name}2022年政府信息公开工作年度报告`,
          body: Buffer.from(
            '<html><body><p>全文见附件。</p><a href="report.docx">附件下载</a></body></html>',
          ),
          type: 'text/html; charset=utf-8',
        },
        {
          path: '/more/report.docx',
          title: '',
          body: reportDocx(report.text),
          type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          unlisted: true,
        },
      ],
      unavailableOnce: ['/more/report.docx'],
    },
    (d, s) => {
      db = d;
      site = s;
    },
  );

  it('fails the link, naming the attachment, and the next run reads the page in full and imports it', async () => {
    const first = await run([site.extraSeed, ...ONCE]);
    expect(first.code).toBe(1);
    const text = first.summary.join('\n');
    expect(text).toMatch(/refused\s+0/);
    expect(text).toMatch(/failed\s+1/);
    expect(text).toContain(`${site.url}/more/page.html: ${site.url}/more/report.docx: HTTP 503`);

    const second = await run([site.extraSeed, ...ONCE]);
    expect(second.code, second.out.join('\n')).toBe(0);
    expect(second.summary.join('\n')).toMatch(/imported\s+1/);
    expect(site.notModified.get('/more/page.html')).toBeUndefined();
    expect(site.served.get('/more/report.docx')).toBe(1);
    expect(await db.reportRevision.count()).toBe(1);
  });

  it('--recheck reads a refused page in full, so its attachments are asked again', async () => {
    await run([site.extraSeed, ...ONCE]);
    // As an earlier version recorded such a page: refused, to be asked conditionally.
    await db.collectedDocument.update({
      where: { url: `${site.url}/more/page.html` },
      data: { status: 'REFUSED' },
    });
    const recheck = await run([site.extraSeed, ...ONCE, '--recheck']);
    expect(recheck.code, recheck.out.join('\n')).toBe(0);
    expect(recheck.summary.join('\n')).toMatch(/imported\s+1/);
    expect(site.served.get('/more/page.html')).toBe(2);
    expect(site.served.get('/more/report.docx')).toBe(1);
  });
});
