/**
 * Digits a Word 97 (.doc) file formats so that they are not printed as ordinary digits.
 *
 * word-extractor reads a .doc's text without its character formatting (it drops deleted revision
 * text, nothing else). So a digit formatted hidden, white, raised or lowered (a footnote mark
 * printed 41¹), or struck through (the old figure of a correction) was read as one more digit of
 * the figure: 41 with a raised 1 stored as 411, and nothing said. The DOCX, HTML and PDF readers
 * drop or refuse these; here the file is refused, naming the figure, since its formatting is not
 * read cell by cell.
 *
 * Read as [MS-DOC] lays it out: the piece table (Clx) maps the main document's characters to
 * file offsets in the WordDocument stream (8-bit or UTF-16 pieces); PlcBteChpx names the 512-byte
 * CHPX pages whose runs give each offset range its sprms; PlcBtePapx names the PAPX pages giving
 * each paragraph its style; the style sheet (STSH) gives each style's character sprms, through
 * the styles it is based on. A piece's own property modifier (Prm) is applied last. Ordinary
 * formatting (bold, italic, fonts, sizes) and formatting of text that is not a digit is not
 * refused. A digit whose style cannot be read is refused: what it looks like cannot be told.
 *
 * Sizes are read for one case: a digit printed clearly smaller than a digit right beside it (41
 * and a 6pt 1, a 6pt 1 and 524), which the web page and .docx readers refuse as 41<small>1</small>
 * and <small>1</small>524 (html-smaller.ts): a mark or more digits of the figure cannot be told
 * apart. They were read 411 and 1524.
 */
import type { DocStreams } from './doc-structure.ts';
import { clearlySmaller } from './html-smaller.ts';

/** A digit, ASCII or full-width. */
const isDigit = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0xff10 && c <= 0xff19);

type Reason =
  | 'hidden'
  | 'white'
  | 'superscript'
  | 'subscript'
  | 'struck'
  | 'double-struck'
  | 'unknown-style'
  | 'smaller'
  | 'note-reference';

const REASONS: Record<Reason, string> = {
  hidden: 'is hidden text (Word does not print it)',
  white: 'is printed in white, which cannot be seen on the page',
  superscript: 'is printed as a superscript (a footnote mark?)',
  subscript: 'is printed as a subscript',
  struck: 'is struck through (the old figure of a correction?)',
  'double-struck': 'is double struck through (the old figure of a correction?)',
  'unknown-style': 'takes its formatting from a style that cannot be read from the file',
  smaller:
    'is printed clearly smaller than the digit beside it, so whether it is a footnote mark or a digit of the figure cannot be told',
  'note-reference':
    'is followed by a footnote or endnote reference (a mark Word numbers itself), which the text reader drops without a trace; the note may qualify the figure',
};

/** The character properties that keep a digit from being printed as one. */
interface Props {
  vanish: boolean;
  strike: boolean;
  dstrike: boolean;
  /** 0 on the line, 1 superscript, 2 subscript. */
  iss: number;
  white: boolean;
  /** The font size in half-points, where set (sprmCHps). */
  hps?: number;
}
const PLAIN: Props = { vanish: false, strike: false, dstrike: false, iss: 0, white: false };
/** Word's size where nothing sets one: 10pt. */
const DEFAULT_HPS = 20;

const SPRM = {
  vanish: 0x083c,
  strike: 0x0837,
  dstrike: 0x2a53,
  iss: 0x2a48,
  ico: 0x2a42,
  cv: 0x6870,
  istd: 0x4a30,
  plain: 0x2a33,
  hps: 0x4a43,
} as const;
/** Word's "Default Paragraph Font": a run with no character style of its own. */
const DEFAULT_CHARACTER_STYLE = 10;

/** The sprms of a grpprl with their operands, stopping at one cut short. */
function* sprms(grpprl: Uint8Array): Generator<[sprm: number, operand: Uint8Array]> {
  let at = 0;
  while (at + 2 <= grpprl.length) {
    const sprm = (grpprl[at] ?? 0) | ((grpprl[at + 1] ?? 0) << 8);
    at += 2;
    const spra = sprm >> 13;
    let size = [1, 1, 2, 4, 2, 2, 0, 3][spra] ?? 0;
    if (spra === 6) {
      // Variable: a length byte first (sprmTDefTable and sprmPChgTabs, never in a CHPX, aside).
      if (at >= grpprl.length) return;
      size = grpprl[at] ?? 0;
      at += 1;
    }
    if (at + size > grpprl.length) return;
    yield [sprm, grpprl.subarray(at, at + size)];
    at += size;
  }
}

/** A toggle operand: 0 off, 1 on, 0x80 as the style has it, 0x81 the opposite. */
const toggle = (value: number, style: boolean) =>
  value === 0x80 ? style : value === 0x81 ? !style : value === 1;

/** The properties a grpprl leaves, applied over `base`, with toggles relative to `style`. */
function apply(base: Props, grpprl: Uint8Array, style: Props): Props {
  const out = { ...base };
  for (const [sprm, op] of sprms(grpprl)) {
    if (sprm === SPRM.vanish) out.vanish = toggle(op[0] ?? 0, style.vanish);
    else if (sprm === SPRM.strike) out.strike = toggle(op[0] ?? 0, style.strike);
    else if (sprm === SPRM.dstrike) out.dstrike = toggle(op[0] ?? 0, style.dstrike);
    else if (sprm === SPRM.iss) out.iss = op[0] ?? 0;
    else if (sprm === SPRM.ico) out.white = (op[0] ?? 0) === 8;
    // A COLORREF: red, green, blue, then fAuto (automatic colour, never white on white).
    else if (sprm === SPRM.cv)
      out.white =
        (op[3] ?? 0) === 0 && (op[0] ?? 0) === 0xff && (op[1] ?? 0) === 0xff && (op[2] ?? 0) === 0xff;
    else if (sprm === SPRM.hps) out.hps = (op[0] ?? 0) | ((op[1] ?? 0) << 8);
    else if (sprm === SPRM.plain) Object.assign(out, style);
  }
  return out;
}

class View {
  readonly data: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u16 = (at: number) => (at >= 0 && at + 2 <= this.bytes.length ? this.data.getUint16(at, true) : undefined);
  u32 = (at: number) => (at >= 0 && at + 4 <= this.bytes.length ? this.data.getUint32(at, true) : undefined);
}

/** A run of file offsets [start, end) and what it carries, sorted by start. */
interface Span<T> {
  start: number;
  end: number;
  value: T;
}

function find<T>(spans: readonly Span<T>[], fc: number): Span<T> | undefined {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const span = spans[mid];
    if (!span) return undefined;
    if (fc < span.start) hi = mid - 1;
    else if (fc >= span.end) lo = mid + 1;
    else return span;
  }
  return undefined;
}

/** The 512-byte pages a PlcBte (PlcBteChpx or PlcBtePapx) names, each read by `page`. */
function bteSpans<T>(
  word: View,
  table: View,
  fc: number,
  lcb: number,
  page: (bytes: Uint8Array, out: Span<T>[]) => void,
) {
  const out: Span<T>[] = [];
  const n = Math.floor((lcb - 4) / 8);
  for (let i = 0; i < n; i++) {
    const pn = (table.u32(fc + (n + 1) * 4 + i * 4) ?? 0) & 0x3fffff;
    if ((pn + 1) * 512 > word.bytes.length) continue;
    page(word.bytes.subarray(pn * 512, (pn + 1) * 512), out);
  }
  return out.sort((a, b) => a.start - b.start);
}

function chpxRuns(word: View, table: View, fc: number, lcb: number): Span<Uint8Array>[] {
  return bteSpans<Uint8Array>(word, table, fc, lcb, (page, out) => {
    const view = new View(page);
    const crun = page[511] ?? 0;
    for (let j = 0; j < crun && (crun + 1) * 4 + j < 511; j++) {
      const at = (page[(crun + 1) * 4 + j] ?? 0) * 2;
      const start = view.u32(j * 4) ?? 0;
      const end = view.u32(j * 4 + 4) ?? 0;
      out.push({
        start,
        end,
        value: at ? page.subarray(at + 1, Math.min(511, at + 1 + (page[at] ?? 0))) : new Uint8Array(),
      });
    }
  });
}

function paragraphStyles(word: View, table: View, fc: number, lcb: number): Span<number>[] {
  return bteSpans<number>(word, table, fc, lcb, (page, out) => {
    const view = new View(page);
    const crun = page[511] ?? 0;
    for (let j = 0; j < crun && (crun + 1) * 4 + j * 13 < 511; j++) {
      const at = (page[(crun + 1) * 4 + j * 13] ?? 0) * 2;
      // PapxInFkp: cb, or 0 and then cb'; the grpprlInPapx opens with the paragraph's istd.
      const istd = at === 0 ? 0 : (view.u16(page[at] === 0 ? at + 2 : at + 1) ?? 0);
      out.push({ start: view.u32(j * 4) ?? 0, end: view.u32(j * 4 + 4) ?? 0, value: istd });
    }
  });
}

/** Each style's character properties (through the styles it is based on); undefined where unread. */
function styleSheet(table: View, fc: number, lcb: number): (istd: number) => Props | undefined {
  const styles: { base: number; chpx?: Uint8Array }[] = [];
  const cbStshi = table.u16(fc);
  const cstd = table.u16(fc + 2);
  const cbBase = table.u16(fc + 4);
  if (cbStshi !== undefined && cstd !== undefined && cbBase !== undefined && lcb > 0) {
    let at = fc + 2 + cbStshi;
    for (let i = 0; i < cstd && at < fc + lcb; i++) {
      const cbStd = table.u16(at) ?? 0;
      const std = at + 2;
      at = std + cbStd;
      if (cbStd === 0) continue;
      const stkBase = table.u16(std + 2) ?? 0;
      const stk = stkBase & 0xf;
      const name = std + cbBase;
      let upx = name + 2 + (table.u16(name) ?? 0) * 2 + 2;
      // The UPXs in order: table styles' TAPX, then paragraph properties (not character styles'), then characters'.
      const skip = stk === 3 ? 2 : stk === 1 ? 1 : stk === 2 ? 0 : -1;
      if (skip < 0) continue;
      for (let k = 0; k < skip; k++) upx += 2 + (table.u16(upx) ?? 0) + ((table.u16(upx) ?? 0) % 2);
      const cb = table.u16(upx);
      if (cb === undefined || upx + 2 + cb > std + cbStd) continue;
      styles[i] = { base: stkBase >> 4, chpx: table.bytes.subarray(upx + 2, upx + 2 + cb) };
    }
  }
  const memo = new Map<number, Props | undefined>();
  const resolve = (istd: number, depth: number): Props | undefined => {
    if (istd === 0xfff) return PLAIN;
    if (memo.has(istd)) return memo.get(istd);
    const style = styles[istd];
    const base = style?.chpx && depth < 16 ? resolve(style.base, depth + 1) : undefined;
    const props = style?.chpx && base ? apply(base, style.chpx, base) : undefined;
    memo.set(istd, props);
    return props;
  };
  return (istd) => resolve(istd, 0);
}

interface Piece {
  cp: number;
  end: number;
  fc: number;
  compressed: boolean;
  grpprl: Uint8Array;
}

/** The pieces of the main document's text, with the sprms each piece's Prm applies. */
function pieces(fib: View, table: View): Piece[] {
  const out: Piece[] = [];
  const prc: Uint8Array[] = [];
  let pos = fib.u32(0x01a2) ?? 0;
  while (table.bytes[pos] === 1) {
    const cb = table.u16(pos + 1) ?? 0;
    prc.push(table.bytes.subarray(pos + 3, pos + 3 + cb));
    pos += 3 + cb;
  }
  const lcb = table.bytes[pos] === 2 ? table.u32(pos + 1) : undefined;
  if (lcb === undefined) return out;
  pos += 5;
  const n = Math.floor((lcb - 4) / 12);
  for (let i = 0; i < n; i++) {
    const cp = table.u32(pos + i * 4);
    const end = table.u32(pos + i * 4 + 4);
    const raw = table.u32(pos + (n + 1) * 4 + i * 8 + 2);
    const prm = table.u16(pos + (n + 1) * 4 + i * 8 + 6);
    if (cp === undefined || end === undefined || raw === undefined || prm === undefined) break;
    const compressed = (raw & 0x4000_0000) !== 0;
    // A Prm0 names one sprm by its index: of those that matter, 0x57 strike and 0x5C vanish.
    const isprm = (prm >> 1) & 0x7f;
    const prm0 = isprm === 0x57 ? SPRM.strike : isprm === 0x5c ? SPRM.vanish : undefined;
    const grpprl =
      prm & 1
        ? (prc[prm >> 1] ?? new Uint8Array())
        : prm0
          ? Uint8Array.of(prm0 & 0xff, prm0 >> 8, prm >> 8)
          : new Uint8Array();
    out.push({ cp, end, fc: compressed ? (raw & ~0x4000_0000) / 2 : raw, compressed, grpprl });
  }
  return out;
}

/**
 * Why the file cannot be read as printed, naming the first digit that is not printed as an
 * ordinary one and the text it stands in; null when every digit of the main text is.
 */
export function docFormattingRefusal(streams: DocStreams): string | null {
  if (!streams.word || !streams.table || streams.word.length < 0x01aa) return null;
  const word = new View(streams.word);
  const table = new View(streams.table);
  const u32 = (at: number) => word.u32(at) ?? 0;
  const ccpText = u32(0x4c);
  const runs = chpxRuns(word, table, u32(0xfa), u32(0xfe));
  const paragraphs = paragraphStyles(word, table, u32(0x102), u32(0x106));
  const style = styleSheet(table, u32(0xa2), u32(0xa6));
  const chars: number[] = [];
  const found: { cp: number; reason: Reason }[] = [];
  /** The digit just before, printed (not in a field's code), and its size. */
  let previous: { cp: number; hps: number } | null = null;
  /** The fields open, each true while in its code (between its begin and separator marks). */
  const codes: boolean[] = [];
  for (const piece of pieces(word, table)) {
    const width = piece.compressed ? 1 : 2;
    for (let cp = piece.cp; cp < Math.min(piece.end, ccpText); cp++) {
      const fc = piece.fc + (cp - piece.cp) * width;
      const c = piece.compressed ? (word.bytes[fc] ?? 0) : (word.u16(fc) ?? 0);
      chars[cp] = c;
      // 0x02 in the main text is an auto-numbered note reference: word-extractor drops it, so a
      // marked 41 read as a plain 41, where the other readers refuse a figure with a mark.
      if (c === 0x02 && found.length === 0 && previous?.cp === cp - 1)
        found.push({ cp: previous.cp, reason: 'note-reference' });
      // A field's code is not printed.
      if (c === 0x13) codes.push(true);
      else if (c === 0x14 && codes.length > 0) codes[codes.length - 1] = false;
      else if (c === 0x15) codes.pop();
      const printed = isDigit(c) && !codes.includes(true);
      if (!printed || found.length > 0) {
        previous = null;
        continue;
      }
      const { reason, hps } = digitReason(fc, piece, runs, paragraphs, style);
      if (reason) found.push({ cp, reason });
      else if (previous && clearlySmaller(hps, previous.hps)) found.push({ cp, reason: 'smaller' });
      else if (previous && clearlySmaller(previous.hps, hps))
        found.push({ cp: previous.cp, reason: 'smaller' });
      previous = { cp, hps };
    }
  }
  const first = found[0];
  return first ? refusal(chars, first.cp, first.reason) : null;
}

function digitReason(
  fc: number,
  piece: Piece,
  runs: readonly Span<Uint8Array>[],
  paragraphs: readonly Span<number>[],
  style: (istd: number) => Props | undefined,
): { reason: Reason | null; hps: number } {
  const props = digitProps(fc, piece, runs, paragraphs, style);
  if (!props) return { reason: 'unknown-style', hps: DEFAULT_HPS };
  const hps = props.hps ?? DEFAULT_HPS;
  if (props.vanish) return { reason: 'hidden', hps };
  if (props.white) return { reason: 'white', hps };
  if (props.iss === 1) return { reason: 'superscript', hps };
  if (props.iss === 2) return { reason: 'subscript', hps };
  if (props.dstrike) return { reason: 'double-struck', hps };
  if (props.strike) return { reason: 'struck', hps };
  return { reason: null, hps };
}

/** A digit's character properties: its paragraph's style, its character style, its run's, its piece's. */
function digitProps(
  fc: number,
  piece: Piece,
  runs: readonly Span<Uint8Array>[],
  paragraphs: readonly Span<number>[],
  style: (istd: number) => Props | undefined,
): Props | undefined {
  const paragraph = style(find(paragraphs, fc)?.value ?? 0);
  const chpx = find(runs, fc)?.value ?? new Uint8Array();
  let istd = DEFAULT_CHARACTER_STYLE;
  for (const [sprm, op] of sprms(chpx)) if (sprm === SPRM.istd) istd = (op[0] ?? 0) | ((op[1] ?? 0) << 8);
  const character =
    istd === DEFAULT_CHARACTER_STYLE ? paragraph : paragraph && combine(paragraph, style(istd));
  return character && apply(apply(character, chpx, character), piece.grpprl, character);
}

/** A character style's properties over the paragraph style's: what either sets is set. */
function combine(paragraph: Props, character: Props | undefined): Props | undefined {
  if (!character) return undefined;
  return {
    vanish: paragraph.vanish || character.vanish,
    strike: paragraph.strike || character.strike,
    dstrike: paragraph.dstrike || character.dstrike,
    iss: character.iss || paragraph.iss,
    white: paragraph.white || character.white,
    ...((character.hps ?? paragraph.hps) !== undefined ? { hps: character.hps ?? paragraph.hps } : {}),
  };
}

/** Cell and paragraph ends; a field's marks. */
const BREAK = new Set([0x07, 0x0d, 0x0b, 0x0c]);

/** The message: the digit, the figure it stands in, and the label before it (its row's, in a table). */
function refusal(all: readonly number[], cp: number, reason: Reason): string {
  const chars = (i: number) => all[i] ?? 0;
  const text = (from: number, to: number) =>
    String.fromCharCode(...all.slice(from, to).filter((c) => c !== undefined && c >= 0x20)).trim();
  let start = cp;
  while (start > 0 && !BREAK.has(chars(start - 1))) start--;
  let end = cp;
  while (end < all.length && !BREAK.has(chars(end))) end++;
  // Back over the cells before it holding figures only, to the label of its row.
  const cells = [text(start, end)];
  let at = start - 1;
  while (at > 0 && cells.length < 12) {
    let from = at;
    while (from > 0 && !BREAK.has(chars(from - 1))) from--;
    const cell = text(from, at);
    if (cell) cells.unshift(cell.length > 60 ? `…${cell.slice(-60)}` : cell);
    if (cell && !/^[\d０-９.,，%\s]*$/.test(cell)) break;
    at = from - 1;
  }
  const figure = cells[cells.length - 1] ?? '';
  const digit = String.fromCharCode(chars(cp));
  const place = figure.length > 1 ? `the "${digit}" of "${figure}"` : `the "${digit}"`;
  return `The Word 97–2003 document cannot be read as printed: in "${cells.join(' ')}", ${place} ${REASONS[reason]}. A .doc's formatting is not read cell by cell here: open it in Word and save it as .docx, or print the figure plainly, and import again.`;
}
