/**
 * Text a PDF draws twice over itself is read once, as a reader sees it. Tools embolden a font
 * that has no bold face ("fake bold") by drawing the text again a fraction of a point to the
 * right, string by string or glyph by glyph; others overprint it at the very same spot. Read
 * as drawn, a bold 26 is 2626.
 *
 * The real Huai'an report (../shared/fixtures/real-reports) is altered as such tools draw:
 * page 3's text drawing is repeated (test/support/huaian-pdf.ts). Every figure must read as transcribed in
 * ./real-documents/expected. Figure 26 is table 2, row 行政规范性文件, column 本年废止件数.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { type Item, joinLine, withoutOverprints } from '../../src/ingest/pdf-text.ts';
import { eachBlock, figuresBeside, HUAIAN_PDF, withPage3 } from '../support/huaian-pdf.ts';

/** A block's Tm moved by (dx, dy) points. */
const moved = (block: string, dx: number, dy = 0) =>
  block.replace(
    /([-\d.]+) ([-\d.]+) Tm/,
    (_, x, y) => `${(Number(x) + dx).toFixed(3)} ${(Number(y) + dy).toFixed(3)} Tm`,
  );

const FIGURE_26 = '341.759 596.809 Tm';
/** The figure's block, then `copy` of it. */
const figureAgain = (copy: (block: string) => string) =>
  eachBlock((block) => (block.includes(FIGURE_26) ? `${block}\r${copy(block)}` : block));

/** Every text block drawn again 0.3 pt to the right: a whole page in fake bold. */
const allBold = eachBlock((block) => `${block}\r${moved(block, 0.3)}`);

/**
 * Every glyph drawn twice, 0.3 pt apart, each before the next (fake bold glyph by glyph): after
 * each Tj the line moves 6 units (0.3 pt) right, the glyphs are drawn again, and it moves back.
 * pdf.js cuts this into overlapping items ("2", "26", "6"), no two alike.
 */
const everyGlyphBold = (content: string) => content.replace(/(<[0-9A-Fa-f]+>)Tj/g, '$1Tj 6 0 Td$1Tj -6 0 Td');

/** Every figure read from `bytes`, beside the transcription with `changed` cells changed. */
async function figures(bytes: Uint8Array, changed: Record<string, string> = {}) {
  const { result } = await parseDocument(bytes);
  return figuresBeside(result, changed);
}

describe.runIf(existsSync(HUAIAN_PDF))(
  'text drawn twice over itself is read once (huaian-szf-2024.pdf, page 3)',
  () => {
    const variants: [string, (content: string) => string][] = [
      ['the figure 26 drawn again 0.3 pt to the right (fake bold)', figureAgain((b) => moved(b, 0.3))],
      ['the figure 26 drawn again at the same position (overprinted)', figureAgain((b) => b)],
      [
        'the figure 26 drawn again 0.3 pt to the right and 0.3 pt up',
        figureAgain((b) => moved(b, 0.3, -0.3)),
      ],
      ['the figure 26 drawn again 1 pt to the right', figureAgain((b) => moved(b, 1))],
      ['every piece of text on the page drawn again 0.3 pt to the right (all fake bold)', allBold],
      [
        'every glyph on the page drawn twice, 0.3 pt apart, before the next (fake bold glyph by glyph)',
        everyGlyphBold,
      ],
      [
        // In one TJ: 2, back 482.5/1000 of the size (a digit less 0.3 pt), 2, on, 6, back, 6.
        'the digits of 26 each drawn twice in one TJ, 0.3 pt apart',
        (content) =>
          content.replace(
            '<0015>Tj 141.594 -0 TD<0019>Tj',
            '[<0015> 482.5 <0015> 21.35 <0019> 482.5 <0019>]TJ',
          ),
      ],
    ];
    for (const [name, edit] of variants) {
      it(name, async () => {
        const { read, truth, gaps } = await figures(withPage3(edit));
        expect(read).toEqual(truth);
        expect(gaps).toEqual([]);
      });
    }

    it('the same figure in two cells side by side stays two figures, all text fake bold', async () => {
      // 本年制发件数 of the row, 8 (glyph 001B), printed as 26 too: 26 | 26 | 66, ~92 pt apart.
      const twice = (content: string) =>
        content.replace(
          '0.05 0 0 -0.05 249.24 596.809 Tm\r<001B>Tj',
          '0.05 0 0 -0.05 249.24 596.809 Tm\r<0015>Tj 141.594 -0 TD<0019>Tj',
        );
      const { read, truth } = await figures(
        withPage3((c) => allBold(twice(c))),
        {
          'T2.NORMATIVE_DOCUMENTS.ISSUED': '26',
        },
      );
      expect(read['T2.NORMATIVE_DOCUMENTS.ISSUED']).toBe('26');
      expect(read).toEqual(truth);
    });

    it('a figure of two like digits drawn as two pieces, each drawn twice, stays two digits', async () => {
      // 66 (本年现行有效件数) drawn right digit first, each digit in a block of its own, then
      // every glyph twice: four items, the two 6s half a size (7 pt) apart.
      const apart = (content: string) =>
        content.replace(
          /BT\r((?:(?!ET)[\s\S])*?)0\.05 0 0 -0\.05 421\.2 596\.809 Tm\r<0019>Tj 141\.594 -0 TD<0019>Tj\nET/,
          (_, state) =>
            `BT\r${state}0.05 0 0 -0.05 428.28 596.809 Tm\r<0019>Tj\nET\rBT\r${state}0.05 0 0 -0.05 421.2 596.809 Tm\r<0019>Tj\nET`,
        );
      const { read, truth } = await figures(withPage3((c) => everyGlyphBold(apart(c))));
      expect(read['T2.NORMATIVE_DOCUMENTS.IN_FORCE']).toBe('66');
      expect(read).toEqual(truth);
    });
  },
);

describe('withoutOverprints', () => {
  const item = (text: string, x: number, size = 14, y = 500): Item => ({
    text,
    x,
    y,
    width: (text.length * size) / 2,
    size,
  });
  const line = (items: Item[]) => joinLine(withoutOverprints(items));

  it('reads a string drawn again within 0.2 of its size once, and further off twice', () => {
    expect(line([item('26', 100), item('26', 100.3)])).toBe('26');
    expect(line([item('26', 100), item('26', 102.5)])).toBe('26');
    expect(line([item('26', 100), item('26', 100, 14, 500.3)])).toBe('26');
    // 3 pt (more than 0.2 of 14 pt) to the right: not one glyph drawn twice.
    expect(withoutOverprints([item('26', 100), item('26', 103)])).toHaveLength(2);
  });

  it('keeps one figure per cell where two cells side by side hold the same figure, both bold', () => {
    const out = withoutOverprints([item('26', 100), item('26', 100.3), item('26', 192), item('26', 192.3)]);
    expect(out.map((i) => [i.text, i.x])).toEqual([
      ['26', 100],
      ['26', 192],
    ]);
  });

  it('keeps digits drawn as separate pieces half a size apart: 11 is not 1', () => {
    const out = withoutOverprints([item('1', 107), item('1', 100), item('1', 100.3), item('1', 107.3)]);
    expect(joinLine(out)).toBe('11');
  });

  it('reads text drawn twice glyph by glyph once (pdf.js gives overlapping pieces)', () => {
    // As pdf.js cuts 2 at x, 2 at x+0.3, 6 at x+7, 6 at x+7.3.
    expect(line([item('2', 100), item('26', 100.3), item('6', 107.3)])).toBe('26');
  });

  it('keeps text of another size, or another character, drawn at the same spot as a bold glyph', () => {
    const bold2 = [item('2', 100), item('2', 100.3)];
    expect(withoutOverprints([...bold2, item('2', 100, 10)]).map((i) => i.size)).toEqual([14, 10]);
    expect(withoutOverprints([...bold2, item('3', 100)]).map((i) => i.text)).toEqual(['2', '3']);
  });
});
