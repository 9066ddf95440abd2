/**
 * Counts printed with zero decimals (1362.00, 0.00), as a report made from a spreadsheet prints
 * them, in a PDF's text layer whose figures are set apart by spaces: each is its count, as in a
 * table of cells. Before, the row was refused as figures that "cannot be split". A count with a
 * real fraction is still refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
const text = existsSync(SHARED) ? readFileSync(`${SHARED}huaian-szf-2024.pdftext.txt`, 'utf8') : '';

async function parse(changed: string) {
  const { result } = await parseDocument(new TextEncoder().encode(changed));
  return result;
}

describe.runIf(existsSync(SHARED))('zero decimals on counts in a PDF text layer', () => {
  it('every figure of table 3 printed with .00 reads as printed without them, its print kept', async () => {
    const start = text.indexOf('一、本年新收');
    const end = text.indexOf('四、政府信息公开行政复议、行政诉讼情况');
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    // Every figure, not the page footers (- 4 -).
    const table = text
      .slice(start, end)
      .split('\n')
      .map((line) => (/^- \d+ -$/.test(line) ? line : line.replace(/(?<=\s|^)(\d+)(?=\s|$)/g, '$1.00')))
      .join('\n');
    expect(table).toContain(' 3001.00 53.00 0.00 0.00 61.00 4.00 3119.00');
    const original = await parse(text);
    const decimals = await parse(text.slice(0, start) + table + text.slice(end));
    if (!original.ok || !decimals.ok) throw new Error('refused');
    const values = (r: typeof original) =>
      r.ok ? r.report.cells.map((c) => [c.code, c.status, c.value]) : [];
    expect(values(decimals)).toEqual(values(original));
    expect(decimals.report.cells.find((c) => c.code === 'T3.NEW_REQUESTS.TOTAL')).toMatchObject({
      value: '3119',
      rawText: '3119.00',
    });
  });

  it('a count with a fraction (1362.50) is still refused', async () => {
    const row = '（一）予以公开 1288 21 0 0 50 3 1362';
    expect(text).toContain(row);
    const result = await parse(text.replace(row, `${row}.50`));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.code).toBe('TOO_MANY_VALUES');
  });
});
