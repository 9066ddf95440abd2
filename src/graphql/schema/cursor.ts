import { GraphQLError } from 'graphql';

/** The largest id PostgreSQL's int columns hold. */
const MAX_ID = 2_147_483_647;

/**
 * The query of a connection ordered by id, with its paging arguments checked.
 * - `first` with `last` returned the last `first` items of the whole list (Relay would take
 *   `first`, then the `last` of those): they are refused together, as the Relay spec advises.
 * - The Prisma plugin decodes any well-formed cursor, so an edited one reached PostgreSQL as an
 *   id of NaN, 1.5, -5, a string or a date, and failed there as "Unexpected error." (or, for -5,
 *   gave an empty page): here it is the client's error, naming the argument.
 */
export function checkedPage<Query extends { cursor?: { id?: unknown } }>(
  query: Query,
  args: { after?: string | null; before?: string | null; first?: number | null; last?: number | null },
): Query {
  if (args.first != null && args.last != null) {
    throw new GraphQLError(
      'Pass either "first" (a page from the start or after a cursor) or "last", not both.',
      {
        extensions: { code: 'BAD_USER_INPUT', argument: 'last' },
      },
    );
  }
  const id = query.cursor?.id;
  if (id === undefined) return query;
  if (typeof id === 'number' && Number.isInteger(id) && id >= 1 && id <= MAX_ID) return query;
  const argument = args.after ? 'after' : 'before';
  throw new GraphQLError(
    `Invalid cursor in "${argument}": pass back the cursor of an edge (or pageInfo) this list returned.`,
    { extensions: { code: 'BAD_USER_INPUT', argument } },
  );
}
