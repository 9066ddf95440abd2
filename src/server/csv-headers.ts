/**
 * An export's header row. Of a list with items: their columns in the query's order, whatever
 * the data (columnsOf). Of an empty list: columns are read off the items, so
 * an empty one had none: the file was a blank line, which CSV readers (Excel's import, pandas)
 * take for a file with no columns, and a dashboard appending the weekly exports lost its
 * header. Here they come from the query instead: the fields it selects in the list's items, by
 * the schema's types, named as the items' columns would be.
 */
import {
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  parse,
  type SelectionSetNode,
} from 'graphql';
import { fieldsSelected, operationOf } from '../graphql/selection.ts';

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
  const { operation, fragments } = operationOf(document, operationName);
  const root = operation?.operation === 'query' ? schema.getQueryType() : null;
  if (!operation || !root) return null;

  /** The fields a selection selects, merged by response key. */
  const fieldsOf = (sets: readonly SelectionSetNode[], parent: GraphQLNamedType): Selected[] => {
    const byKey = new Map<string, Selected>();
    for (const set of sets) {
      for (const { node, field } of fieldsSelected(schema, fragments, set, parent)) {
        const key = node.alias?.value ?? node.name.value;
        const known = byKey.get(key) ?? { key, type: field.type, selections: [] };
        if (node.selectionSet) known.selections.push(node.selectionSet);
        byKey.set(key, known);
      }
    }
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

/**
 * The header row of exported rows, in the query's order whatever the data. Each row's columns
 * follow the selection, but a row can lack some (a null object is one column at its path, a list
 * has as many as items) so a column first seen in a later row goes after the one it follows there;
 * appended, it moved with the sort order. A null object's column gives way to its fields' columns,
 * taken from the query (`selected`) when no row has them.
 */
export function columnsOf(
  rows: readonly { cells: ReadonlyMap<string, string> }[],
  selected: () => string[] | null,
): string[] {
  const headers: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    let previous: string | null = null;
    for (const header of row.cells.keys()) {
      if (!seen.has(header)) {
        seen.add(header);
        headers.splice(previous === null ? 0 : headers.indexOf(previous) + 1, 0, header);
      }
      previous = header;
    }
  }
  const filled = (h: string) => rows.some((row) => row.cells.get(h));
  let fields: string[] | null | undefined;
  return headers.flatMap((h) => {
    if (filled(h)) return [h];
    if (headers.some((o) => o.startsWith(`${h}.`))) return [];
    fields ??= selected();
    const parts = (fields ?? []).filter((f) => f.startsWith(`${h}.`) && !seen.has(f));
    return parts.length > 0 ? parts : [h];
  });
}
