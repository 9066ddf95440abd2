import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError } from 'graphql';
import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import type { Context } from '../graphql/builder.ts';
import { schema } from '../graphql/schema/index.ts';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '../store/database-errors.ts';
import type { Db } from '../store/db.ts';
import { checkReadiness } from './readiness.ts';

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
  db: Db;
  /** Log unexpected (masked) errors; defaults to console.error. */
  logError?: (error: unknown) => void;
}

/** The HTTP application: GraphQL at /graphql (GraphiQL in a browser), /health (liveness) and /ready. */
export function createApp(options: AppOptions): YogaServerInstance<Record<string, unknown>, Context> {
  return createYoga<Record<string, unknown>, Context>({
    schema,
    context: () => ({ db: options.db }),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { title: '政府信息公开年度报告 GraphQL', defaultQuery: EXAMPLE_QUERY },
    // GraphiQL's code is served from this package instead of a CDN, so it works offline.
    renderGraphiQL,
    // Unexpected errors reach clients as "Unexpected error." only; details go to the log.
    maskedErrors: {
      maskError: (error, message, isDev) => {
        if (isDatabaseUnavailable(error)) {
          (options.logError ?? console.error)(error);
          return new GraphQLError(DATABASE_UNAVAILABLE_MESSAGE, {
            extensions: { code: 'DATABASE_UNAVAILABLE' },
          });
        }
        const masked = maskError(error, message, isDev);
        if (masked !== error) (options.logError ?? console.error)(error);
        return masked;
      },
    },
    plugins: [
      {
        async onRequest({ url, endResponse, fetchAPI }) {
          if (url.pathname === '/ready') {
            const readiness = await checkReadiness(options.db);
            endResponse(
              new fetchAPI.Response(JSON.stringify(readiness), {
                status: readiness.ready ? 200 : 503,
                headers: { 'content-type': 'application/json' },
              }),
            );
          }
        },
      },
    ],
  });
}
