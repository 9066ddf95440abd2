/**
 * Text drawn over other text on one line. pdf.js gives each run of text as an item with where it
 * starts and how far it runs; items that follow each other on a line never start before the one
 * before ends (a run cut by a change of font goes on where it stopped). One that starts well
 * inside another is drawn over it: a shadow (the same figure again, a few points off, in grey),
 * a figure written over another, or a digit set over a figure. Joined as if they followed each
 * other, a 524 with its shadow read 524524, and 524 with a grey 2 over its 5 read 2524.
 *
 * withoutOverprints (pdf-text.ts) has already merged glyphs drawn again within 0.2 of a size.
 * Here, an item that is exactly the text of the item it overlaps, at its size, shifted by less
 * than a digit's width, is that text seen doubled, and read once; any other overlap is marked,
 * and its cell refused naming the overlapping text: which of the two a reader takes for the
 * figure, or whether both, cannot be told.
 */
import type { Item } from './pdf-text.ts';

/**
 * How far, in sizes, an item may start before the item before it ends and still follow it.
 * Pieces of one line overlap by rounding only (thousandths of a size); a digit set 0.1 of a size
 * into another touches it, which no printed figure does.
 */
const OVERLAP = 0.1;
/** How far apart, in sizes, two drawings of the same text may be to be one text seen doubled:
 * less than a digit's width (half a size), so no digit of one stands beside a digit of the other. */
const COPY_SHIFT = 0.4;
/** Sizes within 2% are one size. */
const SAME_SIZE = 0.02;
/**
 * CJK punctuation takes a whole size of advance but inks only half of it, and writers close it
 * up (Word's punctuation compression): text after a full-width comma, or an opening quote set
 * before it, starts up to half a size inside the punctuation's advance, over nothing printed.
 */
const PUNCTUATION_BLANK = 0.5;
const CJK_PUNCTUATION =
  /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2026\u2014\u00b7]/;
const endsInPunctuation = (text: string) => CJK_PUNCTUATION.test(text.trimEnd().at(-1) ?? '');
const startsWithPunctuation = (text: string) => CJK_PUNCTUATION.test(text.trimStart()[0] ?? '');

/** Why overlapping text is refused (unseen-text.ts gives it as "… cannot be told, as <why>"). */
export const overlapWhy = (over: string) =>
  `it and "${over.trim()}" are printed over each other (overlapping text)`;

export interface LineOverlaps {
  /** The line's items, left to right, without copies drawn over themselves. */
  items: Item[];
  /** Items drawn over another, each with the text it overlaps. */
  over: Map<Item, string>;
}

/** Whether `b` is `a` drawn again a little off: the same text, at the same size, within COPY_SHIFT. */
function isCopy(a: Item, b: Item): boolean {
  const size = Math.max(Math.abs(a.size), Math.abs(b.size));
  return (
    a.text.trim() === b.text.trim() &&
    Math.abs(Math.abs(a.size) - Math.abs(b.size)) <= size * SAME_SIZE &&
    Math.abs(a.x - b.x) <= size * COPY_SHIFT &&
    Math.abs(a.y - b.y) <= size * COPY_SHIFT
  );
}

/** A visual line's items (sorted left to right) with overlaps found: one pass along the line. */
export function lineOverlaps(sorted: readonly Item[]): LineOverlaps {
  const items: Item[] = [];
  const over = new Map<Item, string>();
  // The item reaching furthest right so far: the one a later item may start inside.
  let reaching: Item | undefined;
  for (const item of sorted) {
    const end = reaching ? reaching.x + reaching.width : Number.NEGATIVE_INFINITY;
    const size = Math.max(Math.abs(item.size), Math.abs(reaching?.size ?? 0));
    const blank =
      (reaching && endsInPunctuation(reaching.text) ? PUNCTUATION_BLANK : 0) +
      (startsWithPunctuation(item.text) ? PUNCTUATION_BLANK : 0);
    if (reaching && end - item.x > size * (OVERLAP + blank)) {
      if (isCopy(reaching, item)) continue;
      over.set(item, reaching.text);
    }
    items.push(item);
    if (!reaching || item.x + item.width > end) reaching = item;
  }
  return { items, over };
}
