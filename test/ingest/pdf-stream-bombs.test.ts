/**
 * A PDF stream that decodes past the limit is counted however its dictionary is written: as
 * pdf.js's lexer reads it (comments, #xx escapes, /F, indirect filters), through every stage of a
 * filter chain, inside object streams. A stream whose filters cannot be read refuses the file.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { lzw } from '../support/hostile-files.ts';

const spaces = (n: number) => Buffer.alloc(n, 0x20);
const bomb = deflateSync(spaces(2_000_000));

/** A one-page PDF whose contents are object 4: `head` up to and including `stream`'s line, then `data`. */
function pdf(head: string, data: Uint8Array, extra: string[] = []): Buffer {
  const objects = [
    '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
    '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n',
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n',
  ];
  return Buffer.concat([
    Buffer.from(`%PDF-1.5\n${objects.join('')}4 0 obj\n${head}`),
    data,
    Buffer.from(`\nendstream\nendobj\n${extra.join('')}trailer\n<< /Root 1 0 R >>\n%%EOF\n`),
  ]);
}

const refusal = async (bytes: Uint8Array) => {
  const { result } = await parseDocument(bytes, { limits: { maxUncompressedBytes: 1_000_000 } });
  if (result.ok) throw new Error('accepted');
  return result.problems[0];
};

describe('PDF streams are counted as pdf.js reads them', () => {
  it.each<[string, Buffer]>([
    ['a comment between the dictionary and `stream`', pdf(`<< /Filter /FlateDecode >>\n%c\nstream\n`, bomb)],
    ['a NUL before `stream` and spaces after it', pdf(`<< /Filter /FlateDecode >>\0stream  \n`, bomb)],
    [
      'a filter key written with an escape',
      pdf(`<< /Fil#74er /LZWDecode >>\nstream\n`, lzw(spaces(2_000_000))),
    ],
    ['a filter name written with an escape', pdf(`<< /Filter /Flate#44ecode >>\nstream\n`, bomb)],
    ['the filter as /F', pdf(`<< /F /FlateDecode >>\nstream\n`, bomb)],
    [
      'an indirect filter',
      pdf(`<< /Filter 5 0 R >>\nstream\n`, lzw(spaces(2_000_000)), ['5 0 obj\n/LZWDecode\nendobj\n']),
    ],
    [
      'an indirect filter inside an array',
      pdf(`<< /Filter [5 0 R] >>\nstream\n`, lzw(spaces(2_000_000)), ['5 0 obj\n/LZWDecode\nendobj\n']),
    ],
    ['a filter pdf.js does not know before Flate', pdf(`<< /Filter [/Foo /FlateDecode] >>\nstream\n`, bomb)],
    [
      'Flate twice, the first stage small',
      pdf(`<< /Filter [/FlateDecode /FlateDecode] >>\nstream\n`, deflateSync(deflateSync(spaces(3_000_000)))),
    ],
    [
      'a fake object start in a comment of the dictionary',
      pdf(`<< /Filter /LZWDecode %9 0 obj <<\n >>\nstream\n`, lzw(spaces(2_000_000))),
    ],
  ])('a bomb behind %s is refused', async (_, file) => {
    const problem = await refusal(file);
    expect(problem).toMatchObject({ code: 'TOO_LARGE' });
    expect(problem?.message).toMatch(
      /^The PDF's compressed streams .* the limit is 1,000,000 \(INPUT_MAX_UNCOMPRESSED_BYTES\)/,
    );
  });

  it('a stream inside an object stream is counted', async () => {
    const inner = Buffer.concat([
      Buffer.from('<< /Filter /FlateDecode >>\nstream\n'),
      bomb,
      Buffer.from('\nendstream'),
    ]);
    const header = '6 0 ';
    const body = Buffer.concat([Buffer.from(header), inner]);
    const objStm = deflateSync(body);
    const problem = await refusal(
      pdf(`<< /Type /ObjStm /N 1 /First ${header.length} /Filter /FlateDecode >>\nstream\n`, objStm),
    );
    expect(problem?.message).toMatch(/^The PDF's compressed streams .* \(INPUT_MAX_UNCOMPRESSED_BYTES\)/);
  });

  it('an inline image whose dictionary is long is counted', async () => {
    const image = deflateSync(Buffer.alloc(2_000_000));
    const content = Buffer.concat([
      Buffer.from(
        `q 100 0 0 100 0 0 cm\nBI /W 1000 /H 2000 /CS /G /BPC 8 ${'/X 1 '.repeat(1_000)}/F /Fl\nID `,
      ),
      image,
      Buffer.from('\nEI\nQ\n'),
    ]);
    const problem = await refusal(pdf('<< >>\nstream\n', content));
    expect(problem?.message).toMatch(/\(INPUT_MAX_UNCOMPRESSED_BYTES\)/);
  });

  it('a stream whose filter cannot be found is refused, saying so', async () => {
    const problem = await refusal(pdf(`<< /Filter 9 0 R >>\nstream\n`, lzw(spaces(2_000_000))));
    expect(problem).toMatchObject({ code: 'TOO_LARGE' });
    expect(problem?.message).toMatch(/cannot be counted: a stream's filters/);
  });
});
