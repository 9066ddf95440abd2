import { beforeAll, describe, expect, it } from 'vitest';
import { forMammoth } from '../../src/ingest/docx.ts';
import { editedDocx, REPORT_DOCX, read, reportPart } from '../support/report-docx.ts';

/** The cell whose figure (41) the cases follow with a piece: 自然人 of 一、本年新收. */
const CELL = 'T3.NEW_REQUESTS.NATURAL_PERSON';
const FIGURE_RUN = '<w:r><w:rPr></w:rPr><w:t>41</w:t></w:r>';
const WHERE = 'table 3 (依申请公开), row "一、本年新收政府信息公开申请数量", column "自然人"';

let documentXml: string;
let stylesXml: string;
beforeAll(async () => {
  documentXml = await reportPart();
  stylesXml = await reportPart('word/styles.xml');
});

const run = (rPr: string, text: string) => `<w:r><w:rPr>${rPr}</w:rPr><w:t>${text}</w:t></w:r>`;

/** Character styles added to the fixture's (every paragraph of it is 12pt, w:sz 24, by its defaults). */
const CHARACTER_STYLES = `
  <w:style w:type="character" w:styleId="NoteMark"><w:name w:val="Note Mark"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
  <w:style w:type="character" w:styleId="NoteMarkChild"><w:name w:val="Note Mark Child"/><w:basedOn w:val="NoteMark"/><w:rPr><w:b/></w:rPr></w:style>
  <w:style w:type="character" w:styleId="Raised"><w:name w:val="Raised"/><w:rPr><w:position w:val="8"/></w:rPr></w:style>
  <w:style w:type="character" w:styleId="Small"><w:name w:val="Small"/><w:rPr><w:sz w:val="14"/></w:rPr></w:style>
  <w:style w:type="character" w:styleId="Big"><w:name w:val="Big"/><w:rPr><w:sz w:val="32"/></w:rPr></w:style>`;

/** The fixture with the cell's figure printed by `figure` (runs) and, when given, its styles extended. */
async function cellPrinted(figure: string) {
  const docx = await editedDocx(documentXml, (xml) => xml.replace(FIGURE_RUN, figure), {
    'word/styles.xml': stylesXml.replace('</w:styles>', `${CHARACTER_STYLES}</w:styles>`),
  });
  const result = await read(docx);
  return result.ok
    ? result.report.cells.find((c) => c.code === CELL)?.value
    : result.problems.filter((p) => p.cellCode === CELL || !p.cellCode).map((p) => [p.code, p.message]);
}

const refusedAs = (printed: string, why: string) => [
  [
    'NOT_A_NUMBER',
    expect.stringMatching(new RegExp(`^Line \\d+, ${WHERE.replace(/[()]/g, '\\$&')}: "${printed}" ${why}`)),
  ],
];
/** How a mark after 41 is refused (figure-note-marks.test.ts); a pattern, its bracket escaped. */
const MARK = 'is not a number: 41 has a footnote mark \\(';
const SMALLER = 'is not a number: 1 is printed smaller than 41 just before it';

describe('a Word run opening with a digit right after a figure', () => {
  // Each case printed 411 before: mammoth reads neither a run's size, nor w:position, nor a style's superscript.
  const raised: [string, string][] = [
    ['raised 3pt by w:position', run('<w:position w:val="6"/>', '1')],
    ['lowered 3pt by w:position', run('<w:position w:val="-6"/>', '1')],
    ['raised in points, as a strict file writes it', run('<w:position w:val="3pt"/>', '1')],
    ['raised by its character style', run('<w:rStyle w:val="Raised"/>', '1')],
    ['a superscript by its character style', run('<w:rStyle w:val="NoteMark"/>', '1')],
    ['a superscript by the style its style is based on', run('<w:rStyle w:val="NoteMarkChild"/>', '1')],
    ['smaller and raised half a point', run('<w:sz w:val="18"/><w:position w:val="1"/>', '1')],
  ];
  it.each(raised)('%s is a footnote mark, kept apart and refused (41[1])', async (_, piece) => {
    expect(await cellPrinted(FIGURE_RUN + piece)).toEqual(refusedAs('41\\[1\\]', MARK));
  });

  it('a raised run, then a smaller one on the line: each kept apart from what is before it (41[1][2])', async () => {
    const pieces = run('<w:position w:val="6"/>', '1') + run('<w:sz w:val="14"/>', '2');
    expect(await cellPrinted(FIGURE_RUN + pieces)).toEqual(refusedAs('41\\[1\\]\\[2\\]', MARK));
  });

  const smaller: [string, string, string][] = [
    ['6pt after 12pt', FIGURE_RUN, run('<w:sz w:val="12"/><w:szCs w:val="12"/>', '1')],
    ['smaller by its character style', FIGURE_RUN, run('<w:rStyle w:val="Small"/>', '1')],
    ['10pt after 12pt', FIGURE_RUN, run('<w:sz w:val="20"/>', '1')],
    ['12pt after a 16pt figure', run('<w:rStyle w:val="Big"/>', '41'), run('', '1')],
    ['10pt after 12pt, in points as a strict file writes it', FIGURE_RUN, run('<w:sz w:val="10pt"/>', '1')],
    ['after a hidden run', FIGURE_RUN + run('<w:vanish/>', '0'), run('<w:sz w:val="12"/>', '1')],
  ];
  it.each(smaller)('%s is refused as a web page refuses 41<small>1</small>', async (_, figure, piece) => {
    expect(await cellPrinted(figure + piece)).toEqual(refusedAs('41<small>1</small>', SMALLER));
  });

  // Each read as one figure before (a 6pt 1 before 41 was stored as 141).
  const smallerBefore: [string, string, string, string][] = [
    ['6pt before 12pt', run('<w:sz w:val="12"/>', '1'), FIGURE_RUN, '<small>1</small>41'],
    [
      'smaller by its character style',
      run('<w:rStyle w:val="Small"/>', '1'),
      FIGURE_RUN,
      '<small>1</small>41',
    ],
    ['a 12pt figure before a 16pt digit', FIGURE_RUN, run('<w:sz w:val="32"/>', '1'), '<small>41</small>1'],
    ['a 0 before the figure', run('<w:sz w:val="12"/>', '0'), FIGURE_RUN, '<small>0</small>41'],
  ];
  it.each(smallerBefore)(
    'a run printed smaller right before the figure (%s) is refused as <small>1</small>41',
    async (_, before, after, printed) => {
      const [piece, figure] = printed.split('</small>');
      expect(await cellPrinted(before + after)).toEqual(
        refusedAs(
          printed,
          `is not a number: ${piece?.slice('<small>'.length)} is printed smaller than ${figure} just after it`,
        ),
      );
    },
  );

  const reads: [string, string, string][] = [
    ['two runs of one size and place', FIGURE_RUN, run('', '1')],
    ['a run of the size the defaults give', FIGURE_RUN, run('<w:sz w:val="24"/>', '1')],
    ['a run of nearly its size (11pt beside 12pt)', FIGURE_RUN, run('<w:sz w:val="22"/>', '1')],
    ['a run nudged 1pt', FIGURE_RUN, run('<w:position w:val="2"/>', '1')],
    ['both runs raised alike', run('<w:position w:val="6"/>', '41'), run('<w:position w:val="6"/>', '1')],
    [
      "a style's superscript undone by the run's own baseline",
      FIGURE_RUN,
      run('<w:rStyle w:val="NoteMark"/><w:vertAlign w:val="baseline"/>', '1'),
    ],
  ];
  it.each(reads)('%s reads 411, as Word prints it', async (_, figure, piece) => {
    expect(await cellPrinted(figure + piece)).toBe('411');
  });

  it('a figure all in smaller runs of one size reads 41', async () => {
    expect(await cellPrinted(run('<w:sz w:val="14"/>', '4') + run('<w:rStyle w:val="Small"/>', '1'))).toBe(
      '41',
    );
  });

  it('a smaller unit after the figure is a unit (41件 reads 41)', async () => {
    expect(await cellPrinted(FIGURE_RUN + run('<w:sz w:val="12"/>', '件'))).toBe('41');
  });

  it('a smaller run set apart by a tab or a line break is no piece of the figure', async () => {
    const apart = await cellPrinted(`${FIGURE_RUN}<w:r><w:tab/></w:r>${run('<w:sz w:val="12"/>', '1')}`);
    expect(JSON.stringify(apart)).not.toContain('<small>');
    const broken = await cellPrinted(`${FIGURE_RUN}<w:r><w:br/></w:r>${run('<w:sz w:val="12"/>', '1')}`);
    expect(JSON.stringify(broken)).not.toContain('<small>');
  });
});

describe('what the file becomes before mammoth reads it', () => {
  it('a file without such a run passes unchanged, byte for byte', async () => {
    const bytes = Buffer.from(REPORT_DOCX);
    expect((await forMammoth(bytes)).equals(bytes)).toBe(true);
  });
});
