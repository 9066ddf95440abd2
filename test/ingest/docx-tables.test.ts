import { beforeAll, describe, expect, it } from 'vitest';
import {
  CARRIED_OVER,
  cellAt,
  cellsOf,
  editedDocx,
  NEW_REQUESTS,
  read,
  reportOf,
  reportPart,
  unalteredReading,
} from '../support/report-docx.ts';

const NEW_PERSON = 'T3.NEW_REQUESTS.NATURAL_PERSON';
const CARRIED_PERSON = 'T3.CARRIED_OVER.NATURAL_PERSON';
/** The run printing 41 (新收, 自然人) in the fixture. */
const RUN_41 = '<w:r><w:rPr></w:rPr><w:t>41</w:t></w:r>';

let documentXml: string;

/** The report's .docx with its document.xml changed, and other parts put in. */
const reportDocx = (edit: (xml: string) => string, parts: Record<string, string> = {}) =>
  editedDocx(documentXml, edit, parts);

/** The row's n-th cell changed by `edit`. */
const inCell = (label: string, n: number, edit: (cell: string) => string) => (xml: string) => {
  const [start, end] = cellAt(xml, label, n);
  const cell = edit(xml.slice(start, end));
  expect(cell, `cell ${n} of ${label} changed`).not.toBe(xml.slice(start, end));
  return xml.slice(0, start) + cell + xml.slice(end);
};

/** Where the row labelled `label` (w:tr) is. */
function rowAt(xml: string, label: string): [number, number] {
  const start = xml.lastIndexOf('<w:tr>', xml.indexOf(label));
  return [start, xml.indexOf('</w:tr>', start) + '</w:tr>'.length];
}

/** A cell's properties given a vertical merge (`<w:vMerge/>` continues, `restart` starts one). */
const merging = (merge: string) => (cell: string) => cell.replace('<w:tcPr>', `<w:tcPr>${merge}`);
const blanked = (cell: string) => cell.replace(/<w:t>[^<]*<\/w:t>/, '');

async function refusal(docx: Uint8Array) {
  const result = await read(docx);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems.map((p) => [p.code, p.message]);
}

describe('Word (.docx) tables, text boxes and embedded files mammoth misreads on its own', () => {
  let reference: ReturnType<typeof cellsOf>;
  let expectUnaltered: (docx: Uint8Array) => Promise<void>;

  beforeAll(async () => {
    documentXml = await reportPart();
    // The fixture merges its label cells down (w:vMerge) and reads whole: continued cells are blank.
    expect(documentXml).toContain('<w:vMerge w:val="continue"/>');
    ({ reference, expectUnaltered } = await unalteredReading());
  });

  describe('a cell merged down (w:vMerge)', () => {
    it('refuses the file when a continued cell holds text Word does not show, naming the cell and the text', async () => {
      // 新收 自然人 merged down over 上年结转: the blank first cell is what Word shows; the 3 typed
      // into the continued cell is dropped by mammoth, and the two rows were read as not reported.
      const blankLead = await reportDocx((xml) =>
        [
          inCell(CARRIED_OVER, 1, merging('<w:vMerge/>')),
          inCell(NEW_REQUESTS, 1, (cell) => blanked(merging('<w:vMerge w:val="restart"/>')(cell))),
        ].reduce((x, edit) => edit(x), xml),
      );
      expect(await refusal(blankLead)).toEqual([
        [
          'UNREADABLE_DOCUMENT',
          `The Word document cannot be read: it has text in a cell merged into the cell above (table 2, row 5 ("${CARRIED_OVER}"), column 4: "3"): Word shows only the merged cell's first part, other programs may show that text too, so which figure is meant cannot be told. Split those cells in Word and type each figure in its own row, or clear the text Word does not show.`,
        ],
      ]);
      // Under a figure, and continued with w:val="continue": the 3 is named, not folded into a gap on 41.
      const underFigure = await reportDocx((xml) =>
        [
          inCell(CARRIED_OVER, 1, merging('<w:vMerge w:val="continue"/>')),
          inCell(NEW_REQUESTS, 1, merging('<w:vMerge w:val="restart"/>')),
        ].reduce((x, edit) => edit(x), xml),
      );
      expect(await refusal(underFigure)).toEqual([
        ['UNREADABLE_DOCUMENT', expect.stringContaining(`column 4: "3"`)],
      ]);
    });

    it('refuses a figure merged down over two rows in both, as a web page’s rowspan, even with a bookmark around a row or a column', async () => {
      const merged = (xml: string) =>
        [
          inCell(CARRIED_OVER, 1, (cell) => blanked(merging('<w:vMerge/>')(cell))),
          inCell(NEW_REQUESTS, 1, merging('<w:vMerge w:val="restart"/>')),
        ].reduce((x, edit) => edit(x), xml);
      const bookmarks = {
        none: (xml: string) => xml,
        // Word's bookmark of a table's columns, before a row; and one between a row's cells.
        'around a row': (xml: string) => {
          const [row] = rowAt(xml, CARRIED_OVER);
          return `${xml.slice(0, row)}<w:bookmarkStart w:id="90" w:name="_Hlk1" w:colFirst="0" w:colLast="3"/>${xml.slice(row)}`;
        },
        'between cells': (xml: string) => {
          const [cell] = cellAt(xml, CARRIED_OVER, 2);
          return `${xml.slice(0, cell)}<w:bookmarkStart w:id="91" w:name="_Hlk2"/>${xml.slice(cell)}`;
        },
      };
      for (const [where, bookmark] of Object.entries(bookmarks)) {
        const report = reportOf(await read(await reportDocx((xml) => bookmark(merged(xml)))));
        for (const code of [NEW_PERSON, CARRIED_PERSON]) {
          expect(report.cells.find((c) => c.code === code)?.status, `${where}: ${code}`).toBe('MISSING');
        }
        expect(
          report.gaps.map((g) => [g.code, g.cellCode]),
          where,
        ).toEqual([
          ['MERGED_CELL', NEW_PERSON],
          ['MERGED_CELL', CARRIED_PERSON],
        ]);
      }
    });

    it('merges down into the cell of the same column in a row that starts past the first column (w:gridBefore)', async () => {
      // 上年结转 starting one column in, its label one column narrower: the grid is the same.
      const startsLater = (xml: string) => {
        const [start, end] = rowAt(xml, CARRIED_OVER);
        const row = xml
          .slice(start, end)
          .replace('<w:trPr></w:trPr>', '<w:trPr><w:gridBefore w:val="1"/></w:trPr>')
          .replace('<w:gridSpan w:val="3"/>', '<w:gridSpan w:val="2"/>');
        return xml.slice(0, start) + row + xml.slice(end);
      };
      await expectUnaltered(await reportDocx(startsLater));
      // 科研机构's 0 merged down from 新收 over 上年结转: refused in both rows, 商业企业's 6 read.
      const docx = await reportDocx((xml) =>
        [
          inCell(CARRIED_OVER, 3, (cell) => blanked(merging('<w:vMerge/>')(cell))),
          inCell(NEW_REQUESTS, 3, merging('<w:vMerge w:val="restart"/>')),
          startsLater,
        ].reduce((x, edit) => edit(x), xml),
      );
      const report = reportOf(await read(docx));
      const codes = ['T3.NEW_REQUESTS.RESEARCH_INSTITUTION', 'T3.CARRIED_OVER.RESEARCH_INSTITUTION'];
      expect(report.gaps.map((g) => [g.code, g.cellCode])).toEqual(
        codes.map((code) => ['MERGED_CELL', code]),
      );
      expect(cellsOf(report)).toEqual(
        reference.map((c) => (codes.includes(c.code) ? { ...c, status: 'MISSING', value: null } : c)),
      );
    });

    it('reads the report as before with bookmarks around its rows and columns', async () => {
      const docx = await reportDocx((xml) =>
        xml.replace(
          /<w:tr>/g,
          (row, at: number) => `<w:bookmarkStart w:id="${at}" w:name="_Hlk${at}"/>${row}`,
        ),
      );
      await expectUnaltered(docx);
    });
  });

  describe('tracked changes and wrappers in a table', () => {
    it('does not read a cell deleted as a tracked change (w:cellDel)', async () => {
      // The row as Word shows it with its changes: 41 deleted with its cell, 7 inserted with its own.
      const docx = await reportDocx(
        inCell(NEW_REQUESTS, 1, (cell) => {
          const deleted = cell.replace('<w:tcPr>', '<w:tcPr><w:cellDel w:id="1" w:author="a"/>');
          return (
            deleted +
            cell.replace('<w:tcPr>', '<w:tcPr><w:cellIns w:id="2" w:author="a"/>').replace('>41<', '>7<')
          );
        }),
      );
      const report = reportOf(await read(docx));
      expect(cellsOf(report)).toEqual(
        reference.map((c) => (c.code === NEW_PERSON ? { ...c, value: '7' } : c)),
      );
    });

    it('reads content controls, custom XML, smart tags, insertions and moves as Word shows them, deletions left out', async () => {
      const docx = await reportDocx((xml) =>
        [
          inCell(NEW_REQUESTS, 1, (cell) =>
            cell.replace(
              RUN_41,
              `<w:del w:id="1" w:author="a"><w:r><w:delText>40</w:delText></w:r></w:del><w:ins w:id="2" w:author="a">${RUN_41}</w:ins>`,
            ),
          ),
          inCell(NEW_REQUESTS, 2, (cell) =>
            cell.replace(
              /<w:r><w:rPr><\/w:rPr><w:t>6<\/w:t><\/w:r>/,
              (run) =>
                `<w:moveFrom w:id="3" w:author="a"><w:r><w:t>9</w:t></w:r></w:moveFrom><w:moveTo w:id="4" w:author="a"><w:smartTag w:uri="u" w:element="n">${run}</w:smartTag></w:moveTo>`,
            ),
          ),
          inCell(
            NEW_REQUESTS,
            3,
            (cell) =>
              `<w:sdt><w:sdtPr><w:id w:val="5"/></w:sdtPr><w:sdtContent>${cell}</w:sdtContent></w:sdt>`,
          ),
          inCell(NEW_REQUESTS, 4, (cell) => `<w:customXml w:element="cell">${cell}</w:customXml>`),
          (x: string) => {
            const [start, end] = rowAt(x, CARRIED_OVER);
            return `${x.slice(0, start)}<w:sdt><w:sdtPr/><w:sdtContent>${x.slice(start, end)}</w:sdtContent></w:sdt>${x.slice(end)}`;
          },
          // A row deleted as a tracked change, its figures different: not read.
          (x: string) => {
            const [start, end] = rowAt(x, CARRIED_OVER);
            const row = x.slice(start, end);
            const gone = row
              .replace('<w:trPr></w:trPr>', '<w:trPr><w:del w:id="6" w:author="a"/></w:trPr>')
              .replace(/<w:t>(\d+)<\/w:t>/g, '<w:t>9$1</w:t>');
            return x.slice(0, end) + gone + x.slice(end);
          },
          // A table of one cell in a cell, as a header built so.
          inCell(NEW_REQUESTS, 5, (cell) =>
            cell.replace(
              /<w:p>[\s\S]*<\/w:p>/,
              (paragraph) =>
                `<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc>${paragraph}</w:tc></w:tr></w:tbl><w:p/>`,
            ),
          ),
        ].reduce((x, edit) => edit(x), xml),
      );
      await expectUnaltered(docx);
    });
  });

  describe('text boxes (DrawingML) and embedded files', () => {
    const NS =
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"';
    /** A DrawingML text box holding `content`, as Word writes one in mc:Choice. */
    const textBox = (content: string, how: 'anchor' | 'inline' = 'anchor') =>
      `<w:drawing><wp:${how} distT="0" distB="0" distL="0" distR="0"><wp:extent cx="1" cy="1"/><wp:docPr id="1" name="Text Box 1"/><a:graphic ${NS}><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx><w:txbxContent>${content}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:${how}></w:drawing>`;
    const paragraph = (text: string) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`;
    const inRun = (box: string) =>
      inCell(NEW_REQUESTS, 1, (cell) => cell.replace(RUN_41, `<w:r>${box}</w:r>`));

    it('reads a figure in a text box with no VML fallback, or with a fallback that prints something else, as in a VML one', async () => {
      const boxes = {
        'no fallback': `<mc:AlternateContent><mc:Choice Requires="wps">${textBox(paragraph('41'))}</mc:Choice></mc:AlternateContent>`,
        'a fallback without the text': `<mc:AlternateContent><mc:Choice Requires="wps">${textBox(paragraph('41'))}</mc:Choice><mc:Fallback><w:pict><v:rect/></w:pict></mc:Fallback></mc:AlternateContent>`,
        'no alternate content, inline': textBox(paragraph('41'), 'inline'),
        // Word writes an ellipse's fallback as v:oval, which mammoth does not read.
        'Word’s fallback for an ellipse': `<mc:AlternateContent><mc:Choice Requires="wps">${textBox(paragraph('41'))}</mc:Choice><mc:Fallback><w:pict><v:oval><v:textbox><w:txbxContent>${paragraph('41')}</w:txbxContent></v:textbox></v:oval></w:pict></mc:Fallback></mc:AlternateContent>`,
        // A choice requiring what Word does not know (another program's namespace): Word shows the fallback.
        'a choice Word does not take': `<mc:AlternateContent xmlns:other="urn:example:other"><mc:Choice Requires="other">${textBox(paragraph('9'))}</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>${paragraph('41')}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>`,
        // As Word writes one: the same text box twice, mammoth reading the fallback; as before.
        'Word’s VML fallback': `<mc:AlternateContent><mc:Choice Requires="wps">${textBox(paragraph('41'))}</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>${paragraph('41')}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>`,
      };
      for (const [how, box] of Object.entries(boxes)) {
        const report = reportOf(await read(await reportDocx(inRun(box))));
        expect(cellsOf(report), how).toEqual(reference);
      }
    });

    it('refuses a figure alone in a text box or frame anchored outside the tables: Word may draw it over a cell', async () => {
      // A white box holding 3001 anchored in the heading above table 3 and placed over the cell
      // printing 2999: the page shows 3001, and 2999 was stored.
      const heading = /(<w:p>(?:(?!<w:p>)[\s\S])*?三、收到和处理(?:(?!<\/w:p>)[\s\S])*?)<\/w:p>/;
      const outside = {
        'a text box': (xml: string) =>
          xml.replace(heading, (_, p) => `${p}<w:r>${textBox(paragraph('3001'))}</w:r></w:p>`),
        'a frame (w:framePr)': (xml: string) =>
          xml.replace(
            heading,
            (whole) =>
              `${whole}<w:p><w:pPr><w:framePr w:w="600" w:hAnchor="page" w:x="4000" w:y="6000"/></w:pPr><w:r><w:t>3001</w:t></w:r></w:p>`,
          ),
      };
      for (const [how, edit] of Object.entries(outside)) {
        const docx = await reportDocx((xml) => {
          const edited = edit(xml);
          expect(edited, how).not.toBe(xml);
          return edited;
        });
        const result = await read(docx);
        expect(result.ok, how).toBe(false);
        if (result.ok) continue;
        expect(result.problems[0]?.message, how).toMatch(
          /^The Word document cannot be read for certain: a text box or frame holds a figure alone \("3001"\)\./,
        );
      }
      // Words in such a box (a cover's date) are no figure alone: read as before.
      const dated = await reportDocx((xml) =>
        xml.replace(heading, (_, p) => `${p}<w:r>${textBox(paragraph('2024年1月'))}</w:r></w:p>`),
      );
      expect(cellsOf(reportOf(await read(dated)))).toEqual(reference);
    });

    it('reads a whole table in a text box with no fallback', async () => {
      const docx = await reportDocx((xml) => {
        const tables = [...xml.matchAll(/<w:tbl>/g)].map((m) => m.index);
        const start = tables[1] ?? 0;
        const end = xml.lastIndexOf('</w:tbl>', tables[2]) + '</w:tbl>'.length;
        expect(xml.slice(start, end)).toContain(NEW_REQUESTS);
        const box = textBox(`${xml.slice(start, end)}<w:p/>`);
        return `${xml.slice(0, start)}<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps">${box}</mc:Choice></mc:AlternateContent></w:r></w:p>${xml.slice(end)}`;
      });
      await expectUnaltered(docx);
    });

    it('refuses a file that embeds another whole (w:altChunk), which the reader does not open', async () => {
      const rels = await reportPart('word/_rels/document.xml.rels');
      const docx = await reportDocx(
        (xml) => xml.replace('<w:sectPr', '<w:altChunk r:id="rIdChunk"/><w:sectPr'),
        {
          'word/afchunk.htm': '<html><body><p>本年新收申请 41 件</p></body></html>',
          'word/_rels/document.xml.rels': rels.replace(
            '</Relationships>',
            '<Relationship Id="rIdChunk" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="afchunk.htm"/></Relationships>',
          ),
        },
      );
      expect(await refusal(docx)).toEqual([
        [
          'UNREADABLE_DOCUMENT',
          expect.stringMatching(
            /^The Word document cannot be read: it prints text in <w:altChunk> \(another file/,
          ),
        ],
      ]);
    });
  });
});
