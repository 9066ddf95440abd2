/**
 * A page whose text runs across the page as the reader sees it is refused naming the page and
 * that it is turned. Read along the page's own axes, such a table's rows came out as its
 * columns: the file was refused with NO_TITLE or rows of two characters, with nothing saying why.
 *
 * A landscape page set on a portrait sheet (its content drawn running up the sheet, shown upright
 * by /Rotate 90, as some PDF writers turn a landscape table) is upright to every reader: it was
 * refused as turned, and is now read in the coordinates of the page as shown. The Huai'an
 * report's page 3 (table 3's rows) drawn so reads every figure as published.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractLines, parseDocument } from '../../src/ingest/document.ts';
import { pdfOf } from '../support/hostile-files.ts';
import { figuresBeside, HUAIAN_PDF, withPage3 } from '../support/huaian-pdf.ts';

/** One portrait A4 sheet shown under /Rotate `rotate`, drawing `content` in Helvetica. */
function portraitSheet(rotate: number, content: string): Uint8Array {
  const font = '/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>';
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate ${rotate} ${font} /Contents 4 0 R >>`,
    { dictionary: `<< /Length ${content.length} >>`, stream: Buffer.from(content) },
  ]);
}

/** One page whose lines of text run up the page (rotated 90°), as a landscape page drawn turned. */
function turnedPage(rotate: number): Uint8Array {
  const lines = ['2024 report table', 'rules 13 13 524', 'documents 60 60 100'];
  const content = lines
    .map((text, i) => `BT /F1 9 Tf 0 1 -1 0 ${100 + i * 14} 100 Tm (${text}) Tj ET`)
    .join('\n');
  return portraitSheet(rotate, content);
}

/**
 * A landscape page (842 × 595 as shown) drawn on a portrait sheet under /Rotate `rotate`: a ruled
 * table of two rows, drawn in the shown page's coordinates turned onto the sheet (X, Y to 595 − Y, X).
 */
function ruledLandscape(rotate: number, onSheet = 'q 0 1 -1 0 595 0 cm'): Uint8Array {
  const rows = [
    ['rules', '13', '524'],
    ['documents', '60', '100'],
  ];
  const xs = [100, 250, 400, 550];
  const ys = [500, 470, 440];
  const rules = [
    ...ys.map((y) => `${xs[0]} ${y} m ${xs.at(-1)} ${y} l S`),
    ...xs.map((x) => `${x} ${ys[0]} m ${x} ${ys.at(-1)} l S`),
  ];
  const text = rows.flatMap((cells, r) =>
    cells.map((cell, c) => `BT /F1 9 Tf ${(xs[c] ?? 0) + 5} ${(ys[r] ?? 0) - 20} Td (${cell}) Tj ET`),
  );
  const content = `${onSheet}\n0.5 w\n${[...rules, ...text].join('\n')}\nQ`;
  return portraitSheet(rotate, content);
}

describe('a landscape table set on a portrait sheet, shown upright by /Rotate 90', () => {
  it('is read as shown: its rows, cell by cell', async () => {
    const extracted = await extractLines(ruledLandscape(90));
    expect(extracted.ok && extracted.lines.map((l) => l.cells)).toEqual([
      ['rules', '13', '524'],
      ['documents', '60', '100'],
    ]);
  });

  it('drawn level on the sheet, which /Rotate 90 alone shows on its side: read along the sheet, as before', async () => {
    const extracted = await extractLines(ruledLandscape(90, 'q'));
    expect(extracted.ok && extracted.lines.map((l) => l.cells)).toEqual([
      ['rules', '13', '524'],
      ['documents', '60', '100'],
    ]);
  });

  it('under /Rotate 270, shown upside down: refused naming the page', async () => {
    const { result } = await parseDocument(ruledLandscape(270));
    expect(!result.ok && result.problems[0]?.message).toMatch(
      /^Page 1 \(\/Rotate 270\) of the PDF is printed turned/,
    );
  });
});

describe('a PDF page printed turned', () => {
  it.each([
    [0, /^Page 1 of the PDF is printed turned/],
    [180, /^Page 1 \(\/Rotate 180\) of the PDF is printed turned/],
  ])(
    'under /Rotate %i, its text running across the page as shown: refused naming the page',
    async (rotate, message) => {
      const { result } = await parseDocument(turnedPage(rotate));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]?.message).toMatch(message);
    },
  );

  it('under /Rotate 90, which shows its text upright: its lines read in order, top to bottom', async () => {
    // The lines are 14 pt apart in 9 pt type: one paragraph, as on any page.
    const extracted = await extractLines(turnedPage(90));
    expect(extracted.ok && extracted.lines.map((l) => l.text)).toEqual([
      '2024 report table rules 13 13 524 documents 60 60 100',
    ]);
  });
});

describe.runIf(existsSync(HUAIAN_PDF))("the Huai'an report with page 3 set turned on its sheet", () => {
  // The sheet 842 wide and 595 high, the page's content drawn turned a quarter left on it
  // (x, y to 842 − y, x): /Rotate 90 shows it as printed.
  const turned = (rotate: number) =>
    withPage3((content) => `q 0 1 -1 0 842 0 cm\n${content}\nQ`, {
      page: (page) => page.replace('/MediaBox [0 0 595 842]', `/MediaBox [0 0 842 595] /Rotate ${rotate}`),
    });

  it('under /Rotate 90: every figure as published', async () => {
    const { read, truth } = figuresBeside((await parseDocument(turned(90))).result);
    expect(read).toEqual(truth);
  });

  it('under /Rotate 270, which shows it upside down: refused naming the page', async () => {
    const { result } = await parseDocument(turned(270));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.message).toMatch(/^Page 3 \(\/Rotate 270\) of the PDF is printed turned/);
  });
});
