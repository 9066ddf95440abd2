import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { parseReportBytes } from '../../src/ingest/parse-report.ts';
import type { ParsedReport } from '../../src/ingest/types.ts';
import { EXAMPLE_V2021, fixtureText, toHtmlTables } from '../support/fixtures.ts';

const LE_BOM = Buffer.from([0xff, 0xfe]);
const BE_BOM = Buffer.from([0xfe, 0xff]);

const utf16le = (text: string) => Buffer.from(text, 'utf16le');
const utf16be = (text: string) => utf16le(text).swap16();

/** The report as Notepad's "Unicode" (UTF-16LE) and big-endian UTF-16 save it: a byte-order mark first. */
const encodings = (text: string): [string, Buffer][] => [
  ['utf-16le', Buffer.concat([LE_BOM, utf16le(text)])],
  ['utf-16be', Buffer.concat([BE_BOM, utf16be(text)])],
];

function reportOf(result: Awaited<ReturnType<typeof parseDocument>>['result']): ParsedReport {
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.report;
}

/** Everything read from the report that must not depend on the encoding. */
const readings = (report: ParsedReport) => ({
  cells: report.cells,
  agency: report.agencyName,
  year: report.year,
  contact: report.contact,
  narrative: report.narrative,
  warnings: report.warnings,
  gaps: report.gaps,
});

describe('UTF-16 text and web pages with a byte-order mark', () => {
  const text = fixtureText(EXAMPLE_V2021);

  it('reads the tab-separated report in UTF-16LE and UTF-16BE as it reads the UTF-8 file', async () => {
    const utf8 = await parseDocument(Buffer.from(text, 'utf8'));
    const want = readings(reportOf(utf8.result));
    expect(want.cells.filter((c) => c.status === 'REPORTED')).toHaveLength(200);
    for (const [encoding, bytes] of encodings(text)) {
      const parsed = await parseDocument(bytes);
      expect({ encoding, format: parsed.format, read: parsed.encoding }).toEqual({
        encoding,
        format: 'text',
        read: encoding,
      });
      expect(readings(reportOf(parsed.result))).toEqual(want);
      expect(parseReportBytes(bytes).encoding).toBe(encoding);
      expect(readings(reportOf(parseReportBytes(bytes).result))).toEqual(want);
    }
  });

  it("reads Excel's Unicode Text export (UTF-16LE, CRLF line ends) as the UTF-8 file", async () => {
    const want = readings(reportOf((await parseDocument(Buffer.from(text, 'utf8'))).result));
    const crlf = Buffer.concat([LE_BOM, utf16le(text.replace(/\n/g, '\r\n'))]);
    const parsed = await parseDocument(crlf);
    expect(parsed.encoding).toBe('utf-16le');
    expect(reportOf(parsed.result).cells).toEqual(want.cells);
  });

  it('reads the report as a web page in UTF-16LE and UTF-16BE as it reads the UTF-8 page', async () => {
    const html = toHtmlTables(text);
    const utf8 = await parseDocument(Buffer.from(html, 'utf8'));
    expect(utf8.format).toBe('html');
    const want = readings(reportOf(utf8.result));
    expect(want.cells.filter((c) => c.status === 'REPORTED')).toHaveLength(200);
    for (const [encoding, bytes] of encodings(html)) {
      const parsed = await parseDocument(bytes);
      expect({ encoding, format: parsed.format, read: parsed.encoding }).toEqual({
        encoding,
        format: 'html',
        read: encoding,
      });
      expect(readings(reportOf(parsed.result))).toEqual(want);
    }
  });

  it('reads a page that declares another charset by its byte-order mark', async () => {
    const html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body>${toHtmlTables(text)}</body></html>`;
    const parsed = await parseDocument(Buffer.concat([LE_BOM, utf16le(html)]));
    expect([parsed.format, parsed.encoding]).toEqual(['html', 'utf-16le']);
    expect(reportOf(parsed.result).cells.filter((c) => c.status === 'REPORTED')).toHaveLength(200);
  });
});

describe('UTF-16 that cannot be read', () => {
  const problemOf = async (bytes: Uint8Array) => {
    const { result } = await parseDocument(bytes);
    if (result.ok) throw new Error('expected a rejection');
    return result.problems[0];
  };
  const text = fixtureText(EXAMPLE_V2021);

  it('refuses UTF-16 without a byte-order mark, saying to save it as UTF-8', async () => {
    // A page with little ASCII: too few zero bytes to go by (the Shanghai page was called binary).
    const chinese = `${'政府信息公开工作年度报告，本机关依申请公开。'.repeat(200)}\n12\t3\n`;
    for (const bytes of [
      utf16le(text),
      utf16be(text),
      utf16le(toHtmlTables(text)),
      utf16le(chinese),
      utf16be(chinese),
    ]) {
      expect(await problemOf(bytes)).toMatchObject({
        code: 'UNDECODABLE',
        message: expect.stringMatching(/UTF-16 text without a byte-order mark.*save it as UTF-8/),
      });
    }
  });

  it('still calls a binary file binary', async () => {
    const zip = [0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0x14, 0];
    const zeros = Buffer.concat([Buffer.from('abc'), Buffer.alloc(100), Buffer.from('report')]);
    const noise = Uint8Array.from({ length: 9000 }, (_, i) => (i * 2654435761) >>> 24);
    for (const bytes of [new Uint8Array(zip), zeros, noise]) {
      expect(await problemOf(bytes)).toMatchObject({ code: 'BINARY_FILE' });
    }
  });

  it('refuses a byte-order mark followed by what is not UTF-16 text, and a mark alone as empty', async () => {
    // UTF-32LE's mark is FF FE 00 00: read as UTF-16, its text is every other character NUL.
    const utf32 = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), ...[...text.slice(0, 200)].map(utf32le)]);
    expect(await problemOf(utf32)).toMatchObject({
      code: 'BINARY_FILE',
      message: expect.stringContaining('UTF-16'),
    });
    // Lone surrogates everywhere (bytes of another encoding behind the mark).
    const garbage = Buffer.concat([LE_BOM, Buffer.alloc(4000, Buffer.from([0x00, 0xdc]))]);
    expect(await problemOf(garbage)).toMatchObject({ code: 'UNDECODABLE' });
    expect(await problemOf(Buffer.concat([LE_BOM, utf16le(' \r\n')]))).toMatchObject({ code: 'EMPTY_FILE' });
    expect(await problemOf(BE_BOM)).toMatchObject({ code: 'EMPTY_FILE' });
  });
});

function utf32le(char: string): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(char.codePointAt(0) ?? 0);
  return bytes;
}
