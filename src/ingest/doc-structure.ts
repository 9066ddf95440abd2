/**
 * Checks a Word 97 file's compound-file structure (MS-CFB) before word-extractor reads it.
 *
 * word-extractor trusts every number in the file: it follows a sector chain until it ends,
 * stopping a loop only when a sector points to itself, so a chain 49 → 50 → 49 grows an array
 * until V8 aborts the whole process (a worker's heap limit does not catch one huge allocation);
 * it sizes buffers and arrays from the header's sector size and allocation-table length; and it
 * cuts a text piece for every entry of the piece table and a header string for every entry of
 * the header table, however much they overlap (a 1 MB file can ask for gigabytes of strings).
 * So every chain, table and size it will use is walked here first, each within what the file
 * holds, and a file that fails is refused saying what is wrong.
 */

/** The streams the formatting is read from (doc-formatting.ts), each cut to its stated size. */
export interface DocStreams {
  word?: Uint8Array;
  /** The table stream the FIB names (0Table or 1Table). */
  table?: Uint8Array;
}

/**
 * Why the file cannot be read safely, in words for the person who sent it; or, when it can, the
 * WordDocument and table streams, as walked.
 */
export function docStructure(bytes: Uint8Array): { damage: string } | { streams: DocStreams } {
  try {
    return { streams: checkCompoundFile(bytes) };
  } catch (error) {
    if (error instanceof Damage) return { damage: error.message };
    throw error;
  }
}

/** Why the file cannot be read safely, in words for the person who sent it; null when it can. */
export function docStructureDamage(bytes: Uint8Array): string | null {
  const structure = docStructure(bytes);
  return 'damage' in structure ? structure.damage : null;
}

class Damage extends Error {}

/** The streams word-extractor opens: the text, both table streams (which one the FIB says), and Data. */
const READ_STREAMS = ['WordDocument', '0Table', '1Table', 'Data'] as const;

interface Entry {
  name: string;
  type: number;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
}

function checkCompoundFile(bytes: Uint8Array): DocStreams {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 512) throw new Damage('it is shorter than the 512-byte header of a Word file');
  const i32 = (at: number) => view.getInt32(at, true);
  const shift = view.getUint16(30, true);
  if (shift !== 9 && shift !== 12) {
    throw new Damage(`its header states a sector size of 2^${shift} bytes; Word uses 512 or 4,096`);
  }
  if (view.getUint16(32, true) !== 6) {
    throw new Damage(
      `its header states a short-sector size of 2^${view.getUint16(32, true)} bytes; Word uses 64`,
    );
  }
  const sectorSize = 1 << shift;
  // word-extractor places sector n at (n + 1) × the sector size: the header fills sector -1.
  const sectors = Math.max(0, Math.ceil((bytes.length - sectorSize) / sectorSize));
  const sectorAt = (id: number) => bytes.subarray((id + 1) * sectorSize, (id + 2) * sectorSize);
  const inFile = (id: number, what: string) => {
    if (id < 0 || id >= sectors) {
      throw new Damage(`${what} points to sector ${id}, outside the file's ${sectors} sectors`);
    }
    return id;
  };

  const fatSectors = i32(44);
  if (fatSectors < 0 || fatSectors > sectors) {
    throw new Damage(
      `its allocation table is stated to take ${fatSectors} sectors, more than the file's ${sectors}`,
    );
  }
  const fatIds: number[] = [];
  for (let i = 0; i < Math.min(109, fatSectors); i++) fatIds.push(i32(76 + i * 4));
  const difatSectors = i32(72);
  if (fatSectors > 109 && difatSectors !== 0) {
    if (difatSectors < 0 || difatSectors > sectors) {
      throw new Damage(`its allocation table index is stated to take ${difatSectors} sectors`);
    }
    const seen = new Set<number>();
    let id = i32(68);
    for (let n = 0; n < difatSectors; n++) {
      inFile(id, 'the chain of its allocation table index');
      if (seen.has(id)) throw new Damage(loops('its allocation table index', id));
      seen.add(id);
      // The file's last sector may be cut short; what is missing reads as zeros, as in word-extractor.
      const padded = new Uint8Array(sectorSize);
      padded.set(sectorAt(id));
      const sector = new DataView(padded.buffer);
      for (let at = 0; at < sectorSize - 4 && fatIds.length < fatSectors; at += 4) {
        fatIds.push(sector.getInt32(at, true));
      }
      id = sector.getInt32(sectorSize - 4, true);
    }
  }
  const fat = new Int32Array(fatSectors * (sectorSize / 4));
  fatIds.forEach((id, i) => {
    fat.set(int32s(sectorAt(inFile(id, 'its allocation table')), sectorSize / 4), i * (sectorSize / 4));
  });
  const fatChain = (start: number, what: string) => chain(fat, start, sectors, what);

  const miniFat = int32s(concat(fatChain(i32(60), 'its short-sector table').map(sectorAt)));
  const directory = concat(fatChain(i32(48), 'its directory').map(sectorAt));
  const entries: Entry[] = [];
  const dir = new DataView(directory.buffer, directory.byteOffset, directory.byteLength);
  for (let at = 0; at + 128 <= directory.length; at += 128) {
    const nameBytes = Math.max(dir.getInt16(at + 64, true) - 1, 0);
    entries.push({
      name: Buffer.from(directory.subarray(at, Math.min(at + nameBytes, directory.length))).toString(
        'utf16le',
      ),
      type: dir.getInt8(at + 66),
      left: dir.getInt32(at + 68, true),
      right: dir.getInt32(at + 72, true),
      child: dir.getInt32(at + 76, true),
      start: dir.getInt32(at + 116, true),
      size: dir.getInt32(at + 120, true),
    });
  }
  const root = entries.find((e) => e.type === 5);
  if (!root) throw new Damage('its directory has no root entry');
  const miniStream = fatChain(root.start, 'its short-sector stream');
  const miniSectors = (miniStream.length * sectorSize) / 64;
  const rootStreams = streamsOf(entries, root, new Set([entries.indexOf(root)]));

  const shortStreamMax = i32(56);
  const streams = new Map<string, Uint8Array>();
  for (const name of READ_STREAMS) {
    const entry = rootStreams.get(name);
    if (!entry) continue;
    const what = `the ${name} stream`;
    // As word-extractor decides, by the size the entry states.
    const data =
      entry.size < shortStreamMax
        ? concat(
            chain(miniFat, entry.start, miniSectors, what).map((id) => {
              const at = id * 64;
              const sector = miniStream[Math.floor(at / sectorSize)] ?? 0;
              return sectorAt(sector).subarray(at % sectorSize, (at % sectorSize) + 64);
            }),
          )
        : concat(fatChain(entry.start, what).map(sectorAt));
    streams.set(name, data.subarray(0, Math.max(0, entry.size)));
  }
  const word = streams.get('WordDocument');
  if (word && word.length >= 0x01aa) {
    const fib = new DataView(word.buffer, word.byteOffset, word.byteLength);
    const table = streams.get(fib.getUint16(0xa, true) & 0x0200 ? '1Table' : '0Table');
    if (table) checkTextTables(fib, table);
    return { word, table };
  }
  return { word };
}

/**
 * The piece table and the header table, read as word-extractor reads them: the text they cut
 * out, added up, must fit in the document's text. (Real pieces never overlap.)
 */
function checkTextTables(fib: DataView, table: Uint8Array) {
  const tab = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const u32 = (at: number) => (at + 4 <= table.length ? tab.getUint32(at, true) : undefined);
  let pos = fib.getUint32(0x01a2, true);
  while (table[pos] === 1) pos += 3 + (pos + 3 <= table.length ? tab.getUint16(pos + 1, true) : 0);
  const size = table[pos] === 2 ? u32(pos + 1) : undefined;
  if (size === undefined) return;
  pos += 5;
  const pieces = (size - 4) / 12;
  let cutBytes = 0;
  let text = 0;
  for (let x = 0; x <= pieces - 1; x++) {
    let filePos = u32(pos + (pieces + 1) * 4 + x * 8 + 2);
    const start = u32(pos + x * 4);
    const end = u32(pos + (x + 1) * 4);
    // word-extractor stops with an error at the first entry past the table.
    if (filePos === undefined || start === undefined || end === undefined) break;
    const bytesPerChar = filePos & 0x4000_0000 ? 1 : 2;
    if (bytesPerChar === 1) filePos = Math.floor((filePos & ~0x4000_0000) / 2);
    const cut = Math.max(0, Math.min(fib.byteLength, filePos + bytesPerChar * (end - start)) - filePos);
    cutBytes += cut;
    text += cut / bytesPerChar;
    if (cutBytes > fib.byteLength) {
      throw new Damage(
        `its piece table cuts more text out of the document than the document holds (${fib.byteLength.toLocaleString('en')} bytes): its pieces overlap`,
      );
    }
  }
  const headers = fib.getUint32(0x00f2, true);
  const count = fib.getUint32(0x00f6, true) / 4;
  const offset = fib.getUint32(0x004c, true) + fib.getUint32(0x0050, true);
  const limit = offset + fib.getUint32(0x0054, true);
  let headerText = 0;
  let start = offset + (u32(headers) ?? 0);
  for (let i = 1; i < count; i++) {
    const at = u32(headers + i * 4);
    if (at === undefined) break;
    const end = Math.min(offset + at, limit);
    headerText += Math.max(0, Math.min(end, text) - start);
    if (headerText > text) {
      throw new Damage(
        'its header and footer table cuts more text than the document holds: its entries overlap',
      );
    }
    start = end;
  }
}

/** The sectors of a chain, refusing one that loops or leaves the file (or its short-sector stream). */
function chain(table: Int32Array, start: number, count: number, what: string): number[] {
  const ids: number[] = [];
  const seen = new Set<number>();
  // As word-extractor: any negative id ends a chain (end of chain, free, or a table's mark).
  for (let id = start; id >= 0; ) {
    if (id >= count) throw new Damage(`the sector chain of ${what} points to sector ${id}, outside the file`);
    if (seen.has(id)) throw new Damage(loops(`the sector chain of ${what}`, id));
    seen.add(id);
    ids.push(id);
    const next = table[id];
    if (next === undefined) break;
    id = next;
  }
  return ids;
}

const loops = (what: string, id: number) => `${what} loops: it comes back to sector ${id}`;

/**
 * The streams of a storage by name, as word-extractor finds them, walking its storages too (it
 * builds the whole tree, recursively). Each entry may be reached once in the whole tree: one
 * reached again means the tree loops, which word-extractor would follow until its stack overflows.
 */
function streamsOf(entries: readonly Entry[], storage: Entry, seen: Set<number>): Map<string, Entry> {
  const streams = new Map<string, Entry>();
  const storages: Entry[] = [];
  const pending = [storage.child];
  while (pending.length > 0) {
    const id = pending.pop() ?? -1;
    if (id === -1) continue;
    const entry = entries[id];
    if (!entry) throw new Damage(`its directory refers to entry ${id}, which it does not have`);
    if (seen.has(id)) throw new Damage(`its directory loops: entry ${id} is reached twice`);
    seen.add(id);
    if (entry.type === 2) streams.set(entry.name, entry);
    if (entry.type === 1) storages.push(entry);
    pending.push(entry.right, entry.left);
  }
  for (const inner of storages) streamsOf(entries, inner, seen);
  return streams;
}

function int32s(bytes: Uint8Array, count: number = Math.floor(bytes.length / 4)): Int32Array {
  const out = new Int32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count && i * 4 + 4 <= bytes.length; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}

const concat = (parts: readonly Uint8Array[]) => Buffer.concat(parts);
