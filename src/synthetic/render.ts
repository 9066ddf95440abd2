/**
 * Renders synthetic figures as a report text file in the layout of published reports
 * (tab-separated tables, as in test/fixtures/reports), every label taken from the catalogue,
 * so that generated data goes through the same parser as real reports.
 */

import {
  APPLICANT_COLUMNS,
  SECTIONS,
  TABLE2_BLOCKS,
  TABLE2_HEADER_FIRST_CELL,
  TABLE3_GROUPS,
  TABLE3_OUTCOMES_LABEL,
  TABLE3_ROWS,
  TABLE4_PROCEEDINGS,
  TABLE4_RESULTS,
  type TemplateVersion,
} from '../catalogue/template.ts';
import { SYNTHETIC_MARK } from '../ingest/metadata.ts';
import type { SyntheticAgency } from './agencies.ts';
import type { PrintedFigures } from './figures.ts';

const NOTICE: Record<TemplateVersion, string> = {
  V2019:
    '《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》(国办公开办函〔2019〕60 号)',
  V2021:
    '《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》(国办公开办函〔2021〕30 号)',
};

function table2(version: TemplateVersion, figures: PrintedFigures): string[] {
  const lines: string[] = [];
  for (const block of TABLE2_BLOCKS.filter((b) => b.versions.includes(version))) {
    const columns = block.columns.filter((c) => c.versions.includes(version));
    const rows = block.rows.filter((r) => r.versions.includes(version));
    lines.push(`第二十条第${block.item}项${'\t'.repeat(columns.length)}`);
    lines.push([TABLE2_HEADER_FIRST_CELL, ...columns.map((c) => c.zh)].join('\t'));
    for (const row of rows) {
      lines.push([row.zh, ...columns.map((c) => figures.get(`T2.${row.code}.${c.code}`) ?? '')].join('\t'));
    }
  }
  return lines;
}

function table3(version: TemplateVersion, figures: PrintedFigures): string[] {
  const applicants = APPLICANT_COLUMNS.filter((c) => !c.isTotal);
  const organisations = applicants.filter((c) => c.organisation);
  const total = APPLICANT_COLUMNS.find((c) => c.isTotal)?.zh ?? '总计';
  const lines = [
    `(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t申请人情况${'\t'.repeat(applicants.length)}${total}\t`,
    `\t\t${applicants
      .filter((c) => !c.organisation)
      .map((c) => c.zh)
      .join('\t')}\t法人或其他组织${'\t'.repeat(organisations.length + 1)}`,
    `\t\t\t${organisations.map((c) => c.zh).join('\t')}\t\t`,
  ];
  const values = (row: string) =>
    APPLICANT_COLUMNS.map((c) => figures.get(`T3.${row}.${c.code}`) ?? '').join('\t');
  let outcomesStarted = false;
  let group: string | undefined;
  for (const row of TABLE3_ROWS.filter((r) => r.versions.includes(version))) {
    if (!row.outcome) {
      lines.push(`${row.ordinal}、${row.zh}\t\t${values(row.code)}\t`);
      continue;
    }
    const head = outcomesStarted ? '' : `三、${TABLE3_OUTCOMES_LABEL.zh}`;
    outcomesStarted = true;
    const rowGroup = TABLE3_GROUPS.find((g) => g.code === row.group && g.versions.includes(version));
    if (!rowGroup || !row.group) {
      lines.push(`${head}\t${row.ordinal}${row.zh}\t${values(row.code)}\t`);
      group = undefined;
      continue;
    }
    const groupCell = group === row.group ? '' : `${rowGroup.ordinal}${rowGroup.zh}`;
    group = row.group;
    lines.push(`${head}\t${groupCell}\t${row.ordinal}.${row.zh}\t${values(row.code)}`);
  }
  return lines;
}

function table4(figures: PrintedFigures): string[] {
  const results = TABLE4_RESULTS.map((r) => r.zh);
  const [review, direct, afterReview] = TABLE4_PROCEEDINGS;
  const pad = '\t'.repeat(results.length - 1);
  return [
    `${review?.zh}${pad}\t行政诉讼${pad}${pad}`,
    `${results.join('\t')}\t${direct?.zh}${pad}\t${afterReview?.zh}${pad}`,
    `${pad}\t${results.join('\t')}\t${results.join('\t')}`,
    TABLE4_PROCEEDINGS.flatMap((p) =>
      TABLE4_RESULTS.map((r) => figures.get(`T4.${p.code}.${r.code}`) ?? ''),
    ).join('\t'),
  ];
}

const heading = (number: number) => {
  const section = SECTIONS.find((s) => s.number === number);
  return `${section?.ordinal}、${section?.zh}`;
};

/** The full text of one synthetic report. */
export function renderReport(
  agency: SyntheticAgency,
  year: number,
  version: TemplateVersion,
  figures: PrintedFigures,
): string {
  const newRequests = figures.get('T3.NEW_REQUESTS.TOTAL') ?? '0';
  const handled = figures.get('T3.OUTCOMES_TOTAL.TOTAL') ?? '0';
  const sections = version === 'V2021' ? 6 : 5;
  const lines = [
    '',
    agency.name,
    '',
    `${year}年政府信息公开工作年度报告`,
    '',
    `${SYNTHETIC_MARK}根据《中华人民共和国政府信息公开条例》和${NOTICE[version]}要求，编制本报告。所列数据统计期限为 ${year} 年 1 月 1 日至 12 月 31 日。如有疑问，请与${agency.name}办公室联系(电话:010-12345678)。`,
    '',
    heading(1),
    '',
    `${year} 年，本机关依法做好政府信息公开工作。全年收到政府信息公开申请 ${newRequests} 件，办结 ${handled} 件。`,
    '',
    heading(2),
    '',
    ...table2(version, figures),
    '',
    heading(3),
    '',
    ...table3(version, figures),
    '',
    heading(4),
    '',
    ...table4(figures),
    '',
    heading(5),
    '',
    '政务公开工作人员多为兼职，业务能力有待提高。下一步将加强业务培训，规范依申请公开办理流程。',
  ];
  if (sections === 6) lines.push('', heading(6), '', '本年度未收取信息处理费。');
  lines.push('', agency.name, '', `${year + 1}年1月${10 + (year % 18)}日`, '');
  return lines.join('\n');
}
