import { beforeAll, describe, expect, it } from 'vitest';
import { forMammoth } from '../../src/ingest/docx.ts';
import {
  CARRIED_OVER,
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
const reportDocx = (edit: (xml: string) => string) => editedDocx(documentXml, edit);

const p = (...runs: string[]) => `<w:p>${runs.join('')}</w:p>`;
const fldChar = (type: string) => `<w:r><w:fldChar w:fldCharType="${type}"/></w:r>`;
const code = (text: string) => `<w:r><w:instrText xml:space="preserve">${text}</w:instrText></w:r>`;
const text = (figure: string) => `<w:r><w:t>${figure}</w:t></w:r>`;
/** A complex field as Word writes it: its code, then its result after a separate, if it has one. */
const field = (fieldCode: string, result?: string) =>
  fldChar('begin') + fieldCode + (result === undefined ? '' : fldChar('separate') + result) + fldChar('end');

describe('Word (.docx) fields: their results read, their code not', () => {
  let reference: ReturnType<typeof cellsOf>;
  let expectUnaltered: (docx: Uint8Array) => Promise<void>;

  beforeAll(async () => {
    documentXml = await reportPart();
    ({ reference, expectUnaltered } = await unalteredReading());
  });

  it('reads a field nested in another’s code as Word shows it: the outer result only (49, not 4949)', async () => {
    const docx = await reportDocx((xml) =>
      [
        // Word's { IF { =SUM(LEFT) } > 0 "49" "0" }: the inner result 49 lies in the outer code.
        cellHolding(
          NEW_REQUESTS,
          7,
          p(
            field(
              code(' IF ') + field(code(' =SUM(LEFT) '), text('49')) + code(' > 0 "49" "0" '),
              text('49'),
            ),
          ),
        ),
        // { = { =4+0 } *10+1 } shows 41 (read 441).
        cellHolding(
          NEW_REQUESTS,
          1,
          p(field(code(' = ') + field(code(' =4+0 '), text('4')) + code(' *10+1 '), text('41'))),
        ),
        // A simple field in the code is unwrapped first, and prints nothing there either.
        cellHolding(
          NEW_REQUESTS,
          3,
          p(
            field(
              `${code(' = ')}<w:fldSimple w:instr=" =0 ">${text('0')}</w:fldSimple>${code(' +0 ')}`,
              text('0'),
            ),
          ),
        ),
        // A code spanning the cell's paragraphs: the first prints nothing and is not read.
        cellHolding(
          NEW_REQUESTS,
          2,
          p(fldChar('begin'), code(' = '), field(code(' =3 '), text('3'))),
          p(code(' *2 '), fldChar('separate'), text('6'), fldChar('end')),
        ),
      ].reduce((x, edit) => edit(x), xml),
    );
    await expectUnaltered(docx);
  });

  it('reads a single field’s result, complex or simple, as before', async () => {
    const docx = await reportDocx((xml) =>
      [
        cellHolding(NEW_REQUESTS, 7, p(field(code(' =SUM(LEFT) '), text('49')))),
        cellHolding(NEW_REQUESTS, 1, p(`<w:fldSimple w:instr=" =41 ">${text('41')}</w:fldSimple>`)),
      ].reduce((x, edit) => edit(x), xml),
    );
    await expectUnaltered(docx);
    // Nothing is printed in a single field's code: the file goes to mammoth as it is.
    const single = Buffer.from(
      await reportDocx(cellHolding(NEW_REQUESTS, 7, p(field(code(' =SUM(LEFT) '), text('49'))))),
    );
    expect(await forMammoth(single)).toBe(single);
  });

  it('reads a field with no separate as Word shows it, nothing: its text is code', async () => {
    const code0 = 'T3.NEW_REQUESTS.RESEARCH_INSTITUTION';
    const code1 = 'T3.CARRIED_OVER.NATURAL_PERSON';
    const docx = await reportDocx((xml) =>
      [
        cellHolding(NEW_REQUESTS, 3, p(field(code(' =0 ')))),
        cellHolding(CARRIED_OVER, 1, p(field(code(' = ') + text('7')))),
      ].reduce((x, edit) => edit(x), xml),
    );
    const report = reportOf(await read(docx));
    expect(cellsOf(report)).toEqual(
      reference.map((c) =>
        [code0, code1].includes(c.code) ? { ...c, status: 'NOT_REPORTED', value: null } : c,
      ),
    );
  });

  it('takes nothing out after a field that never ends: the rest of the document reads as before', async () => {
    const docx = await reportDocx(
      cellHolding(NEW_REQUESTS, 1, p(fldChar('begin'), code(' =41 '), text('41'))),
    );
    await expectUnaltered(docx);
  });
});
