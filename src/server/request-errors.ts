/**
 * Requests that fail before GraphQL runs: a client's malformed parameters are its 400, and an
 * error in a plugin's own request handling is a logged "Unexpected error.", never a stack trace.
 */
import { PothosSchemaError, PothosValidationError } from '@pothos/core';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  isEnumType,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { pagingArgumentOf } from '../graphql/connection-arguments-plugin.ts';

/** The API's error answer, as GraphQL errors have it, for answers made outside GraphQL. */
export const errorBody = (message: string, code: string) =>
  JSON.stringify({ errors: [{ message, extensions: { code } }] });

/** `errorBody` as a fetch Response with its status. */
export const errorResponse = (
  fetchAPI: { Response: typeof Response },
  status: number,
  message: string,
  code: string,
) =>
  new fetchAPI.Response(errorBody(message, code), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });

/**
 * The parser's error for a POST body that is not JSON, as JSON.parse words it. The body reader
 * (@whatwg-node) appends `, "<the whole body>" is not valid JSON` to a message that already
 * quotes the start of the body that way, so yoga's answer said it twice and echoed a large body
 * in full; the addition is cut off.
 */
function parseErrorOf(message: string): string {
  const own =
    /^([\s\S]*?(?: is not valid JSON| in JSON at position \d+(?: \(line \d+ column \d+\))?|end of JSON input)), "[\s\S]*" is not valid JSON$/.exec(
      message,
    );
  return own?.[1] ?? message;
}

/** yoga's "POST body sent invalid JSON." as a 400 saying, once, what is wrong and what to send, or null for other errors. */
function notJsonBody(error: unknown): GraphQLError | null {
  if (!(error instanceof GraphQLError) || error.message !== 'POST body sent invalid JSON.') return null;
  const original = error.extensions?.originalError as { message?: unknown } | undefined;
  const why = typeof original?.message === 'string' ? ` (${parseErrorOf(original.message)})` : '';
  return new GraphQLError(
    `The request body is not valid JSON${why}. Send a JSON object: {"query": "{ findingRules { rule } }", "variables": {}}.`,
    { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
  );
}

/**
 * Request parameters a client got wrong, answered with its 400 and what to send:
 * - yoga reads the `variables` and `extensions` of a GET (or a form-encoded POST) with
 *   JSON.parse, and answered bad JSON there as a server error (HTTP 500, "Unexpected error.",
 *   logged twice); here the parameter is named when it can be seen;
 * - a request with no query (`POST {}`) got HTTP 200 with "Must provide query string." when
 *   it asked for application/json; not a GraphQL-over-HTTP request, it is a 400 whatever it
 *   accepts. A persisted operation sends its hash instead, and passes.
 */
export function requestParamsPlugin(options: { persistedOperations: boolean }): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (!requestParser || (request.method !== 'GET' && request.method !== 'POST')) return;
      const parse = requestParser;
      setRequestParser(async (req) => {
        // The body reader does not inflate a compressed body: it was read as bytes of JSON.
        const encoding = req.headers.get('content-encoding')?.trim().toLowerCase();
        if (encoding && encoding !== 'identity') {
          throw new GraphQLError(
            `The request body is compressed (content-encoding: ${encoding}); this server reads uncompressed bodies only. Send it without content-encoding (answers are compressed where the request sends accept-encoding).`,
            { extensions: { code: 'UNSUPPORTED_MEDIA_TYPE', http: { status: 415 } } },
          );
        }
        let params: Awaited<ReturnType<typeof parse>>;
        try {
          params = await parse(req);
        } catch (error) {
          const bodyError = notJsonBody(error);
          if (bodyError) throw bodyError;
          if (!(error instanceof SyntaxError)) throw error;
          const params = req.method === 'GET' ? new URL(req.url).searchParams : null;
          const named = ['variables', 'extensions'].find((name) => {
            const value = params?.get(name);
            if (!value) return false;
            try {
              JSON.parse(value);
              return false;
            } catch {
              return true;
            }
          });
          const example =
            named === 'extensions'
              ? 'extensions=%7B%22persistedQuery%22%3A%7B%22version%22%3A1%2C%22sha256Hash%22%3A%22%E2%80%A6%22%7D%7D for {"persistedQuery":{"version":1,"sha256Hash":"…"}}'
              : 'variables=%7B%22year%22%3A2022%7D for {"year":2022}';
          throw new GraphQLError(
            `The ${named ?? 'variables or extensions'} parameter is not valid JSON (${error.message}). Send it as JSON, URL-encoded: ${example}.`,
            { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
          );
        }
        // A parser may answer by itself (a Response of its own fetch implementation).
        if (!Array.isArray(params) && 'status' in params && 'headers' in params) return params;
        if (Array.isArray(params)) {
          throw new GraphQLError(
            `The body is a list of ${params.length} operations; this server runs one operation a request (each is answered, cached and rate-limited on its own). Send them as separate requests, or as fields of one query.`,
            { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
          );
        }
        const one = params as GraphQLParams;
        const persisted = typeof one.extensions === 'object' && one.extensions?.persistedQuery != null;
        if (one.query == null && (!persisted || !options.persistedOperations)) {
          throw new GraphQLError(
            persisted
              ? 'The request names a persisted operation by its hash, but this server keeps no persisted operations (PERSISTED_OPERATIONS_FILE is not set): send the query text as "query".'
              : 'The request has no query. POST {"query": "{ findingRules { rule } }", "variables": {}} as JSON, or GET ?query=…; GraphiQL, at /graphql in a browser, writes queries with completion.',
            { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
          );
        }
        // Yoga takes any JSON here, and a number was named back as if it were an operation's name.
        if (one.operationName != null && typeof one.operationName !== 'string') {
          throw new GraphQLError(
            `operationName must be a string, the name of an operation in the document (or left out for a document of one operation); got ${JSON.stringify(one.operationName)}.`,
            { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
          );
        }
        return params;
      });
    },
  };
}

/** Why no operation of `document` can run for `operationName`, naming the ones it has. */
function operationChoiceMessage(document: DocumentNode, operationName: string | null | undefined) {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const names = operations.map((o) => (o.name ? `"${o.name.value}"` : `an unnamed ${o.operation}`));
  const has =
    operations.length === 0
      ? 'it has no operation, only fragments'
      : `its operation${operations.length === 1 ? ' is' : 's are'} ${names.join(', ')}`;
  if (operationName) {
    return `The document has no operation named "${operationName}"; ${has}. Send one of those names as operationName.`;
  }
  if (operations.length === 0)
    return 'The document has no operation, only fragments: add a query { … } that uses them.';
  return `The document has ${operations.length} operations and no operationName says which to run; ${has}. Send one of those names as operationName.`;
}

/**
 * yoga answered an operationName the document does not have (or a document of several
 * operations without one) with "Could not determine what operation to execute.", naming
 * neither; this check runs just before yoga's, with the same outcome and code, and says which
 * operation was asked for and which the document has. /csv and `export csv` go through it too.
 */
export function operationChoicePlugin(): Plugin {
  return {
    onParse() {
      return ({ result, context }) => {
        if (!result || result instanceof Error) return;
        const operationName = (context as { params?: GraphQLParams }).params?.operationName;
        if (getOperationAST(result, operationName)) return;
        throw new GraphQLError(operationChoiceMessage(result, operationName), {
          extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } },
        });
      };
    },
  };
}

/**
 * An error thrown by a plugin's onRequest (the CSV export, the dashboard's files, a rate limit
 * whose Redis went away) reached the server adapter, which answered with the error's stack:
 * file paths and line numbers for anyone. Each plugin's onRequest is wrapped so that such an
 * error is logged and the client gets the masked answer GraphQL errors get.
 */
export function guardRequestHandlers(plugins: Plugin[], logUnexpected: (error: unknown) => void): Plugin[] {
  return plugins.map((plugin) => {
    const onRequest = plugin.onRequest;
    if (!onRequest) return plugin;
    type Payload = Parameters<typeof onRequest>[0];
    const fail = (payload: Payload, error: unknown) => {
      logUnexpected(error);
      payload.endResponse(errorResponse(payload.fetchAPI, 500, 'Unexpected error.', 'INTERNAL_SERVER_ERROR'));
    };
    return {
      ...plugin,
      // Synchronous hooks stay synchronous: most requests pass every plugin's onRequest.
      onRequest(payload: Payload) {
        try {
          const done = onRequest(payload);
          return done instanceof Promise ? done.catch((error) => fail(payload, error)) : done;
        } catch (error) {
          fail(payload, error);
        }
      },
    } as Plugin;
  });
}

/** Pothos's wording of a wrong id or cursor, with what to do instead. */
function clearer(message: string): string {
  const cursor = /^Invalid cursor: (.*)$/s.exec(message);
  if (cursor) {
    const given = (cursor[1] ?? '').length > 40 ? `${cursor[1]?.slice(0, 40)}…` : cursor[1];
    return `Invalid cursor "${given}": pass back the cursor of an edge (or pageInfo's endCursor / startCursor) this list returned.`;
  }
  const id = /^ID: (\S+) is not of type: (\w+)$/.exec(message);
  if (id) {
    const [, given, wanted] = id;
    const of = /^(\w+):/.exec(Buffer.from(given ?? '', 'base64').toString('utf8'))?.[1];
    const a = (type: string) => `${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type}`;
    return `The id ${given} is ${of ? `${a(of)}'s id` : 'no id of this API'}; this argument takes ${a(wanted ?? '')}'s id (its \`id\` field).`;
  }
  return message;
}

/** `error` in other words (and extensions), where it was: its nodes, positions, path and cause. */
const reworded = (error: GraphQLError, message: string, extensions = error.extensions) =>
  new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  });

/** graphql-js's words for an enum value the enum does not have, in a literal or a variable. */
const UNKNOWN_ENUM_VALUE = /Value ".*?" does not exist in "(\w+)" enum\./;
/** Enums with more values than this are not listed in a message, but said where to find them. */
const LISTED_VALUES = 12;

/**
 * An unknown enum value's error with the values the enum takes: graphql-js names the enum and,
 * for a near miss only, one suggestion, so `groupBy: [PROVINCE]` left the client to look up
 * RollupDimension. A long enum (Metric's 79) is said where to find, not listed.
 */
export function withEnumValues(message: string, schema: GraphQLSchema): string {
  const name = UNKNOWN_ENUM_VALUE.exec(message)?.[1];
  const type = name ? schema.getType(name) : undefined;
  if (!name || !isEnumType(type)) return message;
  // Validation's errors reach the result's hook too: said once.
  if (message.includes(` ${name} takes `)) return message;
  const values = type.getValues().map((v) => v.name);
  const where =
    name === 'Metric' ? 'the `metrics` query lists them' : `GraphiQL's docs list them under ${name}`;
  return values.length <= LISTED_VALUES
    ? `${message} ${name} takes ${values.slice(0, -1).join(', ')}${values.length > 1 ? ' or ' : ''}${values.at(-1)}.`
    : `${message} ${name} takes one of ${values.length} values; ${where}.`;
}

/**
 * The cursor argument a Pothos "Invalid cursor" refusal is about, which its message does not
 * name: the one of `after` and `before` the field was given (both together are refused before).
 */
function cursorArgumentOf(error: GraphQLError): string | undefined {
  if (!/^Invalid cursor/.test(error.originalError?.message ?? '')) return undefined;
  const field = error.nodes?.[0];
  const given = (field?.kind === Kind.FIELD ? (field.arguments ?? []) : [])
    .map((a) => a.name.value)
    .filter((name) => name === 'after' || name === 'before');
  return given.length === 1 ? given[0] : undefined;
}

/**
 * The client's mistakes that graphql-js and Pothos report without a code (a variable of the
 * wrong type, `first: -1`, an id of another type, an id naming no type of this API) get
 * BAD_USER_INPUT, as the API's own refusals have, so clients can tell them from server faults.
 */
export function clientErrorCodesPlugin(): Plugin {
  const coded = (error: GraphQLError): GraphQLError => {
    if (error.extensions?.code) return error;
    const original = error.originalError;
    const unknownType =
      original instanceof PothosSchemaError && / has not been implemented$/.test(original.message);
    const client =
      unknownType ||
      original instanceof PothosValidationError ||
      (!error.path &&
        /^Variable "\$\w+" (got invalid value|of required type|of non-null type)/.test(error.message));
    if (!client) return error;
    // Named as the fields whose refusals are their own InvalidInputError name it (`reports(first: -1)`).
    const argument =
      original instanceof PothosValidationError
        ? (pagingArgumentOf(original.message) ?? cursorArgumentOf(error))
        : undefined;
    return reworded(
      error,
      unknownType
        ? 'The id names a type this API has no objects of; pass back the id of an object it returned.'
        : clearer(error.message),
      { ...error.extensions, code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) },
    );
  };
  // The schema, for the enums' values: a result's hook is not given it.
  let schema: GraphQLSchema | undefined;
  const enumValues = (error: GraphQLError) => {
    const message = schema ? withEnumValues(error.message, schema) : error.message;
    return message === error.message ? error : reworded(error, message);
  };
  return {
    onSchemaChange({ schema: changed }) {
      schema = changed;
    },
    onValidate:
      () =>
      ({ result, setResult }) => {
        const errors = result.map((error) => (error instanceof GraphQLError ? enumValues(error) : error));
        if (errors.some((e, i) => e !== result[i])) setResult(errors);
      },
    onExecutionResult({ result, setResult }) {
      if (!result || Array.isArray(result) || Symbol.asyncIterator in result || !result.errors?.length)
        return;
      const errors = result.errors.map((error) => enumValues(coded(error)));
      if (errors.some((e, i) => e !== result.errors?.[i])) setResult({ ...result, errors });
    },
  };
}
