/**
 * A Word file's ZIP opened with the JSZip that mammoth uses, and every entry it would inflate
 * counted by inflating it with a ceiling, before anything reads a part. A pre-check of our own
 * reading of the directory is not enough: JSZip finds the directory its own way (it walks records
 * while their signature holds, whatever the end record's count says; it reads ZIP64 extra fields;
 * it skips nothing it cannot place, it fails), and any entry the two readings disagree on was an
 * entry inflated whole, outside a parser worker's heap limit (a 1.5 MB file inflating to 1.5 GB).
 * Counting the very objects JSZip will decompress leaves no reading to disagree with.
 */
import { JSZip, type Zip } from './docx-xml.ts';
import { InputLimitError, type InputLimits, inflatedSize } from './limits.ts';

/** JSZip's compressed entry (lib/compressedObject.js): what it inflates when a part is read. */
interface CompressedObject {
  uncompressedSize: number;
  compression: { magic: string } | null;
  compressedContent: Uint8Array;
}
const isCompressed = (data: unknown): data is CompressedObject =>
  typeof data === 'object' && data !== null && 'compressedContent' in data;

/** JSZip's method tags (lib/compressions.js): stored, deflated; it refuses any other method. */
const STORED = '\x00\x00';
const DEFLATED = '\x08\x00';

/**
 * How many central-directory records JSZip could read, at most `max` + 1: it reads one only where
 * the record's signature is, so the signatures in the file bound them. Counted before loading,
 * since loading holds an object per record.
 */
function directoryRecords(bytes: Buffer, max: number): number {
  let count = 0;
  for (let at = bytes.indexOf(RECORD); at >= 0 && count <= max; at = bytes.indexOf(RECORD, at + 4)) count++;
  return count;
}
const RECORD = Buffer.from([0x50, 0x4b, 0x01, 0x02]);

/**
 * The ZIP as JSZip (and so mammoth) reads it, once every entry is known to stay within the
 * limits; an archive JSZip cannot read is its error, for docxFailure to word.
 */
export async function boundedZip(bytes: Buffer, limits: InputLimits): Promise<Zip> {
  if (directoryRecords(bytes, limits.maxZipEntries) > limits.maxZipEntries) {
    throw new InputLimitError(
      'maxZipEntries',
      `The Word file holds more than ${limits.maxZipEntries.toLocaleString('en')} entries`,
      limits.maxZipEntries,
    );
  }
  const zip = await JSZip.loadAsync(bytes);
  // A name given twice is one entry here: JSZip keeps the last, and never inflates the others.
  const entries = Object.values((zip as unknown as { files: Record<string, { _data: unknown }> }).files);
  const limit = limits.maxUncompressedBytes;
  let stated = 0;
  for (const { _data: data } of entries) if (isCompressed(data)) stated += data.uncompressedSize;
  if (stated > limit) {
    throw new InputLimitError(
      'maxUncompressedBytes',
      `The Word file would inflate to ${stated.toLocaleString('en')} bytes`,
      limit,
    );
  }
  // Stated sizes are the file's word: JSZip inflates all of the data before it compares.
  let total = 0;
  for (const { _data: data } of entries) {
    if (!isCompressed(data)) continue; // a folder, or a declared size of 0: JSZip holds "" for it
    const content = data.compressedContent;
    const magic = data.compression?.magic;
    if (magic === STORED) total += content.length;
    else if (magic === DEFLATED) total += await inflatedSize(content, true, limit - total);
    else total = Number.POSITIVE_INFINITY; // not a method JSZip reads; never left uncounted
    if (total > limit) {
      throw new InputLimitError(
        'maxUncompressedBytes',
        `The Word file inflates to more than it states (${stated.toLocaleString('en')} bytes in its directory)`,
        limit,
      );
    }
  }
  return zip;
}
