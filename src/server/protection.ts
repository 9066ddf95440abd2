import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ServerConfig } from './config.ts';

/** Depth, alias, token, directive and cost limits, checked before anything runs. */
export function queryLimitPlugins(config: ServerConfig): Plugin[] {
  const armor = new EnvelopArmor({
    maxDepth: { n: config.limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: config.limits.maxAliases },
    maxTokens: { n: config.limits.maxTokens },
    maxDirectives: { n: config.limits.maxDirectives },
    costLimit: { maxCost: config.limits.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5 },
    // Suggestions ("Did you mean …?") help developers; in production they leak the schema shape of typos only, which is public anyway.
    blockFieldSuggestion: { enabled: false },
  });
  return armor.protect().plugins as Plugin[];
}

/** The address a request comes from; X-Forwarded-For only when a trusted proxy sets it. */
export function clientAddress(request: Request, serverContext: unknown, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const socket = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req
    ?.socket;
  return socket?.remoteAddress ?? 'local';
}

/**
 * Token-bucket rate limit per client address, per server instance: `burst` requests at
 * once, refilled at `requestsPerMinute`. Over the limit the client gets HTTP 429.
 */
export function rateLimitPlugin(config: ServerConfig): Plugin {
  const { requestsPerMinute, burst } = config.rateLimit;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = requestsPerMinute / 60_000;
  return {
    onRequest({ request, serverContext, endResponse, fetchAPI, url }) {
      if (requestsPerMinute === 0 || url.pathname !== '/graphql') return;
      const key = clientAddress(request, serverContext, config.trustProxy);
      const now = Date.now();
      const bucket = buckets.get(key) ?? { tokens: burst, at: now };
      bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * refillPerMs);
      bucket.at = now;
      if (bucket.tokens < 1) {
        buckets.set(key, bucket);
        const retryAfter = Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
        endResponse(
          new fetchAPI.Response(
            JSON.stringify({
              errors: [
                {
                  message: `Too many requests from ${key}: the limit is ${requestsPerMinute} per minute. Retry after ${retryAfter} s.`,
                  extensions: { code: 'RATE_LIMITED' },
                },
              ],
            }),
            {
              status: 429,
              headers: { 'content-type': 'application/json', 'retry-after': String(retryAfter) },
            },
          ),
        );
        return;
      }
      bucket.tokens -= 1;
      buckets.set(key, bucket);
      // Forget idle clients so the map cannot grow without bound.
      if (buckets.size > 10_000) {
        for (const [k, b] of buckets) if (now - b.at > 120_000) buckets.delete(k);
      }
    },
  };
}

export const unknownOperationError = (hash: string) =>
  new GraphQLError(
    `The operation with ${hash} is not on the allow-list. In production this server only runs persisted operations; add the query to PERSISTED_OPERATIONS_FILE.`,
    { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
  );
