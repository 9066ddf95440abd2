import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema/index.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

it('the README has GraphQL examples', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(5);
});

it.each(blocks.map((block, i) => [i + 1, block]))(
  'README example %i is valid against the schema',
  (_n, block) => {
    const errors = validate(schema, parse(String(block)));
    expect(errors.map((e) => e.message)).toEqual([]);
  },
);
