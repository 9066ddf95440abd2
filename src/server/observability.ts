import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createCounter, createHistogram, usePrometheus } from '@graphql-yoga/plugin-prometheus';
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

const started = new WeakMap<
  Request,
  { id: string; at: number; operations: string[]; asked?: { query: string; operationName?: string } }
>();

/** `query Name`, or `query anonymous`, of an operation the log names; its name cut at 100. */
const operationLabel = (type: string, name: string | undefined) => {
  const shown = name ?? 'anonymous';
  return `${type} ${shown.length > 100 ? `${shown.slice(0, 100)}…` : shown}`;
};

/**
 * The operation a query's text asks for, read from the text without parsing it: for a request
 * the response cache answered, which parses and executes nothing. The one named by
 * operationName, else the first; a query of a bare selection set is an anonymous query.
 */
function askedOperation(query: string, operationName: string | undefined): string | null {
  const text = query.replace(/#[^\n]*/g, ' ');
  if (/^\s*\{/.test(text)) return operationName ? null : operationLabel('query', undefined);
  const found = [...text.matchAll(/(?:^|[\s}])(query|mutation|subscription)\b\s*([_A-Za-z]\w*)?/g)];
  const chosen = operationName ? found.find((m) => m[2] === operationName) : found[0];
  return chosen?.[1] ? operationLabel(chosen[1], chosen[2]) : null;
}

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
      // A name may be as long as the body allows; the log keeps its start.
      if (operation) info.operations.push(operationLabel(operation.operation, operation.name?.value));
    },
    onParams({ params, request }) {
      const info = started.get(request);
      if (info && typeof params.query === 'string')
        info.asked = {
          query: params.query,
          ...(typeof params.operationName === 'string' ? { operationName: params.operationName } : {}),
        };
    },
    onResponse({ request, response }) {
      const info = started.get(request);
      if (!info) return;
      response.headers.set('x-request-id', info.id);
      const url = new URL(request.url);
      const quiet = QUIET_PATHS.test(url.pathname);
      // Answered from the response cache: nothing executed, and the line named no operation.
      if (info.operations.length === 0 && info.asked) {
        const asked = askedOperation(info.asked.query, info.asked.operationName);
        if (asked) info.operations.push(asked);
      }
      logger[quiet ? 'debug' : 'info'](
        {
          requestId: info.id,
          method: request.method,
          path: url.pathname.length > 200 ? `${url.pathname.slice(0, 200)}…` : url.pathname,
          ...(info.operations.length > 0 ? { operation: info.operations.join(', ') } : {}),
          status: response.status,
          ms: Math.round((performance.now() - info.at) * 10) / 10,
        },
        'request',
      );
    },
  };
}

/**
 * /metrics behind METRICS_TOKEN when it is set: the metrics name the operations and failing
 * paths of every client, and the database pool's state, which are not for the public.
 * Prometheus sends the token with `authorization: { credentials: … }` in its scrape config.
 */
export function metricsTokenPlugin(token: string | null): Plugin {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const expected = token === null ? null : digest(token);
  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (expected === null || url.pathname !== '/metrics') return;
      const given = /^Bearer (.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
      // Compared as digests, in constant time, so the answer's timing does not tell the token.
      if (given !== undefined && timingSafeEqual(digest(given), expected)) return;
      endResponse(
        new fetchAPI.Response(
          given === undefined
            ? 'The metrics need the token set in METRICS_TOKEN: send "Authorization: Bearer <token>".\n'
            : 'The token sent is not the one set in METRICS_TOKEN.\n',
          {
            status: 401,
            headers: {
              'content-type': 'text/plain; charset=utf-8',
              'www-authenticate': 'Bearer realm="metrics"',
            },
          },
        ),
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
  // Every label value a client chooses — operation names, error paths, the URL — is a series
  // kept until the process ends: one request per new name grew /metrics to 258 MB and the
  // process by a gigabyte. Names that look like GraphQL names are kept up to a limit, the rest
  // counted together as "other"; the URL label is the path only.
  const operationName = boundedLabels(200);
  const errorPath = boundedLabels(200);
  const urlPath = boundedLabels(20);
  const operation = (params: { operationName?: string; operationType?: string }) => ({
    operationType: params.operationType ?? 'unknown',
    operationName: operationName(params.operationName, 'Anonymous'),
  });
  const operationHistogram = <Phase extends 'execute' | 'subscribe'>(
    name: string,
    help: string,
    phases: [Phase, ...Phase[]],
  ) =>
    createHistogram({
      registry,
      histogram: { name, help, labelNames: ['operationType', 'operationName'] },
      fillLabelsFn: operation,
      phases,
    });
  return usePrometheus({
    endpoint: '/metrics',
    registry,
    metrics: {
      graphql_yoga_http_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_yoga_http_duration',
          help: 'Time spent on HTTP connection',
          labelNames: ['operationName', 'operationType', 'method', 'statusCode', 'url'],
        },
        fillLabelsFn: (params, { request, response }) => ({
          ...operation(params),
          method: request.method,
          statusCode: response.status,
          url: urlPath(new URL(request.url).pathname, '/'),
        }),
        phases: ['request'],
      }),
      graphql_envelop_request_duration: operationHistogram(
        'graphql_envelop_request_duration',
        'Time spent on running the GraphQL operation from parse to execute',
        ['execute', 'subscribe'],
      ),
      graphql_envelop_phase_execute: operationHistogram(
        'graphql_envelop_phase_execute',
        'Time spent on running the GraphQL "execute" function',
        ['execute'],
      ),
      graphql_envelop_error_result: createCounter({
        registry,
        counter: {
          name: 'graphql_envelop_error_result',
          help: 'Counts the amount of errors reported from all phases',
          labelNames: ['operationType', 'operationName', 'path', 'phase'],
        },
        fillLabelsFn: (params) => ({
          ...operation(params),
          phase: params.errorPhase ?? 'unknown',
          // List indices left out: an error in every row of a page is one series, not one a row.
          path: errorPath(params.error?.path?.filter((p) => typeof p === 'string').join('.'), ''),
        }),
        phases: ['parse', 'validate', 'context', 'execute', 'subscribe'],
      }),
      graphql_envelop_request: createCounter({
        registry,
        counter: {
          name: 'graphql_envelop_request',
          help: 'Counts the amount of GraphQL requests executed through Envelop',
          labelNames: ['operationType', 'operationName'],
        },
        fillLabelsFn: operation,
        phases: ['execute', 'subscribe'],
      }),
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

/**
 * A label that keeps at most `limit` distinct values: a value shaped like a GraphQL name or
 * path (letters, digits, _, dots and slashes, up to 64 characters) is kept while there is room;
 * any other, and any past the limit, is "other".
 */
export function boundedLabels(limit: number): (value: string | undefined, absent: string) => string {
  const kept = new Set<string>();
  return (value, absent) => {
    if (value === undefined || value === '') return absent;
    if (kept.has(value)) return value;
    if (value.length > 64 || !/^[\w./-]+$/.test(value) || kept.size >= limit) return 'other';
    kept.add(value);
    return value;
  };
}
