/**
 * The demo dataset `serve --demo` loads: synthetic agencies (200 by default) with reports
 * 2019–2024 that always include what the README's example queries ask about, so that every
 * example answers on a fresh server:
 *
 * - every agency the generator has in 中卫市 (640500): the city's own departments and people's
 *   government, and those of its counties 沙坡头区, 中宁县 and 海原县 (series, findings);
 * - the people's government of every county of 宁夏 (640000) (ranking);
 * - in 2022, a few county departments of 中卫市 whose table 3 does not add up (findings).
 *
 * The rest is drawn with the seed from the whole country, as `generate` does. Everything is
 * generated and stored as synthetic; none of it is published data.
 */
import type { RuleId } from '../catalogue/identities.ts';
import { isInRegion } from '../catalogue/regions.ts';
import { type SyntheticAgency, type SyntheticAgencyBase, syntheticAgencyPool } from './agencies.ts';
import { DEFAULT_SYNTHETIC, type SyntheticOptions } from './index.ts';

const ZHONGWEI = '640500';
const NINGXIA = '640000';

/** Agencies the README's examples name, drawn into the demo before any other. */
export const isDemoFocus = (agency: SyntheticAgencyBase): boolean =>
  isInRegion(agency.regionCode, ZHONGWEI) ||
  (isInRegion(agency.regionCode, NINGXIA) && agency.level === 'COUNTY' && agency.kind === 'GOVERNMENT');

/**
 * Reports of the demo that break a table-3 identity on purpose (the findings example asks for
 * 中卫市's county departments in 2022), by county code and department.
 */
export const DEMO_INCONSISTENCIES: readonly {
  regionCode: string;
  department: string;
  year: number;
  rule: RuleId;
}[] = [
  { regionCode: '640502', department: '教育局', year: 2022, rule: 'T3_BALANCE' },
  { regionCode: '640521', department: '公安局', year: 2022, rule: 'T3_OUTCOMES_SUM' },
  { regionCode: '640521', department: '自然资源局', year: 2022, rule: 'T3_BALANCE' },
  { regionCode: '640522', department: '市场监督管理局', year: 2022, rule: 'T3_TOTAL_COLUMN' },
];

const demoInjection = (agency: SyntheticAgency, year: number): RuleId | null =>
  DEMO_INCONSISTENCIES.find(
    (x) => x.regionCode === agency.regionCode && x.department === agency.department && x.year === year,
  )?.rule ?? null;

/** The agencies `isDemoFocus` selects, in region-code order. */
export const demoFocusAgencies = (): SyntheticAgencyBase[] => syntheticAgencyPool().filter(isDemoFocus);

/**
 * Options for a demo of `agencies` agencies: the focus agencies first (a seeded subset of
 * them when fewer are asked for), then others drawn with the seed.
 */
export function demoOptions(agencies: number = DEFAULT_SYNTHETIC.agencies): SyntheticOptions {
  return { ...DEFAULT_SYNTHETIC, agencies, include: isDemoFocus, inject: demoInjection };
}
