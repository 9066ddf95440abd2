/**
 * An export request to /csv, as a GET's parameters or a POST's JSON body, checked before use,
 * and /csv's own refusals in the shape /graphql gives errors.
 */
import type { CsvError } from './csv.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface CsvRequest {
  query?: string;
  variables?: Json;
  operationName?: string;
  extensions?: Json;
  path?: string;
}

/** What is wrong with the shape of a POSTed export request, or null: each field's type is checked before use. */
export function csvRequestProblem(body: unknown): string | null {
  const shape = 'send {"query": "...", "variables": {...}, "path": "list.path"}';
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return `The request body must be a JSON object; ${shape}.`;
  }
  const fields = body as Record<string, unknown>;
  for (const name of ['query', 'operationName', 'path']) {
    const value = fields[name];
    if (value != null && typeof value !== 'string') return `"${name}" must be a string; ${shape}.`;
  }
  for (const name of ['variables', 'extensions']) {
    const value = fields[name];
    if (value != null && (typeof value !== 'object' || Array.isArray(value))) {
      return `"${name}" must be a JSON object; ${shape}.`;
    }
  }
  return null;
}

/** A request parameter that is not JSON, named. */
export class NotJson extends Error {}

export async function readCsvRequest(request: Request, url: URL): Promise<CsvRequest> {
  if (request.method === 'POST') {
    try {
      return (await request.json()) as CsvRequest;
    } catch {
      throw new NotJson('The request body is not valid JSON; send {"query": "...", "variables": {...}}.');
    }
  }
  // GET: variables and extensions (a persisted operation's hash) are JSON in their parameters.
  const json = (name: string): Json | undefined => {
    const text = url.searchParams.get(name);
    if (!text) return undefined;
    try {
      return JSON.parse(text) as Json;
    } catch {
      const example =
        name === 'extensions' ? '{"persistedQuery":{"version":1,"sha256Hash":"…"}}' : '{"year":2022}';
      throw new NotJson(
        `The "${name}" parameter is not valid JSON; send it as a JSON object, e.g. ${name}=${example}.`,
      );
    }
  };
  return {
    query: url.searchParams.get('query') ?? undefined,
    variables: json('variables'),
    extensions: json('extensions'),
    operationName: url.searchParams.get('operationName') ?? undefined,
    path: url.searchParams.get('path') ?? undefined,
  };
}

/** The code of /csv's own refusals, as /graphql gives them. */
const CODES: Record<number, string> = { 400: 'BAD_REQUEST', 405: 'METHOD_NOT_ALLOWED' };

export const problem = (
  fetchAPI: { Response: typeof Response },
  status: number,
  errors: string | CsvError[],
) =>
  new fetchAPI.Response(
    JSON.stringify({
      errors:
        typeof errors === 'string'
          ? [{ message: errors, extensions: { code: CODES[status] ?? 'BAD_REQUEST' } }]
          : errors,
    }),
    {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    },
  );
