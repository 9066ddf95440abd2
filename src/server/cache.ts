import { createHash } from 'node:crypto';
import { createRedisCache } from '@envelop/response-cache-redis';
import { createInMemoryCache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import {
  type DocumentNode,
  type ExecutionArgs,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { type Context, mayRead } from '../graphql/builder.ts';
import type { DataPosition } from '../store/data-version.ts';
import type { ServerConfig } from './config.ts';

export { dataVersion } from '../store/data-version.ts';

/** The data position a request runs at, read once per request (see read-routing.ts). */
export type PositionOf = (context: object) => Promise<DataPosition>;

/**
 * Root query fields whose answer depends on who asks: validateReport checks the requester's token
 * in its resolver (VALIDATE_REQUIRES_TOKEN), so an anonymous request that waited on an identical
 * one sent with a token was given its validation without being asked for one.
 */
const ANSWER_PER_REQUESTER = new Set(['validateReport']);

/** The names of the fields an operation selects at its root, through fragments too. */
function rootFieldNames(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const names: string[] = [];
  const seen = new Set<string>();
  const walk = (selections: readonly SelectionNode[]) => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) names.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet.selections);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        walk(fragments.get(selection.name.value)?.selectionSet.selections ?? []);
      }
    }
  };
  walk(operation.selectionSet.selections);
  return names;
}

/**
 * Runs identical queries that arrive while one is executing only once: fifty dashboards
 * asking the same question of a cold cache would otherwise each run the same SQL at once.
 * Identical means the same parsed document (yoga reuses it for the same text), operation,
 * variables and data version: a request that arrives after a commit must not take the answer
 * of an execution that may have started before it, or the cache would file that older answer
 * under the new version. Only among callers who may read (mayRead), who all see the same
 * answers; mutations, and queries of a field whose answer depends on who asks, always run.
 */
function coalesceIdenticalQueries(positionOf: PositionOf, readsRequireToken: boolean): Plugin {
  const running = new WeakMap<DocumentNode, Map<string, Promise<unknown>>>();
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'query') return;
      if (rootFieldNames(args.document, operation).some((name) => ANSWER_PER_REQUESTER.has(name))) return;
      // A caller who may not read runs alone, to be refused: it must not share a reader's answer.
      if (!mayRead(readsRequireToken, (args.contextValue as Partial<Context>).auth)) return;
      setExecuteFn(async (executeArgs: ExecutionArgs) => {
        const version = await positionOf(executeArgs.contextValue as object).then(
          (position) => position.version,
          () => null,
        );
        // Without a version (the database is unreachable) each request runs and reports it.
        if (version === null) return executeFn(executeArgs) as never;
        const key = `${version}\u0000${executeArgs.operationName ?? ''}\u0000${JSON.stringify(executeArgs.variableValues ?? {})}`;
        const byKey = running.get(executeArgs.document) ?? new Map<string, Promise<unknown>>();
        running.set(executeArgs.document, byKey);
        const inFlight = byKey.get(key);
        // Each waiter gets its own result object: later plugins add per-request extensions.
        if (inFlight) return inFlight.then((result) => ({ ...(result as object) })) as never;
        const execution = Promise.resolve(executeFn(executeArgs)).finally(() => byKey.delete(key));
        byKey.set(key, execution);
        return execution as never;
      });
    },
  };
}

/**
 * Conditional GETs, answered here rather than by the cache plugin. The plugin answered 304 to
 * any If-None-Match naming an entry still in the cache, whichever query it belonged to and
 * whether or not the data had changed since: a dashboard holding yesterday's tag was told its
 * old answer was current for up to the cache's TTL after an import. Here the request is
 * answered as usual (from the cache where it can be) and a 304 sent only where the answer's own
 * tag, which names the data version, the operation and its variables, is one the client sent.
 * Tags go out quoted, as RFC 9110 writes them, with `Cache-Control: no-cache` (keep the answer,
 * but ask again with its tag: an import changes it at any time), and come back in any form
 * (quoted, weak, several). An answer the cache does not keep (a collection run's, whose items
 * move without any import) carries no tag.
 */
function entityTags(): { plugin: Plugin; uncached: WeakSet<Request> } {
  const sent = new WeakMap<Request, string[]>();
  const uncached = new WeakSet<Request>();
  const plugin: Plugin = {
    onRequest({ request }) {
      const header = request.headers.get('if-none-match');
      if (!header) return;
      // Only a GET revalidates: a POSTed mutation sent with a cached query's tag must run.
      if (request.method === 'GET')
        sent.set(
          request,
          header.split(',').map((tag) => tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '')),
        );
      // Removed so the cache plugin never answers it by itself.
      request.headers.delete('if-none-match');
    },
    onResponse({ request, response, setResponse, fetchAPI }) {
      const bare = response.headers.get('etag')?.replace(/^"|"$/g, '');
      if (!bare) return;
      if (uncached.has(request)) {
        response.headers.delete('etag');
        response.headers.delete('last-modified');
        return;
      }
      const tag = `"${bare}"`;
      const tags = sent.get(request);
      if (response.status === 200 && tags && (tags.includes(bare) || tags.includes('*'))) {
        // The answer's own headers (CORS, the request id) stay: a cross-origin dashboard
        // revalidating would otherwise be refused by its browser exactly when its copy is
        // current. Names are compared in lower case: a cached answer's come capitalised, and
        // these Headers delete only the spelling asked for.
        const headers = new fetchAPI.Headers();
        const replaced = new Set([
          'content-type',
          'content-length',
          'content-encoding',
          'etag',
          'cache-control',
        ]);
        response.headers.forEach((value, name) => {
          if (!replaced.has(name.toLowerCase())) headers.append(name.toLowerCase(), value);
        });
        headers.set('etag', tag);
        headers.set('cache-control', 'no-cache');
        setResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      // The plugin's own spelling: a set under another case was added beside it, not in its place.
      response.headers.delete('ETag');
      response.headers.set('ETag', tag);
      if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-cache');
    },
  };
  return { plugin, uncached };
}

type ResponseCache = ReturnType<typeof createInMemoryCache>;

/**
 * While the cache is failing, one request in this long tries it; the others go without it at
 * once. Each attempt on a Redis that is away waits for its reconnection or its command timeout:
 * every request took about a second longer during an outage.
 */
export const CACHE_RETRY_MS = 1_000;

/**
 * The cache, whose failures are misses: a read it cannot answer is run, an answer it cannot keep
 * is not kept. `onError` hears the first failure of each outage (not one per request).
 * `failing` says whether it is in an outage, so an answer is not said to be cached meanwhile.
 */
function failingSoftly(
  cache: ResponseCache,
  onError: (error: unknown) => void,
): ResponseCache & { failing: () => boolean } {
  let failing = false;
  let retryAt = 0;
  const attempt = async <T>(work: () => T | Promise<T>, fallback: T, answers = false): Promise<T> => {
    if (failing) {
      if (performance.now() < retryAt) return fallback;
      retryAt = performance.now() + CACHE_RETRY_MS;
    }
    try {
      const result = await work();
      // Only a read reaches Redis every time (an invalidation of nothing does not): it says Redis is back.
      if (answers) failing = false;
      return result;
    } catch (error) {
      if (!failing) onError(error);
      failing = true;
      retryAt = performance.now() + CACHE_RETRY_MS;
      return fallback;
    }
  };
  return {
    get: (id) => attempt(() => cache.get(id), undefined, true),
    set: (id, data, entities, ttl) => attempt(() => cache.set(id, data, entities, ttl), undefined),
    invalidate: (entities) => attempt(() => cache.invalidate(entities), undefined),
    failing: () => failing,
  };
}

/**
 * The Redis cache without its entity index: the plugin keeps a set per type and entity naming the
 * answers that hold it, for invalidation by entity, with no expiry; answers here are filed under
 * the data version and never invalidated, so each import left a new generation of sets behind
 * (Redis grew without bound, and under its default noeviction policy would refuse writes).
 */
function keyedByVersion(cache: ResponseCache): ResponseCache {
  return {
    get: (id) => cache.get(id),
    set: (id, data, _entities, ttl) => cache.set(id, data, [], ttl),
    invalidate: () => undefined,
  };
}

/**
 * Caches query responses for dashboards: in memory by default, in Redis when REDIS_URL is
 * set so several instances share one cache. Entries are keyed by the data version, so an
 * import invalidates them everywhere without any message passing. The answer is computed after
 * the version was read, on the primary or on a replica that has replayed that far, so it is
 * never older than the version it is filed under.
 */
export function responseCachePlugin(
  config: ServerConfig,
  positionOf: PositionOf,
  onCacheError: (error: unknown) => void = () => {},
): { plugins: Plugin[]; close: () => Promise<void> } {
  const redis = config.cache.redisUrl
    ? new Redis(config.cache.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1, commandTimeout: 500 })
    : null;
  // A Redis outage must not take reads down: the cache answers misses and keeps nothing until
  // Redis is back (every request failed with "Unexpected error." while it was away).
  redis?.on('error', () => {});
  const shared = redis ? failingSoftly(keyedByVersion(createRedisCache({ redis })), onCacheError) : null;
  const cache = shared ?? createInMemoryCache({ max: 2000 });
  // Mutations and subscriptions are never cached nor answered from the cache. With
  // invalidateViaMutation off, the plugin treated a mutation like a query: an import sent again
  // with the same text under the same data version (UNCHANGED changes nothing) was answered
  // from the cache, not run: no audit record, and no token asked for.
  const writes = new WeakSet<object>();
  const markWrites: Plugin = {
    onExecute({ args }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'query')
        writes.add(args.contextValue as object);
    },
  };
  const tags = entityTags();
  const plugin = useResponseCache({
    // A caller who may not read is neither answered from the cache nor kept in it (it is refused).
    // The plugin first asks before the request's context is built, to answer without building it:
    // with no caller known yet, a token-only server says no, and asks again when it executes.
    enabled: (_request, context) =>
      !writes.has(context as object) && mayRead(config.readsRequireToken, (context as Partial<Context>).auth),
    // The plugin tags an answer it then does not keep for a TTL of 0; such a tag is dropped.
    onTtl: ({ ttl, context }) => {
      const { request } = context as { request?: Request };
      if (ttl === 0 && request) tags.uncached.add(request);
      return ttl;
    },
    session: () => null,
    // An answer with errors is not kept, as by default; nor, said so in its `didCache`, any
    // answer while Redis is away.
    shouldCacheResult: ({ result }) => !result.errors?.length && !shared?.failing(),
    ttl: config.cache.ttlMs,
    // Collection runs move without any import (their items change as workers go): never cached.
    // Nor is validateReport: a query that may need a token (VALIDATE_REQUIRES_TOKEN), which an
    // answer from the shared cache would not ask for, and an upload nobody sends twice.
    ttlPerSchemaCoordinate: {
      'Query.collectionRun': 0,
      'Query.collectionRuns': 0,
      'Query.validateReport': 0,
    },
    cache,
    includeExtensionMetadata: true,
    invalidateViaMutation: false,
    buildResponseCacheKey: async ({ documentString, variableValues, operationName, context }) => {
      let version: string;
      try {
        version = (await positionOf(context as object)).version;
      } catch {
        // Database unreachable: use a key that never hits, so the resolvers report the outage.
        version = `unavailable-${Math.random()}`;
      }
      let variables: string;
      try {
        variables = JSON.stringify(variableValues ?? {});
      } catch {
        // Too deep to write (the request is refused when it executes): a key that never hits.
        return `unwritable-${Math.random()}`;
      }
      // node:crypto, not the plugin's hashSHA256: that one goes through WebCrypto's async digest,
      // which cost about 7 % of a cached request's time under load.
      return createHash('sha256')
        .update([version, operationName ?? '', documentString, variables].join('\u0000'))
        .digest('hex');
    },
  });
  return {
    // Coalescing goes first so the cache wraps it: the cache's execute function then runs for
    // every request, also for a request that waits on an identical one (otherwise the cache
    // warns that another plugin replaced its execute function).
    plugins: [
      tags.plugin,
      markWrites,
      coalesceIdenticalQueries(positionOf, config.readsRequireToken),
      plugin,
    ],
    close: async () => void (await redis?.quit().catch(() => undefined)),
  };
}
