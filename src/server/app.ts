import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import { createYoga, maskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Context } from '../graphql/builder.ts';
import { schema } from '../graphql/schema/index.ts';
import { onCommitted } from '../import/index.ts';
import { createParsePool, type ParsePool } from '../ingest/parse-pool.ts';
import type { ParseOptions } from '../ingest/parse-report.ts';
import {
  connectionWaitMessage,
  DATABASE_UNAVAILABLE_MESSAGE,
  databaseReason,
  databaseRefusalCode,
  databaseUnansweredMessage,
  describeUrl,
  isConnectionWaitTimeout,
  isDatabaseUnanswered,
  isDatabaseUnavailable,
  isStatementTimeout,
} from '../store/database-errors.ts';
import { answerTimeoutOf, type Db } from '../store/db.ts';
import { createReplicaSet, type ReplicaSet } from '../store/replicas.ts';
import { authenticate } from '../store/tokens.ts';
import { responseCachePlugin } from './cache.ts';
import { compiledExecutionPlugin, queryOrderExecutionPlugin } from './compiled-execution.ts';
import { compressionPlugin } from './compression.ts';
import { loadServerConfig, type ServerConfig } from './config.ts';
import { corsOptions, varyOnOriginPlugin } from './cors.ts';
import { csvPlugin, readOnlyRequestsPlugin } from './csv.ts';
import { dashboardPlugin } from './dashboard.ts';
import { graphiqlAssetsPlugin, renderGraphiQLPage } from './graphiql.ts';
import { jsonBytesPlugin } from './json-bytes.ts';
import { createLiveImports, type LiveImports } from './live.ts';
import {
  createLogger,
  metricsPlugin,
  metricsTokenPlugin,
  requestLogPlugin,
  yogaLogger,
} from './observability.ts';
import { pageSizePlugin } from './page-sizes.ts';
import {
  argumentShapePlugin,
  chargeUpload,
  clientAddress,
  createRateLimiter,
  queryLimitPlugins,
  rateLimitPlugin,
  requestBodyLimitPlugin,
  subscriptionSlots,
  unknownOperationError,
} from './protection.ts';
import { readRoutingPlugin, requestPositions } from './read-routing.ts';
import { checkReadiness } from './readiness.ts';
import {
  clientErrorCodesPlugin,
  errorResponse,
  guardRequestHandlers,
  operationChoicePlugin,
  requestParamsPlugin,
} from './request-errors.ts';

const EXAMPLE_QUERY = `# 政府信息公开工作年度报告 — GraphQL API
# Every type and field is documented: open the Docs panel (top left).
query SampleReport {
  report(agencyName: "中卫市科学技术局", year: 2020) {
    year
    agency { name kind }
    current {
      templateVersion
      publishedOn
      sourceSha256
      table3 {
        rows {
          ordinal labelZh nameEn
          naturalPerson { value printedText }
          total { value status sourceLine }
        }
      }
      table4 {
        review { upheld { value } corrected { value } total { value } }
        litigationDirect { total { value } }
        litigationAfterReview { total { value } }
      }
    }
  }
}
`;

export interface AppOptions {
  /** The primary: writes, subscriptions, token checks, and the queries no replica can answer. */
  db: Db;
  /** Read replicas for queries; default: opened from the config's READ_DATABASE_URLS and closed with the app. */
  replicas?: ReplicaSet;
  config?: ServerConfig;
  logger?: Logger;
  /** Called with every unexpected (masked) error, in addition to the log; tests collect them. */
  logError?: (error: unknown) => void;
  /** The built dashboard to serve at `/`; defaults to web/dist. Tests build their own copy. */
  dashboardDir?: string;
}

export type App = YogaServerInstance<Record<string, unknown>, Context> & {
  close: () => Promise<void>;
  /** Announcements of committed imports to importCommitted subscribers. */
  live: LiveImports;
};

function readinessPlugin(db: Db, replicas: ReplicaSet | null): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ready') return;
      const readiness = await checkReadiness(db, replicas);
      endResponse(
        new fetchAPI.Response(JSON.stringify(readiness), {
          status: readiness.ready ? 200 : 503,
          headers: { 'content-type': 'application/json' },
        }),
      );
    },
  };
}

/**
 * A body for yoga's 415, which it sends empty when no request parser takes the content type
 * (text/plain, a missing header): the client is told what the endpoint does take.
 */
function unsupportedMediaTypePlugin(): Plugin {
  return {
    onResponse({ request, response, setResponse, fetchAPI }) {
      if (response.status !== 415 || response.body !== null) return;
      const type = request.headers.get('content-type');
      const upload = /^\s*multipart\//i.test(type ?? '')
        ? ' A report file is sent in a JSON body, its bytes in base64 as importReport(input: {base64: …}).'
        : '';
      const message = `${request.method} ${new URL(request.url).pathname} takes a JSON body (content-type: application/json, {"query": "…", "variables": {…}}), application/graphql or a form (application/x-www-form-urlencoded); this request's content type is ${type ? `"${type}"` : 'not given'}.${upload}`;
      setResponse(errorResponse(fetchAPI, 415, message, 'UNSUPPORTED_MEDIA_TYPE'));
    },
  };
}

function persistedOperationsPlugin(operations: Readonly<Record<string, string>>): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (hash) => operations[hash] ?? null,
    allowArbitraryOperations: false,
    customErrors: {
      notFound: {
        message: unknownOperationError('this hash').message,
        extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
      },
      persistedQueryOnly: {
        message:
          'This server only runs persisted operations (an allow-list). Send {"extensions":{"persistedQuery":{"version":1,"sha256Hash":"…"}}} for a query on PERSISTED_OPERATIONS_FILE.',
        extensions: { code: 'PERSISTED_QUERY_ONLY' },
      },
    },
  });
}

/**
 * The HTTP application: GraphQL at /graphql (GraphiQL in a browser), /health (liveness),
 * /ready (database reachable, migrations applied) and /metrics (Prometheus).
 */
export function createApp(options: AppOptions): App {
  const config = options.config ?? loadServerConfig();
  const logger = options.logger ?? createLogger(config);
  const logUnexpected = (error: unknown) => {
    logger.error({ err: error }, 'unexpected error');
    options.logError?.(error);
  };
  const ownReplicas =
    !options.replicas && config.readDatabaseUrls.length > 0
      ? createReplicaSet(config.readDatabaseUrls, {
          statementTimeoutMs: config.statementTimeoutMs,
          log: (level, message) => logger[level](message),
        })
      : null;
  const replicas = options.replicas ?? ownReplicas;
  if (ownReplicas) {
    logger.info(`Read replicas: ${config.readDatabaseUrls.map(describeUrl).join(', ')}`);
  }
  const positionOf = requestPositions(options.db);
  const cache = config.cache.enabled
    ? responseCachePlugin(config, positionOf, (error) =>
        logger.warn({ err: error }, 'the response cache (Redis) failed: answering uncached until it is back'),
      )
    : null;
  const { limiter, close: closeLimiter } = createRateLimiter(config);
  const live = createLiveImports(options.db, config.cache.redisUrl, (error) =>
    logger.warn({ err: error }, 'announcing an import failed'),
  );
  const stopAnnouncing = onCommitted(options.db, live.announce);
  const subscriptions = subscriptionSlots(config.limits.maxSubscriptionsPerClient);
  // Uploads are parsed on worker threads (started on the first upload), so no file can block
  // the event loop or exhaust the server's heap: a worker past its limits is killed.
  let pool: ParsePool | null = null;
  const parse = (bytes: Uint8Array, parseOptions: ParseOptions) => {
    pool ??= createParsePool(config.parse.workers, config.parse);
    return pool.parse(bytes, { ...parseOptions, limits: config.inputLimits });
  };
  // The allow-list of operations by hash (production with PERSISTED_OPERATIONS_FILE), read with the settings.
  const persisted = config.persistedOperations;
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    context: async ({ request, ...serverContext }) => ({
      db: options.db,
      validateRequiresToken: config.validateRequiresToken,
      chargeUpload: (bytes: number) =>
        chargeUpload(limiter, clientAddress(request, serverContext, config.trustedProxies), bytes),
      auth: await authenticate(options.db, request.headers.get('authorization')),
      readsRequireToken: config.readsRequireToken,
      parse,
      importAnnouncements: () =>
        subscriptions.take(clientAddress(request, serverContext, config.trustedProxies), live.subscribe),
    }),
    graphqlEndpoint: '/graphql',
    // No Upload scalar takes a file part: yoga would put the file where a string is expected and
    // answer with its internals. A multipart request is a 415 saying how a file is sent.
    multipart: false,
    // requestBodyLimitPlugin keeps the limit without a stream per request.
    maxRequestBodySize: false,
    // CORS is an allow-list (CORS_ORIGINS); with none, only the server's own pages call it.
    cors: corsOptions(config.corsOrigins),
    landingPage: false,
    logging: yogaLogger(logger),
    graphiql: persisted ? false : { title: '政府信息公开年度报告 GraphQL', defaultQuery: EXAMPLE_QUERY },
    // GraphiQL's code is served from this server instead of a CDN, so it works offline, as
    // separate cacheable files (graphiqlAssetsPlugin) behind a page of a few hundred bytes.
    renderGraphiQL: (graphiqlOptions) => renderGraphiQLPage(graphiqlOptions ?? {}),
    // Unexpected errors reach clients as "Unexpected error." only; details go to the log.
    maskedErrors: {
      maskError: (error, message, isDev) => {
        if (isDatabaseUnanswered(error)) {
          logger.warn({ err: error }, 'database did not answer');
          options.logError?.(error);
          const answerTimeoutMs = answerTimeoutOf({ statementTimeoutMs: config.statementTimeoutMs });
          return new GraphQLError(databaseUnansweredMessage(answerTimeoutMs), {
            extensions: { code: 'DATABASE_UNANSWERED' },
          });
        }
        if (isDatabaseUnavailable(error)) {
          logger.warn({ err: error }, 'database unavailable');
          options.logError?.(error);
          const waitMs = answerTimeoutOf({ statementTimeoutMs: config.statementTimeoutMs });
          return new GraphQLError(
            isConnectionWaitTimeout(error) && waitMs
              ? connectionWaitMessage(waitMs)
              : DATABASE_UNAVAILABLE_MESSAGE,
            { extensions: { code: 'DATABASE_UNAVAILABLE' } },
          );
        }
        if (isStatementTimeout(error)) {
          logger.warn({ err: error }, 'statement timeout');
          return new GraphQLError(
            `The query took longer than this server allows (STATEMENT_TIMEOUT_MS, ${config.statementTimeoutMs} ms) and was stopped; nothing was written. Ask for less (a narrower filter, a limit, fewer metrics or years), or raise STATEMENT_TIMEOUT_MS.`,
            { extensions: { code: 'STATEMENT_TIMEOUT' } },
          );
        }
        const refusal = databaseRefusalCode(error);
        if (refusal) {
          // Said, not masked: a full disk or a trigger's refusal is for the operator to fix, and
          // the caller must know nothing was written (a write's audit entry is in its transaction).
          logger.warn({ err: error }, 'database refused the request');
          return new GraphQLError(
            `PostgreSQL refused the request (${databaseReason(error) ?? refusal}, SQLSTATE ${refusal}), so nothing was written. ${refusal === '53100' ? 'The database server has no disk space left: free some, then send the request again.' : 'Send the request again once the database operator has fixed this.'}`,
            { extensions: { code: 'DATABASE_REFUSED', sqlState: refusal } },
          );
        }
        const masked = maskError(error, message, isDev);
        if (masked !== error) logUnexpected(error);
        return masked;
      },
    },
    plugins: guardRequestHandlers(
      [
        requestLogPlugin(logger),
        metricsTokenPlugin(config.metricsToken),
        metricsPlugin(options.db),
        readinessPlugin(options.db, replicas),
        unsupportedMediaTypePlugin(),
        rateLimitPlugin(config, limiter),
        ...(persisted ? [persistedOperationsPlugin(persisted)] : []),
        ...queryLimitPlugins(config),
        argumentShapePlugin(config.limits.maxListItems, config.limits.maxCost),
        pageSizePlugin(config.limits.maxRows),
        clientErrorCodesPlugin(),
        operationChoicePlugin(),
        // First the plugins that set the execute function (graphql-js's, then graphql-jit's for
        // what it compiles): they replace the function outright, and routing and the cache wrap
        // whichever one runs.
        queryOrderExecutionPlugin(),
        ...(config.compiledExecution ? [compiledExecutionPlugin(logger)] : []),
        // Routing goes before the cache, so the cache wraps it: an answer from the cache (or from
        // an identical query running) reaches no replica.
        ...(replicas ? [readRoutingPlugin(options.db, replicas, positionOf)] : []),
        ...(cache ? cache.plugins : []),
        csvPlugin((hash) => persisted?.[hash] ?? null),
        // After the result processors are chosen (yoga's own run before every plugin here).
        jsonBytesPlugin(),
        readOnlyRequestsPlugin(),
        dashboardPlugin(options.dashboardDir),
        graphiqlAssetsPlugin(),
        // Last, so it compresses what every plugin before it answered.
        compressionPlugin(),
        varyOnOriginPlugin(config.corsOrigins),
        // After every plugin that may choose a request parser, so they wrap the one chosen.
        requestParamsPlugin({ persistedOperations: persisted !== null }),
        requestBodyLimitPlugin(config.maxBodyBytes),
      ],
      logUnexpected,
    ),
  });
  return Object.assign(yoga, {
    live,
    close: async () => {
      stopAnnouncing();
      await Promise.all([cache?.close(), pool?.close(), closeLimiter(), live.close(), ownReplicas?.close()]);
    },
  });
}
