import { describe, expect, it } from 'vitest';
import { directReport } from '../../src/synthetic/direct.ts';
import { syntheticReports } from '../../src/synthetic/index.ts';
import { Random } from '../../src/synthetic/random.ts';
import { checkReport, figuresOf } from '../../src/validation/check.ts';

/** Printed forms a cell may take in a real report, beyond the generator's whole numbers. */
const VARIANTS: {
  status: 'REPORTED' | 'NOT_REPORTED' | 'UNREADABLE' | 'MISSING';
  value: string | null;
  raw: string;
}[] = [
  { status: 'NOT_REPORTED', value: null, raw: '' },
  { status: 'NOT_REPORTED', value: null, raw: '/' },
  { status: 'UNREADABLE', value: null, raw: '1O' },
  { status: 'MISSING', value: null, raw: '' },
  { status: 'REPORTED', value: '12.5', raw: '12.5' },
  { status: 'REPORTED', value: '0.00000001', raw: '0.00000001' },
  { status: 'REPORTED', value: '123456789012345', raw: '123456789012345' },
  { status: 'REPORTED', value: '9999999999999', raw: '9999999999999' },
  { status: 'REPORTED', value: '-3', raw: '-3' },
  { status: 'REPORTED', value: '0', raw: '0' },
];

describe('checkReport skips identities that cannot have a finding', () => {
  it('gives the same findings as checking every identity in full, on generated reports with blanks, "/", decimals and huge numbers', () => {
    const random = new Random(7);
    let reports = 0;
    let findings = 0;
    for (const generated of syntheticReports({
      agencies: 60,
      years: { from: 2019, to: 2024 },
      seed: 3,
      inconsistencyRate: 0.3,
    })) {
      const report = directReport(generated);
      // Half the reports keep the generator's figures; the rest get up to six odd cells.
      const cells = report.cells.map((cell) => ({ ...cell }));
      if (random.chance(0.5)) {
        for (let k = random.int(1, 6); k > 0; k--) {
          const cell = cells[random.int(0, cells.length - 1)];
          const variant = VARIANTS[random.int(0, VARIANTS.length - 1)];
          if (!cell || !variant) continue;
          Object.assign(cell, { status: variant.status, value: variant.value, rawText: variant.raw });
        }
      }
      const underCheck = {
        templateVersion: report.templateVersion,
        year: report.year,
        figures: figuresOf(cells),
        narrative: report.narrative,
      };
      const full = checkReport(underCheck, { shortcut: false });
      expect(checkReport(underCheck)).toEqual(full);
      reports++;
      findings += full.length;
    }
    expect(reports).toBe(360);
    // The comparison means something only if the full check found plenty.
    expect(findings).toBeGreaterThan(300);
  });
});
