import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { withCharacterSprm } from '../support/doc-patch.ts';

// word-extractor reads a .doc's text without its character formatting. A digit hidden, white,
// raised or lowered, or struck through was read as one more digit of the figure: the 41 of the
// first row of table 3 with its 1 raised (41¹, a footnote mark) was stored as 411, and nothing said.

const FIXTURE = readFileSync(fileURLToPath(new URL('../fixtures/formats/report.doc', import.meta.url)));
const ROW = '一、本年新收政府信息公开申请数量';

/** The fixture with the "1" of the row's 41 given the sprm (hex, operand included). */
const oneOf41 = (sprm: string) => withCharacterSprm(FIXTURE, ROW, '41', 1, sprm);

const refusal = (why: string) =>
  `The Word 97–2003 document cannot be read as printed: in "${ROW} 41", the "1" of "41" ${why}. A .doc's formatting is not read cell by cell here: open it in Word and save it as .docx, or print the figure plainly, and import again.`;

async function problemsOf(bytes: Uint8Array) {
  const { result } = await parseDocument(bytes);
  return result.ok ? [] : result.problems;
}

describe('a .doc whose digit is formatted so that it is not printed as an ordinary digit is refused, naming the figure', () => {
  it.each([
    ['hidden (sprmCFVanish)', '3c0801', 'is hidden text (Word does not print it)'],
    ['white (sprmCIco 8)', '422a08', 'is printed in white, which cannot be seen on the page'],
    ['white (sprmCCv FFFFFF)', '7068ffffff00', 'is printed in white, which cannot be seen on the page'],
    ['superscript (sprmCIss 1)', '482a01', 'is printed as a superscript (a footnote mark?)'],
    ['subscript (sprmCIss 2)', '482a02', 'is printed as a subscript'],
    ['struck through (sprmCFStrike)', '370801', 'is struck through (the old figure of a correction?)'],
    [
      'double struck through (sprmCFDStrike)',
      '532a01',
      'is double struck through (the old figure of a correction?)',
    ],
  ])('%s', async (_, sprm, why) => {
    expect(await problemsOf(oneOf41(sprm))).toEqual([
      { code: 'UNREADABLE_DOCUMENT', severity: 'error', message: refusal(why) },
    ]);
  });

  it('a character style (sprmCIstd) the style sheet does not hold: what it looks like cannot be told', async () => {
    expect(await problemsOf(oneOf41('304afe0f'))).toEqual([
      {
        code: 'UNREADABLE_DOCUMENT',
        severity: 'error',
        message: refusal('takes its formatting from a style that cannot be read from the file'),
      },
    ]);
  });

  it('a property set and then cleared again (hidden on, then off) is read as before', async () => {
    expect(await parseDocument(oneOf41('3c08013c0800'), { withText: true })).toEqual(
      await parseDocument(FIXTURE, { withText: true }),
    );
  });
});

describe('a .doc digit printed clearly smaller than the digit beside it is refused, naming the figure', () => {
  // Read 411 and 141 before: word-extractor reads no sizes (sprmCHps 12: 6pt beside the fixture's 12pt).
  const SMALLER =
    'is printed clearly smaller than the digit beside it, so whether it is a footnote mark or a digit of the figure cannot be told';
  it('after the figure (41 and a 6pt 1)', async () => {
    expect(await problemsOf(oneOf41('434a0c00'))).toEqual([
      expect.objectContaining({ code: 'UNREADABLE_DOCUMENT', message: refusal(SMALLER) }),
    ]);
  });

  it('before the figure (a 6pt 4 and 1)', async () => {
    expect(await problemsOf(withCharacterSprm(FIXTURE, ROW, '41', 0, '434a0c00'))).toEqual([
      expect.objectContaining({
        code: 'UNREADABLE_DOCUMENT',
        message: refusal(SMALLER).replace('the "1" of "41"', 'the "4" of "41"'),
      }),
    ]);
  });

  it('a figure all in one smaller size reads', async () => {
    const both = withCharacterSprm(
      withCharacterSprm(FIXTURE, ROW, '41', 0, '434a0c00'),
      ROW,
      '41',
      1,
      '434a0c00',
    );
    const { result } = await parseDocument(both);
    expect(
      result.ok && result.report.cells.find((c) => c.code === 'T3.NEW_REQUESTS.NATURAL_PERSON')?.value,
    ).toBe('41');
  });
});

describe('formatting that leaves a digit printed as one is read exactly as before', () => {
  it('the unaltered fixture reads its 41', async () => {
    const { result } = await parseDocument(FIXTURE);
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
    expect(result.report.cells.find((c) => c.code === 'T3.NEW_REQUESTS.NATURAL_PERSON')?.value).toBe('41');
  });

  it('bold (sprmCFBold), a colour other than white (sprmCIco 6, red), a font size (sprmCHps 24)', async () => {
    const before = await parseDocument(FIXTURE, { withText: true });
    for (const sprm of ['350801', '422a06', '434a1800']) {
      expect(await parseDocument(oneOf41(sprm), { withText: true })).toEqual(before);
    }
  });

  it('a hidden or struck character of a label, not of a figure, is not refused', async () => {
    for (const sprm of ['3c0801', '370801']) {
      expect((await parseDocument(withCharacterSprm(FIXTURE, ROW, '申请', 0, sprm))).result.ok).toBe(true);
    }
  });
});

describe('a .doc figure with a footnote or endnote reference after it', () => {
  /** The fixture's 1,268 (行政许可) printed 1268 with Word's auto-numbered note reference (0x02) after it, in place. */
  const noted = () => {
    const bytes = Buffer.from(FIXTURE);
    const at = bytes.indexOf(Buffer.from('1,268', 'utf16le'));
    expect(at).toBeGreaterThan(0);
    Buffer.from('1268\u0002', 'utf16le').copy(bytes, at);
    return bytes;
  };

  it('is refused, naming the figure: the reader drops the mark, and 1268 was stored with nothing said', async () => {
    expect(await problemsOf(noted())).toEqual([
      {
        code: 'UNREADABLE_DOCUMENT',
        severity: 'error',
        message:
          'The Word 97–2003 document cannot be read as printed: in "行政许可 1268", the "8" of "1268" is followed by a footnote or endnote reference (a mark Word numbers itself), which the text reader drops without a trace; the note may qualify the figure. A .doc\'s formatting is not read cell by cell here: open it in Word and save it as .docx, or print the figure plainly, and import again.',
      },
    ]);
  });
});
