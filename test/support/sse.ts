/** A GraphQL subscription over server-sent events, read the way a browser's EventSource would. */
// biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary event JSON and assert on it.
type Json = Record<string, any>;

export interface SseSubscription {
  response: Response;
  /** The next `next` event's payload ({ data, errors }); rejects if the stream ends first. */
  next: () => Promise<Json>;
  /** Resolves when the server completes the stream (`event: complete`, or the stream ends). */
  completed: Promise<void>;
  /** Hangs up, as a closed browser tab does. */
  close: () => void;
}

/** Opens `query` as a GET subscription (or POST with `method`), accepting brotli and gzip. */
export async function subscribe(
  baseUrl: string,
  query: string,
  options: { method?: 'GET' | 'POST'; path?: string; headers?: Record<string, string> } = {},
): Promise<SseSubscription> {
  const abort = new AbortController();
  const path = options.path ?? '/graphql';
  const post = options.method === 'POST';
  const response = await fetch(
    post ? `${baseUrl}${path}` : `${baseUrl}${path}?${new URLSearchParams({ query })}`,
    {
      method: post ? 'POST' : 'GET',
      headers: {
        accept: 'text/event-stream',
        'accept-encoding': 'br, gzip',
        ...(post ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(post ? { body: JSON.stringify({ query }) } : {}),
      signal: abort.signal,
    },
  );
  const events: Json[] = [];
  const waiting: { resolve: (event: Json) => void; reject: (error: Error) => void }[] = [];
  let ended = false;
  let markCompleted = () => {};
  const completed = new Promise<void>((resolve) => {
    markCompleted = resolve;
  });
  const end = () => {
    ended = true;
    markCompleted();
    for (const w of waiting.splice(0)) w.reject(new Error('the event stream ended'));
  };
  void (async () => {
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    if (!reader) return end();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        for (let at = buffer.indexOf('\n\n'); at >= 0; at = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const type = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (type === 'complete') return end();
          if (type !== 'next' || data === undefined) continue;
          const event = JSON.parse(data) as Json;
          const waiter = waiting.shift();
          if (waiter) waiter.resolve(event);
          else events.push(event);
        }
      }
    } catch {
      // aborted by close()
    }
    end();
  })();
  return {
    response,
    completed,
    next: () => {
      const queued = events.shift();
      if (queued) return Promise.resolve(queued);
      if (ended) return Promise.reject(new Error('the event stream ended'));
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    close: () => abort.abort(),
  };
}

/**
 * Waits for a condition another party makes true (a subscriber attached, a socket closed), for
 * up to 20 s by the clock: 500 tries 10 ms apart were about 5 s, a short wait for a request to
 * reach a server on a machine running three test processes on 2 cores. A condition that never
 * comes true still fails, naming it, within vitest's 30 s for the test.
 */
export async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + 20_000;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`Gave up waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
