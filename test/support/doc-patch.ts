/**
 * Gives one character of a Word 97 (.doc) file's main text a character property, as Word would
 * store it: the CHPX page (FKP) holding the character is rewritten, its run split around the
 * character and the character's run given the run's sprms and one more. Only the WordDocument
 * stream changes, in place; the file's structure stays as it was. For a file whose WordDocument
 * stream is in the regular sectors and whose allocation table is listed in the header (as in
 * test/fixtures/formats/report.doc).
 */

interface Stream {
  sectors: number[];
  bytes: Buffer;
}

function compoundFile(file: Buffer) {
  const sectorSize = 1 << file.readUInt16LE(0x1e);
  const at = (sector: number) => (sector + 1) * sectorSize;
  const fat: number[] = [];
  for (let i = 0; i < Math.min(109, file.readUInt32LE(0x2c)); i++) {
    const sector = file.readUInt32LE(0x4c + i * 4);
    for (let k = 0; k < sectorSize / 4; k++) fat.push(file.readUInt32LE(at(sector) + k * 4));
  }
  const chain = (start: number) => {
    const out: number[] = [];
    for (let s = start; s < 0xfffffffa && out.length <= fat.length; s = fat[s] ?? 0xfffffffe) out.push(s);
    return out;
  };
  const read = (start: number, size: number): Stream => {
    const sectors = chain(start);
    const bytes = Buffer.concat(sectors.map((s) => file.subarray(at(s), at(s) + sectorSize))).subarray(
      0,
      size,
    );
    return { sectors, bytes: Buffer.from(bytes) };
  };
  const entries = new Map<string, { start: number; size: number }>();
  const directory = read(file.readUInt32LE(0x30), Number.MAX_SAFE_INTEGER).bytes;
  for (let o = 0; o + 128 <= directory.length; o += 128) {
    const nameLength = Math.max(directory.readUInt16LE(o + 64) - 2, 0);
    const name = directory.subarray(o, o + nameLength).toString('utf16le');
    entries.set(name, { start: directory.readUInt32LE(o + 116), size: directory.readUInt32LE(o + 120) });
  }
  const stream = (name: string): Buffer => {
    const entry = entries.get(name);
    if (!entry) throw new Error(`no ${name} stream`);
    if (entry.size >= file.readUInt32LE(0x38)) return read(entry.start, entry.size).bytes;
    const root = entries.get('Root Entry');
    if (!root) throw new Error('no root entry');
    const container = read(root.start, Number.MAX_SAFE_INTEGER).bytes;
    const miniFat = read(file.readUInt32LE(0x3c), Number.MAX_SAFE_INTEGER).bytes;
    const parts: Buffer[] = [];
    for (
      let m = entry.start;
      m < 0xfffffffa && parts.length * 64 < entry.size;
      m = miniFat.readUInt32LE(m * 4)
    ) {
      parts.push(container.subarray(m * 64, m * 64 + 64));
    }
    return Buffer.concat(parts).subarray(0, entry.size);
  };
  const wordEntry = entries.get('WordDocument');
  if (!wordEntry) throw new Error('no WordDocument stream');
  const word = read(wordEntry.start, wordEntry.size);
  const write = () => {
    word.sectors.forEach((s, i) => {
      word.bytes.copy(file, at(s), i * sectorSize, Math.min((i + 1) * sectorSize, word.bytes.length));
    });
  };
  return { word: word.bytes, stream, write };
}

/**
 * A copy of `doc` in which character `index` of the first `target` after the first `label` (both
 * searched as UTF-16 text) carries the sprms `sprm` (hex: "3c0801" is sprmCFVanish on).
 */
export function withCharacterSprm(
  doc: Buffer,
  label: string,
  target: string,
  index: number,
  sprm: string,
): Buffer {
  const file = Buffer.from(doc);
  const { word, stream, write } = compoundFile(file);
  const table = stream(word.readUInt16LE(0x0a) & 0x0200 ? '1Table' : '0Table');
  const fcPlc = word.readUInt32LE(0xfa);
  const lcbPlc = word.readUInt32LE(0xfe);
  const n = (lcbPlc - 4) / 8;
  const labelAt = word.indexOf(Buffer.from(label, 'utf16le'));
  if (labelAt < 0) throw new Error('label not found');
  const targetAt = word.indexOf(Buffer.from(target, 'utf16le'), labelAt);
  if (targetAt < 0) throw new Error('target not found');
  const fc = targetAt + 2 * index;
  const added = Buffer.from(sprm, 'hex');
  for (let i = 0; i < n; i++) {
    const pn = table.readUInt32LE(fcPlc + (n + 1) * 4 + i * 4) & 0x3fffff;
    const page = word.subarray(pn * 512, (pn + 1) * 512);
    const crun = page[511] ?? 0;
    const rgfc = Array.from({ length: crun + 1 }, (_, j) => page.readUInt32LE(j * 4));
    const fcAt = (j: number) => rgfc[j] ?? 0;
    if (!(fcAt(0) <= fc && fc < fcAt(crun))) continue;
    const runs: [number, number, Buffer][] = [];
    for (let j = 0; j < crun; j++) {
      const offset = (page[(crun + 1) * 4 + j] ?? 0) * 2;
      const grpprl = offset
        ? Buffer.from(page.subarray(offset + 1, offset + 1 + (page[offset] ?? 0)))
        : Buffer.alloc(0);
      const [start, end] = [fcAt(j), fcAt(j + 1)];
      if (start <= fc && fc < end) {
        if (start < fc) runs.push([start, fc, grpprl]);
        runs.push([fc, fc + 2, Buffer.concat([grpprl, added])]);
        if (fc + 2 < end) runs.push([fc + 2, end, grpprl]);
      } else runs.push([start, end, grpprl]);
    }
    const out = Buffer.alloc(512);
    for (const [j, v] of [...runs.map((r) => r[0]), fcAt(crun)].entries()) out.writeUInt32LE(v, j * 4);
    const headEnd = (runs.length + 1) * 4 + runs.length;
    let pos = 511;
    const cache = new Map<string, number>();
    runs.forEach(([, , grpprl], j) => {
      if (grpprl.length === 0) return;
      const key = grpprl.toString('hex');
      let offset = cache.get(key);
      if (offset === undefined) {
        pos -= 1 + grpprl.length;
        if (pos % 2) pos -= 1;
        if (pos <= headEnd + 2) throw new Error('the CHPX page is full');
        out[pos] = grpprl.length;
        grpprl.copy(out, pos + 1);
        offset = pos / 2;
        cache.set(key, offset);
      }
      out[(runs.length + 1) * 4 + j] = offset;
    });
    out[511] = runs.length;
    out.copy(word, pn * 512);
    write();
    return file;
  }
  throw new Error('no CHPX page holds the character');
}
