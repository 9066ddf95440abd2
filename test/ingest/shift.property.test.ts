/**
 * A value is only ever stored under the column it was printed under. One cell of a table
 * row is dropped, duplicated or moved to another row, and the report is rendered as tab
 * text, pipe tables, HTML, single-space text (a PDF's text layer) and a PDF printed by Chromium. Whatever the reader
 * stores must equal the undamaged report's figure; a cell it cannot place is a gap or the
 * report is refused, with or without allowPartial.
 *
 * Text whose cells run together with no separator at all is not damaged here: dropping a
 * cell's digits from such a run prints a different report, which no reader can tell apart.
 */

import fc from 'fast-check';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import type { ParsedCell } from '../../src/ingest/types.ts';
import { launchChromium, printedRuled } from '../support/chromium.ts';
import {
  EXAMPLE_V2021,
  fixtureText,
  REAL_V2019,
  toHtmlTables,
  toPipeTables,
  toSingleSpaceText,
} from '../support/fixtures.ts';

type Damage = { kind: 'drop' | 'duplicate' | 'move'; row: number; cell: number; to: number };

const RENDERINGS: Record<string, (text: string) => string> = {
  tab: (text) => text,
  pipe: toPipeTables,
  html: toHtmlTables,
  'single-space text': toSingleSpaceText,
};

/** Table rows with at least two values: the lines a damage can hit. */
function valueRows(lines: string[]): number[] {
  return lines.flatMap((line, i) =>
    line.includes('\t') && line.split('\t').filter((c) => /^[+-]?\d+(?:\.\d+)?$/.test(c.trim())).length >= 2
      ? [i]
      : [],
  );
}

function damage(text: string, d: Damage): string {
  const lines = text.split('\n');
  const rows = valueRows(lines);
  const at = rows[d.row % rows.length] ?? 0;
  const cells = (lines[at] ?? '').split('\t');
  const valueIndexes = cells.flatMap((c, i) => (/^[+-]?\d+(?:\.\d+)?$/.test(c.trim()) ? [i] : []));
  const target = valueIndexes[d.cell % valueIndexes.length] ?? 0;
  const [removed] = d.kind === 'duplicate' ? [cells[target] ?? ''] : cells.splice(target, 1);
  if (d.kind === 'duplicate') cells.splice(target, 0, removed ?? '');
  lines[at] = cells.join('\t');
  if (d.kind === 'move') {
    const other = rows[(d.row + 1 + (d.to % Math.max(1, rows.length - 1))) % rows.length] ?? at;
    const otherCells = (lines[other] ?? '').split('\t');
    otherCells.splice(1 + (d.to % Math.max(1, otherCells.length - 1)), 0, removed ?? '');
    lines[other] = otherCells.join('\t');
  }
  return lines.join('\n');
}

const figures = (cells: readonly ParsedCell[]) => new Map(cells.map((c) => [c.code, c]));

const DAMAGE = fc.record({
  kind: fc.constantFrom('drop' as const, 'duplicate' as const, 'move' as const),
  row: fc.nat(200),
  cell: fc.nat(20),
  to: fc.nat(200),
});

/** Parses every damaged rendering; a stored figure must equal the undamaged report's. */
async function neverShifted(
  original: string,
  render: (text: string) => Promise<Uint8Array>,
  numRuns: number,
) {
  const baseline = await parseDocument(await render(original));
  if (!baseline.result.ok) throw new Error(baseline.result.problems.map((p) => p.message).join('\n'));
  const truth = figures(baseline.result.report.cells);
  await fc.assert(
    fc.asyncProperty(DAMAGE, fc.boolean(), async (d, allowPartial) => {
      const { result } = await parseDocument(await render(damage(original, d)), { allowPartial });
      const report = result.ok ? result.report : result.partial;
      for (const cell of report?.cells ?? []) {
        if (cell.status !== 'REPORTED') continue;
        expect({ code: cell.code, value: cell.value }).toEqual({
          code: cell.code,
          value: truth.get(cell.code)?.value,
        });
      }
    }),
    { numRuns },
  );
}

describe('a value is stored only under the column it was printed under', () => {
  for (const source of [EXAMPLE_V2021, REAL_V2019]) {
    const original = fixtureText(source);
    for (const [name, render] of Object.entries(RENDERINGS)) {
      it(`${source}, ${name}: a dropped, duplicated or moved cell is never shifted into another column`, async () => {
        await neverShifted(original, async (text) => Buffer.from(render(text)), 60);
      }, 60_000);
    }
  }
});

describe('the same in a PDF (the HTML rendering printed by Chromium, with ruled tables)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(() => browser?.close());

  const toPdf = (text: string) => printedRuled(browser, RENDERINGS.html?.(text) ?? '');

  for (const source of [EXAMPLE_V2021, REAL_V2019]) {
    it(`${source}, PDF: a dropped, duplicated or moved cell is never shifted into another column`, async () => {
      await neverShifted(fixtureText(source), toPdf, 15);
    }, 120_000);
  }
});
