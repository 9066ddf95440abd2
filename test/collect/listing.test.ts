import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { reportHtml } from '../support/fixture-site.ts';
import { oneReport, ownSiteEachTest, runCollectIn as run } from './site-suite.ts';

const FAST = ['--delay', '0', '--timeout', '3000', '--retries', '0'];

const report = oneReport();
const reportLink = `<a href="/r1.html">${report.agency.name}2022年政府信息公开工作年度报告</a>`;
const page = (body: string, charset = 'utf-8') =>
  `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=${charset}"><title>年报</title></head><body>${body}</body></html>`;
const HTML = { 'content-type': 'text/html; charset=utf-8' };

/**
 * Columns as misconfigured or hostile sites serve them; `asked` counts requests per path and
 * query. `crawlDelay` goes into robots.txt.
 */
async function startSite(crawlDelay?: number) {
  const asked = new Map<string, number>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    asked.set(url.pathname + url.search, (asked.get(url.pathname + url.search) ?? 0) + 1);
    if (url.pathname === '/robots.txt')
      return response
        .writeHead(200)
        .end(`User-agent: *\nAllow: /\n${crawlDelay ? `Crawl-delay: ${crawlDelay}\n` : ''}`);
    if (url.pathname === '/r1.html') return response.writeHead(200, HTML).end(reportHtml(report?.text ?? ''));
    // GBK bytes, a <meta> that says gbk, and a server that says UTF-8.
    if (url.pathname === '/gbk/index.html')
      return response
        .writeHead(200, HTML)
        .end(iconv.encode(page(`<ul><li>${reportLink}</li></ul>`, 'gbk'), 'gbk'));
    if (url.pathname === '/empty/index.html')
      return response.writeHead(200, HTML).end(page('<p>栏目建设中</p>'));
    // Every page links to the next: a trap (ended at 30 so that a collector without a cap ends too).
    if (url.pathname === '/trap/index.html') {
      const n = Number(url.searchParams.get('n') ?? 0);
      const next = n < 30 ? `<a href="index.html?n=${n + 1}">下一页</a>` : '';
      return response.writeHead(200, HTML).end(page(`${n === 1 ? reportLink : ''}${next}`));
    }
    // A long column, slow to answer: index.html, index_1.html … index_19.html, each linking the
    // next, the report on the last.
    const long = /^\/long\/index(?:_(\d+))?\.html$/.exec(url.pathname);
    if (long) {
      const n = Number(long[1] ?? 0);
      const body = n < 19 ? `<a href="index_${n + 1}.html">下一页</a>` : reportLink;
      setTimeout(() => response.writeHead(200, HTML).end(page(body)), 200);
      return;
    }
    // A seed that redirects into its column, whose script numbers its pages from 1 under their
    // own name, as csrc.gov.cn's do: common_list.shtml, common_list_2.shtml.
    if (url.pathname === '/ndbg')
      return response.writeHead(301, { location: '/ndbg/common_list.shtml' }).end();
    const paged = /^\/ndbg\/common_list(?:_(\d))?\.shtml$/.exec(url.pathname);
    if (paged) {
      const n = Number(paged[1] ?? 1);
      const links = n === 2 ? reportLink : '<a href="/elsewhere.html">关于开展政务公开工作的通知</a>';
      return response
        .writeHead(200, HTML)
        .end(
          page(
            `${links}<div id="page_div"></div><script>createPageHTML('page_div',2, ${n},'common_list','shtml',2);</script>`,
          ),
        );
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, asked, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('collect: listings as sites serve them', () => {
  const { serving } = ownSiteEachTest();

  it('reads a GBK listing served as charset=utf-8 in its <meta> charset, and imports its report', async () => {
    const site = await startSite();
    serving(site.server);
    const { code, out, summary } = await run([`${site.origin}/gbk/index.html`, ...FAST]);
    expect(code, out.join('\n')).toBe(0);
    expect(summary.join('\n')).toMatch(/1 listing page, 1 report link,/);
    expect(summary.join('\n')).toMatch(/imported\s+1/);
    expect(summary.join('\n')).not.toContain('warning');
  });

  it('follows a seed that redirects into its column, and the pages its script numbers from 1 under their own name', async () => {
    const site = await startSite();
    serving(site.server);
    const { code, out, summary } = await run([`${site.origin}/ndbg`, ...FAST]);
    expect(code, out.join('\n')).toBe(0);
    expect(site.asked.get('/ndbg/common_list_2.shtml')).toBe(1);
    // The page the seed led to is not read again under its own address (page 1 of the script's).
    expect(site.asked.get('/ndbg/common_list.shtml')).toBe(1);
    expect(summary.join('\n')).toMatch(/imported\s+1/);
  });

  it('a stop while a long listing is read stops it between pages; the run taken up reads it again, to its end', async () => {
    const site = await startSite();
    serving(site.server);
    const controller = new AbortController();
    const started = Date.now();
    const first = run([`${site.origin}/long/index.html`, ...FAST], controller.signal);
    while (!site.asked.has('/long/index_1.html')) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    const stopped = await first;
    // It used to read all 20 pages (every page of a thousand-page column) before it stopped.
    expect(stopped.summary[0]).toMatch(/^Stopped early/);
    expect(site.asked.has('/long/index_10.html')).toBe(false);
    expect(Date.now() - started).toBeLessThan(4_000);
    const again = await run(['--follow', String(/Run (\d+)/.exec(stopped.summary[0] ?? '')?.[1]), ...FAST]);
    expect(again.code, again.out.join('\n')).toBe(0);
    expect(site.asked.get('/long/index_19.html')).toBe(1);
    expect(again.summary.join('\n')).toMatch(/imported\s+1/);
  });

  it('names a listing page that holds no report link in a warning', async () => {
    const site = await startSite();
    serving(site.server);
    const { summary } = await run([`${site.origin}/empty/index.html`, ...FAST]);
    expect(summary.join('\n')).toContain(
      `  warning: 1 listing page read with no link titled as a report on it (is it the column's page? its charset?):\n    ${site.origin}/empty/index.html`,
    );
  });

  it('reads at most --max-listing-pages pages of a seed, fails it naming the cap, and collects the reports found', async () => {
    const site = await startSite();
    serving(site.server);
    const seed = `${site.origin}/trap/index.html`;
    const { code, out, summary } = await run([seed, ...FAST, '--max-listing-pages', '5']);
    expect(code, out.join('\n')).toBe(1);
    const trapPages = [...site.asked.keys()].filter((path) => path.startsWith('/trap/'));
    expect(trapPages).toHaveLength(5);
    const text = summary.join('\n');
    expect(text).toMatch(/^Run \d+: 5 listing pages, 1 report link,/);
    expect(text).toMatch(/imported\s+1/);
    expect(text).toMatch(/failed\s+1/);
    expect(text).toContain(`    ${seed}: listing stopped after 5 pages (--max-listing-pages 5)`);
  });

  it('a robots.txt Crawl-delay longer than collect waits refuses the site, saying so, instead of going faster', async () => {
    const site = await startSite(300);
    serving(site.server);
    const { summary } = await run([`${site.origin}/gbk/index.html`, ...FAST]);
    expect(summary.join('\n')).toContain(
      `${site.origin}/robots.txt asks for a Crawl-delay of 300 s between requests, more than collect waits (120 s)`,
    );
    expect(site.asked.get('/gbk/index.html')).toBeUndefined();
  });
});
