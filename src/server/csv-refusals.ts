/**
 * What /csv makes of a result with no list: which root fields answered an error the query
 * selects no message of, and the query asked again with the message selected, so that the
 * refusal says why.
 */
import { Kind, type OperationDefinitionNode, parse, print, visit } from 'graphql';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `query` with `... on Error { message }` added to each root field named (by its response key),
 * so that an error it answered says what it is; null where there is nothing to add or the query
 * does not parse.
 */
export function withErrorSelected(query: string, fields: readonly string[]): string | null {
  if (fields.length === 0) return null;
  try {
    const errorFragment = parse('{ ... on Error { message } }').definitions[0] as OperationDefinitionNode;
    const added = errorFragment.selectionSet.selections;
    return print(
      visit(parse(query), {
        OperationDefinition: (operation) => ({
          ...operation,
          selectionSet: {
            ...operation.selectionSet,
            selections: operation.selectionSet.selections.map((selection) =>
              selection.kind === Kind.FIELD &&
              selection.selectionSet &&
              fields.includes(selection.alias?.value ?? selection.name.value)
                ? {
                    ...selection,
                    selectionSet: {
                      ...selection.selectionSet,
                      selections: [...selection.selectionSet.selections, ...added],
                    },
                  }
                : selection,
            ),
          },
        }),
      }),
    );
  } catch {
    return null;
  }
}

/** Root fields that answered a type the query selected nothing of (an error it has no fragment for). */
export const unselectedAnswers = (data: Json | undefined) =>
  isObject(data)
    ? Object.entries(data)
        .filter(([, value]) => isObject(value) && Object.keys(value).length === 0)
        .map(([key]) => key)
    : [];

const holdsList = (value: Json | undefined): boolean =>
  Array.isArray(value) || (isObject(value) && Object.values(value).some(holdsList));

/**
 * Root fields that answered neither a list nor a message: an error whose message the query does
 * not select (`... on InvalidInputError { argument }`, or no fields of it at all), or an object
 * that holds no list.
 */
export const unexplainedAnswers = (data: Json | undefined) =>
  isObject(data)
    ? Object.entries(data)
        .filter(([, value]) => isObject(value) && typeof value.message !== 'string' && !holdsList(value))
        .map(([key]) => key)
    : [];

/**
 * Fields of a result that answered null where a list was looked for: along `path`, the first
 * null on it; without one, every null in the result. A query for an agency or a report that is
 * not there answers null, and "no list" alone left the user looking at the query for a mistake.
 */
export function nullsOn(data: Json | undefined, path: string | null): string[] {
  if (path) {
    let node = data;
    const walked: string[] = [];
    for (const key of path.split('.')) {
      if (!isObject(node)) return [];
      walked.push(key);
      node = node[key];
      if (node === null) return [walked.join('.')];
    }
    return [];
  }
  const found: string[] = [];
  const search = (node: Json | undefined, name: string) => {
    if (node === null && name) found.push(name);
    else if (isObject(node))
      for (const [key, child] of Object.entries(node)) search(child, name ? `${name}.${key}` : key);
  };
  search(data, '');
  return found;
}

/** What a result's nulls say, for a refusal: "agency is null (…)". */
export function nullsSaid(nulls: readonly string[]): string {
  const [first, ...more] = nulls;
  const named = more.length === 0 ? `${first} is` : `${[first, ...more].join(', ')} are`;
  return `${named} null (nothing answered ${more.length === 0 ? 'it' : 'them'}: no agency of that name, no report of that year, …)`;
}
