/**
 * Compiled execution (graphql-jit) for comparison queries.
 *
 * A compare page is 300 rows × 10 metrics: graphql-js resolves some 7,500 fields one by one
 * through its generic machinery and allocates a path, a promise check and an info object for
 * each. graphql-jit compiles the document once into a function that walks the result
 * directly; measured on the bench's compare query, it took 2.5 ms of CPU off 12 per request
 * and three quarters of the young-generation collections.
 *
 * Only queries whose every root field is marked `answeredFromSql` (the comparisons, which
 * read their answer from one SQL statement's rows) and that select no Prisma-loaded field
 * (a relation or a selected column of a Prisma object) are compiled: Pothos' Prisma plugin
 * batches its loads by the resolve info graphql-js passes, which compiled execution does not
 * reproduce. Everything else, mutations and subscriptions included, runs as before.
 */
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  execute,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  Kind,
  type SelectionSetNode,
  TypeInfo,
  type VariableDefinitionNode,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';

/**
 * Whether Pothos' Prisma plugin wraps the field's resolver in its loader: exactly when the
 * field carries a truthy `pothosPrismaSelect` (relations, and columns of objects in select
 * mode), the condition the plugin's own wrapResolve tests.
 */
const isPrismaLoaded = (field: GraphQLField<unknown, unknown>) =>
  Boolean(field.extensions?.pothosPrismaSelect);

/**
 * Whether `document`'s operation can run compiled: a query whose root fields are all
 * answered from SQL and whose selections reach no Prisma-loaded field.
 */
export function compilable(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null) {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'query') return false;
  const query = schema.getQueryType();
  if (!query) return false;
  const roots = query.getFields();
  let ok = true;
  const typeInfo = new TypeInfo(schema);
  const check = visitWithTypeInfo(typeInfo, {
    Field(node) {
      const field = typeInfo.getFieldDef();
      const parent = typeInfo.getParentType();
      if (!field) return;
      if (parent === query && node.name.value !== '__typename') {
        if (roots[node.name.value]?.extensions?.answeredFromSql !== true) ok = false;
      } else if (isPrismaLoaded(field)) ok = false;
    },
  });
  // The operation and every fragment: one the operation does not spread can only make the
  // answer a cautious no.
  visit(operation, check);
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) visit(definition, check);
  }
  return ok;
}

/**
 * Runs compilable queries (see `compilable`) through graphql-jit, compiling each document
 * once; any other operation, or one graphql-jit cannot compile, runs through graphql-js.
 * Goes before the plugins that wrap the execute function (read routing, the response
 * cache), since it replaces the function rather than wrapping it.
 */
export function compiledExecutionPlugin(logger: Logger): Plugin {
  /** A compiled operation and its variable definitions, checked by graphql-js on every call. */
  interface Compiled {
    query: CompiledQuery;
    variables: readonly VariableDefinitionNode[];
    document: DocumentNode;
    operationName: string | null | undefined;
  }
  const compile = (args: ExecutionArgs): Compiled | null => {
    if (!compilable(args.schema, args.document, args.operationName)) return null;
    const operation = getOperationAST(args.document, args.operationName);
    const name = operation?.name?.value ?? 'anonymous';
    const result = compileQuery(args.schema, args.document, args.operationName ?? undefined);
    if (!isCompiledQuery(result)) {
      logger.warn({ operation: name, errors: result.errors }, 'query not compiled; graphql-js runs it');
      return null;
    }
    logger.debug({ operation: name }, 'query compiled for execution');
    return {
      query: result,
      variables: operation?.variableDefinitions ?? [],
      document: args.document,
      operationName: args.operationName,
    };
  };
  // Parsed documents are cached and reused by yoga, so a document is compiled once per
  // operation name; null records "run through graphql-js".
  const compiled = new WeakMap<DocumentNode, Map<string, Compiled | null>>();
  const compiledFor = (args: ExecutionArgs): Compiled | null => {
    let byName = compiled.get(args.document);
    if (!byName) {
      byName = new Map();
      compiled.set(args.document, byName);
    }
    const key = args.operationName ?? '';
    let entry = byName.get(key);
    if (entry === undefined) {
      entry = compile(args);
      byName.set(key, entry);
    }
    return entry;
  };
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const entry = compiledFor(args);
      if (!entry) return;
      // graphql-js refuses bad variables before executing (HTTP 400, its own messages);
      // graphql-jit would coerce them inside the query and answer 200. Bad variables go to
      // graphql-js. The arguments are those at call time: read routing hands the query a
      // replica's context.
      const accepted = (call: ExecutionArgs) =>
        entry.variables.length === 0 ||
        getVariableValues(call.schema, entry.variables, call.variableValues ?? {}, { maxErrors: 1 })
          .errors === undefined;
      setExecuteFn((call: ExecutionArgs) => {
        if (!accepted(call)) return executeFn(call);
        const result = entry.query.query(call.rootValue, call.contextValue, call.variableValues);
        return result instanceof Promise ? result.then((r) => located(r, entry)) : located(result, entry);
      });
    },
  };
}

/**
 * graphql-jit's errors carry their locations but not the field nodes they come from, and yoga
 * rebuilds an error it masks from its nodes, so a masked error lost its locations. Each error's
 * node is found by walking the operation along its path (aliases, fragments), so an error reads
 * the same either way. And `errors` comes first, as graphql-js's answer has it.
 */
function located(
  result: ExecutionResult,
  query: { document: DocumentNode; operationName: string | null | undefined },
): ExecutionResult {
  if (!result.errors?.length) return result;
  const operation = getOperationAST(query.document, query.operationName);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of query.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fieldAt = (selections: SelectionSetNode | undefined, key: string): FieldNode | undefined => {
    for (const selection of selections?.selections ?? []) {
      if (selection.kind === Kind.FIELD && (selection.alias ?? selection.name).value === key)
        return selection;
      const inner =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.selectionSet
          : selection.kind === Kind.FRAGMENT_SPREAD
            ? fragments.get(selection.name.value)?.selectionSet
            : undefined;
      const found = inner && fieldAt(inner, key);
      if (found) return found;
    }
    return undefined;
  };
  const errors = result.errors.map((error) => {
    if (error.nodes?.length || !error.path || !operation) return error;
    let node: FieldNode | undefined;
    let selections: SelectionSetNode | undefined = operation.selectionSet;
    for (const key of error.path) {
      if (typeof key === 'number') continue;
      node = fieldAt(selections, key);
      selections = node?.selectionSet;
      if (!node) break;
    }
    if (!node) return error;
    return new GraphQLError(error.message, {
      nodes: [node],
      path: error.path,
      originalError: error.originalError ?? undefined,
      extensions: error.extensions,
    });
  });
  const { errors: _replaced, ...rest } = result;
  return { errors, ...rest };
}

/**
 * Queries and mutations that do not run compiled run through graphql-js's own execute, which
 * keeps the fields of every object in the order the query asks for them (the spec's
 * "Serialized Map Ordering"). Yoga's default executor (@graphql-tools/executor 2.0.1) sets each
 * field when its value resolves, so a field resolved later — a Prisma relation, a loader — came
 * after its synchronous siblings: `{ x: __typename reports { … } }` answered `{ x, y, reports }`,
 * and /csv, which exports the answer's first list, exported a ranking's `unranked` instead of
 * its `entries`. Goes first of the plugins that set the execute function; subscriptions keep
 * yoga's.
 */
export function queryOrderExecutionPlugin(): Plugin {
  return {
    onExecute({ setExecuteFn }) {
      setExecuteFn(execute);
    },
  };
}
