/**
 * Wordings agencies print instead of the template's, in a real report: row labels reworded
 * (本年度新收…, 上年度结转…, 结转下一年度…), typed with 其它 for 其他 or with its pauses (、，)
 * added, shortened (6.过程性信息, 5.属于内部事务信息), and 本年增/减 written in words
 * or with a dash. Before, each reworded label made its
 * row "missing", and 减少2 was "not a number".
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
const FILE = 'shanghai-bgt-2019.html';
const html = existsSync(SHARED + FILE) ? readFileSync(SHARED + FILE, 'utf8') : '';

async function read(changed: string) {
  const { result } = await parseDocument(new TextEncoder().encode(changed));
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  return result.report;
}
const figures = (report: { cells: { code: string; status: string; value: string | null }[] }) =>
  report.cells.map((c) => [c.code, c.status, c.value]);

describe.runIf(existsSync(SHARED))('reworded labels and signs', () => {
  it.each([
    ['一、本年新收政府信息公开申请数量', '一、本年度新收政府信息公开申请数量'],
    ['一、本年新收政府信息公开申请数量', '一、本年新收政府信息公开申请件数'],
    ['二、上年结转政府信息公开申请数量', '二、上年度结转政府信息公开申请数量'],
    ['二、上年结转政府信息公开申请数量', '二、上一年度结转政府信息公开申请数量'],
    ['四、结转下年度继续办理', '四、结转下一年度继续办理'],
    ['四、结转下年度继续办理', '四、结转下年度继续办理件数'],
    ['四、结转下年度继续办理', '四、结转下年度继续办理的申请数量'],
    ['2.其他法律行政法规禁止公开', '2.其它法律行政法规禁止公开'],
    ['（六）其他处理', '（六）其它处理'],
    ['1.信访举报投诉类申请', '1.信访、举报、投诉类申请'],
    ['1.信访举报投诉类申请', '1.信访，举报，投诉类申请'],
    ['5.要求行政机关确认或重新出具已获取信息', '5.要求行政机关确认、或重新出具已获取信息'],
    ['三、收到和处理政府信息公开申请情况', '三、收到和处理政府信息公开申请的情况'],
    ['三、收到和处理政府信息公开申请情况', '三、收到和处理政府信息公开申请'],
    // Shortened, as agencies print them (each was a "missing" row).
    ['4.保护第三方合法权益', '4.涉及第三方合法权益'],
    ['5.属于三类内部事务信息', '5.属于内部事务信息'],
    ['6.属于四类过程性信息', '6.属于过程性信息'],
    ['6.属于四类过程性信息', '6.过程性信息'],
  ])('%s printed as %s reads the same figures', async (label, instead) => {
    expect(html).toContain(label);
    expect(figures(await read(html.replace(label, instead)))).toEqual(figures(await read(html)));
  });

  it.each([
    ['上一年项目数量', '上年项目数量'],
    ['对外公开总数量', '对外公开总数'],
    ['处理决定数量', '处理决定数'],
  ])('table 2 headed %s printed as %s reads the same figures', async (header, instead) => {
    const cell = `<p align="center">${header}</p>`;
    expect(html).toContain(cell);
    const changed = html.replaceAll(cell, `<p align="center">${instead}</p>`);
    expect(figures(await read(changed))).toEqual(figures(await read(html)));
  });

  it("the 2021 template's table 2 headed …数量 for …件数, in a PDF text layer, reads the same figures", async () => {
    const text = readFileSync(`${SHARED}huaian-szf-2024.pdftext.txt`, 'utf8');
    const header = '本年制发件数 本年废止件数 现行有效件数';
    expect(text).toContain(header);
    expect(figures(await read(text.replace(header, '本年制发数量 本年废止数量 现行有效数量')))).toEqual(
      figures(await read(text)),
    );
  });

  it.each([
    ['增加2', '2'],
    ['增2', '2'],
    ['减少2', '-2'],
    ['减2', '-2'],
    ['—2', '-2'],
    ['－2', '-2'],
  ])('本年增/减 printed as %s is %s, and its print is kept', async (printed, value) => {
    // 行政许可's 本年增/减 is the second 0 after its label.
    const row =
      '<p>行政许可</p></td><td colspan="2" nowrap="nowrap" style="width:150px;"><p align="center">0</p></td><td nowrap="nowrap" style="width:101px;"><p align="center">0</p>';
    expect(html).toContain(row);
    const report = await read(
      html.replace(row, row.replace(/<p align="center">0<\/p>$/, `<p align="center">${printed}</p>`)),
    );
    const cell = report.cells.find((c) => c.code === 'T2.LICENSING.CHANGE');
    expect(cell).toMatchObject({ status: 'REPORTED', value, rawText: printed });
  });

  it('a word or a dash before a figure in a column without a sign is still refused', async () => {
    const row =
      '<p>行政许可</p></td><td colspan="2" nowrap="nowrap" style="width:150px;"><p align="center">0</p>';
    const { result } = await parseDocument(
      new TextEncoder().encode(html.replace(row, row.replace(/>0<\/p>$/, '>增加2</p>'))),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]).toMatchObject({
      code: 'NOT_A_NUMBER',
      cellCode: 'T2.LICENSING.PREVIOUS_ITEMS',
    });
  });

  /** Table 3 with a 备注 column after 总计: `remark(label)` is each row's remarks cell. */
  const withRemarks = (remark: (row: string) => string) => {
    const start = html.indexOf('<p>三、收到和处理');
    const end = html.indexOf('</table>', start);
    const header =
      '<td colspan="7" nowrap="nowrap" style="width:355px;"><p align="center">申请人情况</p></td></tr>';
    expect(html.slice(start, end)).toContain(header);
    const rows = html
      .slice(start, end)
      .replace(header, `${header.slice(0, -5)}<td rowspan="3"><p>备注</p></td></tr>`)
      .split('</tr>')
      .map((row, i) => (i >= 3 && row.includes('<td') ? `${row}<td><p>${remark(row)}</p></td>` : row));
    return html.slice(0, start) + rows.join('</tr>') + html.slice(end);
  };

  it("a 备注 column after table 3's 总计 is left out, its text said; the figures are as printed", async () => {
    const report = await read(withRemarks((row) => (row.includes('一、本年新收') ? '含转办件' : '&nbsp;')));
    expect(figures(report)).toEqual(figures(await read(html)));
    expect(report.warnings.find((w) => w.code === 'UNKNOWN_COLUMN')?.message).toContain(
      'column "备注" is not in the template; its text "含转办件" is ignored',
    );
  });

  it('a 备注 column of 无 (nothing to remark) is left out too, in a page and in tab-separated text', async () => {
    const report = await read(withRemarks((row) => (/>\d+</.test(row) ? '无' : '&nbsp;')));
    expect(report.warnings.filter((w) => w.code === 'UNKNOWN_COLUMN').length).toBeGreaterThan(5);
    expect(figures(report)).toEqual(figures(await read(html)));
    // A row printed all blank, as this page prints zeros, with 无 for its remark: its blanks
    // read as blanks (were it 总计's mark, the same cells would be blank; table3-remarks.test.ts).
    const everyRow = await read(withRemarks(() => '无'));
    expect(figures(everyRow)).toEqual(figures(await read(html)));
    const tab = readFileSync(new URL('../../fixtures/formats/report.tab.txt', import.meta.url), 'utf8');
    const lines = tab.split('\n');
    const header = lines.findIndex((l) => l.includes('申请人情况'));
    const end = lines.findIndex((l) => l.startsWith('四、结转下年度继续办理'));
    expect(header).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(header);
    const remarked = lines
      // Each line ends in an empty cell (a trailing tab), where the column is printed.
      .map((l, i) =>
        i === header
          ? `${l.replace(/\t$/, '')}\t备注`
          : i > header + 2 && i <= end
            ? `${l.replace(/\t$/, '')}\t无`
            : l,
      )
      .join('\n');
    expect(figures(await read(remarked))).toEqual(figures(await read(tab)));
    // 总计 printed 无 with no remark on its row: the mark is 总计's, not dropped.
    const totalMark = remarked.replace(/(\n四、结转下年度[^\n]*)\t\d+\t无\n/, '$1\t无\n');
    expect(totalMark).not.toEqual(remarked);
    const cells = figures(await read(totalMark));
    expect(cells.find(([code]) => code === 'T3.CARRIED_FORWARD.TOTAL')).toEqual([
      'T3.CARRIED_FORWARD.TOTAL',
      'NOT_REPORTED',
      null,
    ]);
  });

  it('a figure under 备注 is not dropped: its row is refused', async () => {
    const { result } = await parseDocument(
      new TextEncoder().encode(withRemarks((row) => (row.includes('一、本年新收') ? '3' : '&nbsp;'))),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.code)).toContain('TOO_MANY_VALUES');
  });
});

describe.runIf(existsSync(SHARED))('a note in brackets after a row label, in running text', () => {
  const text = existsSync(SHARED) ? readFileSync(`${SHARED}huaian-szf-2024.pdftext.txt`, 'utf8') : '';

  it.each([
    ['行政处罚 3985758', '行政处罚（2024年度） 3985758', 'T2.PENALTY.DECISIONS', '3985758'],
    ['行政许可 447228', '行政许可（含备案类12项） 447228', 'T2.LICENSING.DECISIONS', '447228'],
    ['行政强制 88283', '行政强制(其中查封扣押5起) 88283', 'T2.COERCION.DECISIONS', '88283'],
  ])(
    '%s printed as %s: the number in the note is no figure (it was stored instead)',
    async (printed, instead, code, value) => {
      expect(text).toContain(printed);
      const { result } = await parseDocument(new TextEncoder().encode(text.replace(printed, instead)), {
        allowPartial: true,
      });
      if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
      expect(result.report.cells.find((c) => c.code === code)).toMatchObject({ status: 'REPORTED', value });
    },
  );
});

describe.runIf(existsSync(SHARED))(
  'struck-through text written as Markdown (~~447227~~), in running text and in a table of cells',
  () => {
    const text = existsSync(SHARED) ? readFileSync(`${SHARED}huaian-szf-2024.pdftext.txt`, 'utf8') : '';

    it.each(['行政许可 ~~447227~~447228', '行政许可 447228~~447227~~', '行政许可 ~~447227~~ 447228'])(
      '%s is refused, naming the row (the struck figure was stored)',
      async (printed) => {
        expect(text).toContain('行政许可 447228');
        const { result } = await parseDocument(
          new TextEncoder().encode(text.replace('行政许可 447228', printed)),
          {
            allowPartial: true,
          },
        );
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.problems.map((p) => [p.code, p.row])).toContainEqual(['NOT_A_NUMBER', '行政许可']);
        expect(result.problems.find((p) => p.row === '行政许可')?.message).toContain(
          '"~~447227~~" is struck through',
        );
      },
    );

    it('a struck word in the narrative after the table changes nothing', async () => {
      const changed = text.replace('行政强制 88283', '行政强制 88283\n（原为~~88282~~，已更正）');
      expect(changed).not.toBe(text);
      const { result } = await parseDocument(new TextEncoder().encode(changed), { allowPartial: true });
      expect(result.ok && result.report.cells.find((c) => c.code === 'T2.COERCION.DECISIONS')?.value).toBe(
        '88283',
      );
    });
  },
);
