/**
 * Figures something is drawn over, or kept out of view, read as the reader sees them or refused.
 * pdf.js's text content gives every glyph a page holds, whatever is painted over it later: a 26
 * whited out with a white box and 27 printed on the box read as 2627; a page image laid over
 * the text (an OCR "text under image" PDF) as the text under it; a 2 in a layer (optional
 * content) that is off as one more digit; and it leaves out what a form field or a comment
 * shows over the page, so a figure typed in a comment over the printed one read as the printed.
 *
 * The real Huai'an report's page 3 is edited as in pdf-unseen.test.ts: figure 26 is table 2,
 * row 行政规范性文件, column 本年废止件数, drawn as `… 341.759 596.809 Tm <0015>Tj 141.594 -0
 * TD<0019>Tj` (glyphs 0013–001C are 0–9) in the cell `336.35 573.7 79.55 35.7 re`, in a space
 * flipped upside down (the page's y is 842 less). Every other figure reads as transcribed.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import {
  figuresBeside,
  firstNewObject,
  HUAIAN_PDF,
  type PageObjects,
  withPage3,
} from '../support/huaian-pdf.ts';
import type { ExpectedCell } from './real-documents/expected-types.ts';

const FIGURE = 'T2.NORMATIVE_DOCUMENTS.REPEALED';
const DRAWN_26 = '<0015>Tj 141.594 -0 TD<0019>Tj';
/** The 26's cell, in the content stream's space. */
const CELL = '336.35 573.7 79.55 35.7';

/** Page 3 with `drawing` after the figure 26, outside its text block. */
const afterFigure = (drawing: string, more: PageObjects = {}) =>
  withPage3((content) => content.replace(DRAWN_26, `${DRAWN_26}\nET\n${drawing}\nBT`), more);

/** 27 printed where the 26 is. */
const PRINTED_27 = 'BT 0.05 0 0 -0.05 341.759 596.809 Tm <0015>Tj 141.594 -0 TD<001A>Tj ET';

async function readsAs(bytes: Uint8Array, changed: Record<string, ExpectedCell> = {}) {
  const { result } = await parseDocument(bytes);
  const { read, truth } = figuresBeside(result, changed);
  expect(read[FIGURE]).toEqual(truth[FIGURE]);
  expect(read).toEqual(truth);
}

async function refusedCell(bytes: Uint8Array) {
  const { result } = await parseDocument(bytes);
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('read');
  // Nothing else is refused.
  expect(result.problems.filter((p) => p.severity === 'error' && p.cellCode !== FIGURE)).toEqual([]);
  const refusal = result.problems.find((p) => p.cellCode === FIGURE);
  expect(refusal?.code).toBe('NOT_A_NUMBER');
  return refusal;
}

async function refusedFile(bytes: Uint8Array) {
  const { result } = await parseDocument(bytes);
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('read');
  expect(result.problems).toHaveLength(1);
  return result.problems[0];
}

/** A 1×1 image (the object added first), and the page's resources naming it /ImX and the layer /L1 (the second). */
const image =
  '<</Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1>>\nstream\n\xff\nendstream';
const resources = (page: string) =>
  page.replace(
    '/Resources <<',
    `/Resources <</XObject <</ImX ${firstNewObject()} 0 R>>/Properties <</L1 ${firstNewObject() + 1} 0 R>>`,
  );

describe.runIf(existsSync(HUAIAN_PDF))(
  "what is drawn over a PDF's figures (huaian-szf-2024.pdf, page 3)",
  () => {
    it('a 26 whited out by a white box drawn after it, 27 printed on the box, reads 27, not 2627', async () => {
      await readsAs(afterFigure(`q 1 1 1 rg ${CELL} re f Q ${PRINTED_27}`), { [FIGURE]: '27' });
    });

    it('a 26 under a white box with nothing printed on it is a blank cell', async () => {
      await readsAs(afterFigure(`q 1 1 1 rg ${CELL} re f Q`), { [FIGURE]: 'BLANK' });
    });

    it('a box over the lower part of the 26 is refused, saying so: what shows of it is not told', async () => {
      const refusal = await refusedCell(afterFigure('q 1 1 1 rg 336.35 590 79.55 7 re f Q'));
      expect(refusal?.text).toMatch(/^⟦26‖a box is drawn over part of it/);
    });

    it('a box drawn before the 26 (a cell shaded) leaves it as printed', async () => {
      await readsAs(
        withPage3((content) =>
          content.replace(
            /BT\r((?:(?!BT)[\s\S])*?341\.759 596\.809 Tm)/,
            `q 0.9 0.9 0.9 rg ${CELL} re f Q\rBT\r$1`,
          ),
        ),
      );
    });

    it('an image drawn over the 26 refuses the cell, naming the image', async () => {
      const refusal = await refusedCell(
        afterFigure(`q 79.55 0 0 35.7 336.35 573.7 cm /ImX Do Q`, { page: resources, objects: [image] }),
      );
      expect(refusal?.message).toMatch(/lies under an image drawn over it/);
    });

    it("a page image drawn over all of page 3's text (OCR's text under the scan) refuses the file, naming the page", async () => {
      const problem = await refusedFile(
        withPage3((content) => `q\n${content}\nQ\nq 595 0 0 842 0 0 cm /ImX Do Q\n`, {
          page: resources,
          objects: [image],
        }),
      );
      expect(problem?.code).toBe('NO_TEXT');
      expect(problem?.message).toMatch(/^The text of page 3 of the PDF lies under an image drawn over it/);
      expect(problem?.message).toMatch(/OCR/);
    });

    describe('a 2 after the 26 in a layer (optional content)', () => {
      const layer = (state: 'ON' | 'OFF') => {
        const group = firstNewObject() + 1;
        return afterFigure(`/OC /L1 BDC ${PRINTED_2} EMC`, {
          page: resources,
          objects: [image, '<</Type /OCG /Name (L1)>>'],
          catalogue: (root) =>
            root.replace(/>>$/, `/OCProperties <</OCGs [${group} 0 R] /D <</${state} [${group} 0 R]>>>>>>`),
        });
      };
      /** A 2 printed right after the 6. */
      const PRINTED_2 = 'BT 0.05 0 0 -0.05 341.759 596.809 Tm 283.188 -0 TD <0015>Tj ET';

      it('that is off is not read: 26, not 262', async () => {
        await readsAs(layer('OFF'));
      });

      it('that is on is read as printed: 262', async () => {
        await readsAs(layer('ON'), { [FIGURE]: '262' });
      });
    });

    describe('annotations', () => {
      /** An annotation over the 26's cell, in the page's own space (y up). */
      const annotated = (annotation: string) =>
        withPage3((content) => `${content}\n`, {
          page: (page) => page.replace(/>>$/, `/Annots [${firstNewObject()} 0 R]>>`),
          objects: [`<</Type /Annot /Rect [340 240 410 262] ${annotation}>>`],
        });

      it('a comment (FreeText) typed over the 26 refuses the file, naming the page and the comment', async () => {
        const problem = await refusedFile(
          annotated('/Subtype /FreeText /Contents (27) /DA (/Helv 12 Tf 0 g) /F 4'),
        );
        expect(problem?.code).toBe('UNREADABLE_DOCUMENT');
        expect(problem?.message).toMatch(
          /^A form field or comment is drawn over the table's figures on page 3 \(FreeText\)/,
        );
        expect(problem?.message).toMatch(/flatten/);
      });

      it('a white box (Square) over the 26 refuses the file', async () => {
        const problem = await refusedFile(annotated('/Subtype /Square /IC [1 1 1] /C [1 1 1] /F 4'));
        expect(problem?.message).toMatch(/page 3 \(Square\)/);
      });

      it('a link, or a comment hidden from view, draws nothing: the figures read as printed', async () => {
        await readsAs(annotated('/Subtype /Link /Border [0 0 0] /A <</S /URI /URI (http://example.com)>>'));
        await readsAs(annotated('/Subtype /FreeText /Contents (27) /DA (/Helv 12 Tf 0 g) /F 2'));
      });
    });
  },
);
