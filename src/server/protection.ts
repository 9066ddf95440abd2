import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, Kind, type ValueNode, visit } from 'graphql';
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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Arguments are checked as they arrive, literals and variables alike, before anything runs:
 * a list longer than `maxListItems` (20,000 ids for `nodes` would bypass the cost limit,
 * which cannot see inside variables) and a string holding a NUL character (PostgreSQL
 * cannot store one) are typed input errors naming the argument.
 */
export function argumentShapePlugin(maxListItems: number): Plugin {
  const refuse = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
  const checkValue = (value: Json | undefined, path: string, field: string): GraphQLError | null => {
    const where = `Argument ${path} of ${field}`;
    if (typeof value === 'string') {
      return value.includes('\u0000')
        ? refuse(`${where} contains a NUL character (\\u0000), which no text may hold.`)
        : null;
    }
    if (Array.isArray(value)) {
      if (value.length > maxListItems) {
        return refuse(`${where} has ${value.length} items; the limit is ${maxListItems}. Split the request.`);
      }
      for (const item of value) {
        const found = checkValue(item, path, field);
        if (found) return found;
      }
      return null;
    }
    if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const found = checkValue(item, `${path}.${key}`, field);
        if (found) return found;
      }
    }
    return null;
  };
  const literal = (node: ValueNode, variables: Record<string, unknown>): Json | undefined => {
    switch (node.kind) {
      case Kind.VARIABLE:
        return variables[node.name.value] as Json | undefined;
      case Kind.LIST:
        return node.values.map((v) => literal(v, variables) ?? null);
      case Kind.OBJECT:
        return Object.fromEntries(
          node.fields.map((f) => [f.name.value, literal(f.value, variables) ?? null]),
        );
      case Kind.STRING:
        return node.value;
      default:
        return null;
    }
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      let problem: GraphQLError | null = null;
      visit(args.document, {
        Field(field) {
          for (const argument of field.arguments ?? []) {
            problem ??= checkValue(literal(argument.value, variables), argument.name.value, field.name.value);
          }
        },
      });
      if (problem) setResultAndStopExecution({ errors: [problem] });
    },
  };
}
