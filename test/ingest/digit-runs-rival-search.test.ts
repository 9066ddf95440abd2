/**
 * The bounded search for a misprinted row's rival splits (digit-runs.ts) weighs each partial
 * split against the other rows' possible figures. Those do not change during the search; asked
 * for at each of its steps (up to 100,000), a 17-digit row read one of them 52,079 times.
 * Counted through digit-splits.ts's `numeric`, by which every figure is read, with no hook in
 * the parser for the test.
 */
import { readFileSync } from 'node:fs';
import { expect, it, vi } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';

/** Per bounded search: its steps, and how often each figure not among its chosen cells was read. */
const searches: { steps: number; reads: Map<string, number> }[] = [];
let step: { chosen: readonly (string | null)[]; reads: Map<string, number> } | null = null;
let counting = false;

vi.mock('../../src/ingest/digit-splits.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/ingest/digit-splits.ts')>();
  return {
    ...original,
    numeric: (text: string) => {
      // A figure of the row's own chosen cells is read at each step by design.
      if (step && !step.chosen.includes(text)) step.reads.set(text, (step.reads.get(text) ?? 0) + 1);
      return original.numeric(text);
    },
    rowSplits: (...args: Parameters<typeof original.rowSplits>) => {
      const [row, forms, identities, separated, bound] = args;
      if (!bound || !counting) return original.rowSplits(...args);
      const search = { steps: 0, reads: new Map<string, number>() };
      searches.push(search);
      return original.rowSplits(row, forms, identities, separated, {
        below: bound.below,
        cost: (chosen) => {
          search.steps++;
          step = { chosen, reads: search.reads };
          try {
            return bound.cost(chosen);
          } finally {
            step = null;
          }
        },
      });
    },
  };
});

it("the rival search of a 17-digit row reads another row's figure no more often than the report has cells", async () => {
  const bytes = readFileSync(new URL('../fixtures/glued-misprints/new-requests-figure.txt', import.meta.url));
  counting = true;
  const { result } = await parseDocument(new Uint8Array(bytes), { allowPartial: true }).finally(() => {
    counting = false;
  });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  const cells = result.report.cells.length;
  expect(searches.length).toBeGreaterThan(0);
  // Read once per search, a figure is read at most once for each cell that may hold it; the
  // searches take more steps than that, so a read at each step would show.
  expect(Math.max(...searches.map((s) => s.steps))).toBeGreaterThan(cells);
  for (const search of searches) expect(Math.max(0, ...search.reads.values())).toBeLessThanOrEqual(cells);
});
