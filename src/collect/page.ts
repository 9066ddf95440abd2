/**
 * Reading a column's pages: bytes to text in the page's charset, the links with their titles,
 * the generated pagination, and which links are reports or attachments. Pure functions.
 */
import iconv from 'iconv-lite';
import { type DefaultTreeAdapterTypes, parse } from 'parse5';
import { decodeReport } from '../ingest/decode.ts';

type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.Document;
type Element = DefaultTreeAdapterTypes.Element;

export interface Link {
  url: string;
  title: string;
}

const charsetIn = (text: string | null | undefined) =>
  /charset\s*=\s*["']?([\w-]+)/i.exec(text ?? '')?.[1]?.toLowerCase();

// Servers send ISO-8859-1 when nobody configured a charset; no Chinese page is in it.
const UNCONFIGURED = /^(iso-8859-1|latin1|us-ascii|windows-1252)$/;

/** iconv's name of a declared charset, or undefined when it does not know it. */
function iconvName(declared: string | undefined): string | undefined {
  // GB2312 and GBK pages use GB18030 characters often enough; it is a superset of both.
  const charset = declared && /^(gb2312|gbk|gb18030|x-gbk)$/.test(declared) ? 'gb18030' : declared;
  return charset && iconv.encodingExists(charset) ? charset : undefined;
}

/**
 * The page as text: in the charset the server declares, else the page's <meta>, else UTF-8 or
 * GBK by which one the bytes are valid in (the parser's own test). A declaration the bytes are
 * not valid in (a replacement character) is passed over: servers send "charset=utf-8" for GBK
 * pages whose <meta> says gbk, and a listing read so had no report title left.
 */
export function decodePage(bytes: Uint8Array, contentType: string | null): string {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const header = charsetIn(contentType);
  const meta = charsetIn(/<meta[^>]+charset[^>]*>/i.exec(head)?.[0]);
  const declared = [header && UNCONFIGURED.test(header) ? undefined : header, meta]
    .map(iconvName)
    .filter((c) => c !== undefined);
  for (const charset of declared) {
    const text = iconv.decode(Buffer.from(bytes), charset);
    if (!text.includes('\ufffd')) return text;
  }
  const decoded = decodeReport(bytes);
  if (decoded.ok) return decoded.text;
  // Valid in nothing (damaged bytes): the declared charset still reads the rest best.
  return declared[0] ? iconv.decode(Buffer.from(bytes), declared[0]) : new TextDecoder().decode(bytes);
}

const attr = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterTypes.TextNode).value;
  return 'childNodes' in node ? node.childNodes.map(textOf).join('') : '';
}

/** The links of a page (absolute, without fragment, http(s) only) and its scripts' text. */
export function readPage(html: string, pageUrl: string): { links: Link[]; scripts: string } {
  const links: Link[] = [];
  const scripts: string[] = [];
  // Links resolve against the page's first <base href>, as a browser's do.
  let base = pageUrl;
  let based = false;
  const visit = (node: Node) => {
    if (node.nodeName === 'base' && !based) {
      const href = attr(node as Element, 'href');
      if (href) {
        based = true;
        try {
          base = new URL(href.trim(), pageUrl).href;
        } catch {
          // A base that is not a URL is ignored, as a browser ignores it.
        }
      }
    } else if (node.nodeName === 'a') {
      const element = node as Element;
      const href = attr(element, 'href');
      // Listings cut long titles in the text (…2021年政府信息...) and give them whole in title=.
      const text = textOf(element).trim();
      const tip = attr(element, 'title')?.trim();
      const title = (
        tip && (!text || /(\.{2,}|…)$/.test(text) || (!isReportTitle(text) && isReportTitle(tip)))
          ? tip
          : text
      ).replace(/\s+/g, ' ');
      if (href) {
        try {
          const url = new URL(href.trim(), base);
          url.hash = '';
          if (url.protocol === 'http:' || url.protocol === 'https:') links.push({ url: url.href, title });
        } catch {
          // An href that is not a URL (javascript:, a typo) leads nowhere.
        }
      }
    } else if (node.nodeName === 'script') {
      const text = textOf(node);
      // Hanweb (大汉) columns hold their list as records of HTML in an XML block the page's
      // script shows (<script type="text/xml"><datastore><record><![CDATA[<li><a …>]]>): read
      // as the page's own links, which they are once shown.
      if (/<datastore[\s>]/i.test(text)) visit(parse(text.replace(/<!\[CDATA\[|\]\]>/g, '')));
      else scripts.push(text);
    }
    if ('childNodes' in node) for (const child of node.childNodes) visit(child);
  };
  visit(parse(html));
  return { links, scripts: scripts.join('\n') };
}

/**
 * The pages of a column paginated by the script TRS and similar systems generate:
 * `createPageHTML(pageCount, currentPage, "index", "html")` numbers them from 0 (index.html,
 * index_1.html, …); the later form that names its element first,
 * `createPageHTML('page_div', pageCount, currentPage, 'index', 'shtml', records)`, from 1
 * (index.shtml, index_2.shtml, …).
 */
export function generatedPages(scripts: string, pageUrl: string): string[] {
  const call =
    /createPageHTML\(\s*(["'][\w-]*["']\s*,\s*)?(\d+)\s*,\s*\d+\s*,\s*["']([\w-]+)["']\s*,\s*["'](\w+)["']/.exec(
      scripts,
    );
  if (!call) return [];
  const fromOne = call[1] !== undefined;
  const count = Math.min(Number(call[2]), 1000);
  const [name, extension] = [call[3], call[4]];
  return Array.from({ length: count }, (_, i) =>
    i === 0
      ? new URL(`${name}.${extension}`, pageUrl).href
      : new URL(`${name}_${fromOne ? i + 1 : i}.${extension}`, pageUrl).href,
  );
}

/** A page in the column's own folder on its host. */
export function inColumn(url: string, columnUrl: string): boolean {
  const a = new URL(url);
  const column = new URL(columnUrl);
  const folder = (u: URL) => u.pathname.slice(0, u.pathname.lastIndexOf('/') + 1);
  return a.host === column.host && folder(a) === folder(column);
}

/** Query parameters that number a listing's pages (list.jsp?page=2, ?pageNo=2, ?curPage=2 …). */
const PAGE_PARAMETER = /^(page|pageno|pageindex|pagenum|curpage|currentpage|pn)$/i;

/**
 * Another page of the same column's listing: index_3.html; the column page's own name numbered
 * (list.html, list_2.html); or the column page with only a page number changed (?page=2).
 */
export function isListingPage(url: string, columnUrl: string): boolean {
  if (!inColumn(url, columnUrl)) return false;
  const [a, column] = [new URL(url), new URL(columnUrl)];
  if (/\/index(_\d+)?\.s?html?$/.test(a.pathname)) return true;
  const stem = (u: URL) => /\/([^/]+?)(?:_\d+)?\.(s?html?|jsp|php|aspx?)$/.exec(u.pathname);
  const [own, theirs] = [stem(column), stem(a)];
  if (own && theirs && own[1] === theirs[1] && own[2] === theirs[2]) {
    const others = (u: URL) =>
      [...u.searchParams]
        .filter(([name]) => !PAGE_PARAMETER.test(name))
        .map(([n, v]) => `${n}=${v}`)
        .sort()
        .join('&');
    return others(a) === others(column);
  }
  // A folder seed (…/ndbg/) and its pages by number (…/ndbg/?page=2).
  return (
    a.pathname === column.pathname && [...a.searchParams.keys()].some((name) => PAGE_PARAMETER.test(name))
  );
}

const ATTACHMENT = /\.(pdf|docx?|wps)$/i;

/**
 * A link to a document file rather than a page: by its path, or by a file name a download script
 * is given (/module/download/downfile.jsp?classid=0&filename=2024.pdf, as Hanweb sites link them).
 */
export const isAttachment = (url: string) => {
  const parsed = new URL(url);
  return (
    ATTACHMENT.test(parsed.pathname) || [...parsed.searchParams.values()].some((v) => ATTACHMENT.test(v))
  );
};

/**
 * How agencies title their annual report: 政府信息公开工作年度报告 and its short forms, as well as
 * 信息公开年度报告, 2022年度…信息公开工作报告, 政务(信息)公开工作年度报告 and 年报. A work plan of the
 * same column (政务公开工作要点) is none, nor a half year's or a quarter's 信息公开工作报告. Only 政府信息公开…年度报告 and 年报 were taken, and links titled
 * 2020年度信息公开年度报告 or 2021年政务公开工作年度报告 were passed over without a word, and so were
 * 2023年政府信息公开工作报告, …信息公开年度工作报告, 2023年度政府信息公开报告 and years in Chinese numerals.
 */
const REPORT_TITLE =
  /信息公开.{0,6}?年度.{0,2}?报告|年度.{0,8}?信息公开.{0,4}?报告|政务公开.{0,6}?年度报告|年报|政府信息公开工作报告/;
/** A part of the year: its 信息公开工作报告 is not the annual one. */
const PART_OF_YEAR = /半年|季度/;
/** A month the title is of (not one in a bracket after it: （2024年1月发布）). */
const MONTH = /(?:1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])月/;
/** The year, also in Chinese numerals as some titles print it (二〇二三年度). */
const YEAR = /(19|20)\d{2}|[二][〇○零Ｏ0][一二三四五六七八九〇○零Ｏ0]{2}年/;

/** A link titled as an annual disclosure report of some year. */
export function isReportTitle(title: string): boolean {
  const unbracketed = title.replace(/[（(][^（()）]*[）)]/g, '');
  return (
    YEAR.test(title) && REPORT_TITLE.test(title) && !PART_OF_YEAR.test(title) && !MONTH.test(unbracketed)
  );
}
