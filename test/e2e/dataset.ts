/**
 * The dashboard's end-to-end data: the two real fixtures, imported as they are, plus edited
 * copies of them with figures small enough to check by hand. Every copy goes through the
 * real import (parse, store, findings), so the report page shows real provenance.
 *
 * Expected figures (总计 column):
 *   中卫市科学技术局 2019 (copy of V2019): 新收 10; 予以公开 6, 部分公开 2, 国家秘密 1, 不掌握 1 → 总计 10;
 *     行政复议 维持 1 纠正 1 → 总计 2; 予以公开's 商业企业 cell printed blank, so the identities
 *     through it cannot be checked (INFO findings of ERROR rules, never counted as errors).
 *   中卫市科学技术局 2020 (the real fixture): all 0.
 *   中卫市教育局 2019 (copy of V2019): 新收 20; 予以公开 10, 部分公开 5, 不掌握 5 → 20.
 *   中卫市教育局 2020 (copy of V2019): 新收 40; 予以公开 20, 部分公开 10, 第三方 4, 其他处理 6 → 40;
 *     行政复议 维持 2 but 总计 printed 3 → one T4_TOTAL error finding.
 *   Each 2020 report of 中卫市 also has a T2_ITEMS_CARRY_OVER warning: its 2019 copy repeats the
 *     2020 table 2, so 上一年项目数量 does not follow on.
 *   宁夏回族自治区中卫市沙坡头区卫生健康局 2022 (the real V2021 example): 新收 49, 予以公开 24, 部分公开 6,
 *     总计 50; 行政复议 总计 4.
 *   中卫市沙坡头区人民政府 2022 (copy of V2021, marked synthetic): 新收 5, 予以公开 5 → 5.
 *   北京市海淀区人民政府 2022 (copy of V2021, outside 宁夏): 新收 100, 予以公开 50, 不掌握 50 → 100;
 *     行政事业性收费 24252.311082 万元 (the other V2021 copies keep the example's 12.35).
 * So 中卫市 (640500) received 30 in 2019, 40 in 2020 and 54 in 2022; the 2022 disclosure-rate
 * ranking is 沙坡头区人民政府 100%, 卫生健康局 60%, 海淀区 50%.
 *   Twelve 北京市海淀区 bodies, 2023 only (copies of V2021, HAIDIAN_2023): 新收 = 予以公开 = 总计 = 10, 20 … 120,
 *     the last the largest; more agencies than the compare view shows by default, one with a long name.
 */

import { importReport } from '../../src/import/index.ts';
import type { Db } from '../../src/store/db.ts';
import { loadRegions } from '../../src/store/regions.ts';
import { resetDatabase } from '../support/db.ts';
import { EXAMPLE_V2021, fixtureText, REAL_V2019 } from '../support/fixtures.ts';

export const SCIENCE = '中卫市科学技术局';
export const EDUCATION = '中卫市教育局';
export const HEALTH = '宁夏回族自治区中卫市沙坡头区卫生健康局';
export const SHAPOTOU_GOV = '中卫市沙坡头区人民政府';
export const HAIDIAN_GOV = '北京市海淀区人民政府';

/** Substrings that pick each table-3 row out of the fixture text. */
const ROW_LABELS: Record<string, string> = {
  NEW_REQUESTS: '一、本年新收',
  CARRIED_OVER: '二、上年结转',
  GRANTED: '予以公开',
  PARTLY_GRANTED: '部分公开',
  REFUSED_STATE_SECRET: '属于国家秘密',
  REFUSED_THIRD_PARTY: '保护第三方合法权益',
  CANNOT_PROVIDE_NOT_HELD: '本机关不掌握',
  OTHER_HANDLING: '(六) 其他处理',
  OUTCOMES_TOTAL: '(七) 总计',
  CARRIED_FORWARD: '四、结转下年度',
};

interface Edit {
  from: string;
  agency: string;
  year: number;
  /** Table-3 rows by row code: the 自然人 and 总计 figures; every other table-3 figure becomes 0. */
  rows: Record<string, number | { naturalPerson: number; total: number }>;
  /** Table 4: 行政复议 维持, 纠正, 其他, 未审结, 总计; lawsuits stay 0. */
  review?: [number, number, number, number, number];
  /** Table 2's 本年收费金额 (万元) as printed, instead of the V2021 example's 12.35. */
  fees?: string;
  /** A table-3 row whose 商业企业 cell is printed blank (not 0): its identities cannot be checked. */
  blank?: string;
}

/** A copy of a fixture with another agency, year and figures. */
export function editedReport(edit: Edit): string {
  const original = edit.from === REAL_V2019 ? SCIENCE : HEALTH;
  const originalYear = edit.from === REAL_V2019 ? 2020 : 2022;
  return (
    fixtureText(edit.from)
      .replaceAll(original, edit.agency)
      .replaceAll(`${originalYear} 年`, `${edit.year} 年`)
      .replaceAll(`${originalYear}年`, `${edit.year}年`)
      .replace('行政事业性收费\t12.35', `行政事业性收费\t${edit.fees ?? '12.35'}`)
      .replace('我局未收到任何形式的申请公开信息要求', '我局按时办理了收到的申请')
      // A government's report does not call its writer 我局: the parser refuses that as another
      // writer's report under the government's name (AGENCY_CONFLICT).
      .replaceAll('我局', edit.agency.endsWith('局') ? '我局' : '本机关')
      .split('\n')
      .map((line) => {
        const fields = line.replace(/\t+$/, '').split('\t');
        const numbers = fields.filter((f) => /^[+-]?\d+(\.\d+)?$/.test(f)).length;
        if (numbers === 15 && fields.length === 15) {
          const review = edit.review ?? [0, 0, 0, 0, 0];
          return [...review, ...Array(10).fill(0)].join('\t');
        }
        if (numbers < 7 || !/^\d+$/.test(fields.at(-1) ?? '')) return line;
        const code = Object.keys(ROW_LABELS).find((c) => line.includes(ROW_LABELS[c] as string));
        const given = code ? edit.rows[code] : undefined;
        const figure = typeof given === 'number' ? { naturalPerson: given, total: given } : given;
        const labels = fields.slice(0, fields.length - 7);
        const business = code !== undefined && code === edit.blank ? '' : 0;
        return [...labels, figure?.naturalPerson ?? 0, business, 0, 0, 0, 0, figure?.total ?? 0].join('\t');
      })
      .join('\n')
  );
}

/** Twelve bodies of 海淀区 with a 2023 report each, receiving 10, 20 … 120 requests in that order. */
export const HAIDIAN_2023 = [
  '民政局',
  '司法局',
  '财政局',
  '商务局',
  '审计局',
  '统计局',
  '教育委员会',
  '科学技术委员会',
  '文化和旅游局',
  '生态环境局',
  '卫生健康委员会',
  '城市管理综合行政执法监察局',
].map((body, i) => ({ agency: `北京市海淀区${body}`, requests: 10 * (i + 1) }));

export const EDITS: readonly Edit[] = [
  {
    from: REAL_V2019,
    agency: SCIENCE,
    year: 2019,
    rows: {
      NEW_REQUESTS: 10,
      GRANTED: 6,
      PARTLY_GRANTED: 2,
      REFUSED_STATE_SECRET: 1,
      CANNOT_PROVIDE_NOT_HELD: 1,
      OUTCOMES_TOTAL: 10,
    },
    review: [1, 1, 0, 0, 2],
    blank: 'GRANTED',
  },
  {
    from: REAL_V2019,
    agency: EDUCATION,
    year: 2019,
    rows: {
      NEW_REQUESTS: 20,
      GRANTED: 10,
      PARTLY_GRANTED: 5,
      CANNOT_PROVIDE_NOT_HELD: 5,
      OUTCOMES_TOTAL: 20,
    },
  },
  {
    from: REAL_V2019,
    agency: EDUCATION,
    year: 2020,
    rows: {
      NEW_REQUESTS: 40,
      GRANTED: 20,
      PARTLY_GRANTED: 10,
      REFUSED_THIRD_PARTY: 4,
      OTHER_HANDLING: 6,
      OUTCOMES_TOTAL: 40,
    },
    review: [2, 0, 0, 0, 3],
  },
  {
    from: EXAMPLE_V2021,
    agency: SHAPOTOU_GOV,
    year: 2022,
    rows: { NEW_REQUESTS: 5, GRANTED: 5, OUTCOMES_TOTAL: 5 },
  },
  {
    from: EXAMPLE_V2021,
    agency: HAIDIAN_GOV,
    year: 2022,
    rows: { NEW_REQUESTS: 100, GRANTED: 50, CANNOT_PROVIDE_NOT_HELD: 50, OUTCOMES_TOTAL: 100 },
    // More decimals than a default number format keeps (平潭 2021 prints 24252.311082).
    fees: '24252.311082',
  },
  ...HAIDIAN_2023.map(({ agency, requests }) => ({
    from: EXAMPLE_V2021,
    agency,
    year: 2023,
    rows: { NEW_REQUESTS: requests, GRANTED: requests, OUTCOMES_TOTAL: requests },
  })),
];

/** Empties the database, loads the regions, imports the fixtures and the edited copies. */
export async function seedDashboardData(db: Db) {
  await resetDatabase(db);
  await loadRegions(db);
  const sources = [
    { name: REAL_V2019, text: fixtureText(REAL_V2019) },
    { name: EXAMPLE_V2021, text: fixtureText(EXAMPLE_V2021) },
    ...EDITS.map((edit) => ({ name: `${edit.agency}-${edit.year}.txt`, text: editedReport(edit) })),
  ];
  for (const source of sources) {
    const result = await importReport(db, { bytes: Buffer.from(source.text), fileName: source.name });
    if (!result.ok) throw new Error(`${source.name}: ${JSON.stringify(result.problems.slice(0, 3))}`);
  }
  await db.$executeRaw`UPDATE agency SET synthetic = true WHERE name = ${SHAPOTOU_GOV}`;
}
