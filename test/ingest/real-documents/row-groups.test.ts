/**
 * A browser keeps a cell's rowspan inside its row group (thead, tbody, tfoot): a cell merged
 * down from the last row of one tbody does not push the first row of the next one along. The
 * parser laid the whole table out as one group, so Shanghai's row 四 printed as 72 · · · · 72
 * in a tbody of its own (its 科研机构 cell taken by a rowspan from the row above) was read with
 * the second 72 under 总计, where the page shows it under 其他: a wrong figure, stored without a
 * word. Laid out as on screen the row has 6 values for 7 columns and is refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
const page = existsSync(SHARED) ? readFileSync(`${SHARED}shanghai-bgt-2019.html`, 'utf8') : '';

/** The `<tr>` holding `label`: where it starts and ends, and its cells. */
function rowOf(html: string, label: string, from = 0) {
  const at = html.indexOf(label, from);
  expect(at, label).toBeGreaterThan(0);
  const start = html.lastIndexOf('<tr', at);
  const end = html.indexOf('</tr>', at) + '</tr>'.length;
  return { start, end, cells: html.slice(start, end).match(/<td[^>]*>[\s\S]*?<\/td>/g) ?? [] };
}

/**
 * Row （七）总计's blank 科研机构 cell merged down with `rowspan`, row 四 in a tbody of its own
 * and without that cell, as an editor that merged the two cells would leave it.
 */
function mergedAcrossGroups(rowspan: string) {
  const seventh = rowOf(page, '（七）总计');
  const blank = seventh.cells[3] ?? '';
  expect(blank).toContain('&nbsp;');
  const four = rowOf(page, '四、结转下年度继续办理', seventh.end);
  const row7 = page
    .slice(seventh.start, seventh.end)
    .replace(blank, blank.replace('<td ', `<td rowspan="${rowspan}" `));
  const row4 = page.slice(four.start, four.end).replace(four.cells[3] ?? '', '');
  return `${page.slice(0, seventh.start)}${row7}</tbody><tbody>${row4}${page.slice(four.end)}`;
}

const parse = async (html: string, allowPartial = false) =>
  (await parseDocument(new TextEncoder().encode(html), { allowPartial })).result;

describe.runIf(existsSync(SHARED))('a rowspan stops at the end of its row group', () => {
  it.each(['2', '0', '00', ' 3'])(
    'rowspan="%s" from the tbody above: row 四 is refused, not read with 72 under 总计',
    async (rowspan) => {
      const html = mergedAcrossGroups(rowspan);
      const strict = await parse(html);
      expect(strict.ok).toBe(false);
      if (!strict.ok) {
        expect(strict.problems[0]?.message).toMatch(
          /^Line \d+, table 3 \(依申请公开\), row "四、结转下年度继续办理": 6 values for 7 columns/,
        );
      }
      const partial = await parse(html, true);
      expect(partial.ok).toBe(true);
      if (partial.ok) {
        const forward = partial.report.cells.filter((c) => c.code.startsWith('T3.CARRIED_FORWARD.'));
        expect(forward.map((c) => c.value)).toEqual([null, null, null, null, null, null, null]);
        // The rest of the table reads as printed.
        expect(partial.report.cells.find((c) => c.code === 'T3.NEW_REQUESTS.TOTAL')?.value).toBe('859');
      }
    },
  );

  it('inside one tbody the same merge still reaches the row below', async () => {
    const html = mergedAcrossGroups('2').replace('</tbody><tbody>', '');
    const result = await parse(html);
    expect(result.ok).toBe(true);
    if (result.ok) {
      const value = (code: string) => result.report.cells.find((c) => c.code === code)?.value;
      expect(value('T3.CARRIED_FORWARD.NATURAL_PERSON')).toBe('72');
      expect(value('T3.CARRIED_FORWARD.TOTAL')).toBe('72');
    }
  });
});
