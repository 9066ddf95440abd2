/**
 * Table 4 printed as a row per proceeding in text whose cells are not separated (a PDF's text
 * layer), under a header of results wrapped over two lines, as a narrow header is printed:
 * 结果 结果 其他 尚未 / 维持 纠正 结果 审结 总计. It was refused, its figures taken for a row of
 * fifteen, though the columns read down spell the template's results in order. Read now, where
 * they do; a wrapped header in another order is still refused.
 */
import { describe, expect, it } from 'vitest';
import { parseReportText } from '../../src/ingest/parse-report.ts';
import type { ParseResult } from '../../src/ingest/types.ts';
import { EXAMPLE_V2021, fixtureText } from '../support/fixtures.ts';

const example = fixtureText(EXAMPLE_V2021);
const T4_TEXT = example.slice(
  example.indexOf('行政复议\t\t\t\t\t行政诉讼'),
  example.indexOf('\n', example.indexOf('2\t1\t0\t1\t4\t1\t0\t0\t1\t2')),
);
const spaced = example.replaceAll('\t', ' ');
const read = (...lines: string[]) =>
  parseReportText(spaced.replace(T4_TEXT.replaceAll('\t', ' '), lines.join('\n')));
const t4 = (result: ParseResult) => {
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.report.cells.filter((c) => c.code.startsWith('T4.')).map((c) => c.value);
};
const ROWS = ['行政复议 2 1 0 1 4', '行政诉讼 未经复议直接起诉 1 0 0 1 2', '复议后起诉 0 1 0 0 1'];
const FIGURES = ['2', '1', '0', '1', '4', '1', '0', '0', '1', '2', '0', '1', '0', '0', '1'];

describe('table 4 as a row per proceeding under a wrapped header of results', () => {
  it('the sample table holds these figures', () => {
    expect(t4(parseReportText(example))).toEqual(FIGURES);
  });

  it.each([
    [['结果 结果 其他 尚未', '维持 纠正 结果 审结 总计']],
    [['结果 结果 其他 尚未 总计', '维持 纠正 结果 审结']],
  ])('%j: every figure read in its column', (header) => {
    expect(t4(read(...header, ...ROWS))).toEqual(FIGURES);
  });

  it('a wrapped header whose columns read in another order is still refused', () => {
    expect(read('结果 结果 尚未 其他', '纠正 维持 审结 结果 总计', ...ROWS).ok).toBe(false);
  });
});
