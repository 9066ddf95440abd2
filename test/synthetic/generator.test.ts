import { describe, expect, it } from 'vitest';
import { parseReportText } from '../../src/ingest/parse-report.ts';
import { DEMO_INCONSISTENCIES, demoFocusAgencies, demoOptions } from '../../src/synthetic/demo.ts';
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

  it('draws the included agencies first and the others as without them', () => {
    const include = (a: { regionCode: string }) => a.regionCode.startsWith('6405');
    const plain = syntheticAgencies(50, 7).map((a) => a.name);
    const withFocus = syntheticAgencies(50, 7, { include });
    const focus = withFocus.filter(include).map((a) => a.name);
    expect(focus.length).toBe(41);
    const others = withFocus.filter((a) => !include(a)).map((a) => a.name);
    // The others come first in the draw without `include`, so they are among its 50.
    expect(others).toHaveLength(50 - 41);
    for (const name of others) expect(plain).toContain(name);
    expect(syntheticAgencies(50, 7, { include }).map((a) => a.name)).toEqual(withFocus.map((a) => a.name));
    // Fewer asked for than are included: a seeded subset of them.
    const few = syntheticAgencies(5, 7, { include });
    expect(few.every(include)).toBe(true);
    expect(few).toHaveLength(5);
  });

  it('builds the demo around the README examples, with the forced inconsistencies', () => {
    const reports = [...syntheticReports(demoOptions())];
    expect(reports).toHaveLength(200 * 6);
    const names = new Set(reports.map((r) => r.agency.name));
    for (const agency of demoFocusAgencies()) expect(names.has(agency.name)).toBe(true);
    for (const x of DEMO_INCONSISTENCIES) {
      const report = reports.find(
        (r) =>
          r.agency.regionCode === x.regionCode && r.agency.department === x.department && r.year === x.year,
      );
      expect(report?.injected).toBe(x.rule);
    }
    // Forcing an error changes nothing else: the same agencies without it differ only in those reports.
    const unforced = [...syntheticReports({ ...demoOptions(), inject: undefined })];
    const differing = reports.filter((r, i) => r.text !== unforced[i]?.text);
    expect(differing.length).toBeLessThanOrEqual(DEMO_INCONSISTENCIES.length);
    expect(differing.every((r) => r.year === 2022 && r.agency.regionCode.startsWith('6405'))).toBe(true);
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
