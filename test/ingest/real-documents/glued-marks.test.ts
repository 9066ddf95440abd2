/**
 * Blank cells' marks in running text: real documents with one change a crawler or a typist makes,
 * a "—" or 无 printed for a zero and run into the figures around it. Before marks were read there,
 * the figures ended at the mark and the digits before it filled the row: "260—" for three
 * columns was stored as 2 | 6 | 0, with no word.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';
import type { ParsedCell, ParsedReport } from '../../../src/ingest/types.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));

/** `file` with `printed` (which it must hold) replaced by `instead`, read with --allow-partial. */
async function readChanged(file: string, printed: string, instead: string): Promise<ParsedReport> {
  const text = readFileSync(SHARED + file, 'utf8');
  expect(text, file).toContain(printed);
  const { result } = await parseDocument(new TextEncoder().encode(text.replace(printed, instead)), {
    allowPartial: true,
  });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  return result.report;
}

/** The row's cells as status, value or candidates, and what was printed. */
const row = (report: ParsedReport, prefix: string) =>
  report.cells
    .filter((c) => c.code.startsWith(prefix))
    .map((c: ParsedCell) =>
      c.status === 'UNREADABLE'
        ? { unreadable: c.candidates, ...(c.orNotReported ? { orNotReported: true } : {}) }
        : c.status === 'NOT_REPORTED'
          ? { notReported: c.rawText }
          : c.value,
    );

describe.runIf(existsSync(SHARED))('marks run into the figures of running text', () => {
  it('"260—" and "260无" for three columns: the mark is the last cell, and 260 is not cut into 2 | 6 | 0', async () => {
    for (const mark of ['—', '无', '-']) {
      const report = await readChanged(
        'pingtan-jtj-2019.pagetxt.txt',
        '行政处罚2600行政强制',
        `行政处罚260${mark}行政强制`,
      );
      expect(row(report, 'T2.PENALTY.'), mark).toEqual([
        { unreadable: ['2', '26'] },
        { unreadable: ['0', '60'] },
        { notReported: mark },
      ]);
    }
  });

  it('a row of zeros printed as dashes or 无, glued to its label and figures, reads as blank cells', async () => {
    const granted = (instead: string) =>
      readChanged('pingtan-2024.pagetxt.txt', '（一）予以公开710000071', `（一）予以公开${instead}`);
    for (const [instead, mark] of [
      ['71—————71', '—'],
      ['71无无无无无71', '无'],
      ['71——————————71', '—'],
    ] as const) {
      expect(row(await granted(instead), 'T3.GRANTED.'), instead).toEqual([
        '71',
        ...Array(5).fill({ notReported: mark }),
        '71',
      ]);
    }
    const carried = await readChanged(
      'pingtan-2024.pagetxt.txt',
      '二、上年结转政府信息公开申请数量0000000',
      '二、上年结转政府信息公开申请数量———————',
    );
    expect(row(carried, 'T3.CARRIED_OVER.')).toEqual(Array(7).fill({ notReported: '—' }));
  });

  it('a marks-only row in space-separated text (a PDF text layer) is read, not lost', async () => {
    for (const mark of ['—', '无', '/', '-']) {
      const report = await readChanged(
        'huaian-szf-2024.pdftext.txt',
        '4.无正当理由大量反复申请 0 0 0 0 0 0 0',
        `4.无正当理由大量反复申请 ${Array(7).fill(mark).join(' ')}`,
      );
      expect(row(report, 'T3.NOT_HANDLED_EXCESSIVE.'), mark).toEqual(Array(7).fill({ notReported: mark }));
      expect(report.gaps, mark).toEqual([]);
    }
  });

  it('a dash before digits is a minus sign where only that fits, and unreadable where a blank fits too', async () => {
    // 本年增/减 of two columns: 35 | −15 is the only reading.
    const fees = await readChanged('pingtan-2020.pagetxt.txt', '行政事业性收费35-15', '行政事业性收费35—15');
    expect(row(fees, 'T2.FEES.')).toEqual(['35', '-15']);
    // Three columns: 1 | — | 10 and 1 | −1 | 0 both fit, so neither is stored as printed.
    const licensing = await readChanged('pingtan-bgs-2020.pagetxt.txt', '行政许可1-10', '行政许可1—10');
    expect(row(licensing, 'T2.LICENSING.')).toEqual([
      '1',
      { unreadable: ['-1'], orNotReported: true },
      { unreadable: ['0', '10'] },
    ]);
    const gap = licensing.gaps.find((g) => g.cellCode === 'T2.LICENSING.CHANGE');
    expect(gap?.message).toContain("could be -1 or not reported (a blank cell's mark run into the figures)");
  });

  it('a label that begins with 无, run into the figures before it, starts its row and is no mark', async () => {
    // The next row's label, printed without its number: 无正当理由….
    const report = await readChanged(
      'pingtan-2024.pagetxt.txt',
      '公开出版物00000004.无正当理由',
      '公开出版物0000000无正当理由',
    );
    expect(row(report, 'T3.NOT_HANDLED_PUBLICATION.')).toEqual(Array(7).fill('0'));
    expect(row(report, 'T3.NOT_HANDLED_EXCESSIVE.')).toEqual(Array(7).fill('0'));
  });
  it('a page dumped as one line, with tabs where it had spaces, is still running text', async () => {
    // As a tab-separated table row, the whole page hid its tables: UNKNOWN_TEMPLATE.
    for (const file of ['pingtan-2024.pagetxt.txt', 'pingtan-gaj-2021.pagetxt.txt']) {
      const text = readFileSync(SHARED + file, 'utf8');
      const read = async (t: string) => {
        const { result } = await parseDocument(new TextEncoder().encode(t), { allowPartial: true });
        if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
        return result.report.cells.map((c) => [c.code, c.status, c.value, c.candidates]);
      };
      // The page's text, after the archive's header block (标题: …, 发布时间: …).
      const body = text.indexOf('正文 ====');
      expect(body, file).toBeGreaterThan(0);
      const tabbed = text.slice(0, body) + text.slice(body).replace(/ /g, '\t');
      expect(await read(tabbed), file).toEqual(await read(text));
    }
  });

  it('blank cells after a space, a note or a header still start the row: no figure moves a column left', async () => {
    // Marks started a row's figures only right after its label, so "——" after a note's "）" was
    // skipped and the rest of the row moved left: 29 under 自然人 where 商业企业 printed it.
    const blank = { notReported: '—' };
    for (const [file, printed, instead, prefix, figure] of [
      [
        'pingtan-2024.pagetxt.txt',
        '不计其他情形）290000029',
        '不计其他情形）——29————————29',
        'T3.PARTLY_GRANTED.',
        '29',
      ],
      [
        'pingtan-2022.pagetxt.txt',
        '没有现成信息需要另行制作 0000000',
        '没有现成信息需要另行制作 ——3————————3',
        'T3.CANNOT_PROVIDE_NEEDS_CREATION.',
        '3',
      ],
    ] as const) {
      const report = await readChanged(file, printed, instead);
      expect(row(report, prefix), instead).toEqual([blank, figure, blank, blank, blank, blank, figure]);
    }
    const review = await readChanged(
      'pingtan-gaj-2021.pagetxt.txt',
      '总计000000000000000五、',
      '总计——1————1————————————————————五、',
    );
    expect(row(review, 'T4.REVIEW.')).toEqual([blank, '1', blank, blank, '1']);
  });

  it('hyphens for blank cells, run together, are blank cells too', async () => {
    const report = await readChanged(
      'pingtan-2024.pagetxt.txt',
      '（一）予以公开710000071',
      '（一）予以公开71-----71',
    );
    expect(row(report, 'T3.GRANTED.')).toEqual(['71', ...Array(5).fill({ notReported: '-' }), '71']);
  });
});
