/** Variants of the fixture reports with some printed figures changed, for rule tests. */
import { parseReportText } from '../../src/ingest/parse-report.ts';
import type { ParsedReport } from '../../src/ingest/types.ts';
import { checkReport, figuresOf } from '../../src/validation/check.ts';
import { EXAMPLE_V2021, fixtureText, REAL_V2019 } from '../support/fixtures.ts';

export const v2019 = () => fixtureText(REAL_V2019);
export const v2021 = () => fixtureText(EXAMPLE_V2021);

const isFigure = (cell: string) => /^(?:\d+(?:\.\d+)?|\/)$/.test(cell.trim());

/**
 * Replaces the printed figures of the one table line containing `label`, in order.
 * `null` keeps a figure. Throws unless exactly one line matches, so a typo fails the test.
 */
export function setFigures(
  text: string,
  label: string,
  figures: readonly (string | number | null)[],
): string {
  const lines = text.split('\n');
  const matches = lines.flatMap((line, i) => (line.includes('\t') && line.includes(label) ? [i] : []));
  if (matches.length !== 1 || matches[0] === undefined) {
    throw new Error(`Expected one table line with "${label}", found ${matches.length}`);
  }
  const index = matches[0];
  const cells = (lines[index] ?? '').split('\t');
  let next = 0;
  const changed = cells.map((cell) => {
    if (!isFigure(cell) || next >= figures.length) return cell;
    const replacement = figures[next++];
    return replacement === null || replacement === undefined ? cell : String(replacement);
  });
  if (next !== figures.length) throw new Error(`"${label}" has only ${next} figures`);
  lines[index] = changed.join('\t');
  return lines.join('\n');
}

/** The table-4 line: fifteen figures and nothing else. */
export function setTable4(text: string, figures: readonly number[]): string {
  const lines = text.split('\n');
  const index = lines.findIndex((l) => /^\d+(\t\d+){14}\s*$/.test(l));
  if (index < 0) throw new Error('No table-4 figure line');
  lines[index] = figures.join('\t');
  return lines.join('\n');
}

/** Replaces text that must occur exactly once. */
export function replaceOnce(text: string, from: string, to: string): string {
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`Expected "${from}" once, found ${count} times`);
  return text.replace(from, to);
}

export function parsed(text: string): ParsedReport {
  const result = parseReportText(text);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.report;
}

export function check(text: string) {
  const report = parsed(text);
  return checkReport({
    templateVersion: report.templateVersion,
    year: report.year,
    figures: figuresOf(report.cells),
    narrative: report.narrative,
  });
}

/** The fields a test asserts exactly. */
export const brief = (f: {
  ruleId: string;
  severity: string;
  status: string;
  scope: string;
  expected: string | null;
  actual: string | null;
  difference: string | null;
}) => ({
  ruleId: f.ruleId,
  severity: f.severity,
  status: f.status,
  scope: f.scope,
  expected: f.expected,
  actual: f.actual,
  difference: f.difference,
});

/** The V2021 fixture as another year's report: its title and the statistics period it states. */
export const v2021Of = (year: number, text = v2021()) =>
  replaceOnce(
    replaceOnce(text, '2022年政府信息公开工作年度报告', `${year}年政府信息公开工作年度报告`),
    '统计期限为 2022 年',
    `统计期限为 ${year} 年`,
  );

/** A V2021 report for 2021 whose carried-forward figures match the fixture's 2022 carried-over ones. */
export function v2021For2021(): string {
  let text = v2021Of(2021);
  text = setFigures(text, '一、本年新收政府信息公开申请数量', [42, null, null, null, null, null, 50]);
  return setFigures(text, '四、结转下年度继续办理', [3, null, null, null, null, null, 4]);
}

/** The V2019 sample as another year's report: its title and the statistics period it states. */
export const v2019Of = (year: number, text = v2019()) =>
  replaceOnce(
    replaceOnce(text, '2020 年政府信息公开工作年度报告', `${year} 年政府信息公开工作年度报告`),
    '统计期限为 2020 年',
    `统计期限为 ${year} 年`,
  );
