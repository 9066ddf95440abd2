/**
 * Real documents with their digits full width (０-９), as some CMS editors and input methods
 * type them: every figure reads as in the original. Before, "…结转下年度继续办理０００…四、…"
 * in a page dumped as one line made the heading of section 4 start at the row's own 四、, and
 * the row was "not found"; and a PDF text layer's "－ ４ －" footer was read as a figure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
const wide = (text: string) => text.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

async function cells(text: string) {
  const { result } = await parseDocument(new TextEncoder().encode(text), { allowPartial: true });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  const { report } = result;
  return {
    year: report.year,
    gaps: report.gaps.filter((g) => g.code !== 'UNREADABLE_CELL').map((g) => g.message),
    cells: report.cells.map((c) => [c.code, c.status, c.value, c.candidates]),
  };
}

describe.runIf(existsSync(SHARED))('full-width digits', () => {
  it.each(['pingtan-2023.pagetxt.txt', 'pingtan-2024.pagetxt.txt', 'pingtan-gaj-2021.pagetxt.txt'])(
    '%s with every digit full width reads as printed',
    async (file) => {
      const text = readFileSync(SHARED + file, 'utf8');
      const original = await cells(text);
      expect(original.gaps).toEqual([]);
      expect(await cells(wide(text))).toEqual(original);
    },
  );

  it("a PDF text layer's page footers in full-width digits and dashes are still footers", async () => {
    const text = readFileSync(`${SHARED}huaian-szf-2024.pdftext.txt`, 'utf8');
    const footers = text.match(/^- \d+ -$/gm) ?? [];
    expect(footers.length).toBeGreaterThan(3);
    const widened = text.replace(/^- (\d+) -$/gm, (_, n: string) => `－ ${wide(n)} －`);
    expect(await cells(widened)).toEqual(await cells(text));
  });
});
