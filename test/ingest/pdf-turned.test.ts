/**
 * A page printed turned (its content drawn on its side, shown upright by /Rotate 90) is refused
 * naming the page and that it is turned. Read along the page's own axes, such a table's rows
 * came out as its columns: the file was refused with NO_TITLE or rows of two characters, with
 * nothing saying why.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { pdfOf } from '../support/hostile-files.ts';

/** One page whose lines of text run up the page (rotated 90°), as a landscape page drawn turned. */
function turnedPage(rotate: number): Uint8Array {
  const lines = ['2024 report table', 'rules 13 13 524', 'documents 60 60 100'];
  const content = lines
    .map((text, i) => `BT /F1 9 Tf 0 1 -1 0 ${100 + i * 14} 100 Tm (${text}) Tj ET`)
    .join('\n');
  const font = '/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>';
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate ${rotate} ${font} /Contents 4 0 R >>`,
    { dictionary: `<< /Length ${content.length} >>`, stream: Buffer.from(content) },
  ]);
}

describe('a PDF page printed turned', () => {
  it('is refused naming the page, its /Rotate, and that its text runs across the page', async () => {
    const { result } = await parseDocument(turnedPage(90));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.message).toMatch(/^Page 1 \(\/Rotate 90\) of the PDF is printed turned/);
  });
});
