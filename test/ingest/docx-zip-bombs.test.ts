/**
 * A .docx whose ZIP is damaged so that an entry escapes a reading of the directory other than
 * JSZip's is still bounded: every entry JSZip (and so mammoth) would inflate is counted, with a
 * ceiling, before any part is read. The bomb here inflates to 1 MB under a limit of 600 kB (the
 * fixture's own parts are about 210 kB), as a 1.5 MB file inflating to 1.5 GB would past 64 MiB.
 */
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { bombEntry, damagedZip, type RawEntry, reportEntries } from '../support/damaged-zip.ts';
import { rebuiltDocx, reportDocxParts } from '../support/docx-parts.ts';

const limits = { maxUncompressedBytes: 600_000 };
const TOO_LARGE = /the limit is 600,000 \(INPUT_MAX_UNCOMPRESSED_BYTES\)/;

const refusal = async (bytes: Uint8Array, options: Record<string, number> = limits) => {
  const { result } = await parseDocument(bytes, { limits: options });
  if (result.ok) throw new Error('accepted');
  return result.problems[0];
};

const bomb = () => bombEntry('customXml/item9.xml', 1024 * 1024);

describe('DOCX decompression limits hold however the ZIP is damaged', () => {
  it('reads the fixture, rebuilt, within these limits', async () => {
    const { result } = await parseDocument(damagedZip(await reportEntries()), { limits });
    expect(result.ok).toBe(true);
  });

  it.each<[string, (entries: RawEntry[]) => Buffer]>([
    // JSZip walks records while their signature holds, whatever the end record counts.
    [
      'the end record counting fewer entries than the directory holds',
      (e) => damagedZip(e, { endCount: e.length - 1 }),
    ],
    ['the end record counting no entries', (e) => damagedZip(e, { endCount: 0 })],
    // JSZip stops at the record it cannot read and keeps those before it.
    [
      'a malformed record after the real ones',
      (e) => damagedZip(e, { endCount: e.length + 1, garbage: Buffer.from('GARBAGE'.repeat(7)) }),
    ],
    [
      'the entry placed by a ZIP64 extra field',
      (e) => damagedZip([...e.slice(0, -1), { ...(e.at(-1) as RawEntry), zip64Offset: true }]),
    ],
    [
      'sizes in a data descriptor (zero in the local header)',
      (e) => damagedZip([...e.slice(0, -1), { ...(e.at(-1) as RawEntry), flags: 0x08 }]),
    ],
  ])('a bomb behind %s is refused', async (_, build) => {
    const problem = await refusal(build([...(await reportEntries()), bomb()]));
    expect(problem).toMatchObject({ code: 'TOO_LARGE', severity: 'error' });
    expect(problem?.message).toMatch(TOO_LARGE);
  });

  it('a name given twice is counted as JSZip keeps it (the last)', async () => {
    const entries = await reportEntries();
    const problem = await refusal(damagedZip([...entries, bombEntry('word/document.xml', 1024 * 1024)]));
    expect(problem?.message).toMatch(TOO_LARGE);
  });

  it('a stored entry is counted by its bytes, not by the size it states', async () => {
    const content = Buffer.alloc(700_000, 0x20);
    const stored = { name: 'customXml/item9.xml', data: content, method: 0, stated: 10, crc: crc32(content) };
    const problem = await refusal(damagedZip([...(await reportEntries()), stored]));
    expect(problem?.message).toMatch(TOO_LARGE);
  });

  it('entries past the end record’s count are counted against the entry limit', async () => {
    const entries = await reportEntries();
    const tiny = Array.from({ length: 60 }, (_, i) => ({
      ...bombEntry(`customXml/t${i}.xml`, 1),
      stated: 1,
    }));
    const problem = await refusal(damagedZip([...entries, ...tiny], { endCount: 3 }), {
      ...limits,
      maxZipEntries: 50,
    });
    expect(problem).toMatchObject({ code: 'TOO_LARGE' });
    expect(problem?.message).toMatch(/more than 50 entries; the limit is 50 \(INPUT_MAX_ZIP_ENTRIES\)/);
  });

  it.each<[string, (entries: RawEntry[]) => Buffer, RegExp]>([
    [
      'a directory JSZip cannot read',
      (e) => {
        const zip = damagedZip(e);
        zip.writeUInt32LE(0xdeadbeef, zip.length - 22 - e.length * 10); // inside the directory
        return zip;
      },
      /cannot be read/,
    ],
    [
      'an encrypted entry',
      (e) => damagedZip([...e.slice(0, -1), { ...(e.at(-1) as RawEntry), flags: 1 }]),
      /encrypted/,
    ],
    [
      'a method JSZip does not know',
      (e) => damagedZip([...e.slice(0, -1), { ...(e.at(-1) as RawEntry), method: 12 }]),
      /damaged/,
    ],
  ])('%s is refused as unreadable', async (_, build, message) => {
    const problem = await refusal(build([...(await reportEntries()), bomb()]));
    expect(problem).toMatchObject({ code: 'UNREADABLE_DOCUMENT' });
    expect(problem?.message).toMatch(message);
  });
});

describe('a Word document whose XML nests thousands deep', () => {
  it.each([
    [
      'customXml',
      100_000,
      (n: number) => '<w:customXml w:element="a">'.repeat(n) + '</w:customXml>'.repeat(n),
    ],
    [
      'content controls',
      20_000,
      (n: number) =>
        `${'<w:sdt><w:sdtContent>'.repeat(n)}<w:p><w:r><w:t>x</w:t></w:r></w:p>${'</w:sdtContent></w:sdt>'.repeat(n)}`,
    ],
  ])('%s %i deep: refused saying it nests too deeply, not that it is damaged', async (_, depth, nest) => {
    const parts = await reportDocxParts();
    const bytes = rebuiltDocx(parts, {
      document: (xml) => xml.replace('<w:body>', `<w:body>${nest(depth)}`),
    });
    const { result } = await parseDocument(bytes);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'UNREADABLE_DOCUMENT',
        'The Word document cannot be read: its XML nests elements inside elements too deeply to be followed (Word nests a few dozen levels; a reader stopped after thousands), so it was not made by Word as it stands; download it again, or open it in Word and save it again.',
      ],
    ]);
  });
});
