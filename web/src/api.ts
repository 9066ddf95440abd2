/**
 * The public GraphQL API, as any dashboard would call it, no token: GET /graphql, so the browser
 * keeps each answer and revalidates it with its ETag (a 304 while the data has not changed); a
 * query too long for a URL goes as POST, which HTTP always answers in full.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP: no GraphQL answer; GRAPHQL: the server refused or failed; INPUT: an InvalidInputError. */
    readonly kind: 'HTTP' | 'GRAPHQL' | 'INPUT',
    /**
     * The HTTP status (or `offline`: no answer at all, `timeout`: none within TIMEOUT_MS), or
     * the path of the offending argument.
     */
    readonly detail = '',
    /** Seconds the server asks to wait before the next request (a rate limit's Retry-After). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are shaped by each view's query.
export type Json = any;

/** How long a query may take before the page says the server does not answer (a ranking of a million reports takes seconds). */
const TIMEOUT_MS = 30_000;

/** Longer GET URLs go as POST: proxies and servers commonly refuse URLs past 8 KB. */
const MAX_GET_URL = 6_000;

export async function gql(query: string, variables: Record<string, unknown> = {}): Promise<Json> {
  let response: Response;
  const url = `/graphql?${new URLSearchParams({ query, variables: JSON.stringify(variables) })}`;
  try {
    response = await fetch(
      url.length <= MAX_GET_URL ? url : '/graphql',
      url.length <= MAX_GET_URL
        ? { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) }
        : {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify({ query, variables }),
            signal: AbortSignal.timeout(TIMEOUT_MS),
          },
    );
  } catch (error) {
    // No answer: the server is down or unreachable ("Failed to fetch"), or stopped answering.
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    throw new ApiError(
      error instanceof Error ? error.message : String(error),
      'HTTP',
      timedOut ? 'timeout' : 'offline',
    );
  }
  if (response.status === 429) {
    const seconds = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
    const text = await response.text().catch(() => '');
    throw new ApiError(text || 'HTTP 429', 'HTTP', '429', Number.isFinite(seconds) ? seconds : null);
  }
  let body: {
    data?: Json;
    errors?: { message: string; extensions?: { code?: string; argument?: unknown } }[];
  };
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`HTTP ${response.status}`, 'HTTP', String(response.status));
  }
  const [first, ...others] = body.errors ?? [];
  // An argument refused (BAD_USER_INPUT naming it, as report() does a name no agency has), or a
  // variable the schema refuses (BAD_USER_INPUT without an argument: a metric or applicant no
  // enum has, a year that is no Int, from a link typed or edited by hand) is the user's input to
  // correct, as an InvalidInputError is: not a server fault.
  if (first && body.errors?.every((e) => e.extensions?.code === 'BAD_USER_INPUT')) {
    const argument = first.extensions?.argument;
    throw new ApiError(
      body.errors.map((e) => e.message).join('; '),
      'INPUT',
      typeof argument === 'string' && others.length === 0 ? argument : variableAt(first.message),
    );
  }
  if (body.errors?.length)
    throw new ApiError(body.errors.map((e) => e.message).join('; '), 'GRAPHQL', String(response.status));
  return body.data;
}

/**
 * Where graphql-js says a variable is wrong, with the value given: `metric.metric "TYPO"` from
 * 'Variable "$metric" got invalid value "TYPO" at "metric.metric"; …'.
 */
function variableAt(message: string): string {
  const invalid = /^Variable "\$(\w+)" got invalid value (.+?)(?: at "([^"]+)")?;/.exec(message);
  if (invalid) return `${invalid[3] ?? invalid[1]} ${invalid[2]}`;
  return /^Variable "\$(\w+)"/.exec(message)?.[1] ?? '';
}

/** A typed failure (InvalidInputError…) comes back as data with a message; show it as an error. */
export function unwrap(result: Json): Json {
  if (result && typeof result.message === 'string')
    throw new ApiError(result.message, 'INPUT', typeof result.argument === 'string' ? result.argument : '');
  return result;
}

/** A link to the server's CSV export of the same query. */
export const csvHref = (query: string, variables: Record<string, unknown>, path: string) =>
  `/csv?${new URLSearchParams({ query, variables: JSON.stringify(variables), path })}`;

export interface MetricInfo {
  metric: string;
  labelZh: string;
  nameEn: string;
  unit: 'COUNT' | 'RATIO' | 'WAN_YUAN';
  kind: 'CELL' | 'GROUP' | 'RATIO';
  /** The template versions whose reports have it (a table-2 row of one template only, or both). */
  templateVersions: string[];
}

let metricsPromise: Promise<Map<string, MetricInfo>> | null = null;
export function metricCatalogue(): Promise<Map<string, MetricInfo>> {
  metricsPromise ??= gql(
    'query Metrics { metrics { metric labelZh nameEn unit kind templateVersions } }',
  ).then((d) => new Map((d.metrics as MetricInfo[]).map((m) => [m.metric, m])));
  metricsPromise.catch(() => {
    metricsPromise = null;
  });
  return metricsPromise;
}

export interface RegionOption {
  code: string;
  name: string;
  level: string;
  parent: string | null;
}

let regionsPromise: Promise<RegionOption[]> | null = null;
/** Provinces and cities that have reports, from a rollup grouped by region. */
export function regionsWithReports(): Promise<RegionOption[]> {
  const query = `query Regions($level: AdministrativeLevel) {
    rollup(groupBy: [REGION], regionLevel: $level, metrics: [{ metric: T3_NEW_REQUESTS }]) {
      ... on Rollup { groups { key { regionCode region { name level parent { name } } } } }
      ... on Error { message }
    }
  }`;
  regionsPromise ??= Promise.all(['PROVINCE', 'CITY'].map((level) => gql(query, { level }))).then(
    ([provinces, cities]) => {
      const options: RegionOption[] = [];
      const groups = (d: Json) => (unwrap(d.rollup).groups ?? []) as Json[];
      for (const p of groups(provinces)) {
        if (!p.key.regionCode) continue;
        options.push({
          code: p.key.regionCode,
          name: p.key.region?.name ?? p.key.regionCode,
          level: 'PROVINCE',
          parent: null,
        });
        for (const c of groups(cities)) {
          if (c.key.regionCode?.slice(0, 2) !== p.key.regionCode.slice(0, 2)) continue;
          const name = c.key.region?.name ?? c.key.regionCode;
          options.push({ code: c.key.regionCode, name, level: 'CITY', parent: p.key.region?.name ?? null });
        }
      }
      return options;
    },
  );
  regionsPromise.catch(() => {
    regionsPromise = null;
  });
  return regionsPromise;
}

export interface AgencyHit {
  id: string;
  name: string;
  synthetic: boolean;
}

const FIND_AGENCIES = `query FindAgencies($filter: AgencyFilter, $first: Int) {
  agencies(filter: $filter, first: $first) {
    ... on QueryAgenciesConnection { edges { node { id name synthetic } } }
    ... on InvalidInputError { message argument }
  }
}`;

/** Agencies whose name matches what was typed (the server also accepts partial names), within a region. */
export async function findAgencies(text: string, regionCode = '', first = 10): Promise<AgencyHit[]> {
  const filter = {
    ...(text.trim() ? { nameContains: text.trim() } : {}),
    ...(regionCode ? { regionCode } : {}),
  };
  const data = await gql(FIND_AGENCIES, { filter, first });
  return (unwrap(data.agencies).edges as Json[]).map((e) => e.node as AgencyHit);
}
