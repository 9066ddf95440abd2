/**
 * A table row whose label is cut over two rows, as a page break leaves it in a PDF whose
 * writer closes the table at the cut, or as an author splits a long label: "1.申请人无正当理由逾期"
 * on one row, "不补正、行政机关不再处理其政府信息公开申请" on the next, the figures on either.
 * The two are read as one row when, together, they name a template row; never two figures
 * joined into one.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { parseReportText } from '../../src/ingest/parse-report.ts';
import type { ParseResult } from '../../src/ingest/types.ts';
import { EXAMPLE_V2021, fixtureText, REAL_V2019, toHtmlTables } from '../support/fixtures.ts';

const figures = (result: ParseResult) =>
  result.ok ? result.report.cells.map((c) => [c.code, c.status, c.value]) : result.problems;
const NUMBER = /^\d+(\.\d+)?$/;

/** Every way of cutting a figure row's label cells (every second character), figures above or below. */
function* cuts(text: string) {
  const lines = text.split('\n');
  for (const [n, line] of lines.entries()) {
    const cells = line.split('\t');
    if (cells.filter((c) => NUMBER.test(c.trim())).length < 2) continue;
    for (const [at, label] of cells.entries()) {
      if (label.trim().length < 4 || NUMBER.test(label.trim())) continue;
      for (let cut = 2; cut < label.length - 1; cut += 2) {
        for (const figuresOn of ['first', 'second'] as const) {
          const onFirst = (i: number) => i < at || figuresOn === 'first';
          const first = cells.map((c, i) => (i === at ? label.slice(0, cut) : onFirst(i) ? c : ''));
          const second = cells.map((c, i) => (i === at ? label.slice(cut) : i > at && !onFirst(i) ? c : ''));
          const cutLines = [...lines];
          cutLines.splice(n, 1, first.join('\t'), second.join('\t'));
          yield {
            name: `line ${n + 1}: ${first.join('|')} / ${second.join('|')}`,
            text: cutLines.join('\n'),
          };
        }
      }
    }
  }
}

describe('a row label cut over two rows', () => {
  for (const source of [EXAMPLE_V2021, REAL_V2019]) {
    const original = fixtureText(source);
    const truth = figures(parseReportText(original));

    it(`${source}, tab text: every cut label is read as the one row it names`, () => {
      let count = 0;
      for (const cut of cuts(original)) {
        expect({ cut: cut.name, figures: figures(parseReportText(cut.text)) }).toEqual({
          cut: cut.name,
          figures: truth,
        });
        count++;
      }
      expect(count).toBeGreaterThan(250);
    });

    it(`${source}, HTML: the same`, async () => {
      let count = 0;
      for (const cut of cuts(original)) {
        const { result } = await parseDocument(Buffer.from(toHtmlTables(cut.text)));
        expect({ cut: cut.name, figures: figures(result) }).toEqual({ cut: cut.name, figures: truth });
        count++;
      }
      expect(count).toBeGreaterThan(250);
    });
  }

  const original = fixtureText(EXAMPLE_V2021);
  const LABEL = '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请';
  const line = original.split('\n').find((l) => l.includes(LABEL)) ?? '';
  const cutAt = LABEL.indexOf('不补正');

  it('figures on both parts are never joined: the row is refused, naming its line', () => {
    const second = line.replace(/^.*?\t.*?\t/, '\t\t').replace(LABEL, LABEL.slice(cutAt));
    const text = original.replace(line, `${line.replace(LABEL, LABEL.slice(0, cutAt))}\n${second}`);
    const result = parseReportText(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.message).join('\n')).toMatch(/Line 77, table 3/);
  });

  it.each([
    ['部分公开', '其中：网上申请', 'T3.PARTLY_GRANTED.'],
    // Brackets do not make a row of its own the rest of the label (the key drops a bracketed note).
    ['部分公开', '（其中：网上申请）', 'T3.PARTLY_GRANTED.'],
    ['予以公开', '（其中：网上申请）', 'T3.GRANTED.'],
    ['行政许可', '（其中：告知承诺制）', 'T2.LICENSING.'],
  ])('a blank row %s followed by a row of its own, %s, is not joined to it', (label, extraLabel, codes) => {
    const row = original.split('\n').find((l) => l.includes('\t') && l.includes(label)) ?? '';
    const blank = row.replace(/\t[\d.]+/g, '\t');
    const extra = row.replace(new RegExp(`(^|\\t)[^\\t]*${label}[^\\t]*`), `$1${extraLabel}`);
    expect(extra).not.toBe(row);
    const result = parseReportText(original.replace(row, `${blank}\n${extra}`));
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
    const cells = result.report.cells.filter((c) => c.code.startsWith(codes));
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((c) => c.status === 'NOT_REPORTED')).toBe(true);
    expect(result.report.warnings.map((w) => w.code)).toContain('UNKNOWN_ROW');
  });

  it('sub-rows numbered on through the table, under a group label cut in two, are read', () => {
    const text = original
      .replace('\t(四) 无法提供\t1.本机关', '\t(四) 无\t9.本机关')
      .replace('\t\t2.没有现成', '\t法提供\t10.没有现成')
      .replace('\t\t3.补正后', '\t\t11.补正后');
    expect(text).toContain('11.补正后');
    expect(figures(parseReportText(text))).toEqual(figures(parseReportText(original)));
  });
});
