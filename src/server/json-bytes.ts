/**
 * GraphQL answers written straight to UTF-8 bytes, byte for byte what
 * `Buffer.from(JSON.stringify(value))` gives, and the yoga plugin that sends them.
 *
 * Why not JSON.stringify: a compare page (300 rows × 10 values, 131 kB) holds Chinese agency
 * names, so V8 builds the JSON as a two-byte string out of many pieces. The response then
 * measures and encodes that string: flattening the pieces took 1.2–1.5 ms and the two-byte
 * UTF-8 encoding another 0.9, more than JSON.stringify's own 0.6. Writing the bytes directly
 * takes about 1 ms for the whole answer and leaves no 260 kB string for the collector.
 *
 * Only plain data is written here (what graphql-js and graphql-jit build: objects, arrays,
 * strings, numbers, booleans, null). Anything else — an object with toJSON (a GraphQLError),
 * a class instance, a bigint — makes `jsonBytes` return null and the caller uses
 * JSON.stringify, so the answer is never different, only sometimes slower.
 */
import { isAsyncIterable, type Plugin, processRegularResult } from 'graphql-yoga';

/** Deeper than any query the depth limit lets through; past it the caller falls back. */
const MAX_DEPTH = 512;

/** Characters JSON.stringify escapes below 0x80: controls, the quote and the backslash. */
const NEEDS_ESCAPE = new Uint8Array(128);
for (let c = 0; c < 0x20; c++) NEEDS_ESCAPE[c] = 1;
NEEDS_ESCAPE[0x22] = 1;
NEEDS_ESCAPE[0x5c] = 1;

const QUOTE = 0x22;
const COMMA = 0x2c;
const MINUS = 0x2d;
const ZERO = 0x30;

class NotPlainData extends Error {}

/** What JSON.stringify leaves out of an object, and writes as null in an array. */
const noJsonForm = (x: unknown) => x === undefined || typeof x === 'function' || typeof x === 'symbol';

/** Refuses an object or array JSON.stringify would write otherwise: a subclass, or one with toJSON. */
const mustBePlain = (v: object, proto: object, orProto: object | null = proto) => {
  const own = Object.getPrototypeOf(v);
  if ((own !== proto && own !== orProto) || typeof (v as { toJSON?: unknown }).toJSON === 'function')
    throw new NotPlainData();
};

/** `"key":` as bytes, per key: GraphQL answers repeat a few field names thousands of times. */
const keyBytes = new Map<string, Buffer>();
const keyOf = (key: string) => {
  let bytes = keyBytes.get(key);
  if (bytes === undefined) {
    bytes = Buffer.from(`${JSON.stringify(key)}:`);
    // Field names and aliases of the queries seen, kept only when short and up to a count: an
    // alias can be megabytes long, and nothing would ever free it.
    if (key.length <= 64 && keyBytes.size < 10_000) keyBytes.set(key, bytes);
  }
  return bytes;
};

/** Grown once and reused: each answer is copied out at its exact size. */
let scratch = Buffer.allocUnsafe(1 << 16);
/** Whether a call is writing into `scratch` (a getter may call jsonBytes while it runs). */
let writing = false;
/**
 * The buffer being written. The writers below are module functions that take and return the
 * position, rather than closures over the buffer and position made per call: every byte was then
 * a read and a write of the closure's context, and the compare answer took about a third longer.
 */
let buf = scratch;

const NULL = Buffer.from('null');
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');

/** Makes room for `n` more bytes after `at`. */
function room(at: number, n: number): void {
  if (at + n <= buf.length) return;
  let size = buf.length * 2;
  while (size < at + n) size *= 2;
  const grown = Buffer.allocUnsafe(size);
  buf.copy(grown, 0, 0, at);
  buf = grown;
}

function bytes(at: number, b: Buffer): number {
  room(at, b.length);
  const out = buf;
  for (let j = 0; j < b.length; j++) out[at++] = b[j] as number;
  return at;
}

function string(at: number, text: string): number {
  room(at, text.length + 2);
  const out = buf;
  const start = at;
  out[at++] = QUOTE;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 || NEEDS_ESCAPE[c] === 1) {
      // Escapes and non-ASCII text (lone surrogates included) exactly as JSON.stringify has them.
      const escaped = JSON.stringify(text);
      room(start, escaped.length * 3);
      return start + buf.write(escaped, start, 'utf8');
    }
    out[at++] = c;
  }
  out[at++] = QUOTE;
  return at;
}

function number(at: number, n: number): number {
  // Small integers digit by digit; everything else as JavaScript prints it (JSON's form).
  if ((n | 0) !== n) {
    const text = Number.isFinite(n) ? String(n) : 'null';
    room(at, text.length);
    const out = buf;
    for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
    return at;
  }
  room(at, 11);
  const out = buf;
  let rest = n;
  if (rest < 0) {
    out[at++] = MINUS;
    rest = -rest;
  }
  let digits = 1;
  for (let m = rest; m >= 10; m = Math.floor(m / 10)) digits++;
  for (let p = at + digits - 1; p >= at; p--) {
    out[p] = ZERO + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + digits;
}

function array(at: number, v: unknown[], depth: number): number {
  mustBePlain(v, Array.prototype);
  room(at, 1);
  buf[at++] = 0x5b;
  for (let i = 0; i < v.length; i++) {
    if (i > 0) {
      room(at, 1);
      buf[at++] = COMMA;
    }
    const item: unknown = v[i];
    // As JSON.stringify: what has no JSON form is null inside an array.
    at = noJsonForm(item) ? bytes(at, NULL) : write(at, item, depth + 1);
  }
  room(at, 1);
  buf[at++] = 0x5d;
  return at;
}

function object(at: number, v: object, depth: number): number {
  mustBePlain(v, Object.prototype, null);
  room(at, 1);
  buf[at++] = 0x7b;
  let first = true;
  for (const key in v) {
    if (!Object.hasOwn(v, key)) continue;
    const item: unknown = (v as Record<string, unknown>)[key];
    // As JSON.stringify: a member with no JSON form is left out.
    if (noJsonForm(item)) continue;
    const k = keyOf(key);
    room(at, k.length + 1);
    const out = buf;
    if (!first) out[at++] = COMMA;
    first = false;
    for (let j = 0; j < k.length; j++) out[at++] = k[j] as number;
    at = write(at, item, depth + 1);
  }
  room(at, 1);
  buf[at++] = 0x7d;
  return at;
}

function write(at: number, v: unknown, depth: number): number {
  if (typeof v === 'string') return string(at, v);
  if (typeof v === 'number') return number(at, v);
  if (typeof v === 'boolean') return bytes(at, v ? TRUE : FALSE);
  if (v === null) return bytes(at, NULL);
  // A bigint, a function or a symbol at the top, or a cycle: JSON.stringify decides.
  if (typeof v !== 'object' || depth > MAX_DEPTH) throw new NotPlainData();
  return Array.isArray(v) ? array(at, v, depth) : object(at, v, depth);
}

/** The UTF-8 bytes of `JSON.stringify(value)`, or null when `value` is not plain data. */
export function jsonBytes(value: unknown): Buffer | null {
  const nested = writing;
  // A call from a getter of the answer being written gets a buffer of its own.
  const outer = buf;
  writing = true;
  buf = nested ? Buffer.allocUnsafe(1 << 10) : scratch;
  let at = 0;
  try {
    at = write(0, value, 0);
    return Buffer.from(buf.subarray(0, at));
  } catch (error) {
    if (error instanceof NotPlainData) return null;
    throw error;
  } finally {
    if (nested) buf = outer;
    else {
      writing = false;
      // Keep a grown buffer for the next answer, up to 4 MB.
      if (buf !== scratch && buf.length <= 1 << 22) scratch = buf;
      buf = scratch;
    }
  }
}

/**
 * Sends JSON answers as bytes written by `jsonBytes`. Yoga's regular processor still decides
 * everything else (status, headers, which error details are internal); it hands what
 * `stringify` returns to `new Response()`, which takes bytes as well as text.
 */
export function jsonBytesPlugin(): Plugin {
  return {
    onResultProcess({ result, resultProcessor, setResult }) {
      // Event streams and multipart answers print `stringify`'s result into their own text.
      if (resultProcessor !== processRegularResult || Array.isArray(result) || isAsyncIterable(result))
        return;
      setResult({
        ...result,
        // Answers with errors hold GraphQLErrors (toJSON), which only JSON.stringify writes.
        stringify: (sanitized) =>
          (sanitized.errors?.length
            ? JSON.stringify(sanitized)
            : (jsonBytes(sanitized) ?? JSON.stringify(sanitized))) as unknown as string,
      });
    },
  };
}
