/**
 * Text normalisation shared by every parsing step. Published reports mix full-width
 * and half-width forms, put spaces inside labels and quote with curly or straight
 * quotes; matching works on a normalised form while the original text is kept.
 */
import { BRACKETED_UNIT, PRINTED_MAGNITUDES, PRINTED_UNITS } from './units.ts';

const QUOTES = /["'“”‘’「」『』〝〞″′‵‶]/g;
const WHITESPACE = /[\s\u3000\u00a0]+/g;

/** ASCII, CJK ideographs and 、。 are unchanged by NFKC; most report text is only these. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is "all of ASCII", control characters included.
const NFKC_STABLE = /^[\x00-\x7F\u4E00-\u9FFF\u3001\u3002]*$/;
/** A CJK unified ideograph of the basic block (U+4E00–U+9FFF): NFKC leaves each as it is. */
export const isIdeograph = (c: number) => c >= 0x4e00 && c <= 0x9fff;

/**
 * Footnote marks that NFKC would make plain digits, so that a mark after a figure (447228①,
 * 524¹, 524㉑) became more digits of it (4472281): circled numbers ⓪ and ①–㊿, and runs of
 * superscript or subscript digits. They become bracketed numbers, as "447228(1)" is printed,
 * which no figure reads as.
 */
export const NUMBER_MARK =
  '[\\u2460-\\u2473\\u24EA\\u3251-\\u325F\\u32B1-\\u32BF]|[\\u00B9\\u00B2\\u00B3\\u2070\\u2074-\\u2079]+|[\\u2080-\\u2089]+';
const NUMBER_MARKS = new RegExp(NUMBER_MARK, 'g');
const SUPERSCRIPT_DIGITS = '\u2070\u00B9\u00B2\u00B3\u2074\u2075\u2076\u2077\u2078\u2079';
function markNumber(mark: string): number {
  const c = mark.codePointAt(0) ?? 0;
  if (c === 0x24ea) return 0;
  if (c >= 0x2460 && c <= 0x2473) return c - 0x245f;
  if (c >= 0x3251 && c <= 0x325f) return c - 0x3251 + 21;
  if (c >= 0x32b1 && c <= 0x32bf) return c - 0x32b1 + 36;
  // A run of superscript or subscript digits, read as the digits it prints.
  return Number(
    [...mark]
      .map((d) => (d >= '\u2080' && d <= '\u2089' ? d.charCodeAt(0) - 0x2080 : SUPERSCRIPT_DIGITS.indexOf(d)))
      .join(''),
  );
}
const unmarked = (mark: string) => `(${markNumber(mark)})`;

/**
 * Characters that print nothing: zero-width spaces and joiners, the byte-order mark, soft
 * hyphens, direction marks and isolates. A CMS leaves them inside figures (5\u200B24); the reader
 * sees 524, and so must the parser.
 */
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
/** Text of those characters only (a zero-width space a web editor leaves in an empty cell). */
export const ONLY_INVISIBLE = new RegExp(`^${INVISIBLE.source}+$`);

/** NFKC folds full-width digits, letters and brackets (（一） → (一), １ → 1). */
export function fold(text: string): string {
  // NFKC is the parser's hottest step; skipping it where it cannot change anything triples
  // throughput. Such text holds none of the dashes either (all outside its ranges).
  return NFKC_STABLE.test(text) ? text : foldUnstable(text);
}

/**
 * The folding of text NFKC may change. Remembered, for longer texts than labels too: a report's
 * opening paragraph is folded by half a dozen readers (title, fields, period, contact), and
 * folding 200 characters costs some forty times looking them up.
 */
const foldUnstable = remembered((text: string) => foldByCharacter(text) ?? foldWhole(text), {
  limit: 128,
  longest: 2000,
});

const foldWhole = (text: string) =>
  text
    .replace(INVISIBLE, '')
    .replace(NUMBER_MARKS, unmarked)
    .normalize('NFKC')
    .replace(/[−–－‐‑]/g, '-');

/**
 * Full-width forms, the ideographic space and the punctuation reports print, each with its own
 * folding. None composes with a neighbour under NFKC (no combining mark, no jamo), nor is one of
 * NUMBER_MARK's or INVISIBLE's, so text of these and NFKC-stable characters folds one character
 * at a time: a report's own lines (its agency, its dates) miss the cache, and NFKC over the
 * whole text cost some twenty times this.
 */
const FOLDED_ALONE: ReadonlyMap<number, string> = (() => {
  const folded = new Map<number, string>();
  const ranges = [
    [0x00b7, 0x00b7],
    [0x2010, 0x2027],
    [0x3000, 0x3000],
    [0x3008, 0x3011],
    [0x3014, 0x301f],
    [0xff01, 0xff5e],
    [0xffe0, 0xffe6],
  ];
  for (const [from, to] of ranges as [number, number][]) {
    for (let c = from; c <= to; c++) folded.set(c, foldWhole(String.fromCharCode(c)));
  }
  return folded;
})();

function foldByCharacter(text: string): string | undefined {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80 || isIdeograph(c) || c === 0x3001 || c === 0x3002) continue;
    const folded = FOLDED_ALONE.get(c);
    if (folded === undefined) return undefined;
    out += text.slice(from, i) + folded;
    from = i + 1;
  }
  return out + text.slice(from);
}

/**
 * `read`, remembering its answers for the last few thousand distinct texts. Every report
 * prints the same few hundred labels, so their normalising is done once, not once a report;
 * the answers are shared, so callers must not change them.
 */
export function remembered<T>(
  read: (text: string) => T,
  // At most 4,096 texts of at most 200 characters: a hostile file's long cells are read, not kept.
  { limit = 4096, longest = 200 }: { limit?: number; longest?: number } = {},
): (text: string) => T {
  let answers = new Map<string, T>();
  return (text) => {
    if (text.length > longest) return read(text);
    let answer = answers.get(text);
    if (answer === undefined) {
      answer = read(text);
      // Forgetting everything at once keeps the cost per call constant and the memory bounded.
      if (answers.size >= limit) answers = new Map();
      answers.set(text, answer);
    }
    return answer;
  };
}

const CHINESE_ORDINAL = '[一二三四五六七八九十]+';
const LEADING_ORDINAL = new RegExp(
  `^(?:(${CHINESE_ORDINAL})[、.．]|\\((${CHINESE_ORDINAL}|\\d+)\\)[、.．]?|(\\d+)[.、．)](?!\\d))`,
);

export interface SplitLabel {
  /** The ordinal as written, without brackets: "一", "三", "1". */
  ordinal: string | null;
  /** Whether the ordinal was bracketed, as outcome rows are: （一）. */
  bracketed: boolean;
  /** Label text normalised for matching: folded, no spaces, no quotes, no ordinal. */
  key: string;
}

/** Separates an ordinal prefix ("一、", "(三)", "1.") from a label and normalises the rest. */
export const splitLabel: (text: string) => Readonly<SplitLabel> = remembered(splitLabelOnce);

function splitLabelOnce(text: string): SplitLabel {
  const compact = fold(text).replace(WHITESPACE, '').replace(QUOTES, '');
  const match = LEADING_ORDINAL.exec(compact);
  if (!match) return { ordinal: null, bracketed: false, key: stripNotes(compact) };
  const ordinal = match[1] ?? match[2] ?? match[3] ?? null;
  return {
    ordinal,
    bracketed: match[2] !== undefined,
    key: stripNotes(compact.slice(match[0].length)),
  };
}

/** Footnote marks ending a compacted label: 总计[1], Word's note reference 总计[[1]], 总计【1】, 总计*. */
export const NOTE_MARKS_AFTER = /(?:\[+[^[\]]*\]+|【[^【】]*】|[*※#†‡△▲★☆]+)+$/;

/**
 * A footnote mark after a label (总计[1], as a web page's <sup>1</sup> reads, 总计*, 总计【1】; 总计①
 * folds to 总计(1)), explanatory notes printed inside labels, e.g. 部分公开(区分处理的,只计这一情形…), then the
 * ways a label is typed differently: 其它 for 其他, and the pauses between its words left out,
 * added or changed (信访、举报、投诉类申请, 逾期不补正，行政机关…).
 */
function stripNotes(key: string): string {
  return key
    .replace(NOTE_MARKS_AFTER, '')
    .replace(/\([^()]*\)$/, '')
    .replace(/[:：]$/, '')
    .replace(/其它/g, '其他')
    .replace(/[、,;]/g, '');
}

/** Normalised key of a catalogue label, comparable with `splitLabel(...).key`. */
export function labelKey(label: string): string {
  return splitLabel(label).key;
}

export function compact(text: string): string {
  return fold(text).replace(WHITESPACE, '');
}

/**
 * Marks published reports use for "nothing to report" in a numeric cell (compared after
 * NFKC folding, so full-width ／ and － are included): slashes, dashes of every width,
 * box-drawing rules, underscores, 无 and 空.
 */
const NOT_REPORTED_MARKS = new Set([
  '',
  '/',
  '//',
  '\\',
  '-',
  '--',
  '—',
  '——',
  '―',
  '――',
  '─',
  '──',
  '_',
  '__',
  '无',
  '空',
  '暂无',
  'N/A',
  'n/a',
]);
const NUMBER = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;
/** Zero as a Chinese numeral; not ○ (U+25CB) or O, which some tables print as a mark. */
const CHINESE_ZERO = new Set(['零', '\u3007']);

export type CellText =
  | { kind: 'number'; value: string }
  | { kind: 'not-reported' }
  | { kind: 'text'; text: string };

/**
 * Whether a text is digits 0–9 only, and not empty: /^\d+$/ by a loop, which costs a third of
 * the pattern's call on the short cells it is asked of for every figure of every report.
 */
export function isPlainInteger(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Invisible controls that make a screen show text right to left, by their Unicode names. They
 * can change what is shown, not what is stored: U+202E before 41 shows 14; in a cell, a mark or
 * embedding before -5 shows 5- (a sign goes to the far side of its figure), and a mark inside
 * 12.35 moves what follows it (12<U+200F>.35 shows 1235.); before a row's figures in running text
 * any of them shows the figures in reverse order. Digits, and a figure's separators, decimal
 * point, percent or currency sign after a control at its start or end, keep their order (a
 * browser shows <U+200F>1,268 and 4<U+200F>1 as 1,268 and 41). fold() drops the controls with the
 * other invisible characters, so a cell they may reorder is refused before (readOtherCell).
 */
const RIGHT_TO_LEFT: Readonly<Record<string, string>> = {
  '\u061C': 'ARABIC LETTER MARK',
  '\u200F': 'RIGHT-TO-LEFT MARK',
  '\u202B': 'RIGHT-TO-LEFT EMBEDDING',
  '\u202E': 'RIGHT-TO-LEFT OVERRIDE',
  '\u2067': 'RIGHT-TO-LEFT ISOLATE',
};
const RIGHT_TO_LEFT_CONTROL = new RegExp(`[${Object.keys(RIGHT_TO_LEFT).join('')}]`);
export const ANY_DIGIT = /[0-9\uFF10-\uFF19]/;
const OVERRIDE = '\u202E';
const DIGITS_ONLY = /^[0-9\uFF10-\uFF19]+$/;
/** Signs, which right to left go after their figure: hyphen-minus, minus, dashes and full-width forms. */
export const SIGN = /[+\-\u2010-\u2013\u2212\uFE62\uFE63\uFF0B\uFF0D]/;
/** The invisible characters at a text's start and end, around what shows. */
const INVISIBLE_OR_SPACE = `[\\s${INVISIBLE.source.slice(1, -1)}]+`;
const INVISIBLE_ENDS = new RegExp(`^${INVISIBLE_OR_SPACE}|${INVISIBLE_OR_SPACE}$`, 'g');
/**
 * The right-to-left control that may reorder a cell's figure, with an example of what it shows:
 * an override; another beside a sign, or inside a figure that has more than digits.
 */
function reorderingCellControl(raw: string): { control: string; example: string } | undefined {
  const control = RIGHT_TO_LEFT_CONTROL.exec(raw)?.[0];
  if (control === undefined || !ANY_DIGIT.test(raw)) return undefined;
  if (raw.includes(OVERRIDE)) return { control: OVERRIDE, example: '41 shown as 14' };
  const shown = raw.replace(INVISIBLE, '').trim();
  if (DIGITS_ONLY.test(shown)) return undefined;
  if (SIGN.test(shown)) return { control, example: '-5 shown as 5-' };
  return RIGHT_TO_LEFT_CONTROL.test(raw.replace(INVISIBLE_ENDS, ''))
    ? { control, example: '12.35 shown as 1235.' }
    : undefined;
}
/** Whether a text holds one of those controls (running text then keeps its direction controls). */
export const holdsRightToLeftControl = (text: string) => RIGHT_TO_LEFT_CONTROL.test(text);

/** A direction control: a mark, an embedding, an override, an isolate or their ends. */
export const DIRECTION_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const DIRECTION_CONTROLS = new RegExp(DIRECTION_CONTROL.source, 'g');
const codePoint = (char: string) =>
  `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Text with its direction controls written out (<U+202E>), for a message quoting it: left in,
 * they would turn the rest of the message around on the reader's screen.
 */
export const withControlsShown = (text: string): string =>
  text.replace(DIRECTION_CONTROLS, (c) => `<${codePoint(c)}>`);

/**
 * Why a cell holding a figure and a right-to-left control is not a number, for its refusal
 * (table-reading.ts); null where it holds none.
 */
export function rightToLeftRefusal(raw: string): string | null {
  const reordering = reorderingCellControl(raw);
  return reordering === undefined
    ? null
    : `is not a number: it holds ${rightToLeftControlNamed(reordering.control)}, which makes a screen show its characters in another order than the file stores them (${reordering.example}), so which figure the document shows cannot be told from its text. Retype the figure without it and import again.`;
}

/** Each opening direction control and the control that closes it. */
const CLOSER: Readonly<Record<string, string>> = {
  '\u202A': '\u202C',
  '\u202B': '\u202C',
  '\u202D': '\u202C',
  '\u202E': '\u202C',
  '\u2066': '\u2069',
  '\u2067': '\u2069',
  '\u2068': '\u2069',
};
const RIGHT_TO_LEFT_OPENERS = new Set(['\u202B', '\u202E', '\u2067']);
const RIGHT_TO_LEFT_MARKS = new Set(['\u200F', '\u061C']);
const LETTER = /\p{L}/u;
/** A letter written left to right (a Chinese label's): any but Hebrew's, Arabic's and their kin's. */
const LEFT_TO_RIGHT_LETTER = /(?![\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF])\p{L}/u;

/**
 * The first right-to-left control that can reorder the figures printed in text[from, to) of a
 * line (of a table printed as running text) starting at `lineStart`, named for a message, and
 * where the first figure it reorders is; null where none can. An override opened on the line reverses what follows it until it is closed,
 * its closing control kept in the line (running-labels.ts). An embedding or isolate (a web page's
 * block or element right to left) shows its runs in reverse, figures first (12 34 shown as 34
 * 12), unless a letter written left to right comes first inside it: a browser shows 总计 12 34 in
 * a right-to-left paragraph as printed, figures and all, but 总计 <U+202B>12 34 reversed. A mark
 * (U+200F, U+061C) reorders what follows it up to the next letter, which ends its effect (a mark
 * in the table's header, before the row's label, reorders none of its figures).
 */
export function reorderingControlIn(
  text: string,
  lineStart: number,
  from: number,
  to: number,
): { control: string; at: number } | null {
  // Each control opened and not yet closed, and whether a left-to-right letter followed it.
  const open: { control: string; letter: boolean }[] = [];
  for (let i = lineStart; i < to; i++) {
    const c = text[i] ?? '';
    if (CLOSER[c] !== undefined) open.push({ control: c, letter: false });
    else if (c === '\u202C' || c === '\u2069') {
      // A closing control closes the last of its kind opened; closing an isolate closes all inside it.
      const at = open.findLastIndex((o) => CLOSER[o.control] === c);
      if (at >= 0) open.splice(at, c === '\u2069' ? open.length - at : 1);
    } else if (i >= from && /[0-9]/.test(c)) {
      const opener = open.find((o) => RIGHT_TO_LEFT_OPENERS.has(o.control));
      const innermost = open.at(-1);
      // After a letter in the innermost embedding, itself right to left and in no override, a
      // figure keeps its place; an embedding left to right inside one right to left is not read.
      const inOrder =
        innermost?.letter === true &&
        innermost.control !== '\u202A' &&
        innermost.control !== '\u2066' &&
        !open.some((o) => o.control === OVERRIDE);
      if (opener && !inOrder) return { control: rightToLeftControlNamed(opener.control), at: i };
    } else if (i >= from && RIGHT_TO_LEFT_MARKS.has(c)) {
      for (let j = i + 1; j < to; j++) {
        const next = text[j] ?? '';
        if (/[0-9]/.test(next)) return { control: rightToLeftControlNamed(c), at: j };
        if (LETTER.test(next)) break;
      }
    } else if (open.length > 0 && LEFT_TO_RIGHT_LETTER.test(c)) {
      (open.at(-1) as { letter: boolean }).letter = true;
    }
  }
  return null;
}
/** How a web page makes each control's effect, for a message naming it. */
const ON_A_PAGE: Readonly<Record<string, string>> = {
  '\u202E':
    ' (on a web page also <bdo dir="rtl">, or unicode-bidi: bidi-override with direction: rtl; in a Word file w:bdo w:val="rtl")',
  '\u202B': ' (on a web page also an element with dir="rtl", or a block with direction: rtl)',
  '\u2067': ' (on a web page also an element with dir="rtl")',
};
const rightToLeftControlNamed = (control: string) =>
  `the invisible control ${codePoint(control)} ${RIGHT_TO_LEFT[control]}${ON_A_PAGE[control] ?? ''}`;

/**
 * Classifies the text of a numeric cell. Numbers come back as exact decimal strings
 * ("+2" → "2", "1,234" → "1234", "12.50" → "12.5") so nothing is rounded on the way in. Zero
 * written as the Chinese numeral (零, 〇) is 0: a count printed in words is still that count.
 */
export function readCell(raw: string): Readonly<CellText> {
  // The common case first, on the cheapest test: digits without a leading zero.
  if (isPlainInteger(raw) && (raw.length === 1 || raw.charCodeAt(0) !== 48))
    return { kind: 'number', value: raw };
  // Then labels, read several times a report each: words, as readOtherCell would find at the
  // cost of looking the cell up.
  if (holdsWord(raw)) return { kind: 'text', text: raw.trim() };
  return readOtherCell(raw);
}

/** The ideographs that marks for "not reported" and zero print (无, 空, 暂, 零). */
const MARK_IDEOGRAPHS = new Set(
  [...NOT_REPORTED_MARKS, ...CHINESE_ZERO]
    .flatMap((mark) => [...mark].map((c) => c.charCodeAt(0)))
    .filter(isIdeograph),
);

/**
 * Whether a cell holds a Chinese character that no number or mark for "not reported" prints
 * (MARK_IDEOGRAPHS), and is not a merged figure: then it reads as words. Folding leaves such a
 * character as it is (isIdeograph), so the folded cell matches no number either.
 */
function holdsWord(raw: string): boolean {
  if (raw.startsWith(MERGED)) return false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (isIdeograph(c) && !MARK_IDEOGRAPHS.has(c)) return true;
  }
  return false;
}

/**
 * Marks a figure printed once in a cell merged over several rows (an HTML or Word rowspan): it
 * is put in every row the cell covers, so each of them is read as a figure cell, and the value
 * reader refuses it there (whose figure it is cannot be told). U+E000 is a private-use character
 * no document's text is read as.
 */
const MERGED = '\uE000';
export const markMergedFigure = (text: string) => `${MERGED}${text}`;
/** The figure a merged cell printed, or null for any other cell. */
export const mergedFigure = (raw: string): string | null => (raw.startsWith(MERGED) ? raw.slice(1) : null);
/** Cells as printed, without the mark of a merged figure: for text shown to people (extra rows, read text). */
export const printedCells = (cells: readonly string[]) => cells.map((c) => mergedFigure(c) ?? c);

/** Labels, marks and numbers that are not plain counts: few distinct texts, read again in every report. */
const readOtherCell = remembered((raw: string): CellText => {
  // A merged figure reads as the figure (a figure cell, not a label) wherever cells are sorted.
  if (raw.startsWith(MERGED)) return readCell(raw.slice(1));
  const compacted = compact(raw);
  if (NOT_REPORTED_MARKS.has(compacted)) return { kind: 'not-reported' };
  if (CHINESE_ZERO.has(compacted)) return { kind: 'number', value: '0' };
  // Before fold() drops the control: the figure stored is not the one shown (rightToLeftRefusal).
  if (reorderingCellControl(raw) !== undefined) return { kind: 'text', text: raw.trim() };
  // Space inside a number is not a separator: "1 0" is two cells run together, not 10.
  const text = fold(raw).trim();
  if (NUMBER.test(text)) {
    // The value is the number's one exact decimal text: 821.0 is 821, 12.50 is 12.5 and 01362
    // is 1362, so that equal figures compare and group as equal wherever text is compared (the
    // printed text keeps what was printed).
    const unsigned = text
      .replace(/,/g, '')
      .replace(/^\+/, '')
      .replace(/^(-?)0+(?=\d)/, '$1')
      .replace(/(\.\d*?)0+$/, '$1')
      .replace(/\.$/, '');
    return { kind: 'number', value: /^-0$/.test(unsigned) ? '0' : unsigned };
  }
  return { kind: 'text', text: raw.trim() };
});

export function isValueLike(raw: string): boolean {
  const cell = readCell(raw);
  return cell.kind !== 'text' && compact(raw) !== '';
}

// Magnitudes (25.1万) are read too, for units.ts to refuse by name.
const UNIT_SUFFIX = new RegExp(
  `^(.*\\d)\\s*(?:(${[...PRINTED_UNITS, ...PRINTED_MAGNITUDES].join('|')})|${BRACKETED_UNIT})$`,
);

/**
 * Separates a unit printed in a cell ("1742件", "251000元", "12.5 万元") from its number, as
 * printed; what the unit means for the cell's column is units.ts's to say.
 */
export function splitUnit(raw: string): { text: string; unit: string | null } {
  const m = UNIT_SUFFIX.exec(fold(raw).trim());
  return m ? { text: m[1] ?? raw, unit: m[2] ?? m[3] ?? null } : { text: raw, unit: null };
}

/**
 * Why a name (an agency's, a file's) cannot be stored as it is, or null: U+FFFD marks bytes
 * that were not valid in the file's encoding, and control characters and NUL are never part
 * of a name.
 */
export function damagedName(name: string): string | null {
  if (name.includes('\uFFFD'))
    return 'contains U+FFFD (\uFFFD), the mark of bytes that were not valid text: the file is damaged or not in UTF-8 or GBK';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds.
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains a control character or NUL';
  // Invisible characters make two names that look the same different agencies ("测试局\u200b"),
  // and direction overrides make a name read otherwise than it is stored.
  const invisible = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/.exec(name);
  if (invisible)
    return `contains the invisible character U+${(invisible[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (name.trim() === '') return 'is blank';
  return null;
}
