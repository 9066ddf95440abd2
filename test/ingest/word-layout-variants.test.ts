/**
 * Word files as agencies lay their tables out by hand, each read figure for figure as the
 * unaltered report.docx is: header cells turned vertical, table 3 split into two tables at a page
 * break (its header typed again or not, 续表 above it), table 4 split inside its header, tables
 * with no borders, comments on cells (their text is never a cell's), and a Word 97 (.doc) file's
 * blank cells (a gap, never 0). Guards: each was read so when checked.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import {
  cellsOf,
  editedDocx,
  NEW_REQUESTS,
  read,
  reportOf,
  reportPart,
  unalteredReading,
} from '../support/report-docx.ts';

let xml: string;
let reference: ReturnType<typeof cellsOf>;
let expectUnaltered: (docx: Uint8Array) => Promise<void>;
beforeAll(async () => {
  xml = await reportPart();
  ({ reference, expectUnaltered } = await unalteredReading());
});

const PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>';
const paragraph = (text: string) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`;

/** Where the row (w:tr) holding `text` is. */
function rowAt(x: string, text: string): [number, number] {
  const start = x.lastIndexOf('<w:tr>', x.indexOf(text));
  return [start, x.indexOf('</w:tr>', start) + '</w:tr>'.length];
}

/** The table split before the row holding `text`: `between` after the first, the rest a table of the same properties. */
function splitBefore(x: string, text: string, between = PAGE_BREAK, retyped = ''): string {
  const [row] = rowAt(x, text);
  const table = x.lastIndexOf('<w:tbl>', row);
  const properties = x.slice(table, x.indexOf('<w:tr>', table));
  return `${x.slice(0, row)}</w:tbl>${between}${properties}${retyped}${x.slice(row)}`;
}

/** The rows from the one holding `from` to the one holding `to`, as printed. */
const rows = (x: string, from: string, to: string) => x.slice(rowAt(x, from)[0], rowAt(x, to)[1]);

describe('table headers printed vertically', () => {
  it('w:textDirection on header cells, their words one character a paragraph', async () => {
    const vertical = await editedDocx(xml, (x) =>
      x.replace(
        /<w:tc><w:tcPr>((?:(?!<\/w:tc>).)*?)<w:p>(?:(?!<\/w:tc>).)*?<w:t>(自然人|科研机构|法律服务机构|结果维持|尚未审结)<\/w:t><\/w:r><\/w:p><\/w:tc>/gs,
        (_, properties: string, words: string) =>
          `<w:tc><w:tcPr><w:textDirection w:val="btLr"/>${properties}${[...words].map(paragraph).join('')}</w:tc>`,
      ),
    );
    await expectUnaltered(vertical);
  });
});

describe('table 3 split into two Word tables at a page break', () => {
  const header = (x: string) => rows(x, '申请人情况', '商业 企业');
  const cases: [string, (x: string) => string][] = [
    ['inside （三）, the merged group cells continued', (x) => splitBefore(x, '1.属于国家秘密')],
    [
      'before （四）, with 续表 and the header typed again',
      (x) => splitBefore(x, '（四）无法提供', PAGE_BREAK + paragraph('续表'), header(x)),
    ],
    [
      "before （四）, only the header's lower row typed again",
      (x) => splitBefore(x, '（四）无法提供', PAGE_BREAK, rows(x, '商业 企业', '商业 企业')),
    ],
    ['between its header and its first row', (x) => splitBefore(x, NEW_REQUESTS)],
    ['inside its header', (x) => splitBefore(x, '商业 企业')],
    [
      'before its last row',
      (x) => splitBefore(x, '四、结转下年度继续办理', PAGE_BREAK + paragraph('（续表）')),
    ],
  ];
  it.each(cases)('%s', async (_, edit) => {
    await expectUnaltered(await editedDocx(xml, edit));
  });
});

describe("a page break inside table 4's header", () => {
  const cases: [string, (x: string) => string][] = [
    [
      'a page break in a header cell',
      (x) =>
        x.replace(
          '<w:t>未经复议直接起诉</w:t></w:r>',
          '<w:t>未经复议直接起诉</w:t></w:r><w:r><w:br w:type="page"/></w:r>',
        ),
    ],
    ['the table split between its header rows', (x) => splitBefore(x, '未经复议直接起诉')],
    [
      'split there, its first row typed again',
      (x) => splitBefore(x, '未经复议直接起诉', PAGE_BREAK, rows(x, '行政复议</w:t>', '行政复议</w:t>')),
    ],
    [
      'its second header row on a new page (w:pageBreakBefore)',
      (x) =>
        x.replace(/(<w:p><w:pPr>)((?:(?!<\/w:p>).)*?<w:t>未经复议直接起诉)/s, '$1<w:pageBreakBefore/>$2'),
    ],
  ];
  it.each(cases)('%s', async (_, edit) => {
    await expectUnaltered(await editedDocx(xml, edit));
  });
});

it('tables drawn without borders', async () => {
  const borderless = await editedDocx(xml, (x) =>
    x
      .replace(/<w:tcBorders>.*?<\/w:tcBorders>/gs, '')
      .replace(
        /<w:tblPr>/g,
        '<w:tblPr><w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>',
      ),
  );
  await expectUnaltered(borderless);
});

describe('comments on cells', () => {
  const FIGURE = '<w:r><w:rPr></w:rPr><w:t>41</w:t></w:r>';
  const comments = (text: string) => ({
    'word/comments.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0" w:author="审核"><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:comment></w:comments>`,
  });
  const commentMark =
    '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="0"/></w:r>';

  it('on a figure, and over a row: the comment text is no part of a cell', async () => {
    await expectUnaltered(
      await editedDocx(
        xml,
        (x) =>
          x.replace(
            FIGURE,
            `<w:commentRangeStart w:id="0"/>${FIGURE}<w:commentRangeEnd w:id="0"/>${commentMark}`,
          ),
        comments('应为42'),
      ),
    );
    await expectUnaltered(
      await editedDocx(
        xml,
        (x) =>
          x
            .replace(FIGURE, `<w:commentRangeStart w:id="0"/>${FIGURE}`)
            .replace('<w:t>49</w:t></w:r>', `<w:t>49</w:t></w:r><w:commentRangeEnd w:id="0"/>${commentMark}`),
        comments('合计应为50'),
      ),
    );
  });

  it('on a blank cell: the cell stays blank, never the figure the comment gives', async () => {
    const docx = await editedDocx(
      xml,
      (x) => x.replace(FIGURE, `<w:commentRangeStart w:id="0"/><w:commentRangeEnd w:id="0"/>${commentMark}`),
      comments('41'),
    );
    const cells = cellsOf(reportOf(await read(docx)));
    const changed = cells.filter((c, i) => JSON.stringify(c) !== JSON.stringify(reference[i]));
    expect(changed).toEqual([
      { code: 'T3.NEW_REQUESTS.NATURAL_PERSON', status: 'NOT_REPORTED', value: null },
    ]);
  });
});

describe('a Word 97 (.doc) file with blank cells', () => {
  const doc = readFileSync(new URL('../fixtures/formats/report.doc', import.meta.url));
  /** The .doc with its main text's `from` (cell marks written \t) printed `to`, as long, in place. */
  const printed = (from: string, to: string) => {
    const [was, now] = [from, to].map((t) => Buffer.from(t.replace(/\t/g, '\u0007'), 'utf16le'));
    const bytes = Buffer.from(doc);
    const at = bytes.indexOf(was as Buffer);
    expect(at).toBeGreaterThan(0);
    now?.copy(bytes, at);
    return bytes;
  };
  const CARRIED = '二、上年结转政府信息公开申请数量';

  it('a row with a blank cell is a gap in every cell, never a 0 nor a figure moved over', async () => {
    for (const blank of [' ', '\u3000']) {
      const { result } = await parseDocument(
        printed(`${CARRIED}\t3\t1\t0\t0`, `${CARRIED}\t3\t1\t${blank}\t0`),
        {
          allowPartial: true,
        },
      );
      const report = reportOf(result);
      const row = report.cells.filter((c) => c.code.startsWith('T3.CARRIED_OVER.'));
      expect(row.map((c) => [c.status, c.value])).toEqual(row.map(() => ['MISSING', null]));
      expect(report.gaps.map((g) => g.cellCode)).toEqual(row.map((c) => c.code));
      expect(report.gaps[0]?.message).toContain(`row "${CARRIED}": "3 1 `);
      // Every other cell as in the file.
      const others = cellsOf(report).filter((c) => !c.code.startsWith('T3.CARRIED_OVER.'));
      expect(others).toEqual(reference.filter((c) => !c.code.startsWith('T3.CARRIED_OVER.')));
    }
  });
});
