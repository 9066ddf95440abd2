/**
 * A footnote mark after a header's words (行政复议¹, Word's footnote reference after 总计), the
 * mark's digit its only one. Table 4 took such a header row for a row of figures and refused
 * the whole table as holding "a second row of figures"; the header is read as words now, and a
 * mark after a figure is still refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParseResult } from '../../src/ingest/types.ts';
import { cellsOf, editedDocx, read, reportPart, unalteredReading } from '../support/report-docx.ts';
import { parsePageReplacing } from '../support/report-pages.ts';

let documentXml: string;
let stylesXml: string;
let expectUnaltered: (docx: Uint8Array) => Promise<void>;
beforeAll(async () => {
  documentXml = await reportPart();
  stylesXml = await reportPart('word/styles.xml');
  ({ expectUnaltered } = await unalteredReading());
});

/** Word's note reference as it writes one: a run of the reference style (a superscript), and the note. */
const NOTE_STYLES = `
  <w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
  <w:style w:type="character" w:styleId="EndnoteReference"><w:name w:val="endnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>`;
const notesPart = (kind: 'footnote' | 'endnote') =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:${kind}s xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:${kind} w:id="1"><w:p><w:r><w:t>含不服上年答复的2件</w:t></w:r></w:p></w:${kind}></w:${kind}s>`;
const reference = (kind: 'footnote' | 'endnote') =>
  `<w:r><w:rPr><w:rStyle w:val="${kind === 'footnote' ? 'Footnote' : 'Endnote'}Reference"/></w:rPr><w:${kind}Reference w:id="1"/></w:r>`;

/** The fixture with a note reference after the run printing `text` (its `nth` from the end, 0 the last). */
function noted(text: string, kind: 'footnote' | 'endnote' = 'footnote', nth = 0) {
  const run = `<w:t>${text}</w:t></w:r>`;
  return editedDocx(
    documentXml,
    (xml) => {
      let at = xml.length;
      for (let i = 0; i <= nth; i++) at = xml.lastIndexOf(run, at - 1);
      expect(at, text).toBeGreaterThan(0);
      return xml.slice(0, at + run.length) + reference(kind) + xml.slice(at + run.length);
    },
    {
      [`word/${kind}s.xml`]: notesPart(kind),
      'word/styles.xml': stylesXml.replace('</w:styles>', `${NOTE_STYLES}</w:styles>`),
    },
  );
}

describe('a footnote mark after a table-4 header in a Word file', () => {
  // Each was refused before: "Line 66, table 4: a second row of figures (the first is on line 63)".
  const headers: [string, 'footnote' | 'endnote', number][] = [
    ['行政复议', 'footnote', 0],
    ['行政诉讼', 'footnote', 0],
    ['未经复议直接起诉', 'footnote', 0],
    ['复议后起诉', 'endnote', 0],
    // 复议后起诉's 总计, the header's last cell.
    ['总计', 'footnote', 0],
    // 行政复议's 总计, on the header's first row, where a row of figures would be taken to start.
    ['总计', 'endnote', 2],
  ];
  it.each(headers)('%s with a %s reference reads every figure as before', async (text, kind, nth) => {
    await expectUnaltered(await noted(text, kind, nth));
  });

  it('a mark after a figure is still refused, never read as a digit of it nor dropped', async () => {
    const result = await read(await noted('2', 'footnote', 0)) /* 未经复议直接起诉's 总计 */;
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems.map((p) => [p.code, p.cellCode, p.text])).toEqual([
        ['NOT_A_NUMBER', 'T4.LITIGATION_DIRECT.TOTAL', '2[[1]]'],
      ]);
  });
});

describe('a footnote mark after a table-4 header on a web page', () => {
  const cellsRead = (result: ParseResult) => {
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
    expect(result.report.gaps).toEqual([]);
    return cellsOf(result.report);
  };
  let before: ReturnType<typeof cellsOf>;
  beforeAll(async () => {
    before = cellsRead(
      await parsePageReplacing('<td colspan="5">行政复议</td>', '<td colspan="5">行政复议</td>'),
    );
  });
  const marked: [string, string][] = [
    ['<td colspan="5">行政复议</td>', '<td colspan="5">行政复议<sup>1</sup></td>'],
    ['<td colspan="5">行政复议</td>', '<td colspan="5">行政复议【1】</td>'],
    ['<td colspan="5">未经复议直接起诉</td>', '<td colspan="5">未经复议直接起诉<sup>1</sup></td>'],
    ['<td rowspan="2">总计</td>', '<td rowspan="2">总计<sup>1</sup></td>'],
  ];
  it.each(marked)('%s printed %s reads every figure as before', async (cell, printed) => {
    expect(cellsRead(await parsePageReplacing(cell, printed))).toEqual(before);
  });
});
