import { beforeAll, describe, expect, it } from 'vitest';
import { extractLines, parseDocument } from '../../src/ingest/document.ts';
import { forMammoth } from '../../src/ingest/docx.ts';
import { rebuiltDocx, reportDocxParts, reportOf, run, unalteredFigures } from '../support/docx-parts.ts';
import { docxWithDocumentXml } from '../support/hostile-files.ts';
import { REPORT_DOCX } from '../support/report-docx.ts';

/** The parts of the full report's .docx, read once. */
let parts: Map<string, Buffer>;
const reportDocx = (change: Parameters<typeof rebuiltDocx>[1]) => rebuiltDocx(parts, change);

/** A run of `text` with these run properties, put right after the run printing `figure` in its cell. */
const followedBy = (figure: string, run: string) => (xml: string) => {
  const cell = `<w:t>${figure}</w:t></w:r>`;
  expect(xml.split(cell), figure).toHaveLength(2);
  return xml.replace(cell, `${cell}${run}`);
};
/** The cell printing `figure` printed as `head` in its run and the rest in a run with these properties. */
const split = (figure: string, head: string, rPr: string) => (xml: string) => {
  expect(figure.startsWith(head)).toBe(true);
  const cell = `<w:t>${figure}</w:t></w:r>`;
  expect(xml.split(cell), figure).toHaveLength(2);
  return xml.replace(cell, `<w:t>${head}</w:t></w:r>${run(rPr, figure.slice(head.length))}`);
};

describe('hidden text in a Word (.docx) file', () => {
  let unaltered: Awaited<ReturnType<typeof unalteredFigures>>;

  beforeAll(async () => {
    parts = await reportDocxParts();
    unaltered = await unalteredFigures();
  });

  const expectUnaltered = async (docx: Uint8Array) => {
    const report = await unaltered(docx);
    expect(report.cells.find((c) => c.code === 'T2.LICENSING.DECISIONS')?.value).toBe('1268');
    return report;
  };

  it('leaves out a run formatted hidden (w:vanish) after 1,268: every figure is the unaltered report’s', async () => {
    const docx = reportDocx({
      document: (xml) =>
        [
          followedBy('1,268', run('<w:vanish/>', '0')),
          followedBy('87', run('<w:b/><w:vanish w:val="true"/>', '9')),
          followedBy('41', run('<w:vanish w:val="1"/>', '7')),
          followedBy('12.35', run('<w:vanish w:val="on"/>', '5')),
          // Hidden always, even where Word shows hidden text.
          followedBy('49', run('<w:specVanish/>', '9')),
        ].reduce((x, edit) => edit(x), xml),
    });
    await expectUnaltered(docx);
  });

  it('reads text hidden only in web view (w:webHidden), as Word prints it, and keeps a field whole', async () => {
    // 1,268 printed as 1,2 and a webHidden 68: Word's print layout and its PDF show 1,268.
    const docx = reportDocx({ document: split('1,268', '1,2', '<w:webHidden/>') });
    await expectUnaltered(docx);
    // A hidden field (a table of contents' page number) keeps its delimiters and code.
    const field = [
      '<w:r><w:rPr><w:vanish/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>',
      '<w:r><w:rPr><w:vanish/></w:rPr><w:instrText xml:space="preserve"> PAGEREF _Toc1 \\h </w:instrText></w:r>',
      '<w:r><w:rPr><w:vanish/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>',
      run('<w:vanish/>', '3'),
      '<w:r><w:rPr><w:vanish/></w:rPr><w:fldChar w:fldCharType="end"/></w:r>',
    ].join('');
    await expectUnaltered(reportDocx({ document: followedBy('87', field) }));
  });

  it('leaves out a run hidden by its character style, or by a style that style is based on', async () => {
    const styles = (xml: string) =>
      xml.replace(
        '</w:styles>',
        '<w:style w:type="character" w:styleId="Concealed"><w:name w:val="Concealed"/><w:rPr><w:vanish/></w:rPr></w:style>' +
          '<w:style w:type="character" w:styleId="Footnote"><w:name w:val="Footnote"/><w:basedOn w:val="Concealed"/><w:rPr><w:i/></w:rPr></w:style>' +
          '<w:style w:type="character" w:styleId="Shown"><w:name w:val="Shown"/><w:basedOn w:val="Concealed"/><w:rPr><w:vanish w:val="false"/></w:rPr></w:style></w:styles>',
      );
    const docx = reportDocx({
      styles,
      document: (xml) =>
        [
          followedBy('1,268', run('<w:rStyle w:val="Concealed"/>', '0')),
          followedBy('87', run('<w:rStyle w:val="Footnote"/>', '9')),
          // Its own formatting overrides the style, and so does a derived style's.
          split('41', '4', '<w:rStyle w:val="Footnote"/><w:vanish w:val="0"/>'),
          split('49', '4', '<w:rStyle w:val="Shown"/>'),
        ].reduce((x, edit) => edit(x), xml),
    });
    await expectUnaltered(docx);
  });

  it('reads what is not hidden: w:val="0"/"false"/"off", hiding only in an earlier revision (w:rPrChange), a hidden paragraph mark', async () => {
    const docx = reportDocx({
      document: (xml) =>
        [
          split('1,268', '1,2', '<w:vanish w:val="0"/><w:webHidden w:val="false"/>'),
          followedBy('68', run('<w:vanish/>', '0')),
          split('87', '8', '<w:vanish w:val="off"/>'),
          // Formatting since changed: the old run properties said hidden, the current ones do not.
          split(
            '41',
            '4',
            '<w:rPrChange w:id="1" w:author="a" w:date="2023-01-01T00:00:00Z"><w:rPr><w:vanish/></w:rPr></w:rPrChange>',
          ),
          // Only the paragraph mark of the cell's paragraph is hidden: its text shows.
          (x: string) =>
            x.replace(
              /(<w:rPr>)(<\/w:rPr><\/w:pPr><w:r><w:rPr><\/w:rPr><w:t>12\.35<\/w:t>)/,
              '$1<w:vanish/>$2',
            ),
        ].reduce((x, edit) => edit(x), xml),
    });
    const report = await expectUnaltered(docx);
    expect(report.cells.find((c) => c.code === 'T2.FEES.AMOUNT')?.value).toBe('12.35');
  });

  it('leaves out struck text as the old figure of a correction: double strikethrough (w:dstrike), strikethrough by a style', async () => {
    const styles = (xml: string) =>
      xml.replace(
        '</w:styles>',
        '<w:style w:type="character" w:styleId="Corrected"><w:name w:val="Corrected"/><w:rPr><w:dstrike/></w:rPr></w:style>' +
          '<w:style w:type="paragraph" w:styleId="Struck"><w:name w:val="Struck"/><w:rPr><w:strike/></w:rPr></w:style></w:styles>',
      );
    const docx = reportDocx({
      styles,
      document: (xml) =>
        [
          followedBy('1,268', run('<w:dstrike/>', '0')),
          followedBy('87', run('<w:dstrike w:val="true"/><w:strike w:val="0"/>', '9')),
          followedBy('12.35', run('<w:rStyle w:val="Corrected"/>', '5')),
          // Not struck: switched off, or in an earlier revision only.
          split('41', '4', '<w:dstrike w:val="0"/>'),
          split(
            '49',
            '4',
            '<w:rPrChange w:id="1" w:author="a" w:date="2023-01-01T00:00:00Z"><w:rPr><w:dstrike/></w:rPr></w:rPrChange>',
          ),
        ].reduce((x, edit) => edit(x), xml),
    });
    await expectUnaltered(docx);
    // A paragraph whose style strikes it through: its figure is the struck one, and the cell,
    // struck text only, is refused naming it, as a web page's is (it was stored as not reported).
    const struck = reportDocx({
      styles,
      document: (xml) =>
        xml.replace(/(<w:pStyle w:val=")TableContents("\/>(?:(?!<\/w:p>).)*<w:t>1,268<\/w:t>)/, '$1Struck$2'),
    });
    const { result } = await parseDocument(struck, { allowPartial: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.code, p.cellCode, p.text])).toEqual([
      ['NOT_A_NUMBER', 'T2.LICENSING.DECISIONS', '~~1,268~~'],
    ]);
    // A hidden (w:vanish) cell shows nothing, as in Word: blank.
    const hidden = reportDocx({
      document: (xml) =>
        xml.replace(/(<w:r>)((?:(?!<\/w:r>).)*<w:t>1,268<\/w:t>)/, '$1<w:rPr><w:vanish/></w:rPr>$2'),
    });
    const shown = reportOf(await parseDocument(hidden, { allowPartial: true }));
    expect(shown.cells.find((c) => c.code === 'T2.LICENSING.DECISIONS')?.status).toBe('NOT_REPORTED');
  });

  it('reads a hidden run under any namespace prefix, and in the strict namespace', async () => {
    const body = (w: string, ns: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><${w}:document xmlns:${w}="${ns}"><${w}:body><${w}:p><${w}:r><${w}:t>1268</${w}:t></${w}:r><${w}:r><${w}:rPr><${w}:vanish/></${w}:rPr><${w}:t>0</${w}:t></${w}:r></${w}:p></${w}:body></${w}:document>`;
    for (const xml of [
      body('w', 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'),
      body('ns0', 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'),
      body('w', 'http://purl.oclc.org/ooxml/wordprocessingml/main'),
    ]) {
      const extracted = await extractLines(docxWithDocumentXml(xml));
      if (!extracted.ok) throw new Error(extracted.problem.message);
      expect(extracted.lines.map((l) => l.text)).toEqual(['1268']);
    }
  });

  it('passes a file with no hidden text on unchanged, byte for byte', async () => {
    expect(await forMammoth(REPORT_DOCX)).toBe(REPORT_DOCX);
  });
});
