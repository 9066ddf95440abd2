/**
 * The work of one job: a seed's listing (the column's pages and the report links on them), or
 * one report link (its page and attachments, fetched, tried and recorded). Listing pages are
 * read in full every time (they are where new reports appear); each report page and
 * attachment is recorded, so a later run skips what was stored and asks the rest conditionally.
 */
import {
  importReport,
  type ParseOptions,
  type ParsePool,
  parseDocument,
  parseOrRefuse,
  recordAudit,
  sha256,
  storedReportEntry,
} from '../import/index.ts';
import {
  type CollectedDocument,
  findCollected,
  recordCollected,
  reportsOfRevisions,
} from '../store/collected-documents.ts';
import type { Db } from '../store/db.ts';
import type { Fetcher } from './fetcher.ts';
import {
  decodePage,
  generatedPages,
  inColumn,
  isAttachment,
  isListingPage,
  isReportTitle,
  readPage,
} from './page.ts';
import { isUnreadableRobots, type Robots } from './robots.ts';

export type DocumentOutcome =
  | { kind: 'imported'; revisionId: number }
  | { kind: 'unchanged'; revisionId?: number }
  | { kind: 'refused'; reason: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'disallowed'; reason: string };

/**
 * What became of a report link: its report, and `also` the link's other documents that were
 * reports of their own (a page linking three departments' reports, or a report and its 更正版)
 * or could not be fetched, each to be counted with the run's reports.
 */
export type LinkOutcome = DocumentOutcome & { also?: { url: string; outcome: DocumentOutcome }[] };

export interface ListingPage {
  url: string;
  outcome: 'READ' | 'FAILED' | 'DISALLOWED';
  /** Why it failed, or, for a page read, that it holds no report link. */
  reason?: string;
}

export interface Listing {
  pages: ListingPage[];
  /** Report links in the order found, each once. */
  reports: { url: string; title: string }[];
  /** Why the listing was not read to its end (more pages than the cap); the links found are kept. */
  cut?: string;
  /** The run stopped while the listing was read: it is read again, from its start, when the run is taken up. */
  stopped?: boolean;
}

/** A listing page read that held no report link: said, so that "0 report links" is not taken for success. */
export const NO_REPORT_LINK = "no link titled as a report on it (is it the column's page? its charset?)";

/** The longest link a run keeps, as a report's source address (invalidSourceUrl). */
const MAX_LINK = 2_000;

/**
 * Why collect refused a document, in the parser's words. Its advice names import's --agency and
 * --year, which collect has not (one run, many reports): said, with how to give them.
 */
export function refusalReason(url: string, first: { code: string; message: string } | undefined): string {
  if (!first) return 'not a report';
  const options = /--agency|--year/.test(first.message)
    ? ` (collect takes no --agency or --year: save ${url} and import the file with them, npm run cli -- import FILE --agency NAME --year YEAR --source-url ${url})`
    : '';
  return `${first.code}: ${first.message}${options}`;
}

export interface DocumentSettings {
  parse?: ParseOptions;
  /**
   * Where fetched documents are parsed: a pool whose workers stop a file past the heap or time
   * limit (it is refused, naming the limit). Without one they are parsed on this thread, unbounded.
   */
  parser?: ParsePool;
  /** Who the audit log names for each import. */
  actor: string;
  onLine?: (line: string) => void;
  signal?: AbortSignal;
  /** Ask stored documents again (conditionally: 304 costs no body) instead of skipping them. */
  recheck?: boolean;
  /** Listing pages read per seed at most: a site whose pages link to ever new pages is not read forever. */
  maxListingPages?: number;
}

export const DEFAULT_MAX_LISTING_PAGES = 1000;

type Fetched = {
  kind: 'body';
  bytes: Uint8Array;
  contentType: string | null;
  finalUrl: string;
  etag: string | null;
  lastModified: string | null;
};

/** Percent-escapes decoded (a file name's Chinese), or the text as it is where they are malformed. */
const decodedOrAsIs = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

const fileNameOf = (url: string) => decodedOrAsIs(new URL(url).pathname.split('/').pop() || 'index.html');

/**
 * A document whose bytes are those it was stored with is unchanged, whatever the site answered
 * (one without ETag or Last-Modified answers in full): imported again, an earlier revision of a
 * report in two attachments was RESTORED, and every --recheck flipped the current one.
 */
function unchangedSince(previous: CollectedDocument | undefined, bytes: Uint8Array): DocumentOutcome | null {
  return previous?.status === 'IMPORTED' && previous.sha256 === sha256(bytes)
    ? { kind: 'unchanged', revisionId: previous.reportRevisionId ?? undefined }
    : null;
}

/** A link to a report's correction, by its words or its file's name. */
const isCorrection = (link: { url: string; title: string }) =>
  /更正|修正|修订|勘误|更新版/.test(`${link.title} ${decodedOrAsIs(link.url)}`);

const revisionOf = (outcome: DocumentOutcome) =>
  outcome.kind === 'imported' || outcome.kind === 'unchanged' ? (outcome.revisionId ?? null) : null;

export class DocumentCollector {
  constructor(
    private readonly db: Db,
    private readonly fetcher: Fetcher,
    private readonly robots: Robots,
    private readonly settings: DocumentSettings,
  ) {}

  private line(text: string) {
    this.settings.onLine?.(text);
  }

  private record(url: string, fields: Omit<CollectedDocument, 'url' | 'fetchedAt'>) {
    return recordCollected(this.db, { url, fetchedAt: new Date(), ...fields });
  }

  /**
   * A seed's listing: its pages, following the pagination within the column, and the report
   * links. `onPage` hears of each page as it is read, so a long listing shows its progress.
   */
  async readListing(
    seed: string,
    onPage?: (page: ListingPage) => Promise<void>,
    /** Asked after each page: whether the run is stopping (a listing of a thousand pages took hours to finish). */
    stopping?: () => Promise<boolean>,
  ): Promise<Listing> {
    const pages: ListingPage[] = [];
    const reports = new Map<string, string>();
    const queue = [seed];
    const seen = new Set(queue);
    // The column is where its first page is: a seed that redirects (/ndbg to /ndbg/index.html)
    // has its pages beside the page it leads to.
    let column = seed;
    const cap = this.settings.maxListingPages ?? DEFAULT_MAX_LISTING_PAGES;
    let stopped = false;
    const done = async (page: ListingPage) => {
      pages.push(page);
      await onPage?.(page);
      stopped = (await stopping?.()) ?? false;
    };
    while (queue.length > 0 && !this.settings.signal?.aborted) {
      if (stopped) return { pages, reports: [], stopped };
      if (pages.length >= cap) {
        const cut = `listing stopped after ${cap} pages (--max-listing-pages ${cap}), ${queue.length} more linked; the report links on the pages read are collected. A column with more pages needs a higher --max-listing-pages; one whose pages link to ever new ones (index.html?n=1, 2, …) is a trap`;
        this.line(`✘ ${seed}: ${cut}`);
        return { pages, reports: [...reports].map(([url, title]) => ({ url, title })), cut };
      }
      const url = queue.shift() as string;
      const refusal = await this.robots.refusal(url);
      if (refusal) {
        await done({ url, outcome: 'DISALLOWED', reason: refusal });
        continue;
      }
      const result = await this.fetcher.fetch(url, {}, (u) => this.robots.refusal(u));
      if (result.kind !== 'body') {
        const reason = result.kind === 'failed' ? result.reason : 'HTTP 304 without a conditional request';
        this.line(`✘ ${url}: ${reason}`);
        await done({ url, outcome: 'FAILED', reason });
        continue;
      }
      const read = readPage(decodePage(result.bytes, result.contentType), result.finalUrl);
      // A link past MAX_LINK cannot be kept as a run's item (its index refuses it, and the whole
      // column failed with a database error): said and left out alone.
      const links = read.links.filter((link) => {
        if (link.url.length <= MAX_LINK) return true;
        if (isReportTitle(link.title))
          this.line(
            `✘ ${link.url.slice(0, 100)}… (${link.title}): the address is ${link.url.length.toLocaleString('en')} characters long; links past ${MAX_LINK.toLocaleString('en')} are left out`,
          );
        return false;
      });
      const { scripts } = read;
      // The pages the column's own script numbers are its pages whatever their name
      // (common_list_2.shtml); of its links, those named as pages of it (index_3.html).
      if (url === seed) column = result.finalUrl;
      // A page reached by a redirect is not read again under the address it led to.
      seen.add(result.finalUrl);
      const generated = generatedPages(scripts, result.finalUrl).filter((page) => inColumn(page, column));
      for (const page of [...generated, ...links.map((l) => l.url).filter((u) => isListingPage(u, column))]) {
        if (!seen.has(page)) {
          seen.add(page);
          queue.push(page);
        }
      }
      const titled = links.filter((link) => isReportTitle(link.title));
      for (const link of titled) if (!reports.has(link.url)) reports.set(link.url, link.title);
      if (titled.length === 0) this.line(`! ${url}: ${NO_REPORT_LINK}`);
      await done({ url, outcome: 'READ', ...(titled.length === 0 ? { reason: NO_REPORT_LINK } : {}) });
    }
    return { pages, reports: [...reports].map(([url, title]) => ({ url, title })) };
  }

  /** Fetches one document (conditionally when recorded); a failure is recorded. */
  private async fetchDocument(
    url: string,
    previous: CollectedDocument | undefined,
  ): Promise<Fetched | DocumentOutcome> {
    const refusal = await this.robots.refusal(url);
    if (refusal) return { kind: 'disallowed', reason: refusal };
    const result = await this.fetcher.fetch(
      url,
      { etag: previous?.etag, lastModified: previous?.lastModified },
      (u) => this.robots.refusal(u),
    );
    if (result.kind === 'not-modified') {
      return previous?.status === 'REFUSED'
        ? {
            kind: 'refused',
            reason: `${previous.failure ?? 'not a report'} (unchanged since ${previous.fetchedAt.toISOString()})`,
          }
        : { kind: 'unchanged', revisionId: previous?.reportRevisionId ?? undefined };
    }
    if (result.kind === 'failed') {
      await this.record(url, {
        finalUrl: result.finalUrl,
        etag: null,
        lastModified: null,
        sha256: null,
        status: 'FAILED',
        reportRevisionId: null,
        failure: result.reason,
      });
      return { kind: 'failed', reason: result.reason };
    }
    return result;
  }

  /**
   * Parses and imports one fetched document. `besides`: the reports the link's attachments were
   * (`agency|year`); a page that is one of them only introduces or repeats it, and is refused
   * without an audit entry.
   */
  private async tryImport(
    url: string,
    bytes: Uint8Array,
    finalUrl: string,
    besides?: ReadonlySet<string>,
  ): Promise<DocumentOutcome> {
    const { db, settings } = this;
    const read = settings.parser
      ? await parseOrRefuse(settings.parser, bytes, settings.parse ?? {})
      : await parseDocument(bytes, settings.parse ?? {});
    const report = read.result.ok ? read.result.report : undefined;
    if (besides && (!report || besides.has(`${report.agencyName}|${report.year}`)))
      return { kind: 'refused', reason: 'the report of its attachment' };
    const result = await importReport(
      db,
      { bytes, fileName: fileNameOf(finalUrl), sourceUrl: url, parsed: read },
      {
        ...settings.parse,
        // One report comes as a page and its attachments, and is asked again on --recheck.
        unchangedWhenSameFigures: true,
        // Written in the report's transaction: a stored report always has its entry.
        audit: { actor: settings.actor, entry: (stored) => storedReportEntry('import', { url }, stored) },
      },
    );
    if (!result.ok) {
      await recordAudit(db, settings.actor, {
        action: 'import',
        outcome: 'REJECTED',
        detail: { url, reason: result.problems[0]?.message ?? 'rejected' },
      });
      return { kind: 'refused', reason: refusalReason(url, result.problems[0]) };
    }
    const { outcome, parsed, revisionNumber } = result.value;
    this.line(`✔ ${url}: ${outcome} ${parsed.agencyName} ${parsed.year} (revision ${revisionNumber})`);
    if (outcome === 'UNCHANGED') return { kind: 'unchanged', revisionId: result.value.revisionId };
    return { kind: 'imported', revisionId: result.value.revisionId };
  }

  /** One document that may be the report: fetched, tried, recorded. */
  private async handleDocument(
    url: string,
    stored: Map<string, CollectedDocument>,
  ): Promise<DocumentOutcome> {
    const previous = stored.get(url);
    if (previous?.status === 'IMPORTED' && !this.settings.recheck)
      return { kind: 'unchanged', revisionId: previous.reportRevisionId ?? undefined };
    const fetched = await this.fetchDocument(url, previous);
    if (fetched.kind !== 'body') return fetched;
    const outcome =
      unchangedSince(previous, fetched.bytes) ?? (await this.tryImport(url, fetched.bytes, fetched.finalUrl));
    const revision = revisionOf(outcome);
    await this.record(url, {
      finalUrl: fetched.finalUrl,
      etag: fetched.etag,
      lastModified: fetched.lastModified,
      sha256: sha256(fetched.bytes),
      status: revision === null ? 'REFUSED' : 'IMPORTED',
      reportRevisionId: revision,
      failure: outcome.kind === 'refused' ? outcome.reason : null,
    });
    return outcome;
  }

  /**
   * A report link: the page and its attachments, each kept that imports. Its attachments are
   * tried first: a page that only introduces (or repeats) one of their reports is not its own,
   * while a page whose body is another report (a sidebar links last year's) is kept as well.
   */
  async handleReport(url: string): Promise<LinkOutcome> {
    const stored = await findCollected(this.db, [url]);
    const previous = stored.get(url);
    if (!this.settings.recheck && (previous?.status === 'IMPORTED' || previous?.status === 'NOT_REPORT'))
      return { kind: 'unchanged', revisionId: previous.reportRevisionId ?? undefined };
    if (isAttachment(url)) return this.handleDocument(url, stored);
    // A page's 304 repeats only its own verdict: it does not say which attachments to ask about.
    // So it is asked conditionally only when that verdict stands alone: stored as the report, or
    // refused with every attachment answered (a FAILED page, whose attachment could not be
    // fetched, is read in full to try it again). A recheck reads refused pages in full too, so
    // their attachments are asked again.
    const conditional =
      previous?.status === 'IMPORTED' || (previous?.status === 'REFUSED' && !this.settings.recheck);
    const page = await this.fetchDocument(url, conditional ? previous : undefined);
    if (page.kind !== 'body') return page;
    const { links } = readPage(decodePage(page.bytes, page.contentType), page.finalUrl);
    // A correction (更正版) is tried after the report it corrects, so it is the one made current
    // whichever comes first on the page.
    const attachments = [
      ...new Set(
        links
          .filter((l) => isAttachment(l.url))
          .sort((a, b) => Number(isCorrection(a)) - Number(isCorrection(b)))
          .map((l) => l.url),
      ),
    ];
    const fields = {
      finalUrl: page.finalUrl,
      etag: page.etag,
      lastModified: page.lastModified,
      sha256: sha256(page.bytes),
    };
    const { found, reasons, unfetched } = await this.tryAttachments(attachments);
    const besides =
      found.length > 0
        ? await reportsOfRevisions(
            this.db,
            found.map((f) => revisionOf(f.outcome)),
          )
        : undefined;
    const own =
      unchangedSince(previous, page.bytes) ?? (await this.tryImport(url, page.bytes, page.finalUrl, besides));
    const ownRevision = own.kind === 'refused' ? null : revisionOf(own);
    // A link with an attachment that could not be fetched is FAILED, so a later run asks for it
    // again (what was stored is skipped then).
    const failure =
      unfetched.length > 0
        ? `${unfetched.map((u) => `${u.url}: ${u.reason}`).join('; ')}${own.kind === 'refused' && found.length === 0 ? ` (the page itself: ${own.reason})` : ''}`
        : null;
    const reports = [...(own.kind === 'refused' ? [] : [{ url, outcome: own }]), ...found];
    if (reports.length > 0) {
      await this.record(url, {
        ...fields,
        status: failure ? 'FAILED' : ownRevision === null ? 'NOT_REPORT' : 'IMPORTED',
        reportRevisionId: ownRevision,
        failure,
      });
      const [first, ...rest] = reports;
      const also = [
        ...rest,
        ...unfetched.map((u) => ({ url: u.url, outcome: { kind: 'failed', reason: u.reason } as const })),
      ];
      return { ...(first as (typeof reports)[number]).outcome, ...(also.length > 0 ? { also } : {}) };
    }
    if (failure) {
      // The report may be the attachment that did not come: the link failed, and is tried again.
      await this.record(url, { ...fields, status: 'FAILED', reportRevisionId: null, failure });
      return { kind: 'failed', reason: failure };
    }
    const refusal = [(own as { reason: string }).reason, ...reasons].join('; ');
    await this.record(url, { ...fields, status: 'REFUSED', reportRevisionId: null, failure: refusal });
    return { kind: 'refused', reason: refusal };
  }

  /**
   * Every attachment, fetched and tried: those that import are `found` (a second format of one
   * of them reads as its figures and adds no revision); those that could not be fetched (or
   * whose site's robots.txt could not be read) are `unfetched`; the rest give their `reasons`.
   */
  private async tryAttachments(attachments: readonly string[]): Promise<{
    found: { url: string; outcome: DocumentOutcome }[];
    reasons: string[];
    unfetched: { url: string; reason: string }[];
  }> {
    const stored = await findCollected(this.db, attachments);
    const found: { url: string; outcome: DocumentOutcome }[] = [];
    const reasons: string[] = [];
    const unfetched: { url: string; reason: string }[] = [];
    for (const attachment of attachments) {
      const outcome = await this.handleDocument(attachment, stored);
      if (outcome.kind === 'imported' || outcome.kind === 'unchanged')
        found.push({ url: attachment, outcome });
      else if (
        outcome.kind === 'failed' ||
        (outcome.kind === 'disallowed' && isUnreadableRobots(outcome.reason))
      )
        unfetched.push({ url: attachment, reason: outcome.reason });
      else reasons.push(`${attachment}: ${outcome.reason}`);
    }
    return { found, reasons, unfetched };
  }
}
