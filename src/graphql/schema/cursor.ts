import type { builder } from '../builder.ts';
import { badUserInput } from './errors.ts';

/** The schema types of this API's builder. */
type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** The largest id PostgreSQL's int columns hold. */
const MAX_ID = 2_147_483_647;

/** The largest page (the Prisma plugin's maxConnectionSize, as `first` and `last` describe it). */
const MAX_PAGE = 100;

/**
 * The query of a connection ordered by id, with its cursor checked (its page sizes are checked
 * by checkedMaxSize, before). The Prisma plugin decodes any well-formed cursor, so an edited one
 * reached PostgreSQL as an id of NaN, 1.5, -5, a string or a date, and failed there as
 * "Unexpected error." (or, for -5, gave an empty page): here it is the client's error, naming
 * the argument.
 */
export function checkedPage<Query extends { cursor?: { id?: unknown } }>(
  query: Query,
  args: { after?: string | null; before?: string | null },
  /** The refusal: a field with an error union answers InvalidInputError, keeping its siblings. */
  refuse: (message: string, argument: string) => Error = badUserInput,
): Query {
  const id = query.cursor?.id;
  if (id === undefined) return query;
  if (typeof id === 'number' && Number.isInteger(id) && id >= 1 && id <= MAX_ID) return query;
  const argument = args.after ? 'after' : 'before';
  throw refuse(
    `Invalid cursor in "${argument}": pass back the cursor of an edge (or pageInfo) this list returned.`,
    argument,
  );
}

type PageArgs = { first?: number | null; last?: number | null };

function checkSizes(args: PageArgs, refuse: (message: string, argument: string) => Error) {
  if (args.first != null && args.last != null) {
    throw refuse(
      'Pass either "first" (a page from the start or after a cursor) or "last", not both.',
      'last',
    );
  }
  for (const argument of ['first', 'last'] as const) {
    const size = args[argument];
    if (size != null && size > MAX_PAGE) {
      throw refuse(
        `"${argument}" is at most ${MAX_PAGE}; fetch the next page with ${argument === 'first' ? 'after: pageInfo.endCursor' : 'before: pageInfo.startCursor'}.`,
        argument,
      );
    }
  }
}

/**
 * A Prisma connection's `maxSize` option that checks the field's arguments first: the page
 * sizes, and `check`'s own (the field's filter).
 * - `first` or `last` past 100 was cut to 100 without a word: an export asking for 1,000
 *   agencies got 100 and no sign of the rest. It is refused, saying how to page.
 * - `first` with `last` returned the last `first` items of the whole list (Relay would take
 *   `first`, then the `last` of those): they are refused together, as the Relay spec advises.
 *
 * The plugin calls it before the resolver, so the resolver need not check them again. The
 * plugin does not call the resolver when a query selects only `__typename` (or only
 * `totalCount`) of the connection, so `{ agencies(first: 200) { __typename } }` named the
 * connection where any other selection got the error. It sizes every page, though, so a
 * refusal from here reaches every selection alike.
 */
export function checkedMaxSize<Args>(
  refuse: (message: string, argument: string) => Error = badUserInput,
  check: (args: Args) => void = () => {},
) {
  return (args: PageArgs): number => {
    checkSizes(args, refuse);
    check(args as Args);
    return MAX_PAGE;
  };
}

/**
 * The connection options that describe a Prisma connection's totalCount, which the plugin makes
 * with no description: the same field, its marker kept, so that a query of totalCount alone
 * still loads no page.
 */
export const describedTotalCount = (description: string) => ({
  fields: (c: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, object>) => ({
    totalCount: c.int({
      nullable: false,
      description,
      extensions: { pothosPrismaTotalCount: true },
      resolve: (connection) =>
        (connection as { totalCount?: () => number | Promise<number> }).totalCount?.() ?? 0,
    }),
  }),
});
