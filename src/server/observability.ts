import { randomUUID } from 'node:crypto';
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { type DocumentNode, Kind, type OperationDefinitionNode } from 'graphql';
import type { Plugin, YogaLogger } from 'graphql-yoga';
import { type Logger, pino } from 'pino';
import { Gauge, Registry } from 'prom-client';
import { type Db, poolStats } from '../store/db.ts';
import type { ServerConfig } from './config.ts';

export function createLogger(config: Pick<ServerConfig, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { service: 'disclosure-graphql' } });
}

/** yoga's own messages (including masked errors) go to the same structured log. */
export function yogaLogger(logger: Logger): YogaLogger {
  return {
    debug: (...args) => logger.debug({ args }, 'yoga'),
    info: (...args) => logger.info({ args }, 'yoga'),
    warn: (...args) => logger.warn({ args }, 'yoga'),
    error: (...args) => logger.error({ err: args[0], args: args.slice(1) }, 'yoga error'),
  };
}

const started = new WeakMap<Request, { id: string; at: number; operations: string[] }>();

/** Paths whose requests are routine enough that a line each would bury the API's lines. */
const QUIET_PATHS = /^\/(assets\/|graphiql\/|favicon|health$|ready$|metrics$)/;

/**
 * Gives every request an id (X-Request-Id, echoed back) and logs one line per request, with
 * the GraphQL operation name(s) it ran (`anonymous` for an unnamed operation). Static assets
 * and probes log at debug level.
 */
export function requestLogPlugin(logger: Logger): Plugin {
  return {
    onRequest({ request }) {
      const id = request.headers.get('x-request-id')?.slice(0, 100) || randomUUID();
      started.set(request, { id, at: performance.now(), operations: [] });
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const info = request && started.get(request);
      if (!info) return;
      const operation = (args.document as DocumentNode).definitions.find(
        (definition): definition is OperationDefinitionNode =>
          definition.kind === Kind.OPERATION_DEFINITION &&
          (args.operationName == null || definition.name?.value === args.operationName),
      );
      if (operation) info.operations.push(`${operation.operation} ${operation.name?.value ?? 'anonymous'}`);
    },
    onResponse({ request, response }) {
      const info = started.get(request);
      if (!info) return;
      response.headers.set('x-request-id', info.id);
      const url = new URL(request.url);
      const quiet = QUIET_PATHS.test(url.pathname);
      logger[quiet ? 'debug' : 'info'](
        {
          requestId: info.id,
          method: request.method,
          path: url.pathname,
          ...(info.operations.length > 0 ? { operation: info.operations.join(', ') } : {}),
          status: response.status,
          ms: Math.round((performance.now() - info.at) * 10) / 10,
        },
        'request',
      );
    },
  };
}

/** Prometheus metrics at /metrics: per-operation latency, errors, and the database pool. */
export function metricsPlugin(db: Db): Plugin {
  const registry = new Registry();
  new Gauge({
    name: 'disclosure_db_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle, waiting clients).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const stats = poolStats(db);
      if (!stats) return;
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  return usePrometheus({
    endpoint: '/metrics',
    registry,
    metrics: {
      graphql_yoga_http_duration: true,
      graphql_envelop_request_duration: true,
      graphql_envelop_phase_execute: true,
      graphql_envelop_error_result: true,
      graphql_envelop_request: true,
      // The rest of the plugin's defaults are off: they cost every request (the deprecation
      // counter walks each document with a TypeInfo, and the summary keeps a sliding
      // percentile window per operation) for figures the histograms above already give, about
      // fields this schema does not have, or for phases served from yoga's cache.
      graphql_envelop_request_time_summary: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_schema_change: false,
    },
  });
}
