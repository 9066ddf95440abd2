import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { collect, DEFAULT_FETCH_SETTINGS, DEFAULT_RUN_SETTINGS } from '../../src/collect/index.ts';
import type { Db } from '../../src/store/db.ts';
import { databaseUrl } from '../support/db.ts';
import { reportHtml } from '../support/fixture-site.ts';
import { oneReport, ownSiteEachTest } from './site-suite.ts';

const PAGES = 8;
const PAGE_MS = 600;

/** A column of PAGES generated pages, each answering after PAGE_MS; the last links to a report. */
async function startSlowColumn() {
  const report = oneReport();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const html = { 'content-type': 'text/html; charset=utf-8' };
    if (path === '/robots.txt') return response.writeHead(404).end();
    if (path === '/r.html') return response.writeHead(200, html).end(reportHtml(report.text));
    const listing = /^\/long\/index(?:_(\d+))?\.html$/.exec(path);
    if (!listing) return response.writeHead(404).end();
    const n = Number(listing[1] ?? 0);
    const link =
      n === PAGES - 1 ? `<a href="/r.html">${report.agency.name}2022年政府信息公开工作年度报告</a>` : '';
    const body = `<html><body>${link}<script>createPageHTML(${PAGES}, ${n}, "index", "html");</script></body></html>`;
    setTimeout(() => response.writeHead(200, html).end(body), PAGE_MS);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, seed: `http://127.0.0.1:${(server.address() as AddressInfo).port}/long/index.html` };
}

describe('collect: a job that takes longer than its expiry', () => {
  let db: Db;
  const { serving } = ownSiteEachTest((d) => {
    db = d;
  });

  it('keeps its job while its worker works: a listing read over twice the expiry is read once, to its end', async () => {
    const site = await startSlowColumn();
    serving(site.server);
    const settings = {
      ...DEFAULT_RUN_SETTINGS,
      fetch: { ...DEFAULT_FETCH_SETTINGS, delayMs: 0, retries: 0, timeoutMs: 5_000 },
      // The listing takes about 5 s; its job expires after 2 s unless kept, and is not retried.
      jobExpirySeconds: 2,
      jobRetries: 0,
    };
    // Listing pages counted as they are read: some, not all, while the seed is still being read.
    let seenMidway = false;
    const summary = await collect(db, databaseUrl(), {
      start: { seeds: [site.seed], settings, startedBy: 'test' },
      concurrency: 2,
      worker: { actor: 'test', pollingSeconds: 0.5 },
      // Expired jobs are looked for every second.
      maintenanceSeconds: 1,
      progressMs: 100,
      onProgress: async (counts) => {
        if (counts.pages > 0 && counts.pages < PAGES) seenMidway = true;
      },
    });
    expect(summary.failures).toEqual([]);
    expect(summary.counts).toMatchObject({ pages: PAGES, found: 1, imported: 1, failed: 0 });
    const seed = await db.collectionItem.findFirstOrThrow({ where: { kind: 'SEED' } });
    expect(seed).toMatchObject({ outcome: 'READ', attempts: 1 });
    expect(seenMidway).toBe(true);
  });
});
