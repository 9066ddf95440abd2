import type { Plugin } from 'graphql-yoga';

/**
 * yoga's CORS options for an allow-list of origins (CORS_ORIGINS): the request's own origin
 * when it is listed, no CORS headers otherwise. Given the list, yoga answered an unlisted
 * origin with `Access-Control-Allow-Origin: null`, which a sandboxed page or a file:// page
 * (whose Origin is `null`) takes as an allowance, and sent no `Vary: Origin`, so a shared cache
 * could hand one origin's answer to another. Credentials are never allowed across origins: API
 * tokens travel in a header, not a cookie.
 */
export function corsOptions(origins: readonly string[]) {
  if (origins.length === 0) return false;
  return (request: Request) => {
    const origin = request.headers.get('origin');
    return origin !== null && origins.includes(origin)
      ? { origin, credentials: false, methods: ['GET', 'POST'] }
      : (false as const);
  };
}

/** With an allow-list every answer depends on the Origin header, so caches are told to key on it. */
export function varyOnOriginPlugin(origins: readonly string[]): Plugin {
  return {
    onResponse({ response }) {
      if (origins.length === 0) return;
      const vary = response.headers.get('vary') ?? '';
      if (!/(^|,)\s*(origin|\*)\s*(,|$)/i.test(vary)) response.headers.append('vary', 'Origin');
    },
  };
}
