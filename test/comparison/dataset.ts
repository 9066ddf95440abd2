/**
 * The comparison tests' data: agencies of 宁夏 (640000) — 中卫市 640500 with its counties
 * 沙坡头区 640502, 中宁县 640521, 海原县 640522, and 银川市兴庆区 640104 — plus one outside
 * (北京市海淀区). Two reports are the real fixtures, imported; the others are seeded with
 * figures small enough to check by hand. Expected values are in the comments.
 */

import { importReport } from '../../src/import/index.ts';
import type { Db } from '../../src/store/db.ts';
import { loadRegions } from '../../src/store/regions.ts';
import { resetDatabase } from '../support/db.ts';
import { EXAMPLE_V2021, fixtureBytes, REAL_V2019 } from '../support/fixtures.ts';
import { type ReportSeed, seedReport } from './seed.ts';

export const SCIENCE = '中卫市科学技术局'; // CITY DEPARTMENT 640500
export const EDUCATION = '中卫市教育局'; // CITY DEPARTMENT 640500
export const CITY_GOV = '中卫市人民政府'; // CITY GOVERNMENT 640500
export const SHAPOTOU_GOV = '中卫市沙坡头区人民政府'; // COUNTY GOVERNMENT 640502
export const ZHONGNING_GOV = '中卫市中宁县人民政府'; // COUNTY GOVERNMENT 640521
export const HAIYUAN_GOV = '中卫市海原县人民政府'; // COUNTY GOVERNMENT 640522
export const XINGQING_GOV = '银川市兴庆区人民政府'; // COUNTY GOVERNMENT 640104
export const HEALTH = '宁夏回族自治区中卫市沙坡头区卫生健康局'; // COUNTY DEPARTMENT 640502 (real fixture, 2022)
export const WENCHANG_GOV = '中卫市沙坡头区文昌镇人民政府'; // TOWNSHIP GOVERNMENT 640502101
export const PROVINCE_GOV = '宁夏回族自治区人民政府'; // PROVINCE GOVERNMENT 640000
export const HAIDIAN_GOV = '北京市海淀区人民政府'; // COUNTY GOVERNMENT 110108, outside 宁夏

/** Review results (upheld, corrected, pending) → the five T4.REVIEW cells. */
const review = (upheld: number, corrected: number, pending: number) => ({
  'T4.REVIEW.UPHELD': upheld,
  'T4.REVIEW.CORRECTED': corrected,
  'T4.REVIEW.PENDING': pending,
  'T4.REVIEW.TOTAL': upheld + corrected + pending,
});

export const SEEDS: readonly ReportSeed[] = [
  // 中卫市科学技术局. Disclosure rate: 2019 0.5, 2020 0/0 (real fixture), 2021 0.5, 2022 0.9,
  // 2023 no report, 2024 NOT_REPORTED. Refusal rate 2019: 2/8.
  {
    agency: SCIENCE,
    year: 2019,
    version: 'V2019',
    outcomes: {
      GRANTED: 3,
      PARTLY_GRANTED: 1,
      REFUSED_THIRD_PARTY: 2,
      CANNOT_PROVIDE_NOT_HELD: 1,
      OTHER_HANDLING: 1,
    },
  },
  { agency: SCIENCE, year: 2021, version: 'V2021', outcomes: { GRANTED: 2, CANNOT_PROVIDE_NOT_HELD: 2 } },
  {
    agency: SCIENCE,
    year: 2022,
    version: 'V2021',
    outcomes: { GRANTED: 6, PARTLY_GRANTED: 3, REFUSED_STATE_SECRET: 1 },
    cells: { 'T2.FEES.AMOUNT': 2.5 },
  },
  {
    agency: SCIENCE,
    year: 2024,
    version: 'V2021',
    outcomes: { GRANTED: 'NOT_REPORTED', PARTLY_GRANTED: 1, CANNOT_PROVIDE_NOT_HELD: 4, OUTCOMES_TOTAL: 5 },
  },
  // 中卫市教育局. Disclosure rate: 2019 15/20, 2020 4/16, 2021 2/5, 2022 0/4, 2023 8/8, 2024 MISSING.
  // 其他处理 in all: 2020 (V2019 row) 3, 2021 (V2021 sub-rows 1 + 0 + 2) 3.
  {
    agency: EDUCATION,
    year: 2019,
    version: 'V2019',
    outcomes: { GRANTED: 10, PARTLY_GRANTED: 5, REFUSED_PROCESS_INFORMATION: 3, NOT_HANDLED_REPEATED: 2 },
    // 自然人 asked 18 of the 20; a commercial enterprise 2, both granted.
    cells: {
      'T3.GRANTED.NATURAL_PERSON': 8,
      'T3.OUTCOMES_TOTAL.NATURAL_PERSON': 18,
      'T3.NEW_REQUESTS.NATURAL_PERSON': 18,
      'T3.GRANTED.COMMERCIAL_ENTERPRISE': 2,
      'T3.OUTCOMES_TOTAL.COMMERCIAL_ENTERPRISE': 2,
      'T3.NEW_REQUESTS.COMMERCIAL_ENTERPRISE': 2,
    },
  },
  {
    agency: EDUCATION,
    year: 2020,
    version: 'V2019',
    outcomes: { GRANTED: 2, PARTLY_GRANTED: 2, CANNOT_PROVIDE_NOT_HELD: 9, OTHER_HANDLING: 3 },
    cells: { 'T2.LICENSING.DECISIONS': 40 },
  },
  {
    agency: EDUCATION,
    year: 2021,
    version: 'V2021',
    outcomes: { GRANTED: 1, PARTLY_GRANTED: 1, OTHER_NO_CORRECTION: 1, OTHER_OTHER: 2 },
    cells: { 'T2.LICENSING.DECISIONS': 50 },
  },
  {
    agency: EDUCATION,
    year: 2022,
    version: 'V2021',
    outcomes: { CANNOT_PROVIDE_NOT_HELD: 4 },
    // Backlog rate 1 / (5 + 0) = 0.2.
    requests: { NEW_REQUESTS: 5, CARRIED_FORWARD: 1 },
  },
  { agency: EDUCATION, year: 2023, version: 'V2021', outcomes: { GRANTED: 7, PARTLY_GRANTED: 1 } },
  {
    agency: EDUCATION,
    year: 2024,
    version: 'V2021',
    outcomes: { GRANTED: 'ABSENT', NOT_HANDLED_PETITION: 3, OUTCOMES_TOTAL: 3 },
  },
  // 2022, governments. Disclosure rate: city 20/25; 沙坡头区 8/10; 中宁县 3/4; 海原县 0/0;
  // 兴庆区 9/10; 文昌镇 1/1; province 50/100; 海淀区 1/2.
  // Review correction rate: 沙坡头区 1/4, 中宁县 2/8 (tie), 海原县 0/0, 兴庆区 3/5, 海淀区 5/5.
  { agency: CITY_GOV, year: 2022, version: 'V2021', outcomes: { GRANTED: 20, CANNOT_PROVIDE_NOT_HELD: 5 } },
  {
    agency: SHAPOTOU_GOV,
    year: 2022,
    version: 'V2021',
    outcomes: { GRANTED: 6, PARTLY_GRANTED: 2, REFUSED_THIRD_PARTY: 2 },
    cells: {
      ...review(2, 1, 1),
      // Lawsuits: direct 1 corrected of 2, after review 1 of 1 → litigation correction rate 2/3.
      'T4.LITIGATION_DIRECT.UPHELD': 1,
      'T4.LITIGATION_DIRECT.CORRECTED': 1,
      'T4.LITIGATION_DIRECT.TOTAL': 2,
      'T4.LITIGATION_AFTER_REVIEW.CORRECTED': 1,
      'T4.LITIGATION_AFTER_REVIEW.TOTAL': 1,
    },
  },
  {
    agency: ZHONGNING_GOV,
    year: 2022,
    version: 'V2021',
    outcomes: { GRANTED: 3, CANNOT_PROVIDE_NOT_HELD: 1 },
    cells: review(5, 2, 1),
  },
  { agency: HAIYUAN_GOV, year: 2022, version: 'V2021', outcomes: {} },
  {
    agency: XINGQING_GOV,
    year: 2022,
    version: 'V2021',
    outcomes: { GRANTED: 9, REFUSED_STATE_SECRET: 1 },
    cells: review(2, 3, 0),
  },
  { agency: WENCHANG_GOV, year: 2022, version: 'V2021', outcomes: { GRANTED: 1 } },
  {
    agency: PROVINCE_GOV,
    year: 2022,
    version: 'V2021',
    outcomes: { GRANTED: 50, CANNOT_PROVIDE_NOT_HELD: 50 },
  },
  {
    agency: HAIDIAN_GOV,
    year: 2022,
    version: 'V2021',
    outcomes: { GRANTED: 1, NOT_HANDLED_REPEATED: 1 },
    cells: review(0, 5, 0),
  },
];

/** Empties the database, loads the real region hierarchy, imports the two fixtures and seeds the rest. */
export async function seedComparisonData(db: Db) {
  await resetDatabase(db);
  await loadRegions(db);
  for (const seed of SEEDS.filter((s) => s.agency === SCIENCE && s.year < 2020)) await seedReport(db, seed);
  for (const name of [REAL_V2019, EXAMPLE_V2021]) {
    const result = await importReport(db, { bytes: fixtureBytes(name), fileName: name });
    if (!result.ok) throw new Error(`fixture ${name} did not import: ${JSON.stringify(result.problems)}`);
  }
  for (const seed of SEEDS.filter((s) => !(s.agency === SCIENCE && s.year < 2020)))
    await seedReport(db, seed);
}
