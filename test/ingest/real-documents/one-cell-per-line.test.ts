/**
 * A PDF text layer saved with one cell a line (label, then each figure on its own line), as a
 * spreadsheet's or LibreOffice's text export prints a table. Every figure reads as in the
 * original; before, the last row's last figure (table 3's 四、结转下年度继续办理 total, on the
 * line before section 4's heading) was cut off with the line and the row's seven cells were
 * gaps.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));

async function figures(text: string) {
  const { result } = await parseDocument(new TextEncoder().encode(text));
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  return result.report.cells.map((c) => [c.code, c.status, c.value]);
}

describe.runIf(existsSync(SHARED))('one cell a line', () => {
  it("the Huai'an text layer with each row's figures one a line reads every figure", async () => {
    const text = readFileSync(`${SHARED}huaian-szf-2024.pdftext.txt`, 'utf8');
    // A label followed by its figures: the figures go on lines of their own.
    const split = text.replace(/^(.*[^\d\s.])((?: \d+(?:\.\d+)?)+)$/gm, (_, label: string, row: string) =>
      [label, ...row.trim().split(' ')].join('\n'),
    );
    expect(split).toContain('四、结转下年度继续办理\n103\n0\n0\n0\n0\n0\n103\n四、政府信息公开行政复议');
    expect(await figures(split)).toEqual(await figures(text));
  });
});
