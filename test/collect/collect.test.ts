import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { Db } from '../../src/store/db.ts';
import { syntheticReports } from '../../src/synthetic/index.ts';
import { type FixtureSite, reportHtml } from '../support/fixture-site.ts';
import { slowPdf } from '../support/hostile-files.ts';
import { freshSiteEachTest, runCollectIn as run } from './site-suite.ts';

// The timeout leaves room for a PDF parse on this process's event loop (the site runs here too) on a loaded CI machine.
const FAST = ['--delay', '0', '--timeout', '3000', '--retries', '2'];

const storedReports = (db: Db) =>
  db.$queryRaw<{ agency: string; year: number; revisions: number; source_url: string }[]>`
    SELECT a.name AS agency, r.year, count(rr.id)::int AS revisions, min(rr.source_url) AS source_url
    FROM report r JOIN agency a ON a.id = r.agency_id JOIN report_revision rr ON rr.report_id = r.id
    GROUP BY a.name, r.year ORDER BY a.name, r.year`;

const total = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);

// Each test collects a whole fixture site (PDF, Word and web pages parsed, each report stored),
// some twice: 18 to 22 s each at a load average of 12 on 2 cores, against vitest's default 30 s.
// What they check is what was fetched and stored, not how fast; a run that hangs still fails.
const WHOLE_SITE = { timeout: 120_000 };

describe('collect from an agency website', WHOLE_SITE, () => {
  let db: Db;
  let site: FixtureSite;
  freshSiteEachTest({ slowMs: 6000 }, (d, s) => {
    db = d;
    site = s;
  });

  it('imports every report on the site exactly once, ignores the rest, honours robots.txt and lists every failure', async () => {
    const { code, out, summary } = await run([site.seed, ...FAST]);
    expect(code, out.join('\n')).toBe(1);

    const stored = await storedReports(db);
    expect(stored.map((r) => [r.agency, r.year, r.revisions])).toEqual(
      site.reports.map((r) => [r.agency, r.year, 1]).sort((a, b) => String(a).localeCompare(String(b))),
    );
    // Each report's provenance is the address it was found at.
    for (const report of site.reports) {
      const row = stored.find((r) => r.agency === report.agency && r.year === report.year);
      expect(row?.source_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/(xxgk|attach)\//);
    }
    // The three generated listing pages were read; news, notices and the disallowed page never fetched.
    for (const page of ['index.html', 'index_1.html', 'index_2.html'])
      expect(site.served.get(`/xxgk/ndbg/${page}`)).toBe(1);
    expect(site.requests.get('/xxgk/private/2021.html')).toBeUndefined();
    expect(site.requests.get('/xxgk/ndbg/202401/t20240110_2.html')).toBeUndefined();
    expect(site.requests.get('/xxgk/tzgg/notice.html')).toBeUndefined();
    expect(site.requests.get('/xxgk/ndbg/202312/news.html')).toBeUndefined();
    // The link of 6,000 characters was said and left out, never fetched; the column went on.
    expect(out.join('\n')).toMatch(
      /✘ http:\/\/127\.0\.0\.1:\d+\/xxgk\/ndbg\/202402\/long\.html\?id=7+… \(2018年政府信息公开工作年度报告\): the address is 6,\d{3} characters long; links past 2,000 are left out/,
    );
    expect(site.requests.get('/xxgk/ndbg/202402/long.html')).toBeUndefined();
    // The report linked twice (relative and absolute) was fetched once.
    expect(site.served.get('/xxgk/ndbg/202401/t20240115_1.html')).toBe(1);
    // The 503 recovered on its retry; the redirect was followed.
    expect(site.requests.get('/xxgk/ndbg/202201/t20220125_7.html')).toBe(2);
    expect(site.requests.get('/xxgk/ndbg/old/report-2021.html')).toBe(1);
    const redirected = await db.collectedDocument.findMany({
      where: { url: { endsWith: '/old/report-2021.html' } },
    });
    expect(redirected[0]?.finalUrl).toBe(`${site.url}/xxgk/ndbg/202101/report-2021.html`);
    expect(redirected[0]?.status).toBe('IMPORTED');
    expect(redirected[0]?.etag).toMatch(/^"/);
    expect(redirected[0]?.lastModified).toBe('Mon, 15 Jan 2024 08:00:00 GMT');

    const text = summary.join('\n');
    expect(text).toContain(`imported         7`);
    expect(text).toContain(`robots.txt       1`);
    expect(text).toContain(`${site.url}/xxgk/ndbg/202101/missing.html: HTTP 404 Not Found`);
    expect(text).toContain(`${site.url}/xxgk/ndbg/202001/slow.html: no complete answer within 3000 ms`);
    expect(text).toMatch(/refused\s+1/);
    expect(text).toContain(`${site.url}/xxgk/ndbg/202401/t20240112_3.html:`);
    expect(text).toMatch(/failed\s+2/);
  });

  it('decodes the GBK page and keeps the attachment, not the page that only links to it', async () => {
    await run([site.seed, ...FAST]);
    const records = await db.collectedDocument.findMany({ orderBy: { url: 'asc' } });
    const byPath = new Map(records.map((r) => [new URL(r.url).pathname, r]));
    expect(byPath.get('/xxgk/ndbg/202301/t20230120_4.html')?.status).toBe('IMPORTED');
    expect(byPath.get('/xxgk/ndbg/202301/t20230118_5.html')?.status).toBe('NOT_REPORT');
    expect(byPath.get('/attach/2023/report-2022.pdf')?.status).toBe('IMPORTED');
    expect(byPath.get('/xxgk/ndbg/202403/files/report.docx')?.reportRevisionId).toEqual(expect.any(Number));
    expect(byPath.get('/xxgk/ndbg/202101/missing.html')).toMatchObject({
      status: 'FAILED',
      failure: 'HTTP 404 Not Found',
    });
  });

  it('a re-run fetches nothing already stored and asks the rest conditionally', async () => {
    await run([site.seed, ...FAST]);
    const servedBefore = new Map(site.served);
    const second = await run([site.seed, ...FAST]);
    const fetchedAgain = [...site.served]
      .filter(([path, n]) => n > (servedBefore.get(path) ?? 0))
      .map(([p]) => p);
    // Only robots.txt and the listing pages, where new reports appear.
    expect(fetchedAgain.sort()).toEqual([
      '/robots.txt',
      '/xxgk/ndbg/index.html',
      '/xxgk/ndbg/index_1.html',
      '/xxgk/ndbg/index_2.html',
    ]);
    // The refused 解读 page was asked conditionally and answered 304.
    expect(site.notModified.get('/xxgk/ndbg/202401/t20240112_3.html')).toBe(1);
    expect(second.summary.join('\n')).toMatch(/imported\s+0/);
    expect((await storedReports(db)).every((r) => r.revisions === 1)).toBe(true);
  });

  it('--recheck asks every stored report again, conditionally: each answers 304 and nothing is stored twice', async () => {
    await run([site.seed, ...FAST]);
    const servedBefore = new Map(site.served);
    const second = await run([site.seed, ...FAST, '--recheck']);
    for (const report of site.reports) expect(site.notModified.get(report.path), report.path).toBe(1);
    const fetchedAgain = [...site.served]
      .filter(([path, n]) => n > (servedBefore.get(path) ?? 0))
      .map(([p]) => p);
    // In full again: robots.txt, the listing, the two pages that only link to their attachment and
    // the refused 解读 page (their 304 would not say which attachments to ask about).
    expect(fetchedAgain.sort()).toEqual([
      '/robots.txt',
      '/xxgk/ndbg/202301/t20230118_5.html',
      '/xxgk/ndbg/202401/t20240112_3.html',
      '/xxgk/ndbg/202403/docx.html',
      '/xxgk/ndbg/index.html',
      '/xxgk/ndbg/index_1.html',
      '/xxgk/ndbg/index_2.html',
    ]);
    expect(second.summary.join('\n')).toMatch(/imported\s+0/);
    expect(second.summary.join('\n')).toMatch(/unchanged\s+7/);
    expect((await storedReports(db)).every((r) => r.revisions === 1)).toBe(true);
  });

  it('resumes an interrupted run without fetching what the first run stored', async () => {
    // Six of the eleven links: workers take them in no fixed order, and four never import
    // (robots.txt, the 解读 page, the 404, the slow page), so at least two do.
    const first = await run([site.seed, ...FAST, '--max-reports', '6']);
    expect(first.summary[0]).toMatch(
      /^Stopped at its limit of 6 reports \(--max-reports; collect the seeds again with a higher one for the rest: what is stored is skipped\): Run (\d+)/,
    );
    // Following it takes nothing up: it would stop at its limit again (it said to follow it).
    const runId = /Run (\d+)/.exec(first.summary[0] ?? '')?.[1] ?? '';
    const followed = await run(['--follow', runId]);
    expect(followed.summary[0]).toMatch(/^Stopped at its limit of 6 reports/);
    expect((await db.collectionRun.findUniqueOrThrow({ where: { id: Number(runId) } })).status).toBe(
      'STOPPED',
    );
    const storedFirst = await db.collectedDocument.findMany({ where: { status: 'IMPORTED' } });
    expect(storedFirst.length).toBeGreaterThan(0);
    expect(storedFirst.length).toBeLessThan(7);
    const served = new Map(site.served);
    await run([site.seed, ...FAST]);
    for (const record of storedFirst)
      expect(site.served.get(new URL(record.url).pathname)).toBe(served.get(new URL(record.url).pathname));
    expect(await storedReports(db)).toHaveLength(7);
    expect(total(site.served)).toBeGreaterThan(total(served));
  });

  it('stops when the signal aborts, and the next run completes', async () => {
    const controller = new AbortController();
    controller.abort();
    const first = await run([site.seed, ...FAST], controller.signal);
    expect(first.summary[0]).toMatch(/^Stopped early/);
    expect(await storedReports(db)).toHaveLength(0);
    const second = await run([site.seed, ...FAST]);
    expect(await storedReports(db), second.out.join('\n')).toHaveLength(7);
  });
});

describe('collect: fetched documents are parsed under the upload limits', WHOLE_SITE, () => {
  let db: Db;
  let site: FixtureSite;
  const [report] = syntheticReports({
    agencies: 1,
    years: { from: 2023, to: 2023 },
    seed: 41,
    inconsistencyRate: 0,
  });
  if (!report) throw new Error('synthetic report');
  freshSiteEachTest(
    {
      extra: [
        // 12 MB of drawing in 40 kB: pdf.js alone reads it for several seconds.
        {
          path: '/more/heavy.pdf',
          title: '2023年政府信息公开工作年度报告（PDF版）',
          body: Buffer.from(slowPdf(12)),
          type: 'application/pdf',
        },
        {
          path: '/more/report.html',
          title: `${report.agency.name}2023年政府信息公开工作年度报告`,
          body: Buffer.from(reportHtml(report.text)),
          type: 'text/html; charset=utf-8',
        },
      ],
    },
    (d, s) => {
      db = d;
      site = s;
    },
  );

  it('a document that takes longer than PARSE_TIMEOUT_MS is refused, naming it, and the run goes on', async () => {
    const { code, out, summary } = await run([site.extraSeed, ...FAST], undefined, {
      PARSE_TIMEOUT_MS: '1500',
    });
    expect(code, out.join('\n')).toBe(1);
    expect(summary.join('\n')).toMatch(
      /heavy\.pdf: TOO_LARGE: Parsing the file took longer than 1500 ms \(PARSE_TIMEOUT_MS\) and was stopped\./,
    );
    expect((await storedReports(db)).map((r) => [r.agency, r.year])).toEqual([[report.agency.name, 2023]]);
  });
});

describe('collect --help', () => {
  it('documents every option, and the main help lists the command', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    const help = out.join('\n');
    for (const option of [
      '--seeds',
      '--per-host',
      '--delay',
      '--timeout',
      '--retries',
      '--max-reports',
      '--progress',
      '--max-bytes',
      '--recheck',
      '--allow-private-addresses',
      '--concurrency',
      '--job-expiry',
      '--detach',
      '--follow',
      '--no-work',
      'worker [--concurrency N]',
    ])
      expect(help).toContain(option);
    const log: string[] = [];
    const original = console.log;
    console.log = (text: string) => log.push(text);
    try {
      expect(await main(['--help'])).toBe(0);
    } finally {
      console.log = original;
    }
    expect(log.join('\n')).toContain('collect <seed URL>...');
  });

  it('a site that cannot be reached is said, with its reason, and the run exits 1', async () => {
    // Port 1: nothing listens, so robots.txt cannot be read and the site allows nothing.
    const seed = 'http://127.0.0.1:1/xxgk/ndbg/index.html';
    const { code, summary } = await run([seed, '--delay', '0', '--retries', '0']);
    expect(code).toBe(1);
    const text = summary.join('\n');
    expect(text).toMatch(/robots\.txt\s+1 {2}links not fetched for robots\.txt:/);
    expect(text).toContain(`    ${seed}: http://127.0.0.1:1/robots.txt could not be read (connection failed`);
  });

  it('refuses a seed that is not an http(s) URL', async () => {
    const { code, err } = await run(['ftp://example/']);
    expect(code).toBe(2);
    expect(err).toContain('not an http(s) URL');
  });
});
