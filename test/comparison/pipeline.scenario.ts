/**
 * The facts-pipeline scenario: four agencies of 中卫市 (640500), small enough to check by
 * hand. T3_GRANTED and DISCLOSURE_RATE ((予以公开 + 部分公开) / （七）总计) per report:
 *
 *   agency (kind, region)              2021          2022
 *   中卫市中宁县人民政府 (GOV, 640521)     —             1 / 0.25 (1 of 4)
 *   中卫市教育局 (DEPT, 640500)           —             6 / 1    (6 of 6)
 *   中卫市沙坡头区人民政府 (GOV, 640502)   3 / 0.75      6 / 0.8  (8 of 10)
 *   中卫市海原县人民政府 (GOV, 640522)     —             NOT_REPORTED (予以公开 printed as "/")
 *
 * Names sort in code-point order as listed (中 < 教 < 沙 < 海). 2022 pooled over the three
 * with figures: T3_GRANTED 13, DISCLOSURE_RATE 15 / 20 = 0.75.
 */
import type { Db } from '../../src/store/db.ts';
import { loadRegions } from '../../src/store/regions.ts';
import { resetDatabase } from '../support/db.ts';
import { type ReportSeed, seedReport } from './seed.ts';

export const ZHONGNING = '中卫市中宁县人民政府';
export const EDUCATION = '中卫市教育局';
export const SHAPOTOU = '中卫市沙坡头区人民政府';
export const HAIYUAN = '中卫市海原县人民政府';

export const PIPELINE_SCENARIO: readonly ReportSeed[] = [
  { agency: ZHONGNING, year: 2022, version: 'V2021', outcomes: { GRANTED: 1, CANNOT_PROVIDE_NOT_HELD: 3 } },
  { agency: EDUCATION, year: 2022, version: 'V2021', outcomes: { GRANTED: 6 } },
  { agency: SHAPOTOU, year: 2021, version: 'V2021', outcomes: { GRANTED: 3, CANNOT_PROVIDE_NOT_HELD: 1 } },
  {
    agency: SHAPOTOU,
    year: 2022,
    version: 'V2021',
    outcomes: { GRANTED: 6, PARTLY_GRANTED: 2, CANNOT_PROVIDE_NOT_HELD: 2 },
  },
  {
    agency: HAIYUAN,
    year: 2022,
    version: 'V2021',
    outcomes: { GRANTED: 'NOT_REPORTED', CANNOT_PROVIDE_NOT_HELD: 2 },
  },
];

/** An empty database with the regions (no townships) and the scenario's reports. */
export async function seedPipelineScenario(db: Db): Promise<void> {
  await resetDatabase(db);
  await loadRegions(db, { townships: false });
  for (const seed of PIPELINE_SCENARIO) await seedReport(db, seed);
}
