/**
 * Finding the template's labels in running text: the text of the table's lines as one
 * folded string (page footers dropped) whose offsets map back to source lines, and label
 * matching that tolerates spaces, quotes, wrapped labels and printed ordinals.
 */
import type { Label } from '../catalogue/template.ts';
import { type Line, PAGE_FOOTER } from './lines.ts';
import { DIRECTION_CONTROL, fold, holdsRightToLeftControl, labelKey } from './text.ts';

/** Word's conditional comments, which leak into text copied from Word-made pages. */
const WORD_COMMENT = /<!--\[if [^\]]*\]-->|<!--\[endif\]-->/g;
/** What a label may have inside it: spaces, quotes, and direction controls where a line keeps them. */
const SKIPPABLE = new RegExp(`[\\s"'“”‘’「」『』]|${DIRECTION_CONTROL.source}`);

/** The text of some lines as one string, folded character by character so offsets map back to lines. */
export class Stream {
  readonly text: string;
  private readonly starts: number[] = [];
  private readonly numbers: number[] = [];

  constructor(lines: readonly Line[]) {
    const parts: string[] = [];
    let offset = 0;
    for (const line of lines) {
      // Folded, so that "－ ４ －" is a footer as "- 4 -" is.
      if (line.text.length <= 40 && PAGE_FOOTER.test(fold(line.text))) continue;
      if (line.pageNumber) continue;
      // An invisible character inside a figure (5\u200B24) is dropped, as fold() drops it in a
      // cell: kept, it split the figure, and a run of the rest that filled the row was read (1 for
      // 4\u200B1). A line holding a right-to-left control keeps its direction controls, for the
      // rows whose figures they reorder to be refused (runRefusal). The line is padded at its end,
      // so offsets still map to lines.
      const directed = holdsRightToLeftControl(line.text);
      const text = [...line.text.replace(WORD_COMMENT, (m) => ' '.repeat(m.length))]
        .map((c) => {
          const f = fold(c);
          return f.length === 1
            ? f
            : f === '' && !(directed && DIRECTION_CONTROL.test(c))
              ? ''
              : c.length === 1
                ? c
                : ' ';
        })
        .join('')
        // Surrogate pairs fold to one character each above; keep offsets in UTF-16 units.
        .padEnd(line.text.length, ' ');
      this.starts.push(offset);
      this.numbers.push(line.number);
      parts.push(text);
      offset += text.length + 1;
    }
    this.text = parts.join('\n');
  }

  /** The 1-based source line of an offset. */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.numbers[lo] ?? 0;
  }
}

export interface Match {
  start: number;
  end: number;
}

/** Matches `key` at `at`, skipping whitespace and quotes in the text; returns the end, or -1. */
function matchAt(text: string, key: string, at: number, to: number): number {
  let i = at;
  for (const char of key) {
    while (i < to && SKIPPABLE.test(text[i] ?? '') && text[i] !== char) i++;
    if (i >= to || text[i] !== char) return -1;
    i++;
  }
  return i;
}

/** The earliest place in [from, to) where one of the keys is printed. */
export function findKey(text: string, keys: readonly string[], from: number, to: number): Match | null {
  let best: Match | null = null;
  for (const key of keys) {
    if (!key) continue;
    const first = key[0] ?? '';
    for (let i = text.indexOf(first, from); i >= 0 && i < to; i = text.indexOf(first, i + 1)) {
      if (best && i >= best.start) break;
      const end = matchAt(text, key, i, to);
      if (end >= 0) {
        if (!best || i < best.start || (i === best.start && end > best.end)) best = { start: i, end };
        break;
      }
    }
  }
  return best;
}

/** The shortest start of a label that still identifies it when the rest is wrapped around the figures. */
const PREFIX = 6;

export const keysOf = (label: Label) =>
  [label.zh, ...(label.variants ?? [])].map(labelKey).filter((k) => k !== '');

/** An ordinal as printed before a label: 一、 （三） 2. 1、 */
export function ordinalPattern(ordinal: string): RegExp {
  const core = fold(ordinal).replace(/[()]/g, '');
  if (/^\d+$/.test(core)) return new RegExp(`${core}\\s*[.、．]\\s*$`);
  if (/^[(（]/.test(fold(ordinal))) return new RegExp(`[(（]\\s*${core}\\s*[)）]\\s*$`);
  return new RegExp(`${core}\\s*[、.．]\\s*$`);
}

/**
 * Finds a row label: the whole label, else (for a label wrapped around its figures) its
 * first characters. The match starts at the label's printed ordinal where there is one,
 * so a list number glued to the previous row's last figure (`…00000002.其他`) is not read
 * as a digit.
 */
export function findLabel(
  stream: Stream,
  label: Label,
  ordinal: string | null,
  from: number,
  to: number,
): Match | null {
  const keys = keysOf(label);
  const text = stream.text;
  let found = findKey(text, keys, from, to);
  if (!found) {
    const prefixes = keys.filter((k) => k.length > PREFIX).map((k) => k.slice(0, PREFIX));
    found = findKey(text, prefixes, from, to);
  }
  if (!found || !ordinal) return found;
  const before = text.slice(Math.max(from, found.start - 8), found.start);
  const printed = ordinalPattern(ordinal).exec(before);
  return printed ? { start: found.start - (before.length - printed.index), end: found.end } : found;
}
