/**
 * Every figure of fifteen documents as agencies published them (../shared/fixtures/real-reports),
 * against transcriptions made by reading each document (./expected). The documents stay in
 * ../shared; these tests run wherever it is present, as it is in CI.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cellsOfVersion } from '../../../src/catalogue/cells.ts';
import { parseDocument } from '../../../src/ingest/document.ts';
import type { ParsedCell } from '../../../src/ingest/types.ts';
import type { ExpectedCell, ExpectedReport } from './expected-types.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
const EXPECTED = fileURLToPath(new URL('./expected/', import.meta.url));

const transcriptions = await Promise.all(
  readdirSync(EXPECTED)
    .filter((f) => f.endsWith('.ts'))
    .map(async (f) => (await import(`./expected/${f.replace(/\.ts$/, '')}.ts`)).default as ExpectedReport),
);

/** The parsed cell in the transcription's terms, so one comparison shows every difference. */
function asExpected(cell: ParsedCell | undefined): ExpectedCell | 'MISSING' {
  if (!cell || cell.status === 'MISSING') return 'MISSING';
  if (cell.status === 'UNREADABLE') return { unreadable: [...(cell.candidates ?? [])].sort() };
  if (cell.status === 'NOT_REPORTED') return cell.rawText === '' ? 'BLANK' : 'NOT_REPORTED';
  return cell.value ?? 'MISSING';
}

const normalise = (cell: ExpectedCell): ExpectedCell =>
  typeof cell === 'object' ? { unreadable: [...cell.unreadable].sort() } : cell;

describe.runIf(existsSync(SHARED))('real published documents', () => {
  it('has a transcription for each of the fifteen documents', () => {
    const documents = readdirSync(SHARED).filter((f) => f !== 'README.md');
    expect(transcriptions.flatMap((t) => t.files).sort()).toEqual(documents.sort());
  });

  for (const expected of transcriptions) {
    for (const file of expected.files) {
      const unreadable = Object.values(expected.cells).some((c) => typeof c === 'object');
      it(`${file}: every figure as printed${unreadable ? ', ambiguous digit runs unreadable (with --allow-partial)' : ', no gaps, no --allow-partial'}`, async () => {
        const { result } = await parseDocument(readFileSync(SHARED + file), { allowPartial: unreadable });
        if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
        const report = result.report;
        expect({
          agencyName: report.agencyName,
          year: report.year,
          templateVersion: report.templateVersion,
          publishedOn: report.publishedOn,
        }).toEqual({
          agencyName: expected.agencyName,
          year: expected.year,
          templateVersion: expected.templateVersion,
          publishedOn: expected.publishedOn,
        });
        expect(Object.keys(expected.cells).sort()).toEqual(
          cellsOfVersion(expected.templateVersion)
            .map((c) => c.code)
            .sort(),
        );
        const byCode = new Map(report.cells.map((c) => [c.code, c]));
        const read = Object.fromEntries(
          Object.keys(expected.cells).map((code) => [code, asExpected(byCode.get(code))]),
        );
        const truth = Object.fromEntries(
          Object.entries(expected.cells).map(([code, cell]) => [code, normalise(cell)]),
        );
        expect(read).toEqual(truth);
        // Only the genuinely ambiguous cells are gaps; nothing else is missing.
        expect(report.gaps.map((g) => g.code).filter((c) => c !== 'UNREADABLE_CELL')).toEqual([]);
      });
    }
  }
});
