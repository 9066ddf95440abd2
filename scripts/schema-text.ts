/** The schema as schema.graphql holds it (scripts/print-schema.ts writes and checks the file). */
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../src/graphql/schema/index.ts';

export const printed = () => `${printSchema(lexicographicSortSchema(schema))}\n`;
