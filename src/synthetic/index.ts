/**
 * Deterministic synthetic dataset: agencies from the real division list, reports for a
 * range of years in the template version of each year, as published-style text.
 * Everything generated is marked synthetic when stored (agency.synthetic).
 */
import type { RuleId } from '../catalogue/identities.ts';
import type { TemplateVersion } from '../catalogue/template.ts';
import { type AgencySelection, type SyntheticAgency, syntheticAgencies } from './agencies.ts';
import { type PrintedFigures, syntheticYears } from './figures.ts';
import { renderReport } from './render.ts';

export type { SyntheticAgency } from './agencies.ts';
export { syntheticAgencies, syntheticAgencyPool } from './agencies.ts';
export { syntheticYears, versionOfYear } from './figures.ts';
export { renderReport } from './render.ts';

export interface SyntheticOptions {
  agencies: number;
  /** Inclusive range of report years. */
  years: { from: number; to: number };
  seed: number;
  /** Share of reports (0–1) given one deliberate inconsistency for the audit rules. */
  inconsistencyRate: number;
  /** Agencies drawn before any other (see syntheticAgencies). */
  include?: AgencySelection['include'];
  /** Deliberate errors some reports must have, on top of the drawn ones (see syntheticYears). */
  inject?: (agency: SyntheticAgency, year: number) => RuleId | null;
}

export interface SyntheticReport {
  agency: SyntheticAgency;
  year: number;
  templateVersion: TemplateVersion;
  figures: PrintedFigures;
  injected: RuleId | null;
  fileName: string;
  text: string;
}

export { DEFAULT_SYNTHETIC } from './defaults.ts';

/** Reports agency by agency, years in order. Same options, same reports, byte for byte. */
export function* syntheticReports(options: SyntheticOptions): Generator<SyntheticReport> {
  const years: number[] = [];
  for (let y = options.years.from; y <= options.years.to; y++) years.push(y);
  const agencies = syntheticAgencies(options.agencies, options.seed, { include: options.include });
  for (const [index, agency] of agencies.entries()) {
    for (const y of syntheticYears(agency, years, options)) {
      yield {
        agency,
        ...y,
        fileName: `${String(index + 1).padStart(5, '0')}-${agency.regionCode}-${y.year}.txt`,
        text: renderReport(agency, y.year, y.templateVersion, y.figures),
      };
    }
  }
}
