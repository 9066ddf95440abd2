import { createHash } from 'node:crypto';
import { createApp } from '../../src/server/app.ts';
import { loadServerConfig, type ServerConfig } from '../../src/server/config.ts';
import type { Db } from '../../src/store/db.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary response JSON and assert on it.
type Json = Record<string, any>;

export interface GraphQLResponse<T = Json> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

/** Server settings for tests: quiet, no cache and no rate limit unless a test asks for them. */
export function testConfig(env: Record<string, string> = {}): ServerConfig {
  return loadServerConfig({ NODE_ENV: 'test', RESPONSE_CACHE: 'off', RATE_LIMIT_PER_MINUTE: '0', ...env });
}

/** A token with the import scope that test clients send with mutations unless told otherwise. */
export const TEST_IMPORT_TOKEN = 'gdr_test-import-token';

/** Tables are truncated between tests, so the token is (re)inserted before each mutation. */
async function ensureTestToken(db: Db) {
  const hash = createHash('sha256').update(TEST_IMPORT_TOKEN).digest('hex');
  await db.$executeRaw`
    INSERT INTO api_token (name, token_hash, scopes) VALUES ('test-import', ${hash}, ARRAY['import'])
    ON CONFLICT (name) DO NOTHING`;
}

/** Calls the real yoga app in-process, as a client would over HTTP. */
export function graphqlClient(db: Db, errors: unknown[] = [], config: ServerConfig = testConfig()) {
  const app = createApp({ db, config, logError: (e) => errors.push(e) });
  return async function gql<T = Json>(
    query: string,
    variables: Record<string, unknown> = {},
    options: { token?: string | null } = {},
  ): Promise<GraphQLResponse<T>> {
    // Mutations carry the test import token unless told otherwise; reads go anonymous, as dashboards do.
    const isMutation = /^\s*mutation/.test(query);
    const token = options.token === undefined ? (isMutation ? TEST_IMPORT_TOKEN : null) : options.token;
    if (token === TEST_IMPORT_TOKEN) await ensureTestToken(db);
    const response = await app.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<T>;
  };
}

export const IMPORT_MUTATION = /* GraphQL */ `
  mutation Import($input: ImportReportInput!) {
    importReport(input: $input) {
      __typename
      ... on ImportReportPayload {
        outcome
        report { id year agency { name kind } revisionCount }
        revision { number templateVersion sourceSha256 }
        warnings { code message }
      }
      ... on Error { message }
      ... on ReportRejectedError {
        fileName
        problems { code severity message line table row column cellCode text }
      }
      ... on InvalidInputError { argument }
    }
  }
`;
