/**
 * A local imitation of an agency website's 政府信息公开年报 column, on 127.0.0.1 at a random
 * port, for collect's tests and the README's example run. It counts what it serves (full
 * answers and 304s) per path, so tests can prove what was and was not fetched.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import iconv from 'iconv-lite';
import { syntheticReports } from '../../src/synthetic/index.ts';
import { zipArchive } from './zip.ts';

const formats = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/formats/${name}`, import.meta.url)));

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Tab-separated report text as markup: each plain line a paragraph, each run of tab lines a
 * table of rows of cells, in the vocabulary `tags` gives (HTML or WordprocessingML).
 */
function reportMarkup(
  text: string,
  tags: { paragraph: (t: string) => string; table: string; row: string; cell: (t: string) => string },
): string {
  const body: string[] = [];
  let rows: string[] | null = null;
  for (const line of [...text.split('\n'), '']) {
    if (line.includes('\t')) {
      rows ??= [];
      rows.push(`<${tags.row}>${line.split('\t').map(tags.cell).join('')}</${tags.row}>`);
      continue;
    }
    if (rows) body.push(`<${tags.table}>${rows.join('')}</${tags.table.split(' ')[0]}>`);
    rows = null;
    if (line.trim()) body.push(tags.paragraph(line));
  }
  return body.join('\n');
}

/** Tab-separated report text as an HTML page. */
export function reportHtml(text: string, charset = 'utf-8'): string {
  const body = reportMarkup(text, {
    paragraph: (t) => `<p>${escapeXml(t)}</p>`,
    table: 'table border="1"',
    row: 'tr',
    cell: (t) => `<td>${escapeXml(t)}</td>`,
  });
  return page('政府信息公开工作年度报告', body, charset);
}

function page(title: string, body: string, charset = 'utf-8', script = ''): string {
  return `<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=${charset}"><title>${title}</title></head>
<body><div class="nav"><a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; <a href="/xxgk/ndbg/index.html">政府信息公开年报</a></div>
${body}
${script ? `<script>${script}</script>` : ''}
</body></html>`;
}

/** A minimal Word 2007 document (a ZIP of three XML parts, stored uncompressed) holding the report text. */
export function reportDocx(text: string): Buffer {
  const p = (t: string) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(t)}</w:t></w:r></w:p>`;
  const body = reportMarkup(text, {
    paragraph: p,
    table: 'w:tbl',
    row: 'w:tr',
    cell: (t) => `<w:tc>${p(t)}</w:tc>`,
  });
  const W = 'http://schemas.openxmlformats.org';
  return storedZip({
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${W}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${W}/package/2006/relationships"><Relationship Id="rId1" Type="${W}/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  });
}

function storedZip(files: Record<string, string>): Buffer {
  return zipArchive(
    Object.entries(files).map(([name, text]) => {
      const data = Buffer.from(text, 'utf8');
      return { name, data, method: 0, crc: crc32(data), uncompressedSize: data.length };
    }),
  );
}

interface Resource {
  body: Buffer;
  type: string;
}

export interface FixtureSite {
  url: string;
  /** The column's first page, the seed for collect. */
  seed: string;
  /** Full (200) answers per path. */
  served: Map<string, number>;
  /** 304 answers per path. */
  notModified: Map<string, number>;
  /** Every request per path, whatever the answer. */
  requests: Map<string, number>;
  /** Report paths and the agency and year each holds. */
  reports: { path: string; agency: string; year: number }[];
  /** The bulk column's first page, when `bulk` was asked for. */
  bulkSeed: string;
  /** The bulk column's reports (HTML pages). */
  bulkReports: { path: string; agency: string; year: number }[];
  /** The /more/ column of `extra` documents. */
  extraSeed: string;
  close(): Promise<void>;
}

export interface FixtureSiteOptions {
  /** How long the slow page takes (default 5000 ms). */
  slowMs?: number;
  /**
   * A second column, /bulk/, of this many synthetic HTML reports over generated pages of ten
   * links: for several workers at once and for throughput.
   */
  bulk?: number;
  /** Every bulk report page answers after this long, as a far-away site does. */
  bulkLatencyMs?: number;
  /** A Crawl-delay line in robots.txt (seconds). */
  crawlDelay?: number;
  /**
   * A third column, /more/, linking these documents, each titled as a report: `extraSeed`. An
   * `unlisted` one is only served (an attachment a listed page links to).
   */
  extra?: { path: string; title: string; body: Buffer; type: string; unlisted?: boolean }[];
  /** Paths that answer 503 (without Retry-After) the first time they are asked. */
  unavailableOnce?: string[];
  /**
   * No ETag or Last-Modified on any answer, as many sites' servers send: every request, a
   * conditional one too, is answered in full.
   */
  withoutValidators?: boolean;
}

const BULK_PER_PAGE = 10;

/** The /bulk/ column: listing pages with generated pagination, and its report pages. */
function bulkColumn(count: number): { resources: [string, Resource][]; reports: FixtureSite['bulkReports'] } {
  if (count === 0) return { resources: [], reports: [] };
  const years = { from: 2019, to: 2024 };
  const texts = [
    ...syntheticReports({ agencies: Math.ceil(count / 6), years, seed: 29, inconsistencyRate: 0 }),
  ].slice(0, count);
  const pages = Math.ceil(count / BULK_PER_PAGE);
  const resources: [string, Resource][] = [];
  const reports = texts.map((r, i) => ({
    path: `/bulk/${r.year}/r${i}.html`,
    agency: r.agency.name,
    year: r.year,
  }));
  for (let n = 0; n < pages; n++) {
    const links = reports
      .slice(n * BULK_PER_PAGE, (n + 1) * BULK_PER_PAGE)
      .map((r) => `<li><a href="${r.path}">${r.agency}${r.year}年政府信息公开工作年度报告</a></li>`)
      .join('');
    resources.push([
      `/bulk/${n === 0 ? 'index' : `index_${n}`}.html`,
      {
        body: Buffer.from(
          page(
            '政府信息公开年报',
            `<ul>${links}</ul>`,
            'utf-8',
            `createPageHTML(${pages}, ${n}, "index", "html");`,
          ),
        ),
        type: 'text/html; charset=utf-8',
      },
    ]);
  }
  texts.forEach((r, i) => {
    resources.push([
      reports[i]?.path as string,
      { body: Buffer.from(reportHtml(r.text)), type: 'text/html; charset=utf-8' },
    ]);
  });
  return { resources, reports };
}

const LAST_MODIFIED = 'Mon, 15 Jan 2024 08:00:00 GMT';

/**
 * Starts the site. The column lists seven reports over three generated pages: HTML in UTF-8,
 * HTML in GBK, a PDF attachment behind a page that only links to it, a DOCX attachment, a
 * text page, one behind a redirect and one that answers 503 once; besides a 404, a page
 * slower than any sensible timeout, one under a path robots.txt disallows, a 解读 page
 * titled like a report, and news and notices.
 */
export async function startFixtureSite(options: FixtureSiteOptions = {}): Promise<FixtureSite> {
  const [a21, a22, a23, b21, b22, b23, c21, c22] = [
    ...syntheticReports({ agencies: 3, years: { from: 2021, to: 2023 }, seed: 18, inconsistencyRate: 0 }),
  ];
  if (!a21 || !a22 || !a23 || !b21 || !b22 || !b23 || !c21 || !c22) throw new Error('synthetic reports');
  const html = (text: string, charset = 'utf-8') => ({
    body: charset === 'gbk' ? iconv.encode(reportHtml(text, 'gbk'), 'gbk') : Buffer.from(reportHtml(text)),
    type: `text/html${charset === 'gbk' ? '' : '; charset=utf-8'}`,
  });
  const listing = (n: number, links: string) => ({
    body: Buffer.from(
      page(
        '政府信息公开年报',
        `<ul class="list">${links}</ul><div id="page"></div>`,
        'utf-8',
        `var currentPage = ${n}; var countPage = 3; createPageHTML(3, ${n}, "index", "html");`,
      ),
    ),
    type: 'text/html; charset=utf-8',
  });
  const li = (href: string, title: string) =>
    `<li><a href="${href}" target="_blank">${title}</a><span>2024-01-15</span></li>`;
  const resources = new Map<string, Resource>([
    [
      '/robots.txt',
      {
        body: Buffer.from(
          `User-agent: *\nDisallow: /xxgk/private/\n${options.crawlDelay ? `Crawl-delay: ${options.crawlDelay}\n` : ''}`,
        ),
        type: 'text/plain',
      },
    ],
    [
      '/xxgk/ndbg/index.html',
      listing(
        0,
        [
          li('./202401/t20240115_1.html', `${a23.agency.name}2023年政府信息公开工作年度报告`),
          li('./202401/t20240110_2.html', '关于开展2024年春节走访慰问活动的通知'),
          li('/xxgk/private/2021.html', `${c21.agency.name}2021年政府信息公开工作年度报告`),
          li('./202401/t20240112_3.html', '关于《2023年政府信息公开工作年度报告》的解读'),
          li('./202312/news.html', '我局召开年度工作总结会'),
        ].join(''),
      ),
    ],
    [
      '/xxgk/ndbg/index_1.html',
      listing(
        1,
        [
          // An absolute link, to the GBK page.
          li(
            '{origin}/xxgk/ndbg/202301/t20230120_4.html',
            `${b22.agency.name}2022年政府信息公开工作年度报告`,
          ),
          li('202301/t20230118_5.html', `${c22.agency.name}2022年度政府信息公开工作年度报告`),
          li('./202201/t20220119_6.html', `${b21.agency.name}2021年政府信息公开工作年度报告`),
          li('./old/report-2021.html', `${a21.agency.name}2021年政府信息公开年报`),
          li('index_2.html', '下一页'),
        ].join(''),
      ),
    ],
    [
      '/xxgk/ndbg/index_2.html',
      listing(
        2,
        [
          li('./202201/t20220125_7.html', `${a22.agency.name}2022年政府信息公开工作年度报告`),
          li('./202101/missing.html', '2020年政府信息公开工作年度报告'),
          li('./202001/slow.html', '2019年政府信息公开工作年度报告'),
          li('./202403/docx.html', `${b23.agency.name}2023年政府信息公开工作年度报告`),
          // The first report again, as an absolute link: fetched once.
          li(
            '{origin}/xxgk/ndbg/202401/t20240115_1.html',
            `${a23.agency.name}2023年政府信息公开工作年度报告`,
          ),
          li('/xxgk/tzgg/notice.html', '关于政府信息公开申请渠道调整的公告'),
          // A link too long to keep (6,000 characters): said and left out; the column goes on.
          li(`./202402/long.html?id=${'7'.repeat(6_000)}`, '2018年政府信息公开工作年度报告'),
        ].join(''),
      ),
    ],
    ['/xxgk/ndbg/202401/t20240115_1.html', html(a23.text)],
    ['/xxgk/ndbg/202301/t20230120_4.html', html(b22.text, 'gbk')],
    [
      '/xxgk/ndbg/202301/t20230118_5.html',
      {
        body: Buffer.from(
          page(
            '年报',
            '<p>附件：<a href="../../../attach/2023/report-2022.pdf">2022年政府信息公开工作年度报告.pdf</a></p>',
          ),
        ),
        type: 'text/html; charset=utf-8',
      },
    ],
    ['/attach/2023/report-2022.pdf', { body: formats('report.pdf'), type: 'application/pdf' }],
    [
      '/xxgk/ndbg/202201/t20220119_6.html',
      { body: Buffer.from(b21.text), type: 'text/plain; charset=utf-8' },
    ],
    ['/xxgk/ndbg/202101/report-2021.html', html(a21.text)],
    ['/xxgk/ndbg/202201/t20220125_7.html', html(a22.text)],
    [
      '/xxgk/ndbg/202403/docx.html',
      {
        body: Buffer.from(page('年报', '<p>全文见附件。</p><p><a href="files/report.docx">附件下载</a></p>')),
        type: 'text/html; charset=utf-8',
      },
    ],
    [
      '/xxgk/ndbg/202403/files/report.docx',
      {
        body: reportDocx(b23.text),
        type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      },
    ],
    ['/xxgk/private/2021.html', html(c21.text)],
    [
      '/xxgk/ndbg/202401/t20240112_3.html',
      {
        body: Buffer.from(page('解读', '<p>一图读懂2023年政府信息公开工作年度报告。</p>')),
        type: 'text/html; charset=utf-8',
      },
    ],
  ]);
  const bulk = bulkColumn(options.bulk ?? 0);
  for (const [path, resource] of bulk.resources) resources.set(path, resource);
  const extra = options.extra ?? [];
  resources.set('/more/index.html', {
    body: Buffer.from(
      page(
        '政府信息公开年报',
        `<ul class="list">${extra
          .filter((d) => !d.unlisted)
          .map((d) => li(d.path, d.title))
          .join('')}</ul>`,
      ),
    ),
    type: 'text/html; charset=utf-8',
  });
  for (const d of extra) resources.set(d.path, { body: d.body, type: d.type });
  const served = new Map<string, number>();
  const notModified = new Map<string, number>();
  const requests = new Map<string, number>();
  const bump = (map: Map<string, number>, path: string) => map.set(path, (map.get(path) ?? 0) + 1);
  let unavailableOnce = true;
  const unavailable = new Set(options.unavailableOnce);
  let origin = '';

  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    bump(requests, path);
    if (path === '/xxgk/ndbg/old/report-2021.html') {
      response.writeHead(301, { location: '/xxgk/ndbg/202101/report-2021.html' }).end();
      return;
    }
    if (path === '/xxgk/ndbg/202201/t20220125_7.html' && unavailableOnce) {
      unavailableOnce = false;
      response.writeHead(503, { 'retry-after': '0' }).end('Service Unavailable');
      return;
    }
    if (path === '/xxgk/ndbg/202001/slow.html') {
      setTimeout(
        () => response.writeHead(200, { 'content-type': 'text/html' }).end('<p>late</p>'),
        options.slowMs ?? 5000,
      );
      return;
    }
    if (unavailable.delete(path)) {
      response.writeHead(503).end('Service Unavailable');
      return;
    }
    const resource = resources.get(path);
    if (options.bulkLatencyMs && resource && /^\/bulk\/\d{4}\//.test(path)) {
      setTimeout(() => answer(request, response, path, resource), options.bulkLatencyMs);
      return;
    }
    if (!resource) {
      response
        .writeHead(404, { 'content-type': 'text/html; charset=utf-8' })
        .end(page('404', '<p>页面不存在</p>'));
      return;
    }
    answer(request, response, path, resource);
  };

  const answer = (request: IncomingMessage, response: ServerResponse, path: string, resource: Resource) => {
    const body = path.startsWith('/xxgk/ndbg/index')
      ? Buffer.from(resource.body.toString('utf8').replaceAll('{origin}', origin))
      : resource.body;
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    const headers = options.withoutValidators ? {} : { etag, 'last-modified': LAST_MODIFIED };
    const match = request.headers['if-none-match'];
    const since = request.headers['if-modified-since'];
    if (!options.withoutValidators && (match ? match === etag : since === LAST_MODIFIED)) {
      bump(notModified, path);
      response.writeHead(304, headers).end();
      return;
    }
    bump(served, path);
    response
      .writeHead(200, { ...headers, 'content-type': resource.type, 'content-length': body.length })
      .end(body);
  };

  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const reports = [
    ['/xxgk/ndbg/202401/t20240115_1.html', a23],
    ['/xxgk/ndbg/202301/t20230120_4.html', b22],
    ['/attach/2023/report-2022.pdf', null],
    ['/xxgk/ndbg/202201/t20220119_6.html', b21],
    ['/xxgk/ndbg/202101/report-2021.html', a21],
    ['/xxgk/ndbg/202201/t20220125_7.html', a22],
    ['/xxgk/ndbg/202403/files/report.docx', b23],
  ] as const;
  return {
    url: origin,
    seed: `${origin}/xxgk/ndbg/index.html`,
    bulkSeed: `${origin}/bulk/index.html`,
    extraSeed: `${origin}/more/index.html`,
    bulkReports: bulk.reports,
    served,
    notModified,
    requests,
    reports: reports.map(([path, r]) => ({
      path,
      agency: r ? r.agency.name : '宁夏回族自治区中卫市沙坡头区卫生健康局',
      year: r ? r.year : 2022,
    })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
