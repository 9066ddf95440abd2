import { createHash } from 'node:crypto';
import { builder } from '../builder.ts';
import { badUserInput } from './errors.ts';

/** The schema types of this API's builder. */
type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** The largest id PostgreSQL's int columns hold. */
const MAX_ID = 2_147_483_647;

/** The largest page (the Prisma plugin's maxConnectionSize, as `first` and `last` describe it). */
const MAX_PAGE = 100;

/**
 * The lists that page with cursors, how a message names each, and the sort key (in order)
 * a cursor of each holds. An agencies list is two lists: in id order, or a name search in
 * order of similarity, then id.
 */
const LISTS = {
  agencies: { shown: 'the `agencies` list (in id order)', keys: ['id'] },
  agencySearch: {
    shown: 'an `agencies` name search (`filter.nameContains`)',
    keys: ['score', 'id', 'search'],
  },
  findings: { shown: 'the `findings` list', keys: ['id'] },
  reports: { shown: 'the `reports` list', keys: ['id'] },
} as const satisfies Record<string, { shown: string; keys: readonly (keyof ListPosition)[] }>;

export type ListName = keyof typeof LISTS;

/** A row's place in its list: its id, and for a name search its similarity (exact decimal text). */
export interface ListPosition {
  id: number;
  score?: string | null;
  /** A name search's text, as searchKey has it: a place in one search's order is none in another's. */
  search?: string | null;
}

/** The search text a name-search cursor holds: a short hash of it (a cursor stays short and says nothing of it). */
export const searchKey = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * The cursor of the row at `position` in `list`: base64 of `GPC:S:<list>:<its sort key as a JSON
 * array>`. The Prisma plugin's own cursor (`GPC:N:<id>`) named neither the list nor the sort key
 * beyond the id: another list's cursor was taken as this one's, and a page after a row that
 * had gone (an agency merged away, a finding recomputed under a new id) came back empty, as it
 * looked the row up to find its place. The `GPC:S:` prefix keeps it a string the plugin decodes.
 */
export function listCursor(list: ListName, position: ListPosition): string {
  const key = LISTS[list].keys.map((name) => position[name] ?? null);
  return Buffer.from(`GPC:S:${list}:${JSON.stringify(key)}`).toString('base64');
}

/** A sort key's part as a cursor must hold it, or undefined. */
const KEY_PARTS = {
  id: (value: unknown) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_ID ? value : undefined,
  // PostgreSQL's numeric text: what `score::text` prints, and `::numeric` reads back exactly.
  score: (value: unknown) =>
    typeof value === 'string' && /^-?\d{1,20}(\.\d{1,100})?$/.test(value) ? value : undefined,
  search: (value: unknown) => (typeof value === 'string' && /^[0-9a-f]{16}$/.test(value) ? value : undefined),
};

/** The list and position a decoded cursor names, an older id-only cursor, or null (not a cursor). */
function readCursor(decoded: unknown): { list: ListName; position: ListPosition } | 'id only' | null {
  if (KEY_PARTS.id(decoded) !== undefined) return 'id only';
  const match = typeof decoded === 'string' ? /^(\w+):(\[.*\])$/s.exec(decoded) : null;
  if (!match || !Object.hasOwn(LISTS, match[1] ?? '')) return null;
  const list = match[1] as ListName;
  let parts: unknown;
  try {
    parts = JSON.parse(match[2] ?? '');
  } catch {
    return null;
  }
  const names = LISTS[list].keys;
  if (!Array.isArray(parts) || parts.length !== names.length) return null;
  const position: ListPosition = { id: 0 };
  for (const [i, name] of names.entries()) {
    const value = KEY_PARTS[name](parts[i]);
    if (value === undefined) return null;
    Object.assign(position, { [name]: value });
  }
  return { list, position };
}

/** A page of a list as its resolver reads it, from the Prisma plugin's connection query. */
export interface ListPage<Load> {
  /** The plugin's query (what to load of each row) without its cursor paging. */
  load: Load;
  /** Rows to read (one more than the page, to tell whether more follow); negative: the last ones. */
  take: number;
  /** The place the page starts after (before, when `take` is negative); null for the first or last page. */
  from: ListPosition | null;
}

/**
 * The page of `list` a Prisma connection's query asks for (its page sizes are checked by
 * checkedMaxSize, before), with its cursor read and checked. The page starts after the place
 * the cursor holds, not after the row it was: Prisma's `cursor` looked that row up, and ended
 * the list silently when it was gone. A cursor the list could not have given is the client's
 * error naming the argument (the plugin decodes any well-formed cursor, so an edited one
 * reached PostgreSQL as an id of NaN or a date, and failed there as "Unexpected error."): one
 * of another list, saying which; one from before cursors named their list (`GPC:N:<id>`),
 * saying to start again, as it cannot say which list it is of.
 */
export function listPage<Query extends { cursor?: { id?: unknown }; take?: number; skip?: number }>(
  query: Query,
  args: { after?: string | null; before?: string | null },
  list: ListName,
  /** The refusal: a field with an error union answers InvalidInputError, keeping its siblings. */
  refuse: (message: string, argument: string) => Error = badUserInput,
): ListPage<Omit<Query, 'cursor' | 'take' | 'skip'>> {
  // skip is the plugin's 1 that steps over the cursor's row; `from` is exclusive already.
  const { cursor, take = 0, skip: _cursorRow, ...load } = query;
  if (cursor === undefined) return { load, take, from: null };
  const argument = args.after != null ? 'after' : 'before';
  const read = readCursor(cursor.id);
  if (read === 'id only') {
    throw refuse(
      `The cursor in "${argument}" is from an older version of this API and does not say which list it is from; fetch the first page again (leave "${argument}" out) and page on with the cursors it returns.`,
      argument,
    );
  }
  if (read === null) {
    throw refuse(
      `Invalid cursor in "${argument}": pass back the cursor of an edge (or pageInfo) this list returned.`,
      argument,
    );
  }
  if (read.list !== list) {
    throw refuse(
      `The cursor in "${argument}" is from ${LISTS[read.list].shown}, not from ${LISTS[list].shown}: pass back a cursor this list returned, or leave "${argument}" out for its first page.`,
      argument,
    );
  }
  return { load, take, from: read.position };
}

/** The Prisma condition for the rows of an id-ordered list beyond a page's `from`. */
export const idsBeyond = (page: ListPage<unknown>) =>
  page.from === null ? {} : { id: page.take < 0 ? { lt: page.from.id } : { gt: page.from.id } };

/** What an edge's cursor is, where every list's cursor field says it. */
const CURSOR_DESCRIPTION =
  "Opaque cursor of this item, for `after`/`before` of this same list (it names the list and holds the item's place in its order, so it still pages after the item is gone).";

/** An edge as the Prisma plugin makes it: the row, and the connection with its arguments. */
interface PluginEdge<Node> {
  node: Node;
  connection: { args: Record<string, unknown> };
}

/**
 * The connection and edge options that give a list's edges and pageInfo the cursors of
 * listCursor, in place of the plugin's (which it makes from the id alone): `position` is the
 * list and place of a row on a page asked for with `args`. `totalCount`, when given, describes
 * the connection's total (see describedTotalCount).
 */
export function listCursors<Node>(
  position: (node: Node, args: Record<string, unknown>) => { list: ListName; at: ListPosition },
  totalCount?: string,
) {
  const cursorOf = (edge: PluginEdge<Node>) => {
    const { list, at } = position(edge.node, edge.connection.args);
    return listCursor(list, at);
  };
  return {
    connection: {
      fields: (c: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, object>) => ({
        ...(totalCount ? describedTotalCount(totalCount).fields(c) : {}),
        pageInfo: c.field({
          type: builder.pageInfoRef(),
          nullable: false,
          description: 'Paging information.',
          resolve: (parent) => {
            const { pageInfo, edges } = parent as {
              pageInfo: Record<string, unknown>;
              edges: (PluginEdge<Node> | null)[];
            };
            const first = edges[0];
            const last = edges.at(-1);
            return {
              ...pageInfo,
              startCursor: first ? cursorOf(first) : null,
              endCursor: last ? cursorOf(last) : null,
            } as never;
          },
        }),
      }),
    },
    edge: {
      fields: (e: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, object>) => ({
        cursor: e.string({
          nullable: false,
          description: CURSOR_DESCRIPTION,
          resolve: (edge) => cursorOf(edge as PluginEdge<Node>),
        }),
      }),
    },
  };
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
