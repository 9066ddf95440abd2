/**
 * Text a PDF holds but does not show is not read. pdf.js's text content gives every glyph of a
 * page, drawn or not: a 2 drawn invisibly (text render mode 3), or in white on the white page,
 * after the printed figure 26 was read as 262; a figure drawn invisibly, or clipped away, as a
 * figure where the reader sees a blank cell; and a scanned page's OCR layer, drawn in mode 3
 * over the scan, as if printed.
 *
 * The real Huai'an report's page 3 is edited (test/support/huaian-pdf.ts) as a reviewer did and
 * rendered with pdftoppm: figure 26 is table 2, row 行政规范性文件, column 本年废止件数, drawn
 * as `0.05 0 0 -0.05 341.759 596.809 Tm <0015>Tj 141.594 -0 TD<0019>Tj` (glyph 0015 is 2,
 * 0019 is 6) inside the cell's clip `336.35 573.7 79.55 35.7 re W* n`. Every other figure must
 * read as transcribed in ./real-documents/expected.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { eachBlock, figuresBeside, HUAIAN_PDF, withPage3 } from '../support/huaian-pdf.ts';
import type { ExpectedCell } from './real-documents/expected-types.ts';

const FIGURE = 'T2.NORMATIVE_DOCUMENTS.REPEALED';
const DRAWN_26 = '<0015>Tj 141.594 -0 TD<0019>Tj';
const CLIP = '336.35 573.7 79.55 35.7 re';

/** Page 3 with the figure 26's drawing replaced by `drawing`. */
const figureDrawn = (drawing: string) => withPage3((content) => content.replace(DRAWN_26, drawing));

async function readsAsPrinted(bytes: Uint8Array, changed: Record<string, ExpectedCell> = {}) {
  const { result } = await parseDocument(bytes);
  const { read, truth } = figuresBeside(result, changed);
  expect(read[FIGURE]).toEqual(truth[FIGURE]);
  expect(read).toEqual(truth);
}

describe.runIf(existsSync(HUAIAN_PDF))(
  'text a PDF does not show is not read (huaian-szf-2024.pdf, page 3)',
  () => {
    it('an invisible 2 (text render mode 3) after the printed 26 is left out: 26, not 262', async () => {
      await readsAsPrinted(figureDrawn(`${DRAWN_26} 141.594 -0 TD 3 Tr <0015>Tj 0 Tr`));
    });

    it('a 2 filled white after the printed 26, nothing drawn behind it, is left out: 26, not 262', async () => {
      await readsAsPrinted(figureDrawn(`${DRAWN_26} 141.594 -0 TD 1 1 1 rg <0015>Tj 0 0 0 rg`));
    });

    it('a figure drawn wholly invisibly (mode 3) is a blank cell, not 26', async () => {
      await readsAsPrinted(figureDrawn(`3 Tr ${DRAWN_26}`), { [FIGURE]: 'BLANK' });
    });

    it('a figure whose clip is shrunk to 1×1 pt is a blank cell, not 26', async () => {
      await readsAsPrinted(
        withPage3((content) => content.replace(CLIP, '336.35 573.7 1 1 re')),
        { [FIGURE]: 'BLANK' },
      );
    });

    it('a page whose text is all drawn invisibly (an OCR layer over a scan) is refused, naming the page', async () => {
      // Every block in mode 3, as OCR programs draw the text they recognised over the page's image.
      const ocr = eachBlock((block) => block.replace(/\d Tr/g, '3 Tr').replace(/^BT\r/, 'BT\r3 Tr\r'));
      const { result } = await parseDocument(withPage3(ocr));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems).toHaveLength(1);
      const [problem] = result.problems;
      expect(problem?.code).toBe('NO_TEXT');
      expect(problem?.message).toMatch(/^Page 3 of the PDF draws its text invisibly/);
      expect(problem?.message).toMatch(/OCR/);
      expect(problem?.message).toMatch(/cannot be read exactly/);
    });

    it('reads what shows as printed beside what does not: mode 3 put back, white on a dark filled box', async () => {
      // On one page: the invisible 2 after 26 (left out); 8 (本年制发件数) after mode 3 was set and
      // put back; 66 (本年现行有效件数) in white on a black box drawn behind it, as a table header
      // is printed. Both show, and read as printed.
      const edit = (content: string) =>
        content
          .replace(DRAWN_26, `${DRAWN_26} 141.594 -0 TD 3 Tr <0015>Tj 0 Tr`)
          .replace('249.24 596.809 Tm\r<001B>Tj', '249.24 596.809 Tm\r3 Tr 0 Tr <001B>Tj')
          .replace(
            /BT\r((?:(?!BT)[\s\S])*?421\.2 596\.809 Tm\r)<0019>Tj 141\.594 -0 TD<0019>Tj/,
            '0 0 0 rg 415.85 573.7 103.6 35.7 re f\rBT\r$1 1 1 1 rg <0019>Tj 141.594 -0 TD<0019>Tj',
          );
      await readsAsPrinted(
        withPage3((content) => {
          const edited = edit(content);
          expect(edited).toContain('3 Tr 0 Tr <001B>Tj');
          expect(edited).toContain('0 0 0 rg 415.85 573.7 103.6 35.7 re f');
          return edited;
        }),
      );
    });

    it('a white 2 after 26 where a picture may be behind it is neither read nor dropped: the cell is refused', async () => {
      // An image object added to the file: pictures are not read (pdfjs.ts), so whether one is
      // behind the white 2 cannot be told.
      const bytes = figureDrawn(`${DRAWN_26} 141.594 -0 TD 1 1 1 rg <0015>Tj 0 0 0 rg`);
      const picture = Buffer.from(
        '\n9999 0 obj\n<</Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1>>\nstream\n\0\nendstream\nendobj\n',
        'latin1',
      );
      const { result } = await parseDocument(Buffer.concat([bytes, picture]));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const refusal = result.problems.find((p) => p.cellCode === FIGURE);
      expect(refusal?.code).toBe('NOT_A_NUMBER');
      expect(refusal?.text).toBe(
        '26⟦2‖it is drawn in a colour barely apart from what is behind it, or in white where a picture may be behind it⟧',
      );
      expect(refusal?.message).toMatch(
        /whether a reader sees 2 cannot be told, as it is drawn in a colour barely apart from what is behind it, or in white where a picture may be behind it; so the cell may read 26 or 262\./,
      );
      // Nothing else is refused.
      expect(result.problems.filter((p) => p.severity === 'error' && p.cellCode !== FIGURE)).toEqual([]);
    });
  },
);
