import { createRedisCache } from '@envelop/response-cache-redis';
import { createInMemoryCache, hashSHA256, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import { type DocumentNode, type ExecutionArgs, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { type Db, poolOf } from '../store/db.ts';
import type { ServerConfig } from './config.ts';

/**
 * The next transaction id PostgreSQL will hand out. Every committed write (an import from
 * this server, from the CLI or from another instance) moves it, reads never do; so a
 * cache key that includes it can never serve data older than the database.
 */
const DATA_VERSION_SQL = `
  SELECT (SELECT system_identifier FROM pg_control_system())::text || '/' || current_database() || '/' ||
         pg_snapshot_xmax(pg_current_snapshot())::text AS v`;

export async function dataVersion(db: Db): Promise<string> {
  // The cluster's system identifier keeps keys apart when a shared Redis serves several databases.
  // This runs on every cached request, so it goes straight to the pool as a prepared statement.
  const pool = poolOf(db);
  if (pool) {
    const result = await pool.query<{ v: string }>({
      name: 'disclosure-data-version',
      text: DATA_VERSION_SQL,
    });
    return result.rows[0]?.v ?? '0';
  }
  const [row] = await db.$queryRawUnsafe<{ v: string }[]>(DATA_VERSION_SQL);
  return row?.v ?? '0';
}

/**
 * Runs identical queries that arrive while one is executing only once: fifty dashboards
 * asking the same question of a cold cache would otherwise each run the same SQL at once.
 * Identical means the same parsed document (yoga reuses it for the same text), operation
 * and variables. Only for the shared cache's setting, where every reader may see every
 * result (the cache is off when reads require a token); mutations always run.
 */
function coalesceIdenticalQueries(): Plugin {
  const running = new WeakMap<DocumentNode, Map<string, Promise<unknown>>>();
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return;
      setExecuteFn((executeArgs: ExecutionArgs) => {
        const key = `${executeArgs.operationName ?? ''}\u0000${JSON.stringify(executeArgs.variableValues ?? {})}`;
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
 * Caches query responses for dashboards: in memory by default, in Redis when REDIS_URL is
 * set so several instances share one cache. Entries are keyed by the data version, so an
 * import invalidates them everywhere without any message passing.
 */
export function responseCachePlugin(
  config: ServerConfig,
  db: Db,
): { plugins: Plugin[]; close: () => Promise<void> } {
  const redis = config.cache.redisUrl
    ? new Redis(config.cache.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 })
    : null;
  // A Redis outage must not take reads down: the cache reports misses and logs once per failure.
  redis?.on('error', () => {});
  const cache = redis ? createRedisCache({ redis }) : createInMemoryCache({ max: 2000 });
  const plugin = useResponseCache({
    session: () => null,
    ttl: config.cache.ttlMs,
    cache,
    includeExtensionMetadata: true,
    invalidateViaMutation: false,
    buildResponseCacheKey: async ({ documentString, variableValues, operationName }) => {
      let version: string;
      try {
        version = await dataVersion(db);
      } catch {
        // Database unreachable: use a key that never hits, so the resolvers report the outage.
        version = `unavailable-${Math.random()}`;
      }
      return hashSHA256(
        [version, operationName ?? '', documentString, JSON.stringify(variableValues ?? {})].join('\u0000'),
      );
    },
  });
  return {
    // Coalescing goes first so the cache wraps it: the cache's execute function then runs for
    // every request, also for a request that waits on an identical one (otherwise the cache
    // warns that another plugin replaced its execute function).
    plugins: [coalesceIdenticalQueries(), plugin],
    close: async () => void (await redis?.quit().catch(() => undefined)),
  };
}
