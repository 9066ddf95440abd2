/**
 * The report fixture's .docx rebuilt with an extra entry and its ZIP structure damaged the ways
 * a hostile file damages it, to get an entry past a check that reads the directory differently
 * from JSZip (the library mammoth reads .docx files with).
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { reportDocxParts } from './docx-parts.ts';

export interface RawEntry {
  name: string;
  /** The bytes as they go in the archive. */
  data: Buffer;
  method: number;
  /** The uncompressed size the directory states (the lie of a bomb). */
  stated: number;
  crc: number;
  /** The local header offset given as 0xFFFFFFFF with the real one in a ZIP64 extra field. */
  zip64Offset?: boolean;
  /** General-purpose flags (bit 0: encrypted; bit 3: sizes in a data descriptor). */
  flags?: number;
}

/** An entry whose data inflates to `bytes` spaces while the directory states `stated`. */
export function bombEntry(name: string, bytes: number, stated = 1_000): RawEntry {
  const content = Buffer.alloc(bytes, 0x20);
  return { name, data: deflateRawSync(content), method: 8, stated, crc: crc32(content) };
}

/** The fixture's own parts, deflated as Word stores them. */
export async function reportEntries(): Promise<RawEntry[]> {
  return [...(await reportDocxParts())].map(([name, content]) => ({
    name,
    data: deflateRawSync(content),
    method: 8,
    stated: content.length,
    crc: crc32(content),
  }));
}

export interface Damage {
  /** The entry count the end record states (the real count by default). */
  endCount?: number;
  /** Bytes appended to the central directory, as if one more record. */
  garbage?: Buffer;
}

export function damagedZip(entries: readonly RawEntry[], damage: Damage = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const flags = 0x0800 | (e.flags ?? 0);
    const descriptor = (flags & 0x08) !== 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(descriptor ? 0 : e.crc, 14);
    local.writeUInt32LE(descriptor ? 0 : e.data.length, 18);
    local.writeUInt32LE(descriptor ? 0 : e.stated, 22);
    local.writeUInt16LE(name.length, 26);
    const extra = Buffer.alloc(e.zip64Offset ? 12 : 0);
    if (e.zip64Offset) {
      extra.writeUInt16LE(1, 0);
      extra.writeUInt16LE(8, 2);
      extra.writeBigUInt64LE(BigInt(offset), 4);
    }
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(45, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(flags, 8);
    record.writeUInt16LE(e.method, 10);
    record.writeUInt32LE(e.crc, 16);
    record.writeUInt32LE(e.data.length, 20);
    record.writeUInt32LE(e.stated, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt16LE(extra.length, 30);
    record.writeUInt32LE(e.zip64Offset ? 0xffffffff : offset, 42);
    const trailer = descriptor ? Buffer.alloc(16) : Buffer.alloc(0);
    if (descriptor) {
      trailer.writeUInt32LE(0x08074b50, 0);
      trailer.writeUInt32LE(e.crc, 4);
      trailer.writeUInt32LE(e.data.length, 8);
      trailer.writeUInt32LE(e.stated, 12);
    }
    parts.push(local, name, e.data, trailer);
    central.push(record, name, extra);
    offset += 30 + name.length + e.data.length + trailer.length;
  }
  if (damage.garbage) central.push(damage.garbage);
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const count = damage.endCount ?? entries.length;
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}
