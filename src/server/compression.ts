/**
 * Compresses responses (brotli or gzip, as the client accepts) in the yoga pipeline, so every
 * way out — GraphQL, CSV, the dashboard, GraphiQL — gets it once.
 *
 * Request bodies are never decompressed: a compressed upload could expand far past the
 * body-size limit, which is checked on the bytes as sent.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

type Encoding = 'br' | 'gzip';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Below this, the headers outweigh what compression saves. */
export const MIN_COMPRESSIBLE_BYTES = 1024;

const COMPRESSIBLE = /^(text\/|application\/(json|graphql-response\+json|javascript|xml)|image\/svg\+xml)/;
/** Streamed results (subscriptions, @defer) must reach the client as they come. */
const STREAMED = /^(text\/event-stream|multipart\/)/;

/**
 * The encoding to use for an Accept-Encoding header: brotli before gzip, skipping any the
 * client refuses with q=0; null when it accepts neither.
 */
export function chooseEncoding(acceptEncoding: string | null): Encoding | null {
  if (!acceptEncoding) return null;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    accepted.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weight = (name: Encoding) => accepted.get(name) ?? accepted.get('*') ?? 0;
  const br = weight('br');
  const gz = weight('gzip');
  if (br > 0 && br >= gz) return 'br';
  if (gz > 0) return 'gzip';
  return null;
}

function compress(body: Uint8Array, encoding: Encoding, immutable: boolean): Promise<Buffer> {
  if (encoding === 'gzip') return gzipAsync(body, { level: immutable ? 9 : 6 });
  return brotli(body, {
    params: {
      // Immutable assets are compressed once and kept; answers are compressed per request.
      [constants.BROTLI_PARAM_QUALITY]: immutable ? 11 : 4,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
    },
  });
}

export function compressionPlugin(): Plugin {
  // Compressed immutable assets (hashed dashboard files, versioned GraphiQL files), by URL.
  const kept = new Map<string, Promise<Buffer>>();
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      const type = response.headers.get('content-type') ?? '';
      if (
        request.method === 'HEAD' ||
        !response.body ||
        response.headers.has('content-encoding') ||
        !COMPRESSIBLE.test(type) ||
        STREAMED.test(type)
      ) {
        return;
      }
      const encoding = chooseEncoding(request.headers.get('accept-encoding'));
      // Caches must keep one copy per encoding, whichever this client gets.
      // Copied one by one: yoga's header objects keep names like "Content-Type", which the
      // Headers constructor copies without lowercasing, so get('content-type') misses them.
      const headers = new fetchAPI.Headers();
      response.headers.forEach((value, name) => {
        headers.append(name.toLowerCase(), value);
      });
      headers.append('vary', 'Accept-Encoding');
      const body = new Uint8Array(await response.arrayBuffer());
      if (!encoding || body.byteLength < MIN_COMPRESSIBLE_BYTES) {
        setResponse(
          new fetchAPI.Response(body, { status: response.status, statusText: response.statusText, headers }),
        );
        return;
      }
      const immutable = /\bimmutable\b/.test(response.headers.get('cache-control') ?? '');
      let compressed: Promise<Buffer>;
      if (immutable) {
        const key = `${encoding} ${new URL(request.url).pathname}`;
        compressed = kept.get(key) ?? compress(body, encoding, true);
        // A few dozen files at most: the dashboard's build and GraphiQL's.
        if (kept.size < 256) kept.set(key, compressed);
      } else {
        compressed = compress(body, encoding, false);
      }
      const bytes = await compressed;
      headers.set('content-encoding', encoding);
      headers.set('content-length', String(bytes.byteLength));
      setResponse(
        new fetchAPI.Response(new Uint8Array(bytes), {
          status: response.status,
          statusText: response.statusText,
          headers,
        }),
      );
    },
  };
}
