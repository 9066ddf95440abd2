import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import type { ImportAnnouncement } from '../import/index.ts';
import type { DocumentParseResult } from '../ingest/document.ts';
import type { ParseOptions } from '../ingest/parse-report.ts';
import type { Db } from '../store/db.ts';
import type { Authentication, Scope } from '../store/tokens.ts';
import ConnectionArgumentsPlugin from './connection-arguments-plugin.ts';
import type PrismaTypes from './prisma-types.ts';
import { getDatamodel } from './prisma-types.ts';

export interface Context {
  /**
   * Where resolvers read and write. For a query: a read replica that has replayed up to the
   * request's data version (READ_DATABASE_URLS), else the primary; for mutations and
   * subscriptions: the primary, so an import's response shows what it stored.
   */
  db: Db;
  /** Who is calling: nobody, an unknown/revoked token, or a token with scopes. */
  auth: Authentication;
  /** When true, reads need a token with the `read` scope too. */
  readsRequireToken: boolean;
  /** validateReport needs a token with the import scope (VALIDATE_REQUIRES_TOKEN). */
  validateRequiresToken: boolean;
  /** Charges an upload's size to the caller's rate limit; throws RATE_LIMITED when it is spent. */
  chargeUpload: (bytes: number) => Promise<void>;
  /** Parses an uploaded file off the request thread, within the server's input and worker limits. */
  parse: (bytes: Uint8Array, options: ParseOptions) => Promise<DocumentParseResult>;
  /** Committed imports from now on, for the importCommitted subscription. */
  importAnnouncements: () => Promise<AsyncIterable<ImportAnnouncement>>;
}

const hasScope = (auth: Authentication | undefined, scope: Scope) =>
  auth?.kind === 'token' &&
  (auth.principal.scopes.includes(scope) || auth.principal.scopes.includes('admin'));

/**
 * Whether the caller may read: anyone, or with READS_REQUIRE_TOKEN a token with the read scope.
 * No query answers differently for one reader than another, so the response cache shares answers
 * among the callers this lets in, and only among them.
 */
export const mayRead = (readsRequireToken: boolean, auth: Authentication | undefined) =>
  !readsRequireToken || hasScope(auth, 'read');

/** A global id as shown in a message: long ones cut, so a pasted document is not echoed whole. */
export const shownId = (globalID: string) => (globalID.length > 40 ? `${globalID.slice(0, 40)}…` : globalID);

/**
 * The type name and row id of a global id this API could have given out, or null: text that
 * is not base64 of "Type:id" ("Invalid global ID: …" from Pothos, without a code), or whose id
 * is not a PostgreSQL int.
 */
export function parseGlobalID(globalID: string): { typename: string; id: string } | null {
  let decoded: ReturnType<typeof decodeGlobalID>;
  try {
    decoded = decodeGlobalID(globalID);
  } catch {
    return null;
  }
  // The id as this API prints it: no leading zero (Agency:01 found Agency 1 and answered its id,
  // another than the one sent) and no 0, which no row has.
  return /^[1-9]\d{0,9}$/.test(decoded.id) && Number(decoded.id) <= 2_147_483_647 ? decoded : null;
}

export const builder = new SchemaBuilder<{
  PrismaTypes: PrismaTypes;
  Context: Context;
  AuthScopes: { publicRead: boolean; scope: Scope };
  Scalars: {
    Date: { Input: string; Output: Date | string };
    DateTime: { Input: Date; Output: Date };
  };
  DefaultFieldNullability: false;
}>({
  // Scope checks run before any other plugin's resolver wrapper; errors before Prisma so typed
  // error results wrap Prisma fields too, and before connectionArguments, whose refusals of
  // paging arguments they catch.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, ConnectionArgumentsPlugin, PrismaPlugin, RelayPlugin],
  scopeAuth: {
    // Subscriptions are checked when they start, not only per event: an anonymous subscriber
    // on a token-only server is refused instead of learning when imports happen.
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      publicRead: mayRead(ctx.readsRequireToken, ctx.auth),
      scope: (scope: Scope) => hasScope(ctx.auth, scope),
    }),
    unauthorizedError: (_parent, ctx, info) => {
      const write = info.parentType.name === 'Mutation';
      // The scope the field itself asks for (useRevision: admin), else its type's.
      const own = (
        info.parentType.getFields()[info.fieldName]?.extensions?.pothosOptions as
          | { authScopes?: { scope?: Scope } }
          | undefined
      )?.authScopes?.scope;
      const needed = own === 'admin' ? 'admin' : write ? 'import (or admin)' : 'read';
      const reason =
        ctx.auth.kind === 'invalid'
          ? 'The API token is not valid: it is unknown, revoked or malformed.'
          : ctx.auth.kind === 'anonymous'
            ? `${write ? 'Writes' : 'Reads'} need an API token: send "Authorization: Bearer <token>".`
            : `The token "${ctx.auth.principal.name}" lacks the scope ${needed} needed for ${info.fieldName}.`;
      // The command with the scope this field needs: a token lacking it gets a new one, not a guess.
      const scopes = needed === 'admin' ? 'admin' : write ? 'import' : 'read';
      return new GraphQLError(
        `${reason} Tokens are created with \`npm run cli -- token create --name NAME --scopes ${scopes}\`.`,
        {
          extensions: { code: ctx.auth.kind === 'token' ? 'FORBIDDEN' : 'UNAUTHENTICATED' },
        },
      );
    },
  },
  defaultFieldNullability: false,
  prisma: {
    client: (ctx) => ctx.db,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
  relay: {
    clientMutationId: 'omit',
    // Every object's id is a PostgreSQL int: an id whose number is not one ("Agency:abc",
    // "Agency:1.5", "Agency:2147483648") is refused as input, never half-read as agency 1 or
    // sent to the database to fail there as an unexpected error. Only node(id:) and nodes(ids:)
    // decode here; arguments taking one type's id decode with their path (schema/ids.ts).
    decodeGlobalID: (globalID) => {
      const decoded = parseGlobalID(globalID);
      if (!decoded) {
        throw new GraphQLError(
          `"${shownId(globalID)}" is not an id this API gives out; pass back the id of an object it returned.`,
          { extensions: { code: 'BAD_USER_INPUT' } },
        );
      }
      return decoded;
    },
    cursorType: 'String',
    nodeTypeOptions: { description: 'An object with a global id, refetchable with `node(id)`.' },
    idFieldOptions: {
      description: 'Global, opaque id; pass it back to `node`, `agency(id:)` or `report(agencyId:)`.',
    },
    nodeQueryOptions: {
      description: 'Refetch any object by its global id.',
      args: { id: { description: "An object's `id`, as any field of this API gives it." } },
    },
    nodesQueryOptions: {
      description: 'Refetch several objects by their global ids.',
      args: {
        ids: { description: "Objects' `id`s, as fields of this API give them; null for any not found." },
      },
    },
    pageInfoTypeOptions: { description: 'Where a page of a connection sits in the whole list.' },
    hasNextPageFieldOptions: { description: 'More items follow; fetch them with `after: endCursor`.' },
    hasPreviousPageFieldOptions: {
      description: 'Items precede this page; fetch them with `before: startCursor`.',
    },
    startCursorFieldOptions: { description: 'Cursor of the first item of the page.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of the page.' },
    edgesFieldOptions: { description: 'The items of this page with their cursors.' },
    pageInfoFieldOptions: { description: 'Paging information.' },
    nodeFieldOptions: { description: 'The item.' },
    cursorFieldOptions: { description: 'Opaque cursor of this item, for `after`/`before`.' },
    firstArgOptions: { description: 'Return the first N items (at most 100).' },
    lastArgOptions: { description: 'Return the last N items (at most 100).' },
    afterArgOptions: {
      description:
        "Return items after this cursor: one this list returned (its item need not still exist; another list's cursor is refused).",
    },
    beforeArgOptions: {
      description:
        "Return items before this cursor: one this list returned (its item need not still exist; another list's cursor is refused).",
    },
    defaultConnectionTypeOptions: { description: 'A page of a list, Relay style.' },
    defaultEdgeTypeOptions: { description: 'An item of a page, with its cursor.' },
  },
  errors: {
    defaultTypes: [],
  },
});

builder.queryType({
  description:
    'Read access to stored disclosure reports. Public unless the server requires tokens for reads.',
  authScopes: { publicRead: true },
});
builder.mutationType({
  description: 'Writes. Each needs an API token with the scope named in its description.',
  authScopes: { scope: 'import' },
});

builder.scalarType('Date', {
  description: 'A calendar date, ISO 8601 (YYYY-MM-DD).',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)),
  parseValue: (value) => {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      throw new TypeError(`Date must be a YYYY-MM-DD string, got ${JSON.stringify(value)}`);
    }
    return value;
  },
});

builder.scalarType('DateTime', {
  description: 'A point in time, ISO 8601 with time zone.',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError(`Invalid DateTime ${JSON.stringify(value)}`);
    return date;
  },
});
