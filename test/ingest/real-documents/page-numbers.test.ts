/**
 * A PDF's text layer whose page numbers are printed bare ("4", not "- 4 -"). A text extractor
 * puts a form feed at each page break, so a lone number next to one is a page number and is
 * dropped. Before, the Huai'an table 3 row before a page break ("…769" then "4") had eight
 * figures for seven columns and the whole report was refused. Without the form feed a lone
 * number after a row is a page number only where the row's figures before it fill the row and
 * keep its total (running-page-numbers.ts); elsewhere it stays a figure, and the row it overfills
 * is refused with a message that names the page number.
 * A number next to a page break counts as a page number only if it counts the pages as the
 * others do: a table's figure alone on a page's last line (one cell a line) stays a figure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
const FOOTER = /^- (\d+) -\n\f/gm;

async function parse(text: string) {
  const { result } = await parseDocument(new TextEncoder().encode(text), { allowPartial: false });
  return result;
}

async function cells(text: string) {
  const result = await parse(text);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  return result.report.cells.map((c) => [c.code, c.status, c.value]);
}

describe.runIf(existsSync(SHARED))('bare page numbers at page breaks', () => {
  const text = existsSync(SHARED) ? readFileSync(`${SHARED}huaian-szf-2024.pdftext.txt`, 'utf8') : '';

  it.each([
    ['at the foot of each page', '$1\n\f'],
    ['at the head of the next page', '\f$1\n'],
    ['with a blank line before the break', '$1\n\n\f'],
    ['with spaces around it', '   $1  \n\f'],
    [
      'in full-width digits',
      (_: string, n: string) =>
        `${n.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))}\n\f`,
    ],
  ])('%s: every figure as with "- 4 -"', async (_, footer) => {
    expect(text.match(FOOTER)?.length).toBeGreaterThan(3);
    const bare = text.replace(FOOTER, footer as string);
    // The last page's footer ends the file, with no form feed after it; the others are gone.
    expect(bare.match(/^- \d+ -$/gm)).toEqual(['- 6 -']);
    expect(await cells(bare)).toEqual(await cells(text));
  });

  it('after the last row of a table, before the page break that starts the next section', async () => {
    const last = '四、结转下年度继续办理 103 0 0 0 0 0 103\n四、政府信息公开行政复议';
    expect(text).toContain(last);
    // Section 4 starts a page; every page's number is printed bare, that one's after table 3's last row.
    let page = 1;
    const bare = text
      .replace(last, last.replace('\n', '\n- 0 -\n\f'))
      .split('\n')
      .map((line) => {
        page += line.split('\f').length - 1;
        return /^- \d+ -$/.test(line) ? String(page) : line;
      })
      .join('\n');
    expect(bare).toContain('四、结转下年度继续办理 103 0 0 0 0 0 103\n5\n\f四、政府信息公开行政复议');
    expect(await cells(bare)).toEqual(await cells(text));
  });

  it.each(['— 4 / 6 —', '4 of 6', 'Page 4 of 6'])('a footer printed "%s"', async (footer) => {
    expect(await cells(text.replace(FOOTER, (_, n: string) => `${footer.replace('4', n)}\n\f`))).toEqual(
      await cells(text),
    );
  });

  it('a figure alone on the last line of a page is a figure: it does not count the pages', async () => {
    // One cell a line, no page numbers printed: 769 ends page 4, before "\f法提供…".
    const oneCell = text
      .replace(FOOTER, '\f')
      .replace(/^(.*[^\d\s.])((?: \d+)+)$/gm, (_, label: string, row: string) =>
        [label, ...row.trim().split(' ')].join('\n'),
      );
    expect(oneCell).toMatch(/\n769\n\f法提供/);
    expect(await cells(oneCell)).toEqual(await cells(text));
  });

  it('one number next to a page break proves nothing: where no page is numbered, a figure ending a page stays', async () => {
    // Table 4's figures one a line, running onto a new page right after its figure 4; no page
    // prints its number.
    const figuresLine = '72 64 178 37 351 13 4 8 1 26 12 1 1 6 20';
    expect(text).toContain(`\n${figuresLine}\n`);
    const broken = text
      .replace(FOOTER, '\f')
      .replace(figuresLine, figuresLine.split(' ').join('\n').replace('\n4\n', '\n4\n\f'));
    expect(broken).toMatch(/\n13\n4\n\f8\n/);
    expect(await cells(broken)).toEqual(await cells(text));
  });

  it('one page numbered bare among pages numbered "- 4 -": its number is a page number too', async () => {
    let page = 1;
    const mixed = text
      .split('\n')
      .map((line) => {
        page += line.split('\f').length - 1;
        return line === '- 4 -' ? String(page) : line;
      })
      .join('\n');
    expect(mixed).toMatch(/\n4\n\f/);
    expect(await cells(mixed)).toEqual(await cells(text));
  });

  it("a page number read as a figure never fills a blank cell's place: the row is refused", async () => {
    // Table 4 one figure a line, 复议后起诉's 其他结果 printed blank (nothing in the text), and a
    // page break after 未经复议直接起诉's figures whose page number alone is printed bare. Counted
    // as a figure, it made the 15 the row needs and shifted 复议后起诉's figures one column.
    const figuresLine = '72 64 178 37 351 13 4 8 1 26 12 1 1 6 20';
    expect(text).toContain(`\n${figuresLine}\n`);
    const figures = figuresLine.split(' ');
    figures.splice(12, 1);
    let page = 1;
    const broken = text
      .replace(
        figuresLine,
        [...figures.slice(0, 10), '- 0 -', `\f${figures.slice(10).join('\n')}`].join('\n'),
      )
      .split('\n')
      .map((line) => {
        page += line.split('\f').length - 1;
        return line === '- 0 -' ? String(page) : line;
      })
      .join('\n');
    expect(broken).toMatch(/\n26\n\d\n\f12\n1\n6\n20\n/);
    const result = await parse(broken);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.code)).toContain('MISSING_CELL');
  });

  it('figures read as printed that break one total: only that total is said broken', async () => {
    // One row of fifteen figures holds all three proceedings' totals; 复议后起诉's 20 printed 21.
    const figuresLine = '72 64 178 37 351 13 4 8 1 26 12 1 1 6 20';
    const result = await parse(
      text.replace(figuresLine, figuresLine.replace(/20$/, '21').split(' ').join('\n')),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const broken = result.report.warnings.filter((w) => w.code === 'BROKEN_IDENTITY').map((w) => w.message);
    expect(broken).toHaveLength(1);
    expect(broken[0]).toContain('(复议后起诉)');
  });

  it('without the form feed a lone number after a row that its figures fill and total is a page number, said', async () => {
    // Page 4's "4" follows （四）无法提供 1.本机关不掌握… 746 12 0 0 10 1 769: seven figures that
    // keep the row's total, so the 4 is neither an eighth nor the rest of 769.
    const result = await parse(text.replace(FOOTER, '$1\n'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(await cells(text.replace(FOOTER, '$1\n'))).toEqual(await cells(text));
    expect(result.report.warnings.filter((w) => w.code === 'PAGE_NUMBER').map((w) => w.line)).toHaveLength(1);
  });

  it('without the form feed a lone number after a row whose total it may end is a figure, and the row naming it is refused', async () => {
    // 769 printed 76 with a 9 on the next line: the wrapped end of the total, or a page number
    // after a misprinted one; which cannot be told.
    const wrapped = text.replace(FOOTER, '$1\n').replace(' 10 1 769\n4\n', ' 10 1 76\n9\n');
    expect(wrapped).toContain(' 10 1 76\n9\n');
    const result = await parse(wrapped);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.message).toContain('may be a page number printed at a page break');
  });
});
