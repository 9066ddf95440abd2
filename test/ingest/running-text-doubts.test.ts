/**
 * A table printed as paragraphs (each row a line of running text), a piece of a row in a <span>
 * whose being seen cannot be told: a rule that may hide it by a selector or @media the parser
 * does not model, a colour it cannot tell, text the page's style adds. A table of cells refuses
 * such a figure (shown-figures.test.ts); running text read it as printed: 41<span>7</span> was
 * stored as 417, and 41 with ::after{content:"7"}, which a browser shows as 417, as 41.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { EXAMPLE_V2021, fixtureText, toSingleSpaceText } from '../support/fixtures.ts';

const lines = toSingleSpaceText(fixtureText(EXAMPLE_V2021)).split('\n');
const ROW = lines.findIndex((l) => l.startsWith('一、本年新收政府信息公开申请数量'));
const CELL = 'T3.NEW_REQUESTS.NATURAL_PERSON';

/** The page with row 一's text edited, under `head`: the row's first figure, or the row's refusals. */
async function read(head: string, edit: (row: string) => string) {
  const html = `${head}${lines.map((l, i) => `<p>${i === ROW ? edit(l) : l}</p>`).join('\n')}`;
  const { result } = await parseDocument(new TextEncoder().encode(html));
  return {
    value: result.ok ? result.report.cells.find((c) => c.code === CELL)?.value : undefined,
    problems: result.ok ? [] : result.problems.map((p) => p.message),
  };
}
const after41 = (piece: string) => (row: string) => row.replace(' 41 ', ` 41${piece} `);
const style = (css: string) => `<style>${css}</style>`;

describe('a figure of running text whose being seen cannot be told is refused, as in a cell', () => {
  it('the row is as the fixture prints it', async () => {
    expect(lines[ROW]).toMatch(/^一、本年新收政府信息公开申请数量 41 6 /);
    const plain = await read('', (row) => row);
    expect(plain).toMatchObject({ value: '41', problems: [] });
  });

  it.each([
    [
      style(':has(i) .q{display:none}'),
      after41('<span class="q">7</span>'),
      'selector says what the parser does not model',
    ],
    [
      style('@media (light-level: dim){.q{display:none}}'),
      after41('<span class="q">7</span>'),
      'may hide it',
    ],
    [style('.q{color:var(--x)}'), after41('<span class="q">7</span>'), 'color: var(--x)'],
    [style('.q{color:#fff;background:url(x.png)}'), after41('<span class="q">7</span>'), 'cannot be told'],
    [
      style('.q::after{content:"7"}'),
      (row: string) => row.replace(' 41 ', ' <span class="q">41</span> '),
      'adds text',
    ],
    [
      style('.q::before{content:"1"}'),
      (row: string) => row.replace(' 41 ', ' <span class="q">41</span> '),
      'adds text',
    ],
  ])('%s: refused at row 一, naming why', async (head, edit, why) => {
    const { value, problems } = await read(head, edit);
    expect(value).toBeUndefined();
    expect(problems).toEqual([
      expect.stringMatching(
        /^Line \d+, table 3 \(依申请公开\), row "一、本年新收政府信息公开申请数量": ".*41.*" is not a number: /,
      ),
    ]);
    expect(problems[0]).toContain(why);
  });

  it.each([
    // Hidden for sure, or shown for sure: read as a browser shows it.
    [style('.q{display:none}'), '41<span class="q">7</span>', after41('<span class="q">7</span>'), '41'],
    [
      style('@media print{.q{display:none}}'),
      '41<span class="q">7</span>',
      after41('<span class="q">7</span>'),
      '417',
    ],
    [style('.q{color:#333}'), '41<span class="q">7</span>', after41('<span class="q">7</span>'), '417'],
    // A doubted piece of the label holds no figure: the label's words are read as printed.
    [
      style(':has(i) .q{display:none}'),
      '本年<span class="q">新收</span>',
      (row: string) => row.replace('本年新收', '本年<span class="q">新收</span>'),
      '41',
    ],
  ])('%s %s: read as %s', async (head, _, edit, value) => {
    expect(await read(head, edit)).toMatchObject({ value, problems: [] });
  });
});
