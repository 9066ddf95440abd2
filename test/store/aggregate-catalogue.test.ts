/**
 * The pre-aggregations' SQL functions in the database are the ones the catalogue generates
 * today (src/store/aggregates.ts): a catalogue change that moves a base or a cell needs a new
 * migration with the regenerated functions (and a rebuild of the aggregates), or the stored
 * aggregates would silently mean other figures.
 */
import { afterAll, expect, it } from 'vitest';
import { aggregateCatalogueSql, FIGURE_BASES, figureBase } from '../../src/store/aggregates.ts';
import { testDb } from '../support/db.ts';

const db = testDb();
afterAll(() => db.$disconnect());

it('figure_bases() and figure_base_meta() are what the catalogue generates', async () => {
  const generated = new Map(
    [
      ...aggregateCatalogueSql().matchAll(/CREATE OR REPLACE FUNCTION (\w+)\([^$]*\$fn\$([\s\S]*?)\$fn\$/g),
    ].map((m) => [m[1], m[2]]),
  );
  expect([...generated.keys()]).toEqual(['figure_bases', 'figure_base_meta']);
  const stored = await db.$queryRaw<{ name: string; body: string }[]>`
    SELECT proname AS name, prosrc AS body FROM pg_proc WHERE proname IN ('figure_bases', 'figure_base_meta')`;
  expect(new Map(stored.map((s) => [s.name, s.body]))).toEqual(generated);
});

it('numbers every metric of every applicant column once, with the narrow ones the rankings read', () => {
  expect(FIGURE_BASES.map((b) => b.index)).toEqual(FIGURE_BASES.map((_, i) => i + 1));
  expect(figureBase('T3_NEW_REQUESTS', 'TOTAL').narrow).not.toBeNull();
  expect(figureBase('DISCLOSURE_RATE', 'TOTAL').narrow).not.toBeNull();
  expect(figureBase('T3_GRANTED', 'NATURAL_PERSON').narrow).toBeNull();
  const total = figureBase('T3_OUTCOMES_TOTAL', 'LEGAL_SERVICE');
  expect(figureBase('T3_GRANTED', 'LEGAL_SERVICE').shareTotal).toBe(total.index);
  expect(figureBase('T4_REVIEW_TOTAL', 'TOTAL').shareTotal).toBeNull();
});
