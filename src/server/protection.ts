import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, Kind, type ValueNode, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { ServerConfig } from './config.ts';

/** What a query-limit refusal says after the figures: how to get under the limit. */
const LIMIT_ADVICE = {
  depth: ['nests', 'levels deep', 'MAX_QUERY_DEPTH', 'Select fewer nested levels, or split the query.'],
  aliases: ['has', 'aliases', 'MAX_QUERY_ALIASES', 'Ask for fewer aliased fields, or split the query.'],
  directives: ['has', 'directives', 'MAX_QUERY_DIRECTIVES', 'Use fewer directives.'],
  cost: [
    'would cost',
    '(2 for each object and 1 for each scalar it may return, more deeper down)',
    'MAX_QUERY_COST',
    'Ask for fewer rows (first, limit) or fewer fields.',
  ],
} as const;

/**
 * graphql-armor throws its refusals out of validation ("Syntax Error: Query depth limit of 12
 * exceeded, found 13."), which yoga answered with no error code, always as HTTP 200, naming
 * neither the variable that sets the limit nor a way under it. Reported as validation errors
 * instead: code QUERY_TOO_COMPLEX with the figures in extensions, HTTP 400 as for any invalid
 * query (to clients that accept application/graphql-response+json).
 */
function reportLimit(kind: keyof typeof LIMIT_ADVICE, limit: number) {
  const [verb, unit, variable, advice] = LIMIT_ADVICE[kind];
  return (context: unknown, error: GraphQLError) => {
    const found = Number(/found (\d+)/.exec(error.message)?.[1] ?? Number.NaN);
    const figure = Number.isFinite(found)
      ? `${verb} ${found.toLocaleString('en')} ${unit}`
      : `${verb} more ${unit}`;
    (context as { reportError?: (error: GraphQLError) => void } | null)?.reportError?.(
      new GraphQLError(
        `The query ${figure}; the limit is ${limit.toLocaleString('en')} (${variable}). ${advice}`,
        {
          extensions: {
            code: 'QUERY_TOO_COMPLEX',
            limit: kind,
            allowed: limit,
            ...(Number.isFinite(found) ? { found } : {}),
          },
        },
      ),
    );
  };
}

/**
 * The token limit is counted while parsing, whose refusal said "Syntax Error: Token limit of
 * 4000 exceeded." without the variable that sets it: said as the other limits are, still a
 * parse failure (HTTP 400).
 */
function tokenLimitWords(maxTokens: number): Plugin {
  return {
    onParse:
      () =>
      ({ result, replaceParseResult }) => {
        if (!(result instanceof Error) || !/Token limit of \d+ exceeded/.test(result.message)) return;
        replaceParseResult(
          new GraphQLError(
            `The query has more than ${maxTokens.toLocaleString('en')} tokens (names, punctuation and values); the limit is ${maxTokens.toLocaleString('en')} (MAX_QUERY_TOKENS). Send a shorter query: fewer fields or aliases, long values as variables.`,
            { extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'tokens', allowed: maxTokens } },
          ),
        );
      },
  };
}

/** Depth, alias, token, directive and cost limits, checked before anything runs. */
export function queryLimitPlugins(config: ServerConfig): Plugin[] {
  const { maxDepth, maxAliases, maxTokens, maxDirectives, maxCost } = config.limits;
  const reported = (kind: keyof typeof LIMIT_ADVICE, limit: number) => ({
    propagateOnRejection: false,
    onReject: [reportLimit(kind, limit)],
  });
  const armor = new EnvelopArmor({
    maxDepth: { n: maxDepth, ignoreIntrospection: true, ...reported('depth', maxDepth) },
    // armor leaves aliases of __typename uncounted by default: 1,000 of them passed a limit of 20.
    maxAliases: { n: maxAliases, allowList: [], ...reported('aliases', maxAliases) },
    // Counted while parsing, where yoga already answers 400 GRAPHQL_PARSE_FAILED.
    maxTokens: { n: maxTokens },
    maxDirectives: { n: maxDirectives, ...reported('directives', maxDirectives) },
    costLimit: {
      maxCost,
      objectCost: 2,
      scalarCost: 1,
      depthCostFactor: 1.5,
      ...reported('cost', maxCost),
    },
    // Suggestions ("Did you mean …?") help developers; in production they leak the schema shape of typos only, which is public anyway.
    blockFieldSuggestion: { enabled: false },
  });
  return [...(armor.protect().plugins as Plugin[]), tokenLimitWords(maxTokens), validationBudgetPlugin()];
}

/**
 * graphql-js stops checking that a query's repeated fields agree once the pairs to compare pass
 * its budget (800 `__typename` on one level), and then says only "Validation aborted.": here
 * it says what it means, with the code of the other limits.
 */
function validationBudgetPlugin(): Plugin {
  const ABORTED = 'Validation aborted.';
  return {
    onValidate:
      () =>
      ({ result, setResult }) => {
        if (!result.some((error) => error.message === ABORTED)) return;
        setResult(
          result.map((error) =>
            error.message === ABORTED
              ? new GraphQLError(
                  'The query repeats the same fields or fragments too often for the server to check that they agree. Ask for each field once on each level, or split the query.',
                  { extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'repetition' } },
                )
              : error,
          ),
        );
      },
  };
}

/**
 * The address a request comes from. Behind `trustedProxies` proxies, each appends the address
 * it received from to X-Forwarded-For, so the client is that many entries from the right:
 * entries further left are the client's own claims and choose nothing.
 */
export function clientAddress(request: Request, serverContext: unknown, trustedProxies: number): string {
  const socket = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req
    ?.socket;
  const peer = socket?.remoteAddress ?? 'local';
  if (trustedProxies <= 0) return peer;
  const hops = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  return hops[hops.length - trustedProxies] ?? hops[0] ?? peer;
}

/** Paths that execute GraphQL, however they are spelled (/graphql/, //graphql, /csv). */
export const executesGraphQL = (pathname: string) => {
  const path = pathname
    .replace(/\/{2,}/g, '/')
    .replace(/\/$/, '')
    .toLowerCase();
  return path === '/graphql' || path === '/csv';
};

/**
 * One rate limit for every way into GraphQL: `burst` requests at once per client, refilled
 * at `requestsPerMinute`. With REDIS_URL the counts live in Redis, so the limit holds across
 * server instances (and falls back to this instance's memory while Redis is away).
 */
export function createRateLimiter(config: ServerConfig): {
  limiter: Limiter | null;
  close: () => Promise<void>;
} {
  const { requestsPerMinute } = config.rateLimit;
  if (requestsPerMinute === 0) return { limiter: null, close: async () => {} };
  const options = { keyPrefix: 'gdr-rate', ...rateWindow(config) };
  if (!config.cache.redisUrl) return { limiter: new RateLimiterMemory(options), close: async () => {} };
  // Commands wait for the connection briefly, then fail over to the insurance limiter.
  const redis = new Redis(config.cache.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 500 });
  redis.on('error', () => {}); // reported through the insurance limiter taking over
  const insurance = new RateLimiterMemory(options);
  const shared = new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: insurance });
  // Once a connection was made or an attempt failed, not connected is counted in memory at once:
  // each request waited for a reconnection first (about half a second) while Redis was away
  // (ioredis says `connecting` again at each attempt). The first connection is waited for, so
  // instances share buckets from the start.
  let tried = false;
  redis.on('ready', () => (tried = true)).on('reconnecting', () => (tried = true));
  return {
    limiter: {
      consume: (key, points) =>
        tried && redis.status !== 'ready' ? insurance.consume(key, points) : shared.consume(key, points),
    },
    close: async () => void redis.disconnect(),
  };
}

/** What the rate limit asks of a limiter: take points from a client's bucket, or refuse. */
export type Limiter = Pick<RateLimiterAbstract, 'consume'>;

/** The limiter's bucket: RATE_LIMIT_BURST requests a window, the windows making RATE_LIMIT_PER_MINUTE. */
const rateWindow = (config: ServerConfig) => {
  const { requestsPerMinute, burst } = config.rateLimit;
  return { points: burst, duration: Math.max(1, Math.round((burst * 60) / requestsPerMinute)) };
};

const limited = (
  fetchAPI: { Response: typeof Response },
  key: string,
  config: ServerConfig,
  ms: number,
  why = '',
) => {
  const retryAfter = Math.max(1, Math.ceil(ms / 1000));
  return new fetchAPI.Response(
    JSON.stringify({
      errors: [
        {
          // The window, not only the rate per minute: a burst is refused well before a minute's worth.
          message: `Too many requests from ${key}${why}: the limit is ${rateWindow(config).points} requests in ${rateWindow(config).duration} s (RATE_LIMIT_BURST), ${config.rateLimit.requestsPerMinute} per minute on average (RATE_LIMIT_PER_MINUTE). Retry after ${retryAfter} s.`,
          extensions: { code: 'RATE_LIMITED' },
        },
      ],
    }),
    { status: 429, headers: { 'content-type': 'application/json', 'retry-after': String(retryAfter) } },
  );
};

/** Charges one point per request that executes GraphQL; over the limit the client gets HTTP 429. */
export function rateLimitPlugin(config: ServerConfig, limiter: Limiter | null): Plugin {
  return {
    async onRequest({ request, serverContext, endResponse, fetchAPI, url }) {
      if (!limiter || !executesGraphQL(url.pathname)) return;
      const key = clientAddress(request, serverContext, config.trustedProxies);
      try {
        await limiter.consume(key, 1);
      } catch (refused) {
        if (refused instanceof RateLimiterRes)
          endResponse(limited(fetchAPI, key, config, refused.msBeforeNext));
        else throw refused;
      }
    },
  };
}

/**
 * Charges an upload by its size on top of its request (one point per 64 KB), so anonymous
 * validation of large files exhausts a client's budget, not the server.
 */
export async function chargeUpload(limiter: Limiter | null, key: string, bytes: number): Promise<void> {
  const points = Math.floor(bytes / 65_536);
  if (!limiter || points === 0) return;
  try {
    await limiter.consume(key, points);
  } catch (refused) {
    if (!(refused instanceof RateLimiterRes)) throw refused;
    throw new GraphQLError(
      `Too many uploaded bytes from ${key}: a file costs one request per 64 KB. Retry after ${Math.ceil(refused.msBeforeNext / 1000)} s.`,
      { extensions: { code: 'RATE_LIMITED' } },
    );
  }
}

export const unknownOperationError = (hash: string) =>
  new GraphQLError(
    `The operation with ${hash} is not on the allow-list. In production this server only runs persisted operations; add the query to PERSISTED_OPERATIONS_FILE.`,
    { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
  );

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The cost of one item of a list argument: the object cost graphql-armor charges. */
const LIST_ITEM_COST = 2;

/** How deep variables may nest: the deepest input of the schema is a few levels. */
export const MAX_VARIABLE_DEPTH = 32;
/** The longest text argument, but for a report's own text or bytes (`text`, `base64`). */
export const MAX_TEXT_ARGUMENT = 2_000;
const REPORT_BODY = /(?:^|\.)(?:text|base64)$/;

/** Whether any value in `variables` nests deeper than `limit` (read without recursion). */
function nestsDeeper(variables: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[variables, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [value, depth] = next;
    if (value === null || typeof value !== 'object') continue;
    if (depth > limit) return true;
    for (const item of Array.isArray(value) ? value : Object.values(value)) stack.push([item, depth + 1]);
  }
  return false;
}

/**
 * Arguments are checked as they arrive, literals and variables alike, before anything runs:
 * a list longer than `maxListItems` (20,000 ids for `nodes` would bypass the cost limit,
 * which cannot see inside variables), a string holding a NUL character (PostgreSQL
 * cannot store one), a text longer than MAX_TEXT_ARGUMENT (a million-character name to
 * search for held the database until the statement timeout) and variables nesting deeper
 * than MAX_VARIABLE_DEPTH (100,000 levels overflowed the stack of whatever read them) are
 * typed input errors naming the argument.
 */
export function argumentShapePlugin(maxListItems: number, maxCost: number): Plugin {
  const refuse = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
  const checkValue = (value: Json | undefined, path: string, field: string): GraphQLError | null => {
    const where = `Argument ${path} of ${field}`;
    if (typeof value === 'string') {
      if (value.includes('\u0000'))
        return refuse(`${where} contains a NUL character (\\u0000), which no text may hold.`);
      return value.length > MAX_TEXT_ARGUMENT && !REPORT_BODY.test(path)
        ? refuse(
            `${where} is ${value.length.toLocaleString('en')} characters long; the limit is ${MAX_TEXT_ARGUMENT.toLocaleString('en')} (only a report's text or base64 may be longer).`,
          )
        : null;
    }
    if (Array.isArray(value)) {
      listItems += value.length;
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
  let listItems = 0;
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      // All of them, used or not: the response cache's key reads every one.
      if (nestsDeeper(variables, MAX_VARIABLE_DEPTH)) {
        setResultAndStopExecution({
          errors: [
            refuse(
              `The variables nest deeper than ${MAX_VARIABLE_DEPTH} levels; no argument of this API does.`,
            ),
          ],
        });
        return;
      }
      let problem: GraphQLError | null = null;
      listItems = 0;
      visit(args.document, {
        Field(field) {
          for (const argument of field.arguments ?? []) {
            problem ??= checkValue(literal(argument.value, variables), argument.name.value, field.name.value);
          }
        },
      });
      // Each item of a list argument asks for an object: it counts towards the query cost,
      // which graphql-armor computes from the document alone and so cannot see in variables.
      problem ??=
        listItems * LIST_ITEM_COST > maxCost
          ? refuse(
              `The list arguments hold ${listItems} items, which cost ${listItems * LIST_ITEM_COST}; the query cost limit is ${maxCost}.`,
            )
          : null;
      if (problem) setResultAndStopExecution({ errors: [problem] });
    },
  };
}

const refuseBody = (message: string, status: number, code: string) =>
  new GraphQLError(message, { extensions: { code, http: { status } } });

/** What a client is told when its request body is over MAX_BODY_BYTES (by the app and by the HTTP front). */
export const bodyTooLargeMessage = (bytes: string, limit: number) =>
  `The request body is ${bytes} bytes; the limit is ${limit} (MAX_BODY_BYTES). The API takes one report of up to 5 MiB per request (base64 makes a file a third larger): check that the file is the report itself, or import it with the command line (npm run cli -- import FILE), which has no such limit.`;

/**
 * The request body limit (MAX_BODY_BYTES), in place of yoga's own (maxRequestBodySize), which
 * pipes every body through a stream with an abort signal of its own: about 6 % of a cached
 * request's time under load. A declared Content-Length is checked before anything is read;
 * over HTTP, Node's parser then holds the body to it (and the front refuses a body without
 * one). Only a body without a length, which only an in-process fetch can send, is counted as
 * it arrives; an in-process caller is the server's own code, and its declared length is taken
 * at its word.
 */
export function requestBodyLimitPlugin(limit: number): Plugin {
  const tooLarge = (bytes: string) => refuseBody(bodyTooLargeMessage(bytes, limit), 413, 'PAYLOAD_TOO_LARGE');
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const length = request.headers.get('content-length');
      if (length != null) {
        if (!/^\d+$/.test(length)) {
          throw refuseBody('Content-Length must be one whole number of bytes.', 400, 'BAD_REQUEST');
        }
        if (Number(length) > limit) throw tooLarge(length);
        return;
      }
      const body = request.body;
      if (!requestParser || !body) return;
      const parse = requestParser;
      setRequestParser((req) => {
        let bytes = 0;
        // A native body takes the native TransformStream (graphql-yoga issue 4583).
        const Transform =
          body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
        const counted = body.pipeThrough(
          new Transform({
            transform(chunk: Uint8Array, controller) {
              bytes += chunk.byteLength;
              if (bytes > limit) controller.error(tooLarge(`more than ${limit}`));
              else controller.enqueue(chunk);
            },
          }),
        );
        return parse(
          new fetchAPI.Request(req.url, {
            method: req.method,
            headers: req.headers,
            signal: req.signal,
            body: counted,
            duplex: 'half',
          } as RequestInit),
        );
      });
    },
  };
}

/**
 * At most `max` open subscription streams per client. Each holds a socket and a listener for
 * as long as the client stays, and the rate limit counts only their opening: a client opening
 * one a second would hold thousands within the hour. A stream frees its slot when it ends,
 * whichever side ends it.
 */
export function subscriptionSlots(max: number) {
  const open = new Map<string, number>();
  return {
    async take<T>(client: string, subscribe: () => Promise<AsyncIterable<T>>): Promise<AsyncIterable<T>> {
      const held = open.get(client) ?? 0;
      if (held >= max) {
        throw new GraphQLError(
          `This client has ${held} subscriptions open; the limit is ${max} (MAX_SUBSCRIPTIONS_PER_CLIENT). Close one first: one stream per dashboard is enough.`,
          { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', allowed: max } },
        );
      }
      open.set(client, held + 1);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const left = (open.get(client) ?? 1) - 1;
        if (left > 0) open.set(client, left);
        else open.delete(client);
      };
      let iterator: AsyncIterator<T>;
      try {
        iterator = (await subscribe())[Symbol.asyncIterator]();
      } catch (error) {
        release();
        throw error;
      }
      // By hand, not an async generator: one the client leaves before its first event would
      // never run a generator's finally, and the slot would stay taken.
      return {
        [Symbol.asyncIterator]() {
          return {
            next: async () => {
              const result = await iterator.next();
              if (result.done) release();
              return result;
            },
            return: async (value?: unknown) => {
              release();
              return (await iterator.return?.(value)) ?? { done: true, value: value as T };
            },
            throw: async (error?: unknown) => {
              release();
              if (iterator.throw) return iterator.throw(error);
              throw error;
            },
          };
        },
      };
    },
  };
}
