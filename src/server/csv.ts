/**
 * CSV export: `/csv` takes the same GraphQL query and variables as `/graphql` (GET
 * parameters or a POST JSON body), runs it through the same handler (so limits, caching
 * and error masking apply), and returns the first list in the result as CSV rows.
 * Metric columns are headed by their catalogue labels (公开率（总计）…); UTF-8 with a BOM
 * and CRLF line ends, so Excel opens the Chinese text correctly.
 */
import { createHash } from 'node:crypto';
import {
  type DefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { columnsOf, emptyListHeaders, type LabelNaming } from './csv-headers.ts';
import {
  isObject,
  type Json,
  type JsonObject,
  nullsOn,
  nullsSaid,
  unexplainedAnswers,
  unselectedAnswers,
  withErrorSelected,
} from './csv-refusals.ts';
import { type CsvRequest, csvRequestProblem, NotJson, problem, readCsvRequest } from './csv-request.ts';

const BOM = '\uFEFF';

/** Fields of a labelled value that say what it is rather than carry a figure. */
const DESCRIPTIVE = new Set([
  '__typename',
  'label',
  'metric',
  'applicant',
  'transform',
  'unit',
  'description',
]);

/** Headers for the figures of a labelled value, after its label: 公开率（总计）·分子. */
const FIGURE_HEADERS: Record<string, string> = {
  nullReason: '空值原因',
  exactValue: '精确值',
  exactPooled: '汇总精确值',
  numerator: '分子',
  denominator: '分母',
  pooledReports: '汇总报告数',
  pooled: '汇总值',
  pooledNullReason: '汇总空值原因',
  pooledNumerator: '汇总分子',
  pooledDenominator: '汇总分母',
  sum: '合计',
  avg: '平均值',
  min: '最小值',
  max: '最大值',
  median: '中位数',
  exactSum: '合计精确值',
  exactMin: '最小值精确值',
  exactMax: '最大值精确值',
  exactMedian: '中位数精确值',
  reportingAgencies: '填报机构数',
  reportingReports: '填报报告数',
  count: '数量',
  share: '占比',
  shareBase: '占比基数',
  year: '年度',
};

const LABELS: LabelNaming = {
  descriptive: DESCRIPTIVE,
  figureHeader: (label, key) => `${label}·${FIGURE_HEADERS[key] ?? key}`,
};

/** A formula prefix (=, +, -, @, also full-width and after leading spaces) that Excel would evaluate. */
const FORMULA = /^[\s\u3000]*[=+\-@＝＋－＠]/;

/**
 * A number and nothing else (-1, +2, -0.5, -1,234, +2.5%, -1e-8) or a lone dash (not reported):
 * a spreadsheet reads it as a value, or at worst evaluates a constant, so it cannot reach a cell,
 * a function or a link. An apostrophe there changed exact figures and printed text for every
 * reader of the file; "-2+3", which Excel computes, is arithmetic and keeps it.
 */
const INERT = /^(?:[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+|%)?|-)$/i;

const isFormula = (text: string) =>
  /^[\t\r]/.test(text) || (FORMULA.test(text) && !INERT.test(text.normalize('NFKC').trim()));

/** One value as text: a list is one field ("a; b"); text that would start a formula is neutralised. */
function plainText(value: Json | undefined): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(plainText).join('; ');
  if (typeof value === 'string') return isFormula(value) ? `'${value}` : value;
  return String(value);
}

/** A CSV field: quoted when it holds a separator (, ; tab), a quote or a line break. */
function cellText(value: Json | undefined): string {
  const text = plainText(value);
  return /[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

class Row {
  readonly cells = new Map<string, string>();
  /** Labels that values at more than one path of the list share (from and to of a change). */
  constructor(readonly sharedLabels: ReadonlySet<string>) {}
  set(header: string, value: Json | undefined) {
    let unique = header;
    for (let n = 2; this.cells.has(unique); n++) unique = `${header}（${n}）`;
    this.cells.set(unique, cellText(value));
  }
}

function flatten(value: Json | undefined, path: string, row: Row) {
  if (Array.isArray(value)) {
    if (value.every((item) => !isObject(item) && !Array.isArray(item))) return row.set(path, value);
    value.forEach((item, i) => {
      flatten(item, `${path}.${i + 1}`, row);
    });
    return;
  }
  if (!isObject(value)) return row.set(path, value);
  if (typeof value.label === 'string') {
    // A label two fields share (a change's from and to) heads neither alone: the path says which
    // is which, whatever order the query selects them in.
    return labelled(value, row.sharedLabels.has(value.label) ? `${path}.${value.label}` : value.label, row);
  }
  for (const [key, item] of Object.entries(value)) {
    if (key !== '__typename') flatten(item, path ? `${path}.${key}` : key, row);
  }
}

/** A value with a catalogue label becomes columns headed by the label, not by its path. */
function labelled(value: JsonObject, label: string, row: Row) {
  for (const [key, item] of Object.entries(value)) {
    if (DESCRIPTIVE.has(key)) continue;
    const header = key === 'value' ? label : LABELS.figureHeader(label, key);
    if (isObject(item) || Array.isArray(item)) flatten(item, header, row);
    else row.set(header, item);
  }
}

/**
 * The labels found at more than one path in the list's items. Decided over the whole list, so
 * that a row where one of the two is null heads the other as every row does.
 */
function sharedLabels(list: readonly Json[]): Set<string> {
  const paths = new Map<string, Set<string>>();
  const visit = (value: Json | undefined, path: string) => {
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) visit(item, `${path}.${i + 1}`);
    } else if (isObject(value)) {
      if (typeof value.label === 'string') {
        const at = paths.get(value.label) ?? new Set<string>();
        paths.set(value.label, at.add(path));
      }
      for (const [key, item] of Object.entries(value)) visit(item, `${path}.${key}`);
    }
  };
  for (const item of list) visit(item, '');
  return new Set([...paths].filter(([, at]) => at.size > 1).map(([label]) => label));
}

/**
 * The list to export: the one at `path` (dot-separated, e.g. ranking.entries), else the only
 * list in the result (lists inside a list's items are its columns). With several and no path
 * the export is refused, naming them: taking the first exported a series' `years` or a
 * comparison's `columns` where the data was wanted.
 */
function findList(
  data: Json | undefined,
  path: string | null,
): { list: Json[]; name: string } | { candidates: string[] } | null {
  if (path) {
    let node: Json | undefined = data;
    for (const key of path.split('.')) node = isObject(node) ? node[key] : undefined;
    return Array.isArray(node) ? { list: node, name: path } : null;
  }
  const found: { list: Json[]; name: string }[] = [];
  const search = (node: Json | undefined, name: string) => {
    if (Array.isArray(node)) found.push({ list: node, name });
    else if (isObject(node)) {
      for (const [key, child] of Object.entries(node)) search(child, name ? `${name}.${key}` : key);
    }
  };
  search(data, '');
  if (found.length > 1) return { candidates: found.map((f) => f.name) };
  return found[0] ?? null;
}

/** An error as GraphQL gives it: the message, and its code and argument where it has them. */
export type CsvError = { message: string; extensions?: Record<string, Json> };
export type CsvResult = { ok: true; csv: string; name: string } | { ok: false; errors: CsvError[] };

/**
 * Turns a GraphQL result's list (its only one, or the one at `path`) into CSV text with a header
 * row. An empty list's header row is what `emptyHeaders` (given the list's path) says its items
 * would have; without it, an empty list gives an empty header row.
 */
export function resultToCsv(
  result: { data?: Json; errors?: { message: string; extensions?: Record<string, Json> }[] },
  path: string | null = null,
  emptyHeaders: (listPath: string) => string[] | null = () => null,
): CsvResult {
  if (result.errors?.length) {
    return {
      ok: false,
      errors: result.errors.map((e) => ({
        message: e.message,
        ...(e.extensions ? { extensions: e.extensions } : {}),
      })),
    };
  }
  const found = findList(result.data, path);
  const refuse = (message: string, extensions?: Record<string, Json>): CsvResult => ({
    ok: false,
    errors: [{ message, ...(extensions ? { extensions } : {}) }],
  });
  if (found && 'candidates' in found) {
    return refuse(
      `The result holds ${found.candidates.length} lists (${found.candidates.join(', ')}); name the one to export with path, e.g. path=${found.candidates.at(-1)}.`,
      { code: 'BAD_USER_INPUT', argument: 'path', lists: found.candidates },
    );
  }
  if (!found) {
    // An expected error (InvalidInputError, …) the query selected, with its message and argument.
    const typed = isObject(result.data)
      ? Object.values(result.data).find((v): v is JsonObject => isObject(v) && typeof v.message === 'string')
      : undefined;
    if (typed) {
      const extensions: Record<string, Json> = { code: 'BAD_USER_INPUT' };
      if (typeof typed.argument === 'string') extensions.argument = typed.argument;
      return refuse(String(typed.message), extensions);
    }
    const unselected = unselectedAnswers(result.data);
    if (unselected.length > 0) {
      return refuse(
        `${unselected.join(', ')} answered with a type the query selects no fields of, probably an error: add \`... on Error { message }\` to the field to see why.`,
        { code: 'BAD_USER_INPUT' },
      );
    }
    const lists = path ? findList(result.data, null) : null;
    const names = lists === null ? [] : 'candidates' in lists ? lists.candidates : [lists.name];
    const nulls = nullsOn(result.data, path);
    if (nulls.length > 0) {
      return refuse(
        `${path ? `No list at "${path}" in the result` : 'The result holds no list to export'}: ${nullsSaid(nulls)}. Check the arguments of ${nulls.length === 1 ? 'that field' : 'those fields'} (a name, a year) against what is stored.`,
        { code: 'BAD_USER_INPUT', ...(path ? { argument: 'path' } : {}) },
      );
    }
    return path
      ? refuse(
          `No list at "${path}" in the result; ${names.length > 0 ? `its lists are ${names.join(', ')}` : 'give the dotted path of a list field, e.g. compare.rows'}.`,
          { code: 'BAD_USER_INPUT', argument: 'path' },
        )
      : refuse(
          'The result holds no list to export; select a list field such as compare { ... on Comparison { rows { … } } }.',
          { code: 'BAD_USER_INPUT' },
        );
  }
  const shared = sharedLabels(found.list);
  const rows = found.list.map((item) => {
    const row = new Row(shared);
    if (!isObject(item)) flatten(item, found.name, row);
    else for (const [key, value] of Object.entries(item)) if (key !== '__typename') flatten(value, key, row);
    return row;
  });
  const columns =
    rows.length === 0 ? (emptyHeaders(found.name) ?? []) : columnsOf(rows, () => emptyHeaders(found.name));
  const lines = [
    columns.map((h) => cellText(h)).join(','),
    ...rows.map((row) => columns.map((h) => row.cells.get(h) ?? '').join(',')),
  ];
  return { ok: true, csv: `${BOM}${lines.join('\r\n')}\r\n`, name: found.name };
}

/** Marks a request that may only read; set on the requests /csv makes (and by any client that wants it). */
export const READ_ONLY_HEADER = 'x-read-only';

/** The mutation or subscription a request names (or its only one), or null. */
export function writesAnything(body: CsvRequest): 'mutation' | 'subscription' | null {
  if (!body.query) return null;
  try {
    const operations = parse(body.query).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const chosen = body.operationName
      ? operations.filter((o) => o.name?.value === body.operationName)
      : operations;
    const writing = chosen.find((o) => o.operation !== 'query');
    return writing ? (writing.operation as 'mutation' | 'subscription') : null;
  } catch {
    return null; // not GraphQL at all: the handler answers with the syntax error
  }
}

/** Refuses a mutation on a request marked read-only, whatever way its operation arrived. */
export function readOnlyRequestsPlugin(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (request?.headers.get(READ_ONLY_HEADER) !== '1') return;
      const operation = args.document.definitions.find(
        (d: DefinitionNode): d is OperationDefinitionNode =>
          d.kind === Kind.OPERATION_DEFINITION &&
          (!args.operationName || d.name?.value === args.operationName),
      );
      if (operation && operation.operation !== 'query') {
        setResultAndStopExecution({
          errors: [
            new GraphQLError('This request may only read (an export); mutations go to POST /graphql.', {
              extensions: { code: 'READ_ONLY_REQUEST' },
            }),
          ],
        });
      }
    },
  };
}

/**
 * Whether If-None-Match names `tag` (a strong tag, quoted): tags compare by their opaque part,
 * weak or not, quoted or bare, as the GraphQL endpoint compares them; `*` names any.
 */
function namesTag(ifNoneMatch: string | null, tag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = tag.slice(1, -1);
  return ifNoneMatch.split(',').some((sent) => {
    const t = sent.trim();
    return t === '*' || t.replace(/^W\//, '').replace(/^"(.*)"$/, '$1') === opaque;
  });
}

/** The text of the persisted operation `extensions` names by its hash, if any. */
function persistedHashText(extensions: unknown, persistedQuery: (hash: string) => string | null) {
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery
    ?.sha256Hash;
  return typeof hash === 'string' ? persistedQuery(hash) : null;
}

/**
 * Serves `/csv` by sending the query through the GraphQL handler and converting its answer.
 * `persistedQuery` gives the text of an operation sent by its hash, whose selection names the
 * columns of an empty list (the answer alone has none).
 */
export function csvPlugin(persistedQuery: (hash: string) => string | null = () => null): Plugin {
  let schema: GraphQLSchema | null = null;
  return {
    onSchemaChange({ schema: current }) {
      schema = current;
    },
    async onRequest({ url, request, serverContext, requestHandler, endResponse, fetchAPI }) {
      if (url.pathname !== '/csv') return;
      endResponse(await respond());
      async function respond(): Promise<Response> {
        if (request.method !== 'GET' && request.method !== 'POST') {
          return problem(
            fetchAPI,
            405,
            '/csv takes GET (query, variables, path parameters) or POST (JSON body).',
          );
        }
        let body: CsvRequest;
        try {
          body = await readCsvRequest(request, url);
        } catch (error) {
          if (error instanceof NotJson) return problem(fetchAPI, 400, error.message);
          throw error;
        }
        const shapeProblem = csvRequestProblem(body);
        if (shapeProblem) return problem(fetchAPI, 400, shapeProblem);
        const writing = writesAnything(body);
        if (writing) {
          return problem(
            fetchAPI,
            405,
            writing === 'mutation'
              ? '/csv exports the answer of a query; it never runs a mutation. Send mutations to POST /graphql.'
              : '/csv exports the answer of a query; a subscription streams events instead. Subscribe at /graphql (server-sent events).',
          );
        }
        const headers = new fetchAPI.Headers(request.headers);
        headers.set('content-type', 'application/json');
        headers.set('accept', 'application/json');
        headers.delete('content-length');
        // Read-only on the way in too: an operation the check above could not see (a persisted
        // one, sent by hash) is refused by readOnlyRequestsPlugin when it is a mutation.
        headers.set(READ_ONLY_HEADER, '1');
        const execute = (query: string | undefined) =>
          requestHandler(
            new fetchAPI.Request(new URL('/graphql', url), {
              method: 'POST',
              headers,
              body: JSON.stringify({
                query,
                variables: body.variables,
                operationName: body.operationName,
                extensions: body.extensions,
              }),
            }),
            serverContext,
          );
        const graphqlResponse = await execute(body.query);
        let result: Parameters<typeof resultToCsv>[0];
        try {
          result = (await graphqlResponse.json()) as typeof result;
        } catch {
          return graphqlResponse;
        }
        const query = body.query ?? persistedHashText(body.extensions, persistedQuery);
        let csv = resultToCsv(result, body.path ?? null, (listPath) =>
          schema && query ? emptyListHeaders(schema, query, body.operationName, listPath, LABELS) : null,
        );
        // A field that answered an error the query selects no message of: asked again with the
        // error's message selected, the refusal says why (first: at most 100) instead of only that
        // there is no list. A field whose type has no error (the fragment does not validate) or
        // that answered no error keeps the first refusal.
        const unexplained = unexplainedAnswers(result.data);
        const asking = !csv.ok && body.query ? withErrorSelected(body.query, unexplained) : null;
        if (asking) {
          const again = await Promise.resolve(execute(asking))
            .then((r) => r.json() as Promise<typeof result>)
            .catch(() => null);
          const told = again && !again.errors?.length ? resultToCsv(again, body.path ?? null) : null;
          const explained =
            isObject(again?.data) &&
            unexplained.some((key) => {
              const answer = (again.data as JsonObject)[key];
              return isObject(answer) && typeof answer.message === 'string';
            });
          if (told && !told.ok && explained) csv = told;
        }
        if (!csv.ok) {
          // A database away is the server's state, not the request's fault: 503, worth a retry
          // (a 400 tells clients and proxies the same request will never do).
          const unavailable = csv.errors.some((e) =>
            ['DATABASE_UNAVAILABLE', 'DATABASE_UNANSWERED'].includes(String(e.extensions?.code)),
          );
          return problem(fetchAPI, unavailable ? 503 : Math.max(graphqlResponse.status, 400), csv.errors);
        }
        const fileName = `${csv.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.csv`;
        // The tag is the file's own hash: the same rows give the same tag after an import that
        // changed nothing they hold. Keep the file, but ask again (an import changes it at any
        // time); a GET sending the tag back gets 304 and no body. A POST never revalidates, as
        // on /graphql.
        const tag = `"${createHash('sha256').update(csv.csv).digest('hex')}"`;
        const validators = { etag: tag, 'cache-control': 'no-cache' };
        if (request.method === 'GET' && namesTag(request.headers.get('if-none-match'), tag)) {
          return new fetchAPI.Response(null, { status: 304, headers: validators });
        }
        return new fetchAPI.Response(csv.csv, {
          status: 200,
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${fileName}"`,
            ...validators,
          },
        });
      }
    },
  };
}
