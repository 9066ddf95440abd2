import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeReport } from '../../src/ingest/decode.ts';
import { parseDocument } from '../../src/ingest/document.ts';
import { fold, readCell, splitUnit } from '../../src/ingest/text.ts';
import type { ParsedReport } from '../../src/ingest/types.ts';
import { EXAMPLE_V2021, fixtureText, REAL_V2019, toPipeTables } from '../support/fixtures.ts';

/**
 * Random damage — cut files, whitespace moved around, random bytes spliced in, lines
 * dropped — must never crash the parser, and whatever it still reads must have been
 * printed in the input: no REPORTED number the input does not contain.
 */

const formatFixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/formats/${name}`, import.meta.url)));

const TEXT_SOURCES: Record<string, Uint8Array> = {
  'tab V2021': Buffer.from(fixtureText(EXAMPLE_V2021)),
  'pipe V2021': Buffer.from(toPipeTables(fixtureText(EXAMPLE_V2021))),
  'tab V2019': Buffer.from(fixtureText(REAL_V2019)),
  'GBK V2019': iconv.encode(fixtureText(REAL_V2019), 'gbk'),
  html: formatFixture('report.html'),
};

type Damage =
  | { kind: 'cut'; at: number }
  | { kind: 'splice'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'whitespace'; at: number; to: string }
  | { kind: 'drop-line'; at: number }
  | { kind: 'repeat'; at: number; length: number };

// Unbiased: fast-check otherwise favours the ends of the range, i.e. the ends of the file.
const position = fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((n) => n / 1_000_000);
const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: position }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: position,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 24 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({
    kind: fc.constant('whitespace' as const),
    at: position,
    to: fc.constantFrom('', ' ', '  ', '\t', '\t\t', '\n', '\r\n', '\u3000', ' | '),
  }),
  fc.record({ kind: fc.constant('drop-line' as const), at: position }),
);

const WHITESPACE = /[ \t\n]/g;

/** Applies one damage to the bytes; whitespace and line damage work on the text, keeping its encoding. */
function applyDamage(bytes: Uint8Array, d: Damage, encoding: 'utf8' | 'gbk'): Uint8Array {
  const at = Math.floor(d.at * bytes.length);
  switch (d.kind) {
    case 'cut':
      return bytes.subarray(0, at);
    case 'splice':
      return Buffer.concat([bytes.subarray(0, at), d.bytes, bytes.subarray(at)]);
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + d.length)]);
    case 'repeat':
      return Buffer.concat([bytes.subarray(0, at + d.length), bytes.subarray(at)]);
    case 'whitespace':
    case 'drop-line': {
      const text = iconv.decode(Buffer.from(bytes), encoding);
      let out = text;
      if (d.kind === 'whitespace') {
        const spaces = [...text.matchAll(WHITESPACE)].map((m) => m.index ?? 0);
        const i = spaces[Math.floor(d.at * spaces.length)];
        if (i !== undefined) out = text.slice(0, i) + d.to + text.slice(i + 1);
      } else {
        const lines = text.split('\n');
        lines.splice(Math.floor(d.at * lines.length), 1);
        out = lines.join('\n');
      }
      return iconv.encode(out, encoding);
    }
  }
}

/**
 * The text a person would see in the input: decoded as the parser decodes it. In HTML, a
 * cell boundary separates text and any other tag does not, as in a browser: damage that
 * leaves "<td>41<d>0</td>" shows 410.
 */
function inputText(bytes: Uint8Array, html = false): string {
  const decoded = decodeReport(bytes);
  if (!decoded.ok) return '';
  const text = html
    ? decoded.text.replace(/<[^>]*>/g, (tag) =>
        /^<\/?(?:td|th|tr|table|p|div|br|h\d|li)\b/i.test(tag) ? '\n' : '',
      )
    : decoded.text;
  return fold(text);
}

const readCellValue = (text: string) => {
  const read = readCell(text);
  return read.kind === 'number' ? read.value : null;
};
const normalNumber = (text: string) =>
  text
    .replace(/,/g, '')
    .replace(/^\+/, '')
    .replace(/^(-?)0+(?=\d)/, '$1')
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '')
    .replace(/^-0$/, '0');
/** A decimal number divided by 10,000, written exactly (12.35 is 0.001235). */
function tenThousandth(text: string): string {
  const [sign, digits] = text.startsWith('-') ? ['-', text.slice(1)] : ['', text];
  const [whole = '', fraction = ''] = digits.split('.');
  const padded = whole.padStart(5, '0');
  return `${sign}${padded.slice(0, -4)}.${padded.slice(-4)}${fraction}`;
}

function checkReported(report: ParsedReport | undefined, input: string) {
  for (const cell of report?.cells ?? []) {
    if (cell.status !== 'REPORTED') {
      expect(cell.value).toBeNull();
      continue;
    }
    if (cell.decodedFrom) {
      // Cut out of a run of digits printed without separators: the run is in the input
      // (as a browser shows it, whitespace aside), and the value is a piece of it.
      const run = fold(cell.decodedFrom).replace(/\s/g, '');
      expect(input.replace(/\s/g, '')).toContain(run);
      expect(run).toContain(cell.value?.replace(/^-/, ''));
      continue;
    }
    // The printed text is in the input, and the value is exactly what that text says.
    expect(cell.rawText).not.toBeNull();
    const raw = fold(cell.rawText ?? '').trim();
    expect(raw).not.toBe('');
    expect(input).toContain(raw);
    // A unit printed in the cell (1742件) is provenance, not part of the number.
    const number = fold(splitUnit(cell.rawText ?? '').text).trim();
    // An amount the document states in 元 (damage can leave 本年收费金额（元） of （单位：万元）) is
    // stored in its column's 万元, exactly: the printed number with its point moved four places.
    const inYuan = cell.unit === '元' && cell.value !== readCellValue(number);
    expect(readCell(number)).toEqual({ kind: 'number', value: inYuan ? readCellValue(number) : cell.value });
    // …and that text is the number itself, give or take thousands separators, a plus sign,
    // leading zeros and zeros after the point (01362.00 is 1362).
    const printed = normalNumber(number);
    expect(inYuan ? normalNumber(tenThousandth(printed)) : printed).toBe(cell.value);
  }
}

describe('random damage never crashes the parser and never invents a number', () => {
  for (const [name, source] of Object.entries(TEXT_SOURCES)) {
    it(`${name}`, async () => {
      const encoding = name.startsWith('GBK') ? 'gbk' : 'utf8';
      await fc.assert(
        fc.asyncProperty(
          fc.array(damage, { minLength: 1, maxLength: 5 }),
          fc.boolean(),
          async (damages, allowPartial) => {
            const bytes = damages.reduce<Uint8Array>((b, d) => applyDamage(b, d, encoding), source);
            const { result } = await parseDocument(bytes, { allowPartial });
            const input = inputText(bytes, name === 'html');
            if (result.ok) checkReported(result.report, input);
            else {
              expect(result.problems.length).toBeGreaterThan(0);
              for (const p of result.problems) expect(p.message).toMatch(/\S/);
              checkReported(result.partial, input);
            }
          },
        ),
        {
          numRuns: name === 'html' ? 60 : 120,
          // Found by this property: a deletion that leaves "<td>41<d>0</td>", which reads 410.
          examples:
            name === 'html'
              ? [
                  // Dropping the table's opening lines leaves cells a browser runs together.
                  [
                    [
                      { kind: 'drop-line', at: 0 },
                      { kind: 'drop-line', at: 0.474138 },
                    ],
                    false,
                  ],
                  [
                    [
                      { kind: 'drop-line', at: 0.854701 },
                      { kind: 'cut', at: 0.813345 },
                      { kind: 'delete', at: 0.694481, length: 26 },
                      { kind: 'drop-line', at: 0 },
                    ],
                    false,
                  ],
                  // Dropping the 主动公开 table's opening tag runs its rows into one line; the
                  // figure printed "1,268" must keep that text as its provenance.
                  [
                    [
                      { kind: 'drop-line', at: 0.222223 },
                      { kind: 'drop-line', at: 0.310345 },
                    ],
                    false,
                  ],
                ]
              : name === 'pipe V2021'
                ? [
                    // Deleting 单位：万 leaves 本年收费金额（元）: 12.35 stated in 元 is 0.001235 万元.
                    [
                      [
                        { kind: 'drop-line', at: 0.719627 },
                        { kind: 'cut', at: 0.816456 },
                        { kind: 'delete', at: 0.618758, length: 12 },
                      ],
                      false,
                    ],
                  ]
                : [],
        },
      );
    });
  }

  // PDF and Word files are parsed by third-party libraries: damage may make them unreadable,
  // which must come back as a rejection, never as an exception, and say so in words.
  const LIBRARY_INTERNALS =
    /Cannot read properties|is not a function|is not defined|out of range|outside buffer bounds|Maximum call stack|Corrupted zip|xmldom/;
  for (const name of ['report.pdf', 'report.doc', 'report.docx']) {
    it(`${name} (rejections, not exceptions)`, async () => {
      const source = formatFixture(name);
      const binaryDamage = fc.oneof(
        fc.record({ kind: fc.constant('cut' as const), at: position }),
        fc.record({
          kind: fc.constant('splice' as const),
          at: position,
          bytes: fc.uint8Array({ minLength: 1, maxLength: 24 }),
        }),
        fc.record({
          kind: fc.constant('delete' as const),
          at: position,
          length: fc.integer({ min: 1, max: 64 }),
        }),
        // A run of the file repeated in place, as a download resumed at the wrong offset leaves it.
        fc.record({
          kind: fc.constant('repeat' as const),
          at: position,
          length: fc.integer({ min: 1, max: 2_000 }),
        }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(binaryDamage, { minLength: 1, maxLength: 3 }), async (damages) => {
          const bytes = damages.reduce<Uint8Array>((b, d) => applyDamage(b, d, 'utf8'), source);
          const { result } = await parseDocument(bytes, { allowPartial: true });
          if (!result.ok) {
            expect(result.problems[0]?.message).toMatch(/\S/);
            // …in the person's terms: not the JavaScript error a library tripped on.
            expect(result.problems[0]?.message).not.toMatch(LIBRARY_INTERNALS);
          } else
            for (const cell of result.report.cells)
              if (cell.status === 'REPORTED')
                expect(readCell(cell.rawText ?? '')).toEqual({ kind: 'number', value: cell.value });
        }),
        {
          numRuns: 25,
          // Found by mutating the fixtures: word-extractor's "Cannot read properties of undefined (reading 'storageDirId')".
          examples:
            name === 'report.doc' ? [[[{ kind: 'repeat', at: 32_986 / source.length, length: 1_372 }]]] : [],
        },
      );
    }, 120_000);
  }
});
