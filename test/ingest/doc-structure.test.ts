import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';

// The fixture's layout (MS-CFB, 512-byte sectors; sector n at (n + 1) × 512): one allocation
// table sector (0), the short-sector table in sector 2, the directory in sectors 114–115, the
// WordDocument stream from sector 49 on (its FIB at the stream's start), the 1Table stream in
// the short-sector stream.
const FIXTURE = readFileSync(fileURLToPath(new URL('../fixtures/formats/report.doc', import.meta.url)));
const FAT = 512;
const SHORT_FAT = 3 * 512;
const DIRECTORY = 115 * 512;
const FIB = 50 * 512;

function edited(...edits: [at: number, value: number][]): Buffer {
  const bytes = Buffer.from(FIXTURE);
  for (const [at, value] of edits) bytes.writeInt32LE(value, at);
  return bytes;
}

async function refusal(bytes: Uint8Array) {
  const { result } = await parseDocument(bytes);
  if (result.ok) throw new Error('expected a refusal');
  return result.problems[0];
}

const damaged = (why: string) =>
  `The Word 97–2003 document cannot be read (${why}). The file may be cut off or damaged; download it again, or save it as .docx.`;

describe('a Word 97 file whose structure would send the reader library into a loop or a huge allocation is refused, saying what is wrong', () => {
  it('the fixture itself passes', async () => {
    expect((await parseDocument(FIXTURE)).result.ok).toBe(true);
  });

  it('a sector chain that loops through two sectors (49 → 50 → 49), which grew an array until the process aborted', async () => {
    expect(await refusal(edited([FAT + 50 * 4, 49]))).toEqual({
      code: 'UNREADABLE_DOCUMENT',
      severity: 'error',
      message: damaged('the sector chain of the WordDocument stream loops: it comes back to sector 49'),
    });
  });

  it('a loop in the directory, the short-sector table or a short stream', async () => {
    expect((await refusal(edited([FAT + 115 * 4, 114])))?.message).toBe(
      damaged('the sector chain of its directory loops: it comes back to sector 114'),
    );
    // 1Table starts at short sector 3; short sector 4 pointing back to 3.
    expect((await refusal(edited([SHORT_FAT + 4 * 4, 3])))?.message).toBe(
      damaged('the sector chain of the 1Table stream loops: it comes back to sector 3'),
    );
  });

  it('a chain that leaves the file', async () => {
    expect((await refusal(edited([FAT + 49 * 4, 5000])))?.message).toBe(
      damaged('the sector chain of the WordDocument stream points to sector 5000, outside the file'),
    );
  });

  it('a directory whose entries refer back to each other', async () => {
    // Entry 1 (CompObj) has entry 2 on its left; entry 2's right pointing back at entry 1.
    expect((await refusal(edited([DIRECTORY + 2 * 128 + 72, 1])))?.message).toBe(
      damaged('its directory loops: entry 1 is reached twice'),
    );
  });

  it('a header stating sizes the library would allocate whole: a 256 MB sector, a million-sector allocation table', async () => {
    const bigSectors = Buffer.from(FIXTURE);
    bigSectors.writeUInt16LE(28, 30);
    expect((await refusal(bigSectors))?.message).toBe(
      damaged('its header states a sector size of 2^28 bytes; Word uses 512 or 4,096'),
    );
    expect((await refusal(edited([44, 1_000_000])))?.message).toBe(
      damaged("its allocation table is stated to take 1000000 sectors, more than the file's 116"),
    );
  });

  it('an allocation table index (DIFAT) that loops', async () => {
    // 110 table sectors take the index; its first sector (112) names itself as the next.
    expect((await refusal(edited([44, 110], [68, 112], [72, 2], [113 * 512 + 508, 112])))?.message).toBe(
      damaged('its allocation table index loops: it comes back to sector 112'),
    );
  });

  it('a piece table or a header table that cuts the same text out again and again (each cut a new string)', async () => {
    const fcClx = FIXTURE.readUInt32LE(FIB + 0x1a2);
    // The 1Table stream's clx lies whole in one run of the file: find it by its bytes.
    const clx = FIXTURE.indexOf(Buffer.from([2, 16, 0, 0, 0, 0, 0, 0, 0]));
    expect(clx).toBeGreaterThan(0);
    const pieces = Buffer.from(FIXTURE);
    // Five pieces of 3,728 characters, each the same 7,456 bytes of the 32,317-byte stream.
    pieces.writeUInt8(2, clx);
    pieces.writeUInt32LE(4 + 5 * 12, clx + 1);
    for (let i = 0; i <= 5; i++) pieces.writeUInt32LE(i * 3728, clx + 5 + i * 4);
    for (let i = 0; i < 5; i++) {
      pieces.writeUInt16LE(0x50, clx + 5 + 24 + i * 8);
      pieces.writeUInt32LE(0x800, clx + 5 + 24 + i * 8 + 2);
      pieces.writeUInt16LE(0, clx + 5 + 24 + i * 8 + 6);
    }
    expect((await refusal(pieces))?.message).toBe(
      damaged(
        'its piece table cuts more text out of the document than the document holds (32,317 bytes): its pieces overlap',
      ),
    );
    // Header stories 0–3728, 3728–0, 0–3728: the whole text twice (ccpText 0, ccpHdd 3,728).
    const headers = Buffer.from(FIXTURE);
    const table = clx + 24;
    for (const [i, cp] of [0, 3728, 0, 3728].entries()) headers.writeUInt32LE(cp, table + i * 4);
    headers.writeUInt32LE(0, FIB + 0x4c);
    headers.writeUInt32LE(3728, FIB + 0x54);
    headers.writeUInt32LE(fcClx + 24, FIB + 0xf2);
    headers.writeUInt32LE(16, FIB + 0xf6);
    expect((await refusal(headers))?.message).toBe(
      damaged('its header and footer table cuts more text than the document holds: its entries overlap'),
    );
  });
});
