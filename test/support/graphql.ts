import { createApp } from '../../src/server/app.ts';
import { loadServerConfig, type ServerConfig } from '../../src/server/config.ts';
import type { Db } from '../../src/store/db.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary response JSON and assert on it.
type Json = Record<string, any>;

export interface GraphQLResponse<T = Json> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Calls the real yoga app in-process, as a client would over HTTP. */
/** Server settings for tests: quiet, no cache and no rate limit unless a test asks for them. */
export function testConfig(env: Record<string, string> = {}): ServerConfig {
  return loadServerConfig({ NODE_ENV: 'test', RESPONSE_CACHE: 'off', RATE_LIMIT_PER_MINUTE: '0', ...env });
}

export function graphqlClient(db: Db, errors: unknown[] = [], config: ServerConfig = testConfig()) {
  const app = createApp({ db, config, logError: (e) => errors.push(e) });
  return async function gql<T = Json>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLResponse<T>> {
    const response = await app.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
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
