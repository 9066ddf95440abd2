/**
 * A connection's paging arguments refused as the field's own InvalidInputError. The Prisma and
 * Relay plugins check `first`, `last` and the cursors before the field's resolver runs, and
 * throw PothosValidationError, which the errors plugin does not turn into the field's error
 * result: `{ agencies(after: "garbage") … findings … }` answered a top-level error with
 * `data: null`, losing the findings beside it, where an edited but readable cursor got
 * InvalidInputError and kept them. Listed after the errors plugin, so the errors plugin wraps
 * this one and finds the InvalidInputError it throws.
 */
import SchemaBuilder, {
  BasePlugin,
  type PothosOutputFieldConfig,
  PothosValidationError,
  type SchemaTypes,
} from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import { InvalidInputError } from './invalid-input.ts';

const PLUGIN_NAME = 'connectionArguments';

type PagingArgs = { after?: unknown; before?: unknown };

/** The message and argument of a paging refusal, in the words the API's own cursor checks use. */
function refusal(error: PothosValidationError, args: PagingArgs): InvalidInputError {
  if (/^Invalid cursor/.test(error.message)) {
    const argument = args.after != null ? 'after' : 'before';
    return new InvalidInputError(
      `Invalid cursor in "${argument}": pass back the cursor of an edge (or pageInfo) this list returned.`,
      argument,
    );
  }
  return new InvalidInputError(`${error.message}.`, pagingArgumentOf(error.message) ?? 'first');
}

/**
 * The paging argument a Pothos refusal is about: 'Argument "first" must be a non-negative
 * integer'; 'Arguments "before" and "first" are not supported at the same time': the last one named.
 */
export const pagingArgumentOf = (message: string): string | undefined =>
  [...message.matchAll(/"(first|last|after|before)"/g)].at(-1)?.[1];

const refused = (error: unknown, args: PagingArgs) => {
  throw error instanceof PothosValidationError ? refusal(error, args) : error;
};

export class ConnectionArgumentsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const options = fieldConfig.pothosOptions as { errors?: { types?: unknown[] } };
    // Only a field whose result can be the error; elsewhere the request's error says it.
    if (!options.errors?.types?.includes(InvalidInputError) || !('after' in fieldConfig.args))
      return resolver;
    return (parent, args, context, info) => {
      try {
        const result = resolver(parent, args, context, info);
        return result instanceof Promise ? result.catch((error) => refused(error, args)) : result;
      } catch (error) {
        return refused(error, args);
      }
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      connectionArguments: ConnectionArgumentsPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(PLUGIN_NAME, ConnectionArgumentsPlugin);

export default PLUGIN_NAME;
