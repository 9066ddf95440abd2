/**
 * The client's mistake in an argument, as a field's error result. Apart from its schema type
 * (schema/errors.ts) so that a builder plugin can throw it without importing the schema.
 */
export class InvalidInputError extends Error {
  constructor(
    message: string,
    readonly argument: string,
  ) {
    super(message);
    this.name = 'InvalidInputError';
  }
}
