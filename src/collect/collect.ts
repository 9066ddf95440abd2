/**
 * The collect use case: from a column's index pages to stored reports. Listing pages are
 * read in full on every run (they are where new reports appear); each report page and
 * attachment is recorded, so a re-run skips what was stored and asks the rest conditionally.
 */
import { importReport, type ParseOptions, recordAudit, sha256 } from '../import/index.ts';
import { type CollectedDocument, findCollected, recordCollected } from '../store/collected-documents.ts';
import type { Db } from '../store/db.ts';
import { Fetcher, type FetchSettings } from './fetcher.ts';
import { decodePage, generatedPages, isAttachment, isListingPage, isReportTitle, readPage } from './page.ts';
import { Robots } from './robots.ts';

export interface CollectOptions {
  fetch: FetchSettings;
  /** Report pages and attachments handled at once (each host still gets at most `fetch.perHost`). */
  parallel?: number;
  /**
   * Handle at most this many report links (each with its attachments), then stop: counted when
   * a link is taken, so the same links are handled however the downloads interleave.
   */
  maxReports?: number;
  signal?: AbortSignal;
  parse?: ParseOptions;
  /** Who the audit log names for each import. */
  actor: string;
  onLine?: (line: string) => void;
  onProgress?: (counts: CollectCounts) => void;
}

export interface CollectCounts {
  /** Listing pages read. */
  pages: number;
  /** Links titled as reports. */
  found: number;
  /** Report links handled so far. */
  done: number;
  /** Documents downloaded (200 responses). */
  downloaded: number;
  imported: number;
  /** Already stored: skipped, answered 304, or the same bytes as a stored revision. */
  unchanged: number;
  refused: number;
  failed: number;
  /** Links robots.txt does not allow. */
  disallowed: number;
}

export interface Problem {
  url: string;
  reason: string;
}

export interface CollectSummary {
  counts: CollectCounts;
  failures: Problem[];
  refusals: Problem[];
  disallowed: Problem[];
  /** Stopped early (signal or maxReports): running again resumes. */
  stopped: boolean;
}

type DocumentOutcome =
  | { kind: 'imported'; revisionId: number }
  | { kind: 'unchanged'; revisionId?: number }
  | { kind: 'refused'; reason: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'disallowed'; reason: string };

const fileNameOf = (url: string) => {
  const last = new URL(url).pathname.split('/').pop() || 'index.html';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
};

const revisionOf = (outcome: DocumentOutcome) =>
  outcome.kind === 'imported' || outcome.kind === 'unchanged' ? (outcome.revisionId ?? null) : null;

/** Collects every report the seed columns list. Expected failures are in the summary; only bugs throw. */
export async function collect(
  db: Db,
  seeds: readonly string[],
  options: CollectOptions,
): Promise<CollectSummary> {
  const fetcher = new Fetcher(options.fetch, options.signal);
  const robots = new Robots(fetcher);
  const counts: CollectCounts = {
    pages: 0,
    found: 0,
    done: 0,
    downloaded: 0,
    imported: 0,
    unchanged: 0,
    refused: 0,
    failed: 0,
    disallowed: 0,
  };
  const summary: CollectSummary = { counts, failures: [], refusals: [], disallowed: [], stopped: false };
  const line = (text: string) => options.onLine?.(text);
  const progress = () => options.onProgress?.(counts);
  const fail = (url: string, reason: string) => {
    counts.failed++;
    summary.failures.push({ url, reason });
    line(`✘ ${url}: ${reason}`);
  };
  const record = (url: string, fields: Omit<CollectedDocument, 'url' | 'fetchedAt'>) =>
    recordCollected(db, { url, fetchedAt: new Date(), ...fields });
  let taken = 0;
  const stopping = () => {
    const stop =
      Boolean(options.signal?.aborted) || (options.maxReports !== undefined && taken >= options.maxReports);
    if (stop) summary.stopped = true;
    return stop;
  };

  // Listing pages: every seed and the pages of its pagination.
  const candidates = new Map<string, string>();
  const readListing = async (seed: string) => {
    const queue = [seed];
    const seen = new Set(queue);
    while (queue.length > 0 && !options.signal?.aborted) {
      const url = queue.shift() as string;
      const refusal = await robots.refusal(url);
      if (refusal) {
        fail(url, refusal);
        continue;
      }
      const result = await fetcher.fetch(url, {}, (u) => robots.refusal(u));
      if (result.kind !== 'body') {
        fail(url, result.kind === 'failed' ? result.reason : 'HTTP 304 without a conditional request');
        continue;
      }
      counts.pages++;
      const { links, scripts } = readPage(decodePage(result.bytes, result.contentType), result.finalUrl);
      const pages = [...generatedPages(scripts, result.finalUrl), ...links.map((l) => l.url)];
      for (const page of pages) {
        if (!seen.has(page) && isListingPage(page, seed)) {
          seen.add(page);
          queue.push(page);
        }
      }
      for (const link of links) {
        if (isReportTitle(link.title) && !candidates.has(link.url)) {
          candidates.set(link.url, link.title);
          counts.found++;
        }
      }
      progress();
    }
  };
  await Promise.all(seeds.map((seed) => readListing(new URL(seed).href)));

  /** Fetches one document (conditionally when recorded) and imports it unless it is a listing page. */
  const fetchDocument = async (
    url: string,
    previous: CollectedDocument | undefined,
  ): Promise<
    | {
        kind: 'body';
        bytes: Uint8Array;
        contentType: string | null;
        finalUrl: string;
        etag: string | null;
        lastModified: string | null;
      }
    | DocumentOutcome
  > => {
    const refusal = await robots.refusal(url);
    if (refusal) return { kind: 'disallowed', reason: refusal };
    const result = await fetcher.fetch(
      url,
      { etag: previous?.etag, lastModified: previous?.lastModified },
      (u) => robots.refusal(u),
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
      await record(url, {
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
    counts.downloaded++;
    return result;
  };

  const tryImport = async (url: string, bytes: Uint8Array, finalUrl: string): Promise<DocumentOutcome> => {
    const result = await importReport(
      db,
      { bytes, fileName: fileNameOf(finalUrl), sourceUrl: url },
      options.parse ?? {},
    );
    await recordAudit(db, options.actor, {
      action: 'import',
      outcome: result.ok ? result.value.outcome : 'REJECTED',
      detail: result.ok
        ? { url, reportId: result.value.reportId, revision: result.value.revisionNumber }
        : { url, reason: result.problems[0]?.message ?? 'rejected' },
    });
    if (!result.ok) {
      const first = result.problems[0];
      return { kind: 'refused', reason: first ? `${first.code}: ${first.message}` : 'not a report' };
    }
    const { outcome, parsed, revisionNumber } = result.value;
    line(`✔ ${url}: ${outcome} ${parsed.agencyName} ${parsed.year} (revision ${revisionNumber})`);
    if (outcome === 'UNCHANGED') return { kind: 'unchanged', revisionId: result.value.revisionId };
    return { kind: 'imported', revisionId: result.value.revisionId };
  };

  /** One document that may be the report: fetched, tried, recorded. */
  const handleDocument = async (
    url: string,
    stored: Map<string, CollectedDocument>,
  ): Promise<DocumentOutcome> => {
    const previous = stored.get(url);
    if (previous?.status === 'IMPORTED') return { kind: 'unchanged' };
    const fetched = await fetchDocument(url, previous);
    if (fetched.kind !== 'body') return fetched;
    const outcome = await tryImport(url, fetched.bytes, fetched.finalUrl);
    const revision = revisionOf(outcome);
    await record(url, {
      finalUrl: fetched.finalUrl,
      etag: fetched.etag,
      lastModified: fetched.lastModified,
      sha256: sha256(fetched.bytes),
      status: revision === null ? 'REFUSED' : 'IMPORTED',
      reportRevisionId: revision,
      failure: outcome.kind === 'refused' ? outcome.reason : null,
    });
    return outcome;
  };

  /** A report link: the page and its attachments, keeping whichever imports. */
  const handleReport = async (url: string) => {
    const stored = await findCollected(db, [url]);
    const previous = stored.get(url);
    if (previous?.status === 'IMPORTED' || previous?.status === 'NOT_REPORT') {
      counts.unchanged++;
      return;
    }
    if (isAttachment(url)) return tally(url, await handleDocument(url, stored));
    const page = await fetchDocument(url, previous);
    if (page.kind !== 'body') return tally(url, page);
    const { links } = readPage(decodePage(page.bytes, page.contentType), page.finalUrl);
    const attachments = [...new Set(links.map((l) => l.url).filter(isAttachment))];
    const attachmentStored = await findCollected(db, attachments);
    const reasons: string[] = [];
    let found: DocumentOutcome | undefined;
    // The first attachment that imports is the report; the others are its other formats.
    for (const attachment of attachments) {
      const outcome = await handleDocument(attachment, attachmentStored);
      if (outcome.kind === 'imported' || outcome.kind === 'unchanged') {
        found = outcome;
        break;
      }
      reasons.push(`${attachment}: ${outcome.reason}`);
    }
    const fields = {
      finalUrl: page.finalUrl,
      etag: page.etag,
      lastModified: page.lastModified,
      sha256: sha256(page.bytes),
    };
    if (found) {
      // The page only introduces its attachment (or repeats it): the attachment is the report.
      await record(url, { ...fields, status: 'NOT_REPORT', reportRevisionId: null, failure: null });
      return tally(url, found);
    }
    const outcome = await tryImport(url, page.bytes, page.finalUrl);
    const revision = revisionOf(outcome);
    await record(url, {
      ...fields,
      status: revision === null ? 'REFUSED' : 'IMPORTED',
      reportRevisionId: revision,
      failure: outcome.kind === 'refused' ? [outcome.reason, ...reasons].join('; ') : null,
    });
    tally(
      url,
      outcome.kind === 'refused'
        ? { kind: 'refused', reason: [outcome.reason, ...reasons].join('; ') }
        : outcome,
    );
  };

  const tally = (url: string, outcome: DocumentOutcome) => {
    if (outcome.kind === 'imported') counts.imported++;
    else if (outcome.kind === 'unchanged') counts.unchanged++;
    else if (outcome.kind === 'failed') fail(url, outcome.reason);
    else if (outcome.kind === 'disallowed') {
      counts.disallowed++;
      summary.disallowed.push({ url, reason: outcome.reason });
    } else {
      counts.refused++;
      summary.refusals.push({ url, reason: outcome.reason });
      line(`✘ ${url}: refused, ${outcome.reason}`);
    }
  };

  const queue = [...candidates.keys()];
  const worker = async () => {
    while (queue.length > 0 && !stopping()) {
      const url = queue.shift() as string;
      taken++;
      await handleReport(url);
      counts.done++;
      progress();
    }
  };
  await Promise.all(Array.from({ length: options.parallel ?? 8 }, worker));
  if (queue.length > 0 || options.signal?.aborted) summary.stopped = true;
  return summary;
}
