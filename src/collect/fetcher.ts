/**
 * Polite HTTP for collect: a per-host limit on parallel requests and a delay between
 * their starts (longer if robots.txt's Crawl-delay says so), a timeout per request, retries
 * with exponential backoff or the server's Retry-After on 5xx, 429 and broken connections
 * (never on another 4xx), conditional GET, redirects followed by hand (so each hop is
 * checked against robots.txt and the final address is known) and a cap on body size,
 * enforced while streaming. No request goes to a private address (`addresses.ts`) unless
 * the run allows it or it is a seed's own host.
 *
 * Requests go through node:http(s) rather than fetch: only there can the connection be made
 * to the very address that was checked (a `lookup` hook), which fetch does not offer.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { addAbortSignal, pipeline, type Readable } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { checkedLookup, PrivateAddressError, privateDestination } from './addresses.ts';

export interface FetchSettings {
  /** Requests in flight to one host. */
  perHost: number;
  /** Pause between the starts of two requests to one host. */
  delayMs: number;
  timeoutMs: number;
  /** Further attempts after a 5xx or a broken connection. */
  retries: number;
  /** First backoff; doubled for each further attempt. */
  backoffMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  /**
   * Fetch from private, loopback and link-local addresses too (an intranet site). Without it
   * only the seeds' own hosts may be private: a link or redirect elsewhere is refused.
   */
  allowPrivateAddresses: boolean;
}

/** A schedule shared with other workers (on other machines too). */
export interface SharedSchedule {
  /** Reserves the next start of a request to `host`, `delayMs` after the previous one any worker reserved; resolves to how long to wait. */
  reserve(host: string, delayMs: number): Promise<number>;
  /** No worker starts a request to `host` for `ms` (the host's Retry-After). */
  hold(host: string, ms: number): Promise<void>;
}

export const DEFAULT_FETCH_SETTINGS: FetchSettings = {
  perHost: 2,
  delayMs: 500,
  timeoutMs: 20_000,
  retries: 3,
  backoffMs: 1_000,
  maxBytes: 64 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'disclosure-collect/0.1 (government information disclosure annual reports)',
  allowPrivateAddresses: false,
};

/** How a refusal says what to do: collect's option (and the run setting behind it). */
export const PRIVATE_ADDRESS_OPTION = '--allow-private-addresses';

/** A host and port as connections see them (`http://h/` is h:80), to compare with the seeds'. */
const endpoint = (url: URL) => `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;

export interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

export type FetchResult =
  | {
      kind: 'body';
      finalUrl: string;
      bytes: Uint8Array;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
    }
  | { kind: 'not-modified'; finalUrl: string }
  | { kind: 'failed'; finalUrl: string; reason: string; status?: number };

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

class HostGate {
  private active = 0;
  private nextStart = 0;
  private lastStart = 0;
  /** A server's Retry-After: no request starts before it, also one already waiting for its turn. */
  private heldUntil = 0;
  private readonly waiting: (() => void)[] = [];
  private delayMs: number;

  constructor(
    private readonly settings: FetchSettings,
    private readonly host: string,
    private readonly shared?: SharedSchedule,
  ) {
    this.delayMs = settings.delayMs;
  }

  /** The site's own minimum (robots.txt Crawl-delay), when longer than ours; counts from the last start. */
  slowTo(delayMs: number) {
    this.delayMs = Math.max(this.delayMs, delayMs);
    this.holdUntil(this.lastStart + this.delayMs);
  }

  /** No request starts before `at` (a server's Retry-After applies to the whole host). */
  holdUntil(at: number) {
    this.nextStart = Math.max(this.nextStart, at);
  }

  /** The server asked the whole host to wait `ms`: this worker's requests, and every other worker's. */
  async hold(ms: number) {
    this.holdUntil(Date.now() + ms);
    this.heldUntil = Math.max(this.heldUntil, Date.now() + ms);
    await this.shared?.hold(this.host, ms);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    while (this.active >= this.settings.perHost) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      const now = Date.now();
      const start = Math.max(now, this.nextStart);
      this.lastStart = start;
      this.nextStart = start + this.delayMs;
      await sleep(start - now);
      // Other workers fetch from this host too: the delay holds between all their requests, and
      // a Retry-After one of them was given holds for all.
      // A Retry-After given while this request waited for its turn is waited out, and the turn
      // taken again after it: requests waiting through one hold went out together when it ended.
      for (;;) {
        if (this.shared) await sleep(await this.shared.reserve(this.host, this.delayMs));
        const held = this.heldUntil - Date.now();
        if (held <= 0) break;
        await sleep(held);
      }
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

class TooLarge extends Error {}

/** The longest Retry-After or Crawl-delay obeyed; a site asking for more is failed, not waited on. */
export const MAX_WAIT_SECONDS = 120;

/** Retry-After in milliseconds from now: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The body as the server encoded it, decoded as fetch would (leniently at a truncated end, as browsers are). */
function decoded(response: IncomingMessage): Readable {
  const codings = String(response.headers['content-encoding'] ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity')
    .reverse();
  const zlibFlush = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
  const decoders = [];
  for (const coding of codings) {
    if (coding === 'gzip' || coding === 'x-gzip') decoders.push(createGunzip(zlibFlush));
    else if (coding === 'deflate') decoders.push(createInflate(zlibFlush));
    else if (coding === 'br') decoders.push(createBrotliDecompress());
    // An unknown coding: the bytes as sent (fetch does the same); the parser refuses them.
    else return response;
  }
  if (decoders.length === 0) return response;
  // pipeline returns its last stream, and destroys them all when one fails.
  return pipeline([response, ...decoders], () => {}) as unknown as Readable;
}

async function readCapped(response: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) {
    response.destroy();
    throw new TooLarge();
  }
  const body = decoded(response);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new TooLarge();
      chunks.push(chunk);
    }
  } finally {
    // Counted as it inflates: a small answer that inflates past the cap is cut off here.
    if (size > maxBytes) {
      body.destroy();
      response.destroy();
    }
  }
  return Buffer.concat(chunks);
}

const causeCode = (error: unknown): string | undefined => {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code;
};

/** Fetches documents politely; `allowed` is asked before every request, redirects included. */
export class Fetcher {
  private readonly gates = new Map<string, HostGate>();
  private readonly seedHosts: Set<string>;
  // Connections of their own: a kept-alive socket is only ever one this fetcher opened, to an
  // address it checked.
  private readonly agents = {
    http: new HttpAgent({ keepAlive: true, scheduling: 'lifo', timeout: 5_000 }),
    https: new HttpsAgent({ keepAlive: true, scheduling: 'lifo', timeout: 5_000 }),
  };

  /** `seeds`: the run's seeds, whose own hosts may be private (the operator named them). */
  constructor(
    readonly settings: FetchSettings,
    private readonly signal?: AbortSignal,
    private readonly shared?: SharedSchedule,
    seeds: readonly string[] = [],
  ) {
    this.seedHosts = new Set(seeds.filter((s) => URL.canParse(s)).map((s) => endpoint(new URL(s))));
  }

  /** Spaces requests to the URL's host at least `seconds` apart (robots.txt Crawl-delay). */
  crawlDelay(url: string, seconds: number) {
    this.gate(url).slowTo(Math.min(seconds, MAX_WAIT_SECONDS) * 1000);
  }

  private gate(url: string): HostGate {
    const host = new URL(url).host;
    let gate = this.gates.get(host);
    if (!gate) {
      gate = new HostGate(this.settings, host, this.shared);
      this.gates.set(host, gate);
    }
    return gate;
  }

  private mayBePrivate(url: URL): boolean {
    return this.settings.allowPrivateAddresses || this.seedHosts.has(endpoint(url));
  }

  /**
   * Why no request may go to `url` (a private address, or not http(s)), or null. A name is
   * resolved here to say so before anything is sent; the connection checks again what it connects to.
   */
  async refusal(url: string): Promise<string | null> {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:')
      return `${url} is not an http(s) address`;
    if (this.mayBePrivate(target)) return null;
    const found = await privateDestination(target.hostname);
    if (!found) return null;
    return `${url} ${found.literal ? 'is' : 'resolves to'} ${found.address}, ${found.kind}; collecting from private addresses needs ${PRIVATE_ADDRESS_OPTION}`;
  }

  async fetch(
    url: string,
    validators: Validators = {},
    allowed: (url: string) => Promise<string | null> = async () => null,
  ): Promise<FetchResult> {
    let current = url;
    for (let hop = 0; hop <= this.settings.maxRedirects; hop++) {
      // Before robots.txt, which would be a request to the refused host too.
      const unsafe = await this.refusal(current);
      if (unsafe)
        return {
          kind: 'failed',
          finalUrl: current,
          reason: hop === 0 ? `refused: ${unsafe}` : `refused a redirect: ${unsafe}`,
        };
      const refusal = hop === 0 ? null : await allowed(current);
      if (refusal)
        return { kind: 'failed', finalUrl: current, reason: `redirected to ${current}: ${refusal}` };
      const result = await this.withRetries(current, validators);
      if (result.kind !== 'redirect') return result;
      current = result.location;
    }
    return {
      kind: 'failed',
      finalUrl: current,
      reason: `more than ${this.settings.maxRedirects} redirects`,
    };
  }

  private async withRetries(
    url: string,
    validators: Validators,
  ): Promise<FetchResult | { kind: 'redirect'; location: string }> {
    let last = '';
    let wait = 0;
    for (let attempt = 0; attempt <= this.settings.retries; attempt++) {
      if (attempt > 0) await sleep(Math.max(wait, this.settings.backoffMs * 2 ** (attempt - 1)), this.signal);
      if (this.signal?.aborted) return { kind: 'failed', finalUrl: url, reason: 'stopped' };
      const gate = this.gate(url);
      const result = await gate.run(() => this.once(url, validators));
      if (result.kind !== 'retry') return result;
      last = result.reason;
      wait = result.afterMs ?? 0;
      if (wait > MAX_WAIT_SECONDS * 1000)
        return {
          kind: 'failed',
          finalUrl: url,
          reason: `${last}, asked to retry after ${Math.round(wait / 1000)} s (more than ${MAX_WAIT_SECONDS} s)`,
        };
      // The server asked the whole host to wait, not only this request.
      if (wait > 0) await gate.hold(wait);
    }
    const tries = this.settings.retries + 1;
    return { kind: 'failed', finalUrl: url, reason: `${last} (${tries} attempt${tries === 1 ? '' : 's'})` };
  }

  /** One GET; a name is connected to only at an address `checkedLookup` allowed (unless private ones may be). */
  private request(
    url: string,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<IncomingMessage> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const request = (secure ? httpsRequest : httpRequest)(
        target,
        {
          headers,
          signal,
          agent: secure ? this.agents.https : this.agents.http,
          ...(this.mayBePrivate(target) ? {} : { lookup: checkedLookup }),
        },
        resolve,
      );
      request.on('error', reject);
      request.end();
    });
  }

  private async once(
    url: string,
    validators: Validators,
  ): Promise<
    FetchResult | { kind: 'redirect'; location: string } | { kind: 'retry'; reason: string; afterMs?: number }
  > {
    const headers: Record<string, string> = {
      'user-agent': this.settings.userAgent,
      accept: '*/*',
      'accept-encoding': 'gzip, deflate, br',
    };
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const signal = this.signal ? AbortSignal.any([timeout, this.signal]) : timeout;
    try {
      const response = addAbortSignal(signal, await this.request(url, headers, signal));
      const status = response.statusCode ?? 0;
      const header = (name: string) => {
        const value = response.headers[name];
        return (Array.isArray(value) ? value.join(', ') : value) ?? null;
      };
      const statusText = `HTTP ${status} ${response.statusMessage ?? ''}`.trim();
      if (status >= 300 && status < 400 && status !== 304) {
        response.destroy();
        const location = header('location');
        if (!location)
          return { kind: 'failed', finalUrl: url, status, reason: `HTTP ${status} without Location` };
        // A Location that is no address is the site's mistake, the same on every attempt: said,
        // not retried as a failed connection.
        if (!URL.canParse(location, url))
          return {
            kind: 'failed',
            finalUrl: url,
            status,
            reason: `HTTP ${status} redirects to ${JSON.stringify(location.slice(0, 200))}, which is not an address`,
          };
        return { kind: 'redirect', location: new URL(location, url).href };
      }
      if (status === 304) {
        response.destroy();
        return { kind: 'not-modified', finalUrl: url };
      }
      // 429 is the one 4xx worth repeating: the server asks us to slow down, not to stop.
      if (status >= 500 || status === 429) {
        response.destroy();
        const afterMs = retryAfterMs(header('retry-after')) ?? undefined;
        return { kind: 'retry', reason: statusText, afterMs };
      }
      if (status >= 400) {
        response.destroy();
        return { kind: 'failed', finalUrl: url, status, reason: statusText };
      }
      const bytes = await readCapped(response, this.settings.maxBytes);
      return {
        kind: 'body',
        finalUrl: url,
        bytes,
        contentType: header('content-type'),
        etag: header('etag'),
        lastModified: header('last-modified'),
      };
    } catch (error) {
      if (error instanceof PrivateAddressError) {
        return {
          kind: 'failed',
          finalUrl: url,
          reason: `refused: ${url} ${error.message}; collecting from private addresses needs ${PRIVATE_ADDRESS_OPTION}`,
        };
      }
      if (error instanceof TooLarge) {
        return {
          kind: 'failed',
          finalUrl: url,
          reason: `larger than ${this.settings.maxBytes.toLocaleString('en')} bytes (--max-bytes); a report is far smaller`,
        };
      }
      if (timeout.aborted) {
        return {
          kind: 'failed',
          finalUrl: url,
          reason: `no complete answer within ${this.settings.timeoutMs} ms`,
        };
      }
      if (this.signal?.aborted) return { kind: 'failed', finalUrl: url, reason: 'stopped' };
      // A body its Content-Encoding does not decode (plain text labelled gzip) is the server's
      // mistake, the same on every attempt.
      const code = causeCode(error);
      if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'ERR_BROTLI_DECOMPRESSION_FAILED')
        return {
          kind: 'failed',
          finalUrl: url,
          reason: `the body does not decode as its Content-Encoding says (${code}): the server labels it wrongly`,
        };
      return { kind: 'retry', reason: `connection failed (${code ?? (error as Error).message})` };
    }
  }
}
