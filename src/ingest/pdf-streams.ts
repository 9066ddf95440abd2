/**
 * What a PDF's streams decode to, in all, counted before pdf.js reads the file. pdf.js decodes a
 * stream whole when a page uses it, into memory outside a parser worker's heap limit, and every
 * compressing filter it supports can be a bomb: FlateDecode (a 1 MB stream of spaces inflates
 * to 1 GB), LZWDecode (a code can stand for 4,000 bytes) and RunLengthDecode (2 bytes for 128),
 * each also behind ASCIIHexDecode or ASCII85Decode, and so can the inline images inside a
 * page's content stream. Counting keeps only lengths, never the output (but a content stream's
 * own, already counted, while its inline images are found). Image codecs (DCT, JPX, JBIG2,
 * CCITT) are left to pdf.js. Streams are found as pdf.js's lexer finds them (comments are
 * whitespace between the dictionary and \`stream\`), their filters read as it reads them (#xx
 * escapes in names, \`/F\` for \`/Filter\`, indirect references), and a stream whose filters cannot
 * be read here refuses the file rather than counting as nothing. Not counted: streams of an
 * encrypted PDF (their data is ciphertext here; pdf.js decrypts it first).
 */
import { InputLimitError } from './limits.ts';
import { decodeChain } from './pdf-filters.ts';
import { dictionaryOf, type Value } from './pdf-tokens.ts';

/**
 * \`>>\`, then what pdf.js skips as whitespace (comments run to the end of their line), the
 * \`stream\` keyword and the rest of its line: pdf.js starts the data after the next line end. Each
 * stream's data runs to the end of the file here: a decoder stops at its own end mark.
 */
const STREAM =
  />>(?:[\0\t\n\f\r ]|%[^\r\n]*(?![^\r\n]))*stream(?![^\0\t\n\f\r ()<>[\]{}/%])[^\r\n]*(?:\r\n|\n|\r)/g;

/** Where an object starts: \`N G obj\` as tokens. */
const OBJ =
  /(?<![^\0\t\n\f\r ()<>[\]{}/%])\d+[\0\t\n\f\r ]+\d+[\0\t\n\f\r ]+obj(?![^\0\t\n\f\r ()<>[\]{}/%])/g;

/** A stream whose filters cannot be read: what pdf.js would decode it to cannot be counted. */
export class HiddenFiltersError extends InputLimitError {
  constructor(limit: number) {
    super(
      'maxUncompressedBytes',
      "The PDF's compressed streams cannot be counted: a stream's filters are written so that they cannot be read before decoding",
      limit,
    );
  }
}

/** Bytes as text, one character per byte, so offsets in one are offsets in the other. */
export const latin1 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** How many object starts are tried back from a stream before its dictionary counts as unreadable. */
const MAX_STARTS = 64;

/**
 * The stream dictionaries that may be the one before \`>>\` at \`end\`: read from each object start
 * back from it, up to one that reads as a whole dictionary and has no comment before it on its
 * line. A start inside a string or a comment of the real dictionary reads as no dictionary or as
 * one without what came before it, so all that read are kept and the worst is counted. Null when
 * none does.
 */
function dictionariesBefore(
  text: string,
  end: number,
  starts: readonly number[],
  inObjectStream: boolean,
): Map<string, Value>[] | null {
  const found: Map<string, Value>[] = [];
  let tried = 0;
  for (let k = upperBound(starts, end) - 1; k >= 0 && tried < MAX_STARTS; k--, tried++) {
    const start = starts[k] ?? 0;
    // In an object stream, objects start where its header says, as pdf.js reads them.
    const body = inObjectStream ? start : text.indexOf('obj', start) + 3;
    const dictionary = dictionaryOf(text.slice(body, end + 2));
    if (inObjectStream) return dictionary ? [dictionary] : null;
    if (!dictionary) continue;
    found.push(dictionary);
    const line = Math.max(text.lastIndexOf('\n', start), text.lastIndexOf('\r', start));
    if (!text.slice(line + 1, start).includes('%')) return found;
  }
  return null;
}

/** How many of the sorted \`values\` are below \`at\`. */
function upperBound(values: readonly number[], at: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((values[mid] ?? 0) < at) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Resolves indirect values as pdf.js fetches them, from the objects written in the file. */
class Objects {
  private readonly cache = new Map<string, Value | null>();
  constructor(
    private readonly text: string,
    /** Objects may also sit in object streams, which are not searched: a reference is not resolved then. */
    private readonly compressed: boolean,
  ) {}

  /** The value of object \`num gen\`; null when it is not found, or written twice differently. */
  resolve(value: Value): Value | null {
    if (value.kind !== 'ref') return value;
    const key = `${value.num} ${value.gen}`;
    if (this.cache.has(key)) return this.cache.get(key) ?? null;
    let found: Value | null = null;
    let seen = 0;
    if (!this.compressed) {
      const at = new RegExp(
        `(?<![0-9])${value.num}[\\0\\t\\n\\f\\r ]+${value.gen}[\\0\\t\\n\\f\\r ]+obj([\\s\\S]*?)endobj`,
        'g',
      );
      for (const m of this.text.matchAll(at)) {
        const read = dictionaryOf(`<< /V ${m[1] ?? ''} >>`)?.get('V') ?? null;
        const same: boolean =
          read !== null && found !== null && JSON.stringify(read) === JSON.stringify(found);
        found = seen === 0 ? read : same ? found : null;
        seen++;
      }
    }
    this.cache.set(key, found);
    return found;
  }

  /** A dictionary's filter names in order (pdf.js reads /F before /Filter); null when they cannot be read. */
  filters(dictionary: Map<string, Value>): string[] | null {
    const given = dictionary.get('F') ?? dictionary.get('Filter');
    if (!given) return [];
    const value = this.resolve(given);
    if (!value) return null;
    if (value.kind === 'name') return [value.name];
    if (value.kind !== 'array') return value.kind === 'other' ? [] : null;
    const names: string[] = [];
    for (const item of value.items) {
      const name = this.resolve(item);
      if (name?.kind !== 'name') return null;
      names.push(name.name);
    }
    return names;
  }
}

/** What LZW's EarlyChange is when the dictionary states it plainly; undefined otherwise. */
function earlyChange(text: string): 0 | 1 | undefined {
  const stated = /\/EarlyChange[\0\t\n\f\r ]+([01])\b/.exec(text)?.[1];
  return stated === undefined ? undefined : stated === '0' ? 0 : 1;
}

/** \`text\`: the file as latin1 (latin1(bytes)), when the caller has made it already. */
export async function pdfDecodedBytes(
  bytes: Uint8Array,
  limit: number,
  text = latin1(bytes),
): Promise<number> {
  const starts = [...text.matchAll(OBJ)].map((m) => m.index ?? 0);
  const objects = new Objects(text, /\/ObjStm\b|\/Type[\0\t\n\f\r ]*\/XRef\b/.test(text));
  return streamsSize(bytes, text, starts, objects, limit, 0);
}

async function streamsSize(
  bytes: Uint8Array,
  text: string,
  starts: readonly number[],
  objects: Objects,
  limit: number,
  depth: number,
): Promise<number> {
  let total = 0;
  for (const m of text.matchAll(STREAM)) {
    const at = m.index ?? 0;
    const data = bytes.subarray(at + m[0].length);
    const dictionaries = dictionariesBefore(text, at, starts, depth > 0);
    if (!dictionaries) throw new HiddenFiltersError(limit);
    let worst = 0;
    for (const dictionary of dictionaries) {
      const filters = objects.filters(dictionary);
      if (!filters) throw new HiddenFiltersError(limit);
      const type = dictionary.get('Type');
      const objectStream = type?.kind === 'name' && type.name === 'ObjStm';
      const content = !objectStream && !notContent(dictionary);
      const dictionaryText = text.slice(Math.max(0, at - 4096), at);
      const decoded = await decodeChain(
        data,
        filters,
        limit - total,
        content || objectStream,
        earlyChange(dictionaryText),
      );
      let size = decoded.size;
      // The bytes were counted already, so holding them is within the limit.
      const plain = filters.length === 0 ? plainData(data) : decoded.bytes;
      if (content && plain && size <= limit - total)
        size += await inlineImagesSize(plain, limit - total - size);
      if (objectStream && decoded.bytes && depth < 4 && size <= limit - total) {
        // pdf.js reads the objects of an object stream with streams allowed: one there is decoded too.
        const inner = latin1(decoded.bytes);
        const innerStarts = objectStreamStarts(inner, dictionary.get('First'));
        size += await streamsSize(
          decoded.bytes,
          inner,
          innerStarts,
          objects,
          limit - total - size,
          depth + 1,
        );
      }
      worst = Math.max(worst, size);
    }
    total += worst;
    if (total > limit) return Number.POSITIVE_INFINITY;
  }
  return total;
}

/** Where the objects of an object stream start: \`/First\` plus the offsets its header pairs with numbers. */
function objectStreamStarts(text: string, first: Value | undefined): number[] {
  if (first?.kind !== 'int') return [];
  const header = text
    .slice(0, first.value)
    .trim()
    .split(/[\0\t\n\f\r ]+/)
    .map(Number);
  const starts: number[] = [];
  for (let i = 1; i < header.length; i += 2) starts.push(first.value + (header[i] ?? 0));
  return starts.sort((x, y) => x - y);
}

/** Dictionaries of streams that are not page contents: images, fonts, cross-references. */
function notContent(dictionary: Map<string, Value>): boolean {
  const name = (key: string) => {
    const value = dictionary.get(key);
    return value?.kind === 'name' ? value.name : '';
  };
  return (
    /^(?:Image|Type1C|CIDFontType0C|OpenType)$/.test(name('Subtype')) ||
    dictionary.has('Length1') ||
    dictionary.has('Length2') ||
    dictionary.has('Length3') ||
    /^(?:XRef|ObjStm|Metadata|EmbeddedFile)$/.test(name('Type'))
  );
}

/** An unfiltered stream's bytes, up to \`endstream\`. */
function plainData(data: Uint8Array): Uint8Array {
  const end = Buffer.from(data.buffer, data.byteOffset, data.byteLength).indexOf('endstream');
  return data.subarray(0, end < 0 ? data.length : end);
}

/**
 * What the inline images of a content stream (BI <dictionary> ID <data> EI) decode to: their
 * data carries its own filters (abbreviated: /F /Fl, /LZW, /RL, /AHx, /A85), which pdf.js
 * decodes as it builds the page, inside a content stream that is itself small. One pass finds
 * each ID and the BI before it, however long the dictionary between.
 */
async function inlineImagesSize(content: Uint8Array, limit: number): Promise<number> {
  const text = latin1(content);
  let total = 0;
  let begin = -1;
  for (const m of text.matchAll(/(?<![^\0\t\n\f\r ()<>[\]{}/%])(BI|ID)[\0\t\n\f\r ]/g)) {
    if (m[1] === 'BI') {
      begin = (m.index ?? 0) + 3;
      continue;
    }
    if (begin < 0) continue;
    const dictionary = dictionaryOf(`<<${text.slice(begin, m.index ?? 0)}>>`);
    begin = -1;
    const given = dictionary?.get('F') ?? dictionary?.get('Filter');
    const filters =
      given?.kind === 'name'
        ? [given.name]
        : given?.kind === 'array'
          ? given.items.map((item) => (item.kind === 'name' ? item.name : ''))
          : [];
    if (filters.length === 0) continue;
    const data = content.subarray((m.index ?? 0) + m[0].length);
    total += (await decodeChain(data, filters, limit - total, false)).size;
    if (total > limit) return total;
  }
  return total;
}
