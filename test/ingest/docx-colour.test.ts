import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { type Edit, rebuiltDocx, reportDocxParts, run, unalteredFigures } from '../support/docx-parts.ts';

/**
 * Text Word prints in a colour that cannot be seen on what is behind it (white on a white cell,
 * blue on a blue one) shows the reader nothing, as hidden text does: a white 7 between 4 and 9 is
 * read 49, as Word shows it, never 479. Text seen on its background (white on a dark header
 * cell, light grey on white) is read.
 */

/** The parts of the full report's .docx, read once. */
let parts: Map<string, Buffer>;
const reportDocx = (change: Parameters<typeof rebuiltDocx>[1]) => rebuiltDocx(parts, change);

const color = (val: string) => `<w:color w:val="${val}"/>`;
const fill = (val: string) => `<w:shd w:val="clear" w:color="auto" w:fill="${val}"/>`;

/** The run printing `figure` in its cell replaced by these runs. */
const printedAs =
  (figure: string, ...runs: string[]): Edit =>
  (xml) => {
    const cell = `<w:r><w:rPr></w:rPr><w:t>${figure}</w:t></w:r>`;
    expect(xml.split(cell), figure).toHaveLength(2);
    return xml.replace(cell, runs.join(''));
  };

/** The cell (tcPr) or the paragraph (pPr) printing `figure` given these properties. */
const around =
  (figure: string, properties: 'tcPr' | 'pPr', add: string): Edit =>
  (xml) => {
    const at = xml.indexOf(`<w:t>${figure}</w:t>`);
    expect(at, figure).toBeGreaterThan(0);
    const end = xml.lastIndexOf(`</w:${properties}>`, at);
    return xml.slice(0, end) + add + xml.slice(end);
  };

const edits =
  (...all: Edit[]): Edit =>
  (xml) =>
    all.reduce((x, edit) => edit(x), xml);

describe('text coloured as what is behind it in a Word (.docx) file', () => {
  /** Parses the file and checks that every figure is the unaltered report's. */
  let expectUnaltered: Awaited<ReturnType<typeof unalteredFigures>>;

  beforeAll(async () => {
    parts = await reportDocxParts();
    expectUnaltered = await unalteredFigures();
  });

  it('leaves out white text on the page (4, a white 7, 9 is 49), and near-white #FEFEFE; reads light grey #999999', async () => {
    const docx = reportDocx({
      document: edits(
        printedAs('49', run('', '4'), run(color('FFFFFF'), '7'), run('', '9')),
        printedAs('87', run('', '8'), run(color('fefefe'), '0'), run('', '7')),
        printedAs('41', run(color('999999'), '4'), run('', '1')),
      ),
    });
    await expectUnaltered(docx);
  });

  it('leaves out white text on white shading: the cell’s, the paragraph’s, the run’s own', async () => {
    const docx = reportDocx({
      document: edits(
        around('49', 'tcPr', fill('FFFFFF')),
        printedAs('49', run('', '4'), run(color('FFFFFF'), '7'), run('', '9')),
        around('87', 'pPr', fill('FFFFFF')),
        printedAs('87', run('', '8'), run(color('FFFFFF'), '3'), run('', '7')),
        printedAs('41', run('', '4'), run(color('FFFFFF') + fill('FFFFFF'), '5'), run('', '1')),
      ),
    });
    await expectUnaltered(docx);
  });

  it('leaves out text coloured as its cell’s, paragraph’s or run’s shading; reads the rest of the shaded cell', async () => {
    const docx = reportDocx({
      document: edits(
        around('49', 'tcPr', fill('4472C4')),
        printedAs('49', run('', '4'), run(color('4472C4'), '7'), run('', '9')),
        around('87', 'pPr', fill('C00000')),
        printedAs('87', run('', '8'), run(color('C00000'), '3'), run('', '7')),
        printedAs('41', run('', '4'), run(color('FFC000') + fill('FFC000'), '5'), run('', '1')),
      ),
    });
    await expectUnaltered(docx);
  });

  it('reads white text on a dark cell, and automatic text on a black one, where text of the cell’s colour is left out', async () => {
    const docx = reportDocx({
      document: edits(
        around('49', 'tcPr', fill('1F3864')),
        printedAs('49', run(color('FFFFFF'), '4'), run(color('1F3864'), '7'), run(color('FFFFFF'), '9')),
        around('87', 'tcPr', fill('000000')),
        printedAs('87', run(color('auto'), '8'), run(color('000000'), '3'), run('', '7')),
      ),
    });
    const report = await expectUnaltered(docx);
    expect(report.cells.find((c) => c.code === 'T2.LICENSING.DECISIONS')?.value).toBe('1268');
  });

  it('leaves out text coloured by its character style, or by the document’s defaults, as what is behind it', async () => {
    const styles = edits(
      (xml) =>
        xml.replace(
          '</w:styles>',
          '<w:style w:type="character" w:styleId="Unseen"><w:name w:val="Unseen"/><w:rPr><w:color w:val="FFFFFF"/></w:rPr></w:style>' +
            '<w:style w:type="character" w:styleId="Note"><w:name w:val="Note"/><w:basedOn w:val="Unseen"/><w:rPr><w:i/></w:rPr></w:style></w:styles>',
        ),
      // Dark blue by default: Normal no longer sets its colour, so every paragraph has the default's.
      (xml) => xml.replace('<w:color w:val="auto"/>', ''),
      (xml) => xml.replace('<w:rPrDefault><w:rPr>', `<w:rPrDefault><w:rPr>${color('1F3864')}`),
    );
    const docx = reportDocx({
      styles,
      document: edits(
        printedAs('87', run('', '8'), run('<w:rStyle w:val="Note"/>', '3'), run('', '7')),
        printedAs('41', run('', '4'), run('<w:rStyle w:val="Unseen"/>', '5'), run('', '1')),
        around('49', 'tcPr', fill('1F3864')),
        printedAs('49', run(color('FFFFFF'), '4'), run('', '7'), run(color('FFFFFF'), '9')),
      ),
    });
    await expectUnaltered(docx);
  });

  it('leaves out text coloured as its highlight, and reads white text highlighted black', async () => {
    const docx = reportDocx({
      document: edits(
        printedAs(
          '49',
          run('', '4'),
          run(`${color('FFFF00')}<w:highlight w:val="yellow"/>`, '7'),
          run('', '9'),
        ),
        // The highlight is drawn over the run's shading: white on black, whatever the shading.
        printedAs(
          '87',
          run(`${color('FFFFFF')}<w:highlight w:val="black"/>${fill('FFFFFF')}`, '8'),
          run(color('FFFFFF'), '3'),
          run('', '7'),
        ),
      ),
    });
    await expectUnaltered(docx);
  });

  it('reads the theme’s colours, with their tint, to leave out text of a shaded cell’s colour', async () => {
    const theme =
      '<?xml version="1.0" encoding="UTF-8"?><a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office"><a:themeElements><a:clrScheme name="Office">' +
      '<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>' +
      '<a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2><a:accent1><a:srgbClr val="4472C4"/></a:accent1>' +
      '</a:clrScheme></a:themeElements></a:theme>';
    const docx = reportDocx({
      added: { 'word/theme/theme1.xml': theme },
      document: edits(
        around('49', 'tcPr', fill('4472C4')),
        printedAs(
          '49',
          run('', '4'),
          run('<w:color w:val="000000" w:themeColor="accent1"/>', '7'),
          run('', '9'),
        ),
        // background1 is white; lightened by a tint of 0, anything is white.
        printedAs(
          '87',
          run('', '8'),
          run('<w:color w:val="000000" w:themeColor="background1"/>', '3'),
          run('', '7'),
        ),
        printedAs(
          '41',
          run('', '4'),
          run('<w:color w:val="000000" w:themeColor="text1" w:themeTint="00"/>', '5'),
          run('', '1'),
        ),
        // A shading in a theme colour: dark blue text (dk2) on it is read.
        around(
          '42',
          'tcPr',
          '<w:shd w:val="clear" w:color="auto" w:fill="000000" w:themeFill="accent1" w:themeFillTint="33"/>',
        ),
        printedAs('42', run('<w:color w:val="44546A" w:themeColor="text2"/>', '42')),
      ),
    });
    await expectUnaltered(docx);
  });

  it('refuses a cell holding digits in a theme colour the file does not define, on a shaded cell, naming it', async () => {
    const docx = reportDocx({
      document: edits(
        around('49', 'tcPr', fill('4472C4')),
        printedAs(
          '49',
          run('', '4'),
          run('<w:color w:val="4472C4" w:themeColor="accent1"/>', '7'),
          run('', '9'),
        ),
      ),
    });
    const { result } = await parseDocument(docx, { allowPartial: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const [problem, ...others] = result.problems;
    expect(others).toEqual([]);
    expect(problem?.code).toBe('NOT_A_NUMBER');
    expect(problem?.message).toContain('the theme colour "accent1", which the file\'s theme does not define');
    expect(problem?.message).toContain('the cell may read 49 or 479');
  });
  it('reads text1 and background1 in a file without a theme as Word’s own theme shows them: black, white', async () => {
    // The fixture has no theme part: Word shows it in its own theme, where text 1 is black.
    const text1 = run('<w:color w:val="000000" w:themeColor="text1"/>', '49');
    await expectUnaltered(reportDocx({ document: printedAs('49', text1) }));
    const white = run('<w:color w:val="FFFFFF" w:themeColor="background1"/>', '7');
    await expectUnaltered(reportDocx({ document: printedAs('49', run('', '4'), white, run('', '9')) }));
  });

  it('leaves out text of a table style’s shading, and refuses white text on a page colour Word shows on screen and does not print', async () => {
    const styles = (xml: string) =>
      xml.replace(
        '</w:styles>',
        `<w:style w:type="table" w:styleId="Blue"><w:name w:val="Blue"/><w:tcPr>${fill('4472C4')}</w:tcPr></w:style></w:styles>`,
      );
    const table = (xml: string) => {
      const at = xml.lastIndexOf('<w:tblPr>', xml.indexOf('<w:t>49</w:t>'));
      return `${xml.slice(0, at)}<w:tblPr><w:tblStyle w:val="Blue"/>${xml.slice(at + '<w:tblPr>'.length)}`;
    };
    const docx = reportDocx({
      styles,
      document: edits(table, printedAs('49', run('', '4'), run(color('4472C4'), '7'), run('', '9'))),
    });
    await expectUnaltered(docx);
    // On screen the white 7 shows on the dark blue page; printed, on white paper, it does not.
    const paged = reportDocx({
      document: edits(
        (xml) => xml.replace(/(<w:document[^>]*>)/, '$1<w:background w:color="1F3864"/>'),
        printedAs('49', run('', '4'), run(color('FFFFFF'), '7'), run('', '9')),
      ),
    });
    const { result } = await parseDocument(paged, { allowPartial: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.code)).toEqual(['NOT_A_NUMBER']);
    expect(result.problems[0]?.message).toContain(
      'its colour #FFFFFF is seen on the page colour #1F3864 Word shows on screen, and not seen on the white paper it prints on',
    );
  });
});
