/**
 * Which links of a 政府信息公开年报 column collect takes for reports: the titles agencies give
 * their annual report, not the column's other documents. Titles of reports that were passed
 * over without a word (2020年度信息公开年度报告, 2021年政务公开工作年度报告) are among them.
 */
import { describe, expect, it } from 'vitest';
import { isReportTitle } from '../../src/collect/page.ts';

describe('a report link’s title', () => {
  it.each([
    '2023年政府信息公开工作年度报告（PDF版）',
    '中卫市科学技术局2022年政府信息公开工作年度报告',
    '2022年政府信息公开年报',
    '2020年度信息公开年度报告',
    '中卫市科学技术局2020年信息公开工作年度报告',
    '2021年政务公开工作年度报告',
    '2020年政务信息公开工作年度报告',
    '2022年度政府信息公开工作报告',
  ])('%s is a report', (title) => {
    expect(isReportTitle(title)).toBe(true);
  });

  it.each([
    '2020年政府信息公开工作要点',
    '关于印发2021年政务公开工作要点的通知',
    '2020年政府信息公开指南',
    '政府信息公开工作年度报告',
    '2023年上半年政府信息公开工作报告',
    '2023年第一季度信息公开工作报告',
  ])('%s is not (another document, a part of the year, or no year)', (title) => {
    expect(isReportTitle(title)).toBe(false);
  });
});
