/**
 * A footnote or endnote mark glued to a figure in a table cell: Word's note reference (which
 * mammoth prints [1], inside the superscript of the reference style: 41[[1]]), a superscript
 * digit typed (41¹), a web page's <sup>1</sup>. The mark is never read as a digit (411) nor
 * dropped, since the note may qualify the figure: the cell is refused. It was refused as
 * "is not a number; expected a number (e.g. 0, 12 …)", which sent the reader looking for a
 * typing slip; the message now says the figure has a footnote mark, as in running text.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParseResult } from '../../src/ingest/types.ts';
import { editedDocx, read, reportPart } from '../support/report-docx.ts';
import { parsePage } from '../support/report-pages.ts';

const CELL = 'T3.NEW_REQUESTS.NATURAL_PERSON';
const WHERE = 'table 3 (依申请公开), row "一、本年新收政府信息公开申请数量", column "自然人"';
const FIGURE_RUN = '<w:r><w:rPr></w:rPr><w:t>41</w:t></w:r>';
const NOTE_STYLES = `
  <w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
  <w:style w:type="character" w:styleId="EndnoteReference"><w:name w:val="endnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>`;
const notes = (kind: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:${kind}s xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:${kind} w:id="1"><w:p><w:r><w:t>含转办件2件</w:t></w:r></w:p></w:${kind}></w:${kind}s>`;

let documentXml: string;
let stylesXml: string;
beforeAll(async () => {
  documentXml = await reportPart();
  stylesXml = await reportPart('word/styles.xml');
});

/** The message the cell is refused with, given what is printed in it and the mark after 41. */
const markedAs = (printed: string, mark: string) =>
  `Line 37, ${WHERE}: "${printed}" is not a number: 41 has a footnote mark (${mark}) after it, which is neither read as part of the figure nor dropped: check what the footnote says of the figure, then remove the mark and import again.`;

const refusals = (result: ParseResult) =>
  result.ok
    ? result.report.cells.find((c) => c.code === CELL)?.value
    : result.problems.map((p) => [p.code, p.cellCode, p.message.replace(/^Line \d+/, 'Line 37')]);

describe('a Word note reference or raised digit glued to a figure', () => {
  const cases: [string, string, string, string][] = [
    [
      'a footnote reference of the reference style',
      '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>',
      '41[[1]]',
      '[[1]]',
    ],
    [
      'an endnote reference of the reference style',
      '<w:r><w:rPr><w:rStyle w:val="EndnoteReference"/></w:rPr><w:endnoteReference w:id="1"/></w:r>',
      '41[[1]]',
      '[[1]]',
    ],
    ['a footnote reference with no style', '<w:r><w:footnoteReference w:id="1"/></w:r>', '41[[1]]', '[[1]]'],
    [
      'a superscript 1',
      '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>1</w:t></w:r>',
      '41[1]',
      '[1]',
    ],
    ['¹ typed after the figure', '<w:r><w:t>¹</w:t></w:r>', '41¹', '¹'],
    ['① typed after the figure', '<w:r><w:t>①</w:t></w:r>', '41①', '①'],
  ];
  it.each(cases)('%s is refused, naming the cell and the mark', async (_, mark, printed, shown) => {
    const docx = await editedDocx(documentXml, (xml) => xml.replace(FIGURE_RUN, FIGURE_RUN + mark), {
      'word/footnotes.xml': notes('footnote'),
      'word/endnotes.xml': notes('endnote'),
      'word/styles.xml': stylesXml.replace('</w:styles>', `${NOTE_STYLES}</w:styles>`),
    });
    expect(refusals(await read(docx))).toEqual([['NOT_A_NUMBER', CELL, markedAs(printed, shown)]]);
  });
});

describe('a footnote mark glued to a figure on a web page', () => {
  const cases: [string, string, string][] = [
    ['41<sup>1</sup>', '41[1]', '[1]'],
    ['41<sup>①</sup>', '41[①]', '[①]'],
    ['41*', '41*', '*'],
    ['41【1】', '41【1】', '【1】'],
    ['41 <sup>1</sup>', '41 [1]', '[1]'],
  ];
  it.each(cases)('%s is refused, naming the cell and the mark', async (cell, printed, mark) => {
    expect(refusals(await parsePage(cell))).toEqual([['NOT_A_NUMBER', CELL, markedAs(printed, mark)]]);
  });

  it('digits run on after a mark, or words, are no footnote mark: refused as before', async () => {
    const result = await parsePage('41<sup>1</sup>2');
    expect(refusals(result)).toEqual([
      ['NOT_A_NUMBER', CELL, expect.stringContaining('"41[1]2" is not a number; expected a number')],
    ]);
    expect(refusals(await parsePage('41件左右'))).not.toEqual([
      ['NOT_A_NUMBER', CELL, expect.stringContaining('footnote mark')],
    ]);
  });
});

describe('a footnote mark alone in a figure cell', () => {
  const alone = (printed: string) =>
    `Line 37, ${WHERE}: "${printed}" is not a number: the cell holds a footnote mark (${printed}) and no figure, so whether it is blank or its figure is in the note cannot be told: check what the footnote says, then print the figure (or leave the cell blank) and import again.`;

  it("Word's footnote reference in an empty cell is refused, saying it holds a mark and no figure", async () => {
    const reference =
      '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>';
    const docx = await editedDocx(documentXml, (xml) => xml.replace(FIGURE_RUN, reference), {
      'word/footnotes.xml': notes('footnote'),
      'word/styles.xml': stylesXml.replace('</w:styles>', `${NOTE_STYLES}</w:styles>`),
    });
    expect(refusals(await read(docx))).toEqual([['NOT_A_NUMBER', CELL, alone('[[1]]')]]);
  });

  it('<sup>1</sup> alone on a web page', async () => {
    expect(refusals(await parsePage('<sup>1</sup>'))).toEqual([['NOT_A_NUMBER', CELL, alone('[1]')]]);
  });
});
