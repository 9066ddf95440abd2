/**
 * Arguments that take the global id of one type (an agency's, so far) are declared as plain
 * IDs and decoded here, where the resolver knows the argument's path. Pothos' globalID
 * arguments decode before the resolver runs, so a wrong id was refused without saying which
 * argument held it ("filter.agency.ids[3]"), and outside the field's InvalidInputError union.
 */
import { parseGlobalID, shownId } from '../builder.ts';

const withArticle = (type: string) => `${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type}`;

/**
 * The row id of `value`, the global id of a `type` given as `argument`; anything else is
 * refused through `refuse` (InvalidInputError in a field with an error union, else
 * BAD_USER_INPUT), naming the argument and the value.
 */
export function rowIdOf(
  value: string | number,
  type: 'Agency',
  argument: string,
  refuse: (message: string, argument: string) => Error,
): number {
  const given = shownId(String(value));
  const decoded = parseGlobalID(String(value));
  if (!decoded) {
    throw refuse(
      `Argument ${argument}: "${given}" is not an id this API gives out; pass back the \`id\` of ${withArticle(type)} it returned.`,
      argument,
    );
  }
  if (decoded.typename !== type) {
    throw refuse(
      `Argument ${argument}: the id ${given} is ${withArticle(decoded.typename)}'s id; this argument takes ${withArticle(type)}'s id (its \`id\` field).`,
      argument,
    );
  }
  return Number(decoded.id);
}
