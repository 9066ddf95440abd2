/**
 * A table 2 header that names one column twice (本年制发件数 | 本年制发件数 | 现行有效件数): which
 * of the row's figures is the column's cannot be told. The later one was stored over the first,
 * the column the header left out stored as missing, and the refusal named the block's rows as
 * missing from their section though they are printed. Every cell of the block's rows is now a
 * gap whose message names the header and the column it repeats.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';

const page = readFileSync(new URL('../fixtures/formats/report.tab.txt', import.meta.url), 'utf8');
const HEADER = '信息内容\t本年制发件数\t本年废止件数\t现行有效件数';
const parse = async (text: string, allowPartial = false) =>
  (await parseDocument(new TextEncoder().encode(text), { allowPartial })).result;

describe('a table 2 header naming a column twice', () => {
  it.each([
    [
      '本年制发件数 twice',
      '信息内容\t本年制发件数\t本年制发件数\t现行有效件数',
      '本年制发件数',
      '本年制发件数',
    ],
    [
      'the second written otherwise',
      '信息内容\t本年制发件数\t本年废止件数\t本年废止 件数',
      '本年废止件数',
      '本年废止 件数',
    ],
  ])(
    '(%s) refuses the block, naming the header, not the rows as missing',
    async (_, header, first, second) => {
      expect(page).toContain(HEADER);
      const text = page.replace(HEADER, header);
      const strict = await parse(text);
      expect(strict.ok).toBe(false);
      if (strict.ok) return;
      const rules = strict.problems.filter((p) => p.row === '规章');
      expect(rules.length).toBe(3);
      expect(rules[0]?.message).toMatch(
        new RegExp(
          `^Line 39, table 2 \\(主动公开\\), row "规章": the header on line 38 names column "[^"]+" twice \\("${first}" and "${second}"\\), so which column each figure was printed under cannot be told; the cell for column "本年制发件数" is missing`,
        ),
      );
      expect(strict.problems.some((p) => p.code === 'MISSING_ROW' && p.table === 'T2')).toBe(false);

      const partial = await parse(text, true);
      expect(partial.ok).toBe(true);
      if (!partial.ok) return;
      const block = partial.report.cells.filter((c) => /^T2\.(RULES|NORMATIVE_DOCUMENTS)\./.test(c.code));
      expect(block.length).toBe(6);
      expect(block.every((c) => c.status === 'MISSING' && c.value === null)).toBe(true);
      // The other blocks read as printed.
      const before = await parse(page);
      const other = (r: Awaited<ReturnType<typeof parse>>) =>
        r.ok
          ? r.report.cells.filter((c) => c.code.startsWith('T2.') && !block.some((b) => b.code === c.code))
          : [];
      expect(other(partial)).toEqual(other(before));
    },
  );
});
