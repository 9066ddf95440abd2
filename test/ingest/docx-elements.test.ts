import { beforeAll, describe, expect, it } from 'vitest';
import { extractLines } from '../../src/ingest/document.ts';
import {
  CARRIED_OVER,
  cellAt,
  cellHolding,
  cellsOf,
  editedDocx,
  NEW_REQUESTS,
  read,
  reportOf,
  reportPart,
  unalteredReading,
} from '../support/report-docx.ts';

let documentXml: string;

/** The report's .docx with its document.xml changed. */
const reportDocx = (edit: (xml: string) => string) => editedDocx(documentXml, edit);

/** The row's cells from..to (inclusive) replaced by `cells`. */
const replaceCells = (label: string, from: number, to: number, cells: string) => (xml: string) => {
  const [start] = cellAt(xml, label, from);
  const [, end] = cellAt(xml, label, to);
  return xml.slice(0, start) + cells + xml.slice(end);
};

/** The last run of the row's n-th cell, wrapped by `wrap`. */
const wrapFigure = (label: string, n: number, wrap: (run: string) => string) => (xml: string) => {
  const [start, end] = cellAt(xml, label, n);
  const cell = xml.slice(start, end).replace(/<w:r>(?:(?!<w:r>)[\s\S])*?<\/w:r>(?=<\/w:p>)/, wrap);
  return xml.slice(0, start) + cell + xml.slice(end);
};

describe('Word (.docx) markup mammoth does not read on its own', () => {
  let reference: ReturnType<typeof cellsOf>;
  let expectUnaltered: (docx: Uint8Array) => Promise<void>;

  beforeAll(async () => {
    documentXml = await reportPart();
    ({ reference, expectUnaltered } = await unalteredReading());
  });

  it('reads a figure inside a simple field (w:fldSimple) or a direction wrapper (w:dir, w:bdo) as printed', async () => {
    const total = reference.find((c) => c.code === 'T3.NEW_REQUESTS.TOTAL');
    expect(total?.value).toBe('49');
    const docx = await reportDocx((xml) =>
      [
        // A table formula as Word saves it: its result in the field, with the field's data beside.
        wrapFigure(
          NEW_REQUESTS,
          7,
          (run) => `<w:fldSimple w:instr=" =SUM(LEFT) "><w:fldData>AAAA</w:fldData>${run}</w:fldSimple>`,
        ),
        wrapFigure(NEW_REQUESTS, 1, (run) => `<w:fldSimple w:instr=" =41 ">${run}</w:fldSimple>`),
        wrapFigure(NEW_REQUESTS, 2, (run) => `<w:dir w:val="ltr">${run}</w:dir>`),
        wrapFigure(NEW_REQUESTS, 3, (run) => `<w:bdo w:val="ltr">${run}</w:bdo>`),
        wrapFigure(CARRIED_OVER, 1, (run) => `<w:dir w:val="rtl"><w:bdo w:val="ltr">${run}</w:bdo></w:dir>`),
      ].reduce((x, edit) => edit(x), xml),
    );
    await expectUnaltered(docx);
  });

  it('refuses a figure in a right-to-left override (w:bdo w:val="rtl"), which Word shows reversed (41 as 14)', async () => {
    for (const wrap of [
      (run: string) => `<w:bdo w:val="rtl">${run}</w:bdo>`,
      (run: string) => `<w:dir w:val="ltr"><w:bdo w:val="rtl">${run}</w:bdo></w:dir>`,
    ]) {
      const result = await read(await reportDocx(wrapFigure(NEW_REQUESTS, 1, wrap)));
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.problems.map((p) => [p.code, p.cellCode, p.text])).toEqual([
        ['NOT_A_NUMBER', 'T3.NEW_REQUESTS.NATURAL_PERSON', '\u202E41\u202C'],
      ]);
      expect(result.problems[0]?.message).toContain('in a Word file w:bdo w:val="rtl"');
    }
  });

  it('reads a carriage return (w:cr) or an absolute tab (w:ptab) between digits as Word prints them, refusing the cell', async () => {
    for (const between of [
      '<w:cr/>',
      '<w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/>',
    ]) {
      const docx = await reportDocx(
        wrapFigure(NEW_REQUESTS, 1, (run) =>
          run.replace('<w:t>41</w:t>', `<w:t>4</w:t>${between}<w:t>1</w:t>`),
        ),
      );
      const result = await read(docx);
      expect(result.ok, between).toBe(false);
      if (result.ok) continue;
      expect(result.problems.map((p) => [p.code, p.cellCode])).toContainEqual([
        'NOT_A_NUMBER',
        'T3.NEW_REQUESTS.NATURAL_PERSON',
      ]);
    }
  });

  describe('cells merged across columns with w:hMerge, read as merged by w:gridSpan', () => {
    const merged = (figure: string, how: 'hMerge' | 'gridSpan') => {
      const content = figure === '' ? '<w:p/>' : `<w:p><w:r><w:t>${figure}</w:t></w:r></w:p>`;
      const cells =
        how === 'gridSpan'
          ? `<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>${content}</w:tc>`
          : `<w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr>${content}</w:tc><w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc>`;
      // 科研机构 and 社会公益组织 of 上年结转, both 0 in the report.
      return replaceCells(CARRIED_OVER, 3, 4, cells);
    };
    const codes = ['T3.CARRIED_OVER.RESEARCH_INSTITUTION', 'T3.CARRIED_OVER.SOCIAL_ORGANISATION'];

    it('does not place a figure merged across two columns, as with gridSpan', async () => {
      const byGridSpan = reportOf(await read(await reportDocx(merged('7', 'gridSpan'))));
      const byHMerge = reportOf(await read(await reportDocx(merged('7', 'hMerge'))));
      expect(cellsOf(byHMerge)).toEqual(cellsOf(byGridSpan));
      expect(byHMerge.gaps.map((g) => [g.code, g.cellCode])).toEqual(
        byGridSpan.gaps.map((g) => [g.code, g.cellCode]),
      );
      for (const code of codes) {
        expect(byHMerge.cells.find((c) => c.code === code)?.status).toBe('MISSING');
        expect(byHMerge.gaps.map((g) => [g.code, g.cellCode])).toContainEqual(['MISSING_CELL', code]);
      }
    });

    it('reads a figure printed in the continued cell in the merged one, never under a column of its own', async () => {
      const docx = await reportDocx(
        replaceCells(
          CARRIED_OVER,
          3,
          4,
          '<w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr><w:p/></w:tc><w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p><w:r><w:t>7</w:t></w:r></w:p></w:tc>',
        ),
      );
      const report = reportOf(await read(docx));
      for (const code of codes) expect(report.cells.find((c) => c.code === code)?.status).toBe('MISSING');
    });

    it('reads a blank merged across two columns as a blank under each, as before', async () => {
      const report = reportOf(await read(await reportDocx(merged('', 'hMerge'))));
      expect(report.gaps).toEqual([]);
      expect(cellsOf(report)).toEqual(
        reference.map((c) => (codes.includes(c.code) ? { ...c, status: 'NOT_REPORTED', value: null } : c)),
      );
    });

    it('reads label cells merged with hMerge instead of gridSpan as before: every figure unaltered', async () => {
      const docx = await reportDocx((xml) => {
        const start = xml.lastIndexOf('<w:tbl>', xml.indexOf(NEW_REQUESTS));
        const end = xml.indexOf('</w:tbl>', start);
        const table = xml.slice(start, end).replace(/<w:tc>[\s\S]*?<\/w:tc>/g, (cell) => {
          const span = /<w:gridSpan w:val="(\d+)"\/>/.exec(cell);
          if (!span) return cell;
          const continued = '<w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc>';
          return cell.replace(span[0], '<w:hMerge w:val="restart"/>') + continued.repeat(Number(span[1]) - 1);
        });
        expect(table).toContain('<w:hMerge/>');
        return xml.slice(0, start) + table + xml.slice(end);
      });
      await expectUnaltered(docx);
    });
  });

  describe('a paragraph mark deleted as a tracked change (w:pPr/w:rPr/w:del)', () => {
    const DELETED_MARK = '<w:pPr><w:rPr><w:del w:id="95" w:author="a"/></w:rPr></w:pPr>';
    const paragraph = (figure: string, mark = '') => `<w:p>${mark}<w:r><w:t>${figure}</w:t></w:r></w:p>`;
    /** The mark of the paragraph printing `text` deleted. */
    const markDeleted = (text: string) => (xml: string) => {
      expect(xml.split(text), text).toHaveLength(2);
      const start = xml.lastIndexOf('<w:p>', xml.indexOf(text));
      const mark = '<w:rPr></w:rPr></w:pPr>';
      const at = xml.indexOf(mark, start);
      expect(at).toBeLessThan(xml.indexOf(text));
      return `${xml.slice(0, at)}<w:rPr><w:del w:id="96" w:author="a"/></w:rPr></w:pPr>${xml.slice(at + mark.length)}`;
    };

    it('keeps the text of a cell’s last paragraph in its cell, as Word does (2 was read in the next cell, as 20)', async () => {
      const docx = await reportDocx((xml) =>
        [
          // 法律服务机构 2 and 科研机构 0, each its cell's only paragraph.
          cellHolding(NEW_REQUESTS, 5, paragraph('2', DELETED_MARK)),
          cellHolding(NEW_REQUESTS, 3, paragraph('0', DELETED_MARK)),
          // Within a cell the paragraphs join, as Word and mammoth both read them: 4 and 1 are 41.
          cellHolding(NEW_REQUESTS, 1, paragraph('4', DELETED_MARK), paragraph('1')),
        ].reduce((x, edit) => edit(x), xml),
      );
      await expectUnaltered(docx);
    });

    it('keeps a paragraph before a table out of the table, and the body’s last paragraph in the body', async () => {
      const docx = await reportDocx((xml) =>
        [markDeleted('三、收到和处理政府信息公开申请情况'), markDeleted('（此件公开发布）')].reduce(
          (x, edit) => edit(x),
          xml,
        ),
      );
      // mammoth read the heading in the table's first cell, and the table was not recognised.
      await expectUnaltered(docx);
      const extracted = await extractLines(docx);
      if (!extracted.ok) throw new Error(extracted.problem.message);
      expect(extracted.lines.at(-1)?.text).toBe('（此件公开发布）');
    });
  });

  describe('text in an element mammoth ignores', () => {
    const refusal = async (docx: Uint8Array) => {
      const result = await read(docx);
      expect(result.ok).toBe(false);
      return result.ok ? [] : result.problems.map((p) => [p.code, p.message]);
    };

    it('refuses the file, naming the element: a phonetic guide (w:ruby), an equation, a VML oval’s text box', async () => {
      const ruby = wrapFigure(
        NEW_REQUESTS,
        1,
        () =>
          '<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>sì shí yī</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>41</w:t></w:r></w:rubyBase></w:ruby></w:r>',
      );
      expect(await refusal(await reportDocx(ruby))).toEqual([
        [
          'UNREADABLE_DOCUMENT',
          expect.stringMatching(/^The Word document cannot be read: it prints text in <w:ruby>, /),
        ],
      ]);
      const equation = wrapFigure(
        NEW_REQUESTS,
        1,
        () =>
          '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><m:r><m:t>41</m:t></m:r></m:oMath>',
      );
      expect(await refusal(await reportDocx(equation))).toEqual([
        ['UNREADABLE_DOCUMENT', expect.stringContaining('<m:oMath> (an equation)')],
      ]);
      const oval = wrapFigure(
        NEW_REQUESTS,
        1,
        (run) =>
          `${run}<w:r><w:pict><v:oval><v:textbox><w:txbxContent><w:p><w:r><w:t>注</w:t></w:r></w:p></w:txbxContent></v:textbox></v:oval></w:pict></w:r>`,
      );
      expect(await refusal(await reportDocx(oval))).toEqual([
        ['UNREADABLE_DOCUMENT', expect.stringContaining('<v:oval>')],
      ]);
    });

    it('reads a file whose ignored elements print nothing: permissions, row exceptions, a custom XML range', async () => {
      const docx = await reportDocx((xml) =>
        [
          wrapFigure(
            NEW_REQUESTS,
            1,
            (run) => `<w:permStart w:id="1" w:edGrp="everyone"/>${run}<w:permEnd w:id="1"/>`,
          ),
          wrapFigure(
            NEW_REQUESTS,
            2,
            (run) =>
              `<w:customXmlInsRangeStart w:id="2" w:author="a"/>${run}<w:customXmlInsRangeEnd w:id="2"/>`,
          ),
          (x: string) => {
            const row = x.lastIndexOf('<w:tr>', x.indexOf(CARRIED_OVER)) + '<w:tr>'.length;
            return `${x.slice(0, row)}<w:tblPrEx><w:tblBorders/></w:tblPrEx>${x.slice(row)}`;
          },
        ].reduce((x, edit) => edit(x), xml),
      );
      await expectUnaltered(docx);
    });
  });
});
