/**
 * The header row of an export whose list is empty. A list's columns are read off its items, so
 * an empty one had none: the file was a blank line, which CSV readers (Excel's import, pandas)
 * take for a file with no columns, and a dashboard appending the weekly exports lost its
 * header. Here they come from the query instead: the fields it selects in the list's items, by
 * the schema's types, named as the items' columns would be.
 */
import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
} from 'graphql';

interface Selected {
  key: string;
  type: GraphQLField<unknown, unknown>['type'];
  selections: SelectionSetNode[];
}

/** Labelled values (a metric's figures) and how their columns are named: shared with csv.ts. */
export interface LabelNaming {
  descriptive: ReadonlySet<string>;
  figureHeader: (label: string, key: string) => string;
}

/**
 * The columns the items of the list at `path` would have: each selected scalar field by its
 * dotted path; a labelled value (one that selects `label`) by its field's name where the label
 * would stand, as the label is data; a list of objects, whose number of items is data, by its
 * path alone. Null when the query or the path cannot be followed.
 */
export function emptyListHeaders(
  schema: GraphQLSchema,
  query: string,
  operationName: string | null | undefined,
  path: string,
  naming: LabelNaming,
): string[] | null {
  let document: ReturnType<typeof parse>;
  try {
    document = parse(query);
  } catch {
    return null;
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    else if (d.kind === Kind.OPERATION_DEFINITION) operations.push(d);
  }
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  const root = operation?.operation === 'query' ? schema.getQueryType() : null;
  if (!operation || !root) return null;

  /** The fields a selection selects, merged by response key, fragments spread into it. */
  const fieldsOf = (sets: readonly SelectionSetNode[], parent: GraphQLNamedType): Selected[] => {
    const byKey = new Map<string, Selected>();
    const visit = (set: SelectionSetNode, on: GraphQLNamedType, seen: Set<string>) => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) add(selection, on);
        else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : on;
          if (condition) visit(selection.selectionSet, condition, seen);
        } else {
          const fragment = fragments.get(selection.name.value);
          if (!fragment || seen.has(fragment.name.value)) continue;
          const condition = schema.getType(fragment.typeCondition.name.value);
          if (condition) visit(fragment.selectionSet, condition, new Set([...seen, fragment.name.value]));
        }
      }
    };
    const add = (field: FieldNode, on: GraphQLNamedType) => {
      const name = field.name.value;
      if (name === '__typename' || !(isObjectType(on) || isInterfaceType(on))) return;
      const definition = on.getFields()[name];
      if (!definition) return;
      const key = field.alias?.value ?? name;
      const known = byKey.get(key) ?? { key, type: definition.type, selections: [] };
      if (field.selectionSet) known.selections.push(field.selectionSet);
      byKey.set(key, known);
    };
    for (const set of sets) visit(set, parent, new Set());
    return [...byKey.values()];
  };

  // Down the path to the list: every step names a field.
  let here: Selected = { key: '', type: root, selections: [operation.selectionSet] };
  for (const step of path.split('.')) {
    const parent = getNamedType(here.type);
    const next = fieldsOf(here.selections, parent).find((f) => f.key === step);
    if (!next) return null;
    here = next;
  }
  const item = getNamedType(here.type);
  if (!isCompositeType(item)) return [path];

  const headers: string[] = [];
  /** One selected field's columns, headed `at`. */
  const column = (field: Selected, at: string) => {
    const type = getNamedType(field.type);
    if (!isCompositeType(type)) return headers.push(at);
    const parts = fieldsOf(field.selections, type);
    if (parts.some((f) => f.key === 'label')) {
      // The label stands where csv.ts puts it, the field's name in its place.
      for (const part of parts) {
        if (!naming.descriptive.has(part.key))
          column(part, part.key === 'value' ? field.key : naming.figureHeader(field.key, part.key));
      }
    } else if (isListType(getNullableType(field.type))) headers.push(at);
    else for (const part of parts) column(part, `${at}.${part.key}`);
  };
  for (const field of fieldsOf(here.selections, item)) column(field, field.key);
  return headers;
}
