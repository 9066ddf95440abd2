/**
 * A 备注 (remarks) column after table 3's 总计 holding 无 (nothing to remark) on a row whose
 * figures are all left blank. Before, the 无 was kept as a figure's mark, the row was one cell
 * too wide, and the report was refused (TOO_MANY_VALUES). Now the row reads as blanks, as a row
 * of blank cells does, and the 无 is said (UNKNOWN_COLUMN). Had the 无 been 总计's mark instead,
 * the same seven cells would be blank: no figure depends on which it is.
 */
import { describe, expect, it } from 'vitest';
import { APPLICANT_COLUMNS } from '../../src/catalogue/template.ts';
import {
  EXAMPLE_V2021,
  fixtureText,
  toHtmlTables,
  toPipeTables,
  toSingleSpaceText,
} from '../support/fixtures.ts';
import { figures, parsedText, refusals } from '../support/parse-results.ts';
import { withRemarks } from '../support/table3-layouts.ts';

const original = fixtureText(EXAMPLE_V2021);
const parse = parsedText;

const FORMS: [string, (text: string) => string][] = [
  ['tab text', (t) => t],
  ['pipe text', toPipeTables],
  ['HTML', toHtmlTables],
];
const CODES = APPLICANT_COLUMNS.map((c) => c.code);

describe('a 备注 column holding 无 on a row of blanks', () => {
  it.each(FORMS)('%s: the row reads as blanks, every other figure as printed', async (_, form) => {
    for (const [row, code] of [
      ['四、结转下年度继续办理', 'CARRIED_FORWARD'],
      ['二、上年结转政府信息公开申请数量', 'CARRIED_OVER'],
      ['8.属于行政查询事项', 'REFUSED_QUERY_MATTER'],
    ]) {
      const expected = { ...figures(await parse(form(withRemarks(original, '\u0000')))) };
      expect(Object.keys(expected).length).toBeGreaterThan(50);
      for (const c of CODES) expected[`T3.${code}.${c}`] = null;
      const result = await parse(form(withRemarks(original, row as string)));
      expect(refusals(result)).toEqual([]);
      expect(figures(result)).toEqual(expected);
      if (!result.ok) return;
      const blanks = result.report.cells.filter((c) => c.code.startsWith(`T3.${code}.`));
      expect(blanks.map((c) => c.status)).toEqual(CODES.map(() => 'NOT_REPORTED'));
      expect(result.report.warnings.map((w) => w.message)).toContainEqual(
        expect.stringContaining('column "备注" is not in the template; its text "无" is ignored'),
      );
    }
  });

  it('the rows with figures and a 无 remark read as without the column', async () => {
    expect(figures(await parse(withRemarks(original, '\u0000')))).toEqual(figures(await parse(original)));
  });

  it('a figure under 备注 on a row of blanks is still refused, never dropped', async () => {
    const text = withRemarks(original, '四、结转下年度继续办理', (row) =>
      row.startsWith('四、') ? '3' : '无',
    );
    const result = await parse(text);
    expect(figures(result)).toBeNull();
    expect(refusals(result).map((r) => r[0])).toContain('TOO_MANY_VALUES');
  });

  it("a row of blanks short of its columns, ending in 无, is not read as blanks: it lost a cell, and the 无 may be 总计's", async () => {
    // Six blank cells and 无 after the label: the 无 is not taken for the remark.
    const text = withRemarks(original, '\u0000').replace(
      /\n四、结转下年度继续办理\t\t2\t1\t0\t0\t0\t0\t3\t无\n/,
      '\n四、结转下年度继续办理\t\t\t\t\t\t\t无\n',
    );
    expect(text).toContain('\n四、结转下年度继续办理\t\t\t\t\t\t\t无\n');
    const result = await parse(text);
    expect(refusals(result)[0]).toEqual(['MISSING_CELL', 'T3.CARRIED_FORWARD.NATURAL_PERSON', null]);
    if (result.ok) return;
    expect(result.problems.map((p) => p.message).join('\n')).not.toContain('its text "无" is ignored');
  });

  it('in single-space text a row printing only 无 is still a gap: its blanks are gone, and which cells it left blank cannot be told', async () => {
    const text = withRemarks(original, '四、结转下年度继续办理', (row) =>
      row.startsWith('四、') ? '无' : '',
    );
    expect(toSingleSpaceText(text)).toContain('\n四、结转下年度继续办理 无\n');
    const result = await parse(toSingleSpaceText(text));
    expect(refusals(result)[0]).toEqual(['MISSING_CELL', 'T3.CARRIED_FORWARD.NATURAL_PERSON', null]);
  });
});
