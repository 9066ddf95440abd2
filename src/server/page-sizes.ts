/**
 * Lists inside lists: the rows a query may ask for, multiplied down its nested lists. The cost
 * limit (graphql-armor) weighs a query's shape and cannot see its page sizes, so
 * `compare(limit: 10000) { rows { agency { reports { current { table3 { rows … } } } } } }`
 * passed it and wrote 28 MB in 10 s on a small database. Here a field that takes `first`,
 * `last` or `limit` gives its page (as asked, else its default, else MAX_ROWS: "omit for all")
 * to the first list below it (a connection's edges, a comparison's rows), and any other list
 * counts as UNPAGED_ESTIMATE items. Each root field counts its largest product of nested lists
 * (a comparison's rows × their values, or its totals × theirs, whichever is more: adding up every
 * list counted the page twice, once for the rows and once for the totals), and the root fields
 * are added up (twenty aliased comparisons count twenty times); a query whose sum passes
 * MAX_QUERY_ROWS is refused before it runs, naming its largest product.
 * Variables are read as the operation resolves them, its own defaults included.
 */
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isListType,
  Kind,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { MAX_ROWS } from '../comparison/pipeline.ts';
import { fieldsSelected, operationOf } from '../graphql/selection.ts';

const PAGE_ARGUMENTS = ['first', 'last', 'limit'];
/**
 * Items assumed in a list no argument bounds: an agency's reports (one a year), a table's blocks,
 * rows or cells (the template bounds them), a row's values. Counted as 10, a full dump of the
 * tables of 20 agencies (reports, blocks, rows, cells) came to 200,000.
 */
const UNPAGED_ESTIMATE = 5;
/** The page a connection answers without first or last (Pothos's default). */
const CONNECTION_DEFAULT = 20;

interface Pages {
  rows: number;
  /** The lists that multiply, outermost first: "rows 10,000". */
  path: string[];
}

/** What the walk finds: the root fields' largest products added up, and the largest of them. */
interface Estimate {
  total: number;
  largest: Pages;
}

/** The page a field asks for, or null where it takes none. */
function pageOf(
  field: GraphQLField<unknown, unknown>,
  given: readonly { name: { value: string }; value: ValueNode }[],
  variables: Record<string, unknown>,
): number | null {
  const paged = field.args.filter((a) => PAGE_ARGUMENTS.includes(a.name));
  if (paged.length === 0) return null;
  const sizes = paged.map((argument) => {
    const node = given.find((g) => g.name.value === argument.name)?.value;
    const value =
      node?.kind === Kind.INT
        ? Number(node.value)
        : node?.kind === Kind.VARIABLE
          ? variables[node.name.value]
          : undefined;
    if (typeof value === 'number') return value;
    return typeof argument.defaultValue === 'number' ? argument.defaultValue : null;
  });
  const known = sizes.filter((s): s is number => s !== null);
  // A connection without first or last answers its default page; a limit left out, everything.
  if (known.length > 0) return Math.max(0, ...known);
  return paged.some((a) => a.name === 'limit') ? MAX_ROWS : CONNECTION_DEFAULT;
}

/** The rows the operation's lists may hold, added up, and its largest product of nested lists. */
export function estimateRows(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  given: Record<string, unknown>,
): Estimate {
  const { operation, fragments } = operationOf(document, operationName);
  const root = operation
    ? operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType()
    : null;
  // The operation's own defaults for variables left out ($n: Int = 10000).
  const variables = { ...given };
  for (const definition of operation?.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (variables[name] === undefined && definition.defaultValue?.kind === Kind.INT)
      variables[name] = Number(definition.defaultValue.value);
  }
  /** Per root field (an alias is one), its largest product. */
  const roots: { largest: Pages }[] = [];
  /** `page`: a page asked for above that no list has taken yet; `root`: the root field walked. */
  const walk = (
    set: SelectionSetNode,
    on: GraphQLNamedType,
    pages: Pages,
    page: number | null,
    root: { largest: Pages } | null,
  ) => {
    for (const { node: selection, field } of fieldsSelected(schema, fragments, set, on)) {
      if (!selection.selectionSet) continue;
      const mine = root ?? { largest: { rows: 0, path: [] } };
      if (!root) roots.push(mine);
      const asked = pageOf(field, selection.arguments ?? [], variables) ?? page;
      const list = isListType(getNullableType(field.type));
      const items = list ? (asked ?? UNPAGED_ESTIMATE) : null;
      const name = selection.alias?.value ?? selection.name.value;
      const here =
        items === null
          ? pages
          : {
              rows: pages.rows * items,
              path: [...pages.path, `${name} ${asked === null ? '~' : ''}${items.toLocaleString('en')}`],
            };
      if (items !== null && here.rows > mine.largest.rows) mine.largest = here;
      walk(selection.selectionSet, getNamedType(field.type), here, list ? null : asked, mine);
    }
  };
  if (operation && root) walk(operation.selectionSet, root, { rows: 1, path: [] }, null, null);
  const total = roots.reduce((sum, r) => sum + r.largest.rows, 0);
  const largest = roots.reduce<Pages>((most, r) => (r.largest.rows > most.rows ? r.largest : most), {
    rows: 0,
    path: [],
  });
  return { total, largest };
}

/** Refuses, before it runs, a query whose nested pages multiply past `maxRows`. */
export function pageSizePlugin(maxRows: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const { total, largest } = estimateRows(
        args.schema,
        args.document,
        args.operationName,
        (args.variableValues ?? {}) as Record<string, unknown>,
      );
      if (total <= maxRows) return;
      setResultAndStopExecution({
        errors: [
          new GraphQLError(
            `The query may return ${total.toLocaleString('en')} rows (the most nested: ${largest.path.join(' × ')}); the limit is ${maxRows.toLocaleString('en')} (MAX_QUERY_ROWS). Ask for smaller pages (first, limit), or select the nested list in a query of its own.`,
            {
              extensions: {
                code: 'QUERY_TOO_COMPLEX',
                limit: 'rows',
                allowed: maxRows,
                found: total,
                // As the other query limits answer, from validation: 400 where yoga answers in the
                // GraphQL-over-HTTP media type, 200 where it answers application/json (spec).
                http: { spec: true, status: 400 },
              },
            },
          ),
        ],
      });
    },
  };
}
