import { describe, expect, it } from 'vitest';
import { parseReportText } from '../../src/ingest/parse-report.ts';
import { syntheticAgencies, syntheticReports } from '../../src/synthetic/index.ts';
import { checkCarryOver, checkReport, figuresOf } from '../../src/validation/check.ts';

const options = { agencies: 12, years: { from: 2019, to: 2024 }, seed: 42, inconsistencyRate: 0 };

describe('synthetic dataset', () => {
  it('is deterministic from the seed', () => {
    const a = [...syntheticReports(options)].map((r) => r.text);
    const b = [...syntheticReports(options)].map((r) => r.text);
    const c = [...syntheticReports({ ...options, seed: 43 })].map((r) => r.text);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toHaveLength(12 * 6);
  });

  it('draws real divisions and department names', () => {
    const agencies = syntheticAgencies(300, 1);
    expect(new Set(agencies.map((a) => a.name)).size).toBe(300);
    for (const agency of agencies) {
      expect(agency.regionCode).toMatch(/^\d{6}$/);
      expect(agency.name).toMatch(/(人民政府|厅|局|委员会)$/);
    }
    expect(agencies.some((a) => a.kind === 'GOVERNMENT')).toBe(true);
    expect(new Set(agencies.map((a) => a.level))).toEqual(new Set(['PROVINCE', 'CITY', 'COUNTY']));
  });

  it('renders reports the parser reads back exactly, consistent and chained across years', () => {
    const byAgency = new Map<string, ReturnType<typeof figuresOf>>();
    for (const report of syntheticReports(options)) {
      const parsed = parseReportText(report.text);
      if (!parsed.ok) throw new Error(parsed.problems[0]?.message);
      expect(parsed.report.templateVersion).toBe(report.year <= 2020 ? 'V2019' : 'V2021');
      expect(parsed.report.agencyName).toBe(report.agency.name);
      expect(parsed.report.gaps).toEqual([]);
      for (const cell of parsed.report.cells) expect(cell.rawText).toBe(report.figures.get(cell.code));
      const figures = figuresOf(parsed.report.cells);
      const own = checkReport({
        templateVersion: parsed.report.templateVersion,
        year: report.year,
        figures,
        narrative: parsed.report.narrative,
      });
      expect(own).toEqual([]);
      const previous = byAgency.get(report.agency.name);
      if (previous) {
        expect(
          checkCarryOver({ year: report.year, figures }, { year: report.year - 1, figures: previous }),
        ).toEqual([]);
      }
      byAgency.set(report.agency.name, figures);
    }
  });

  it('has heavy-tailed request counts', () => {
    const totals = [...syntheticReports({ ...options, agencies: 400, years: { from: 2022, to: 2022 } })].map(
      (r) => Number(r.figures.get('T3.NEW_REQUESTS.TOTAL')),
    );
    totals.sort((a, b) => a - b);
    const median = totals[Math.floor(totals.length / 2)] ?? 0;
    expect(totals.at(-1) ?? 0).toBeGreaterThan(10 * Math.max(1, median));
  });

  it('breaks the injected rule in every report when the inconsistency rate is 1', () => {
    const previous = new Map<string, ReturnType<typeof figuresOf>>();
    let injected = 0;
    for (const report of syntheticReports({ ...options, inconsistencyRate: 1 })) {
      const figures = figuresOf(
        [...report.figures].map(([code, text]) => ({
          code,
          status: 'REPORTED' as const,
          value: text.replace('+', ''),
        })),
      );
      const last = previous.get(report.agency.name);
      const findings = [
        ...checkReport({
          templateVersion: report.templateVersion,
          year: report.year,
          figures,
          narrative: [],
        }),
        ...(last
          ? checkCarryOver({ year: report.year, figures }, { year: report.year - 1, figures: last })
          : []),
      ];
      expect(report.injected).not.toBeNull();
      expect(findings.map((f) => f.ruleId)).toContain(report.injected);
      injected++;
      previous.set(report.agency.name, figures);
    }
    expect(injected).toBe(72);
  });
});
