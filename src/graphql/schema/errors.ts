import { GraphQLError } from 'graphql';
import type { Problem } from '../../store/revision-cells.ts';
import { builder } from '../builder.ts';
import { InvalidInputError } from '../invalid-input.ts';
import { ParseProblemRef } from './report.ts';

/** A report source that cannot be stored as read. Nothing was written. */
export class ReportRejectedError extends Error {
  constructor(
    readonly fileName: string,
    readonly problems: Problem[],
  ) {
    super(
      `${fileName} was not imported: ${problems.filter((p) => p.severity === 'error').length || problems.length} problem(s). ${problems[0]?.message ?? ''}`.trim(),
    );
    this.name = 'ReportRejectedError';
  }
}

/** Input that is wrong before any report is read (bad encoding, bad arguments). */
export { InvalidInputError };

/** The client's mistake in a field whose error union has InvalidInputError. */
export const invalidInputError = (message: string, argument: string) =>
  new InvalidInputError(message, argument);

/**
 * The client's mistake in a field without an error union: a GraphQL error coded
 * BAD_USER_INPUT, naming the argument at fault when there is one.
 */
export const badUserInput = (message: string, argument?: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) } });

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'An expected failure the client should show to the user.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'What went wrong and what to do, for a person.' }),
  }),
});

builder.objectType(ReportRejectedError, {
  name: 'ReportRejectedError',
  interfaces: [ErrorInterface],
  description:
    'The report could not be read or is incomplete; nothing was stored. `problems` locate each issue.',
  fields: (t) => ({
    fileName: t.exposeString('fileName', { description: 'The source concerned.' }),
    problems: t.expose('problems', {
      type: [ParseProblemRef],
      description: 'Every problem found, each located to line, table, row and column.',
    }),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  interfaces: [ErrorInterface],
  description: 'An argument is invalid; `argument` names it.',
  fields: (t) => ({
    argument: t.exposeString('argument', { description: 'Path of the offending argument.' }),
  }),
});
