/**
 * Polite HTTP for collect: a per-host limit on parallel requests and a delay between
 * their starts (longer if robots.txt's Crawl-delay says so), a timeout per request, retries
 * with exponential backoff or the server's Retry-After on 5xx, 429 and broken connections
 * (never on another 4xx), conditional GET, redirects followed by hand (so each hop is
 * checked against robots.txt and the final address is known) and a cap on body size,
 * enforced while streaming.
 */

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
}

/**
 * A schedule shared with other workers: reserves the next start of a request to `host`,
 * `delayMs` after the previous one any worker reserved, and resolves to how long to wait.
 */
export type SharedSchedule = (host: string, delayMs: number) => Promise<number>;

export const DEFAULT_FETCH_SETTINGS: FetchSettings = {
  perHost: 2,
  delayMs: 500,
  timeoutMs: 20_000,
  retries: 3,
  backoffMs: 1_000,
  maxBytes: 64 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'disclosure-collect/0.1 (government information disclosure annual reports)',
};

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

  async run<T>(work: () => Promise<T>): Promise<T> {
    while (this.active >= this.settings.perHost) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      const now = Date.now();
      const start = Math.max(now, this.nextStart);
      this.lastStart = start;
      this.nextStart = start + this.delayMs;
      await sleep(start - now);
      // Other workers fetch from this host too: the delay holds between all their requests.
      if (this.shared && this.delayMs > 0) await sleep(await this.shared(this.host, this.delayMs));
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

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw new TooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new TooLarge();
    }
    chunks.push(value);
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

  constructor(
    readonly settings: FetchSettings,
    private readonly signal?: AbortSignal,
    private readonly shared?: SharedSchedule,
  ) {}

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

  async fetch(
    url: string,
    validators: Validators = {},
    allowed: (url: string) => Promise<string | null> = async () => null,
  ): Promise<FetchResult> {
    let current = url;
    for (let hop = 0; hop <= this.settings.maxRedirects; hop++) {
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
      if (wait > 0) gate.holdUntil(Date.now() + wait);
    }
    const tries = this.settings.retries + 1;
    return { kind: 'failed', finalUrl: url, reason: `${last} (${tries} attempt${tries === 1 ? '' : 's'})` };
  }

  private async once(
    url: string,
    validators: Validators,
  ): Promise<
    FetchResult | { kind: 'redirect'; location: string } | { kind: 'retry'; reason: string; afterMs?: number }
  > {
    const headers: Record<string, string> = { 'user-agent': this.settings.userAgent, accept: '*/*' };
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const signal = this.signal ? AbortSignal.any([timeout, this.signal]) : timeout;
    try {
      const response = await fetch(url, { headers, redirect: 'manual', signal });
      const { status } = response;
      if (status >= 300 && status < 400 && status !== 304) {
        await response.body?.cancel();
        const location = response.headers.get('location');
        if (!location)
          return { kind: 'failed', finalUrl: url, status, reason: `HTTP ${status} without Location` };
        return { kind: 'redirect', location: new URL(location, url).href };
      }
      if (status === 304) return { kind: 'not-modified', finalUrl: url };
      // 429 is the one 4xx worth repeating: the server asks us to slow down, not to stop.
      if (status >= 500 || status === 429) {
        await response.body?.cancel();
        const afterMs = retryAfterMs(response.headers.get('retry-after')) ?? undefined;
        return { kind: 'retry', reason: `HTTP ${status} ${response.statusText}`.trim(), afterMs };
      }
      if (status >= 400) {
        await response.body?.cancel();
        return {
          kind: 'failed',
          finalUrl: url,
          status,
          reason: `HTTP ${status} ${response.statusText}`.trim(),
        };
      }
      const bytes = await readCapped(response, this.settings.maxBytes);
      return {
        kind: 'body',
        finalUrl: url,
        bytes,
        contentType: response.headers.get('content-type'),
        etag: response.headers.get('etag'),
        lastModified: response.headers.get('last-modified'),
      };
    } catch (error) {
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
      return { kind: 'retry', reason: `connection failed (${causeCode(error) ?? (error as Error).message})` };
    }
  }
}
