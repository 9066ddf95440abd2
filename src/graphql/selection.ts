import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * The names of the fields a query selects at `path` below the field being resolved,
 * through inline and named fragments, e.g. ['groups', 'aggregates'] → {sum, median}. Lets a
 * resolver leave out SQL whose result nobody asked for. @skip and @include are not
 * evaluated, so a field under them counts as selected: at worst something is computed
 * that is not returned.
 */
export function selectedFieldNames(info: GraphQLResolveInfo, path: readonly string[]): Set<string> {
  let sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const name of path) {
    sets = fieldsOf(sets, info)
      .filter((field) => field.name.value === name)
      .flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
  }
  return new Set(fieldsOf(sets, info).map((field) => field.name.value));
}

function fieldsOf(sets: readonly SelectionSetNode[], info: GraphQLResolveInfo): FieldNode[] {
  const fields: FieldNode[] = [];
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === 'Field') fields.push(selection);
      else if (selection.kind === 'InlineFragment') visit(selection.selectionSet);
      else {
        const fragment = info.fragments[selection.name.value];
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) visit(set);
  return fields;
}

/** A document's operation (the one named, else the first) and its fragments by name. */
export function operationOf(
  document: DocumentNode,
  operationName: string | null | undefined,
): {
  operation: OperationDefinitionNode | undefined;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
} {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    else if (d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName))
      operation ??= d;
  }
  return { operation, fragments };
}

/**
 * The fields `set` selects on type `on`, inline and named fragments spread into it (each on the
 * type its condition names), with their definitions; __typename and fields the type lacks are
 * left out. For readers of a query before it runs (the CSV export's empty header, the row
 * limit), which have no resolve info.
 */
export function fieldsSelected(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  set: SelectionSetNode,
  on: GraphQLNamedType,
): { node: FieldNode; field: GraphQLField<unknown, unknown> }[] {
  const found: { node: FieldNode; field: GraphQLField<unknown, unknown> }[] = [];
  const visit = (selections: SelectionSetNode, type: GraphQLNamedType, spread: ReadonlySet<string>) => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        const field =
          isObjectType(type) || isInterfaceType(type) ? type.getFields()[selection.name.value] : undefined;
        if (field) found.push({ node: selection, field });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (condition) visit(selection.selectionSet, condition, spread);
      } else {
        const fragment = fragments.get(selection.name.value);
        const condition = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && condition && !spread.has(fragment.name.value))
          visit(fragment.selectionSet, condition, new Set([...spread, fragment.name.value]));
      }
    }
  };
  visit(set, on, new Set());
  return found;
}
