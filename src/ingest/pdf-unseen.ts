/**
 * A PDF page's text as a reader sees it: text the page holds but does not show is not read.
 * pdf.js's text content gives every glyph, drawn or not: a 2 drawn invisibly (render mode 3),
 * in white on white, or outside its clip, after a printed 26 was read as 262. Such glyphs are
 * left out, as the readers of web pages and Word files leave out hidden text (html-hidden.ts,
 * docx-hidden.ts). Text whose showing cannot be told (white on what may be a picture, a colour
 * barely apart from what is behind it) is kept, marked, and its cell refused. A page whose text
 * is mostly drawn invisibly is an invisible layer, as OCR lays its text over a scanned image:
 * its text is what the OCR made of the scan, misread digits and all, and the caller refuses it.
 *
 * Glyphs of the operator list (pdf-drawn.ts) are matched to the text content's characters in
 * order: pdf.js builds both from the same glyphs of the same showText operations, leaving out
 * of the text content only whitespace, invisible format marks and glyphs off the page.
 */
import { Covers, UNDER_IMAGE } from './pdf-covers.ts';
import type { Box, Colour, DrawnGlyph, PageDrawing, Shape } from './pdf-drawn.ts';
import type { Item } from './pdf-text.ts';

/** unknown: a character of the text content not found among the glyphs drawn. */
type Seen = 'shown' | 'hidden' | 'invisible' | 'unsure' | 'unknown';

/** Below this contrast (WCAG's ratio, 1 for the same colour) with what is behind it, no one sees text. */
const UNSEEN_CONTRAST = 1.1;
/** Below this, text is barely told from what is behind it: whether the author meant it seen is not told. */
const FAINT_CONTRAST = 1.5;
/** How far (pt) a glyph's centre may stand outside its clip and still be drawn (rounding). */
const CLIP_SLACK = 0.5;
/** Invisible characters a page must have, and more than its shown ones, to be an OCR layer. */
const LAYER_LEAST = 20;
/** How far ahead a character of the text content is looked for among the drawn glyphs. */
const LOOK_AHEAD = 256;

const WHITE = [255, 255, 255] as const;

/** A colour's relative luminance (WCAG 2). */
function luminance([r, g, b]: readonly [number, number, number]): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

const contrast = (a: readonly [number, number, number], b: readonly [number, number, number]) => {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
};

/**
 * A colour painted at opacity `alpha` over `ground`, as the eye gets it: the two mixed. Text at
 * 2% opacity in black is as faint as text in white at 98% grey; contrast is of what shows.
 */
const blended = (
  colour: readonly [number, number, number],
  ground: readonly [number, number, number],
  alpha: number,
): readonly [number, number, number] =>
  alpha >= 1
    ? colour
    : [
        colour[0] * alpha + ground[0] * (1 - alpha),
        colour[1] * alpha + ground[1] * (1 - alpha),
        colour[2] * alpha + ground[2] * (1 - alpha),
      ];

/** Contrast of `colour` at opacity `alpha` with `ground`. */
const shownContrast = (
  colour: readonly [number, number, number],
  ground: readonly [number, number, number],
  alpha: number,
) => contrast(blended(colour, ground, alpha), ground);

/** Whether a colour (at opacity `alpha`) may be lost against a shape drawn or the paper: close to one of them. */
function mayBeLost(
  colour: Colour,
  alpha: number,
  shapeColours: readonly { colour: Colour; first: number }[],
  over: number,
) {
  if (colour === null) return false;
  if (shownContrast(colour, WHITE, alpha) < FAINT_CONTRAST) return true;
  return shapeColours.some(
    (s) => s.first < over && (s.colour === null || shownContrast(colour, s.colour, alpha) < FAINT_CONTRAST),
  );
}

const inside = (box: Box, x: number, y: number, slack: number) =>
  x >= box[0] - slack && x <= box[2] + slack && y >= box[1] - slack && y <= box[3] + slack;

/**
 * Whether a glyph painted in `colours`, its centre at (x, y), shows against the topmost shape
 * drawn before it there, or the paper. A shape of untold colour (a pattern, a shading) is taken
 * to set the text off; the paper is white, but may be under a picture where the file has any
 * (pictures are not read: pdfjs.ts), and text as light as the paper there is unsure.
 */
function showsOver(
  glyph: DrawnGlyph,
  shapes: readonly Shape[],
  x: number,
  y: number,
  pictures: boolean,
): Seen {
  let behind: Shape | undefined;
  for (let k = glyph.over - 1; k >= 0 && !behind; k--) {
    const shape = shapes[k] as Shape;
    if (inside(shape.box, x, y, 0)) behind = shape;
  }
  let seen: Seen = 'hidden';
  for (const [i, colour] of glyph.colours.entries()) {
    const ground = behind ? behind.colour : WHITE;
    if (colour === null || ground === null) return 'shown';
    const ratio = shownContrast(colour, ground, glyph.alphas[i] ?? 1);
    if (ratio >= FAINT_CONTRAST) return 'shown';
    // Barely apart from what is behind it, or as light as a paper a picture may cover.
    if (ratio >= UNSEEN_CONTRAST || (pictures && !behind)) seen = 'unsure';
  }
  return seen;
}

/**
 * For each glyph, whether it may be lost against the paper or a shape drawn before it (its colour
 * close to theirs), or null where no glyph may fail to show: the pages that need no more look.
 * Glyphs of one showText share their colours: each run is looked at once.
 */
function mayNotShow(drawing: PageDrawing): boolean[] | null {
  const shapeColours = distinctColours(drawing.shapes);
  let any = false;
  let colours: readonly Colour[] | null = null;
  let over = -1;
  let lost = false;
  const lostBy = drawing.glyphs.map((g) => {
    if (g.colours !== colours || g.over !== over) {
      colours = g.colours;
      over = g.over;
      lost = g.colours.some((c, i) => mayBeLost(c, g.alphas[i] ?? 1, shapeColours, g.over));
    }
    any ||= lost || g.invisible || g.colours.length === 0 || g.clip !== null;
    return lost;
  });
  return any ? lostBy : null;
}

/** The shapes' colours, each with the first shape drawn in it. */
function distinctColours(shapes: readonly Shape[]): { colour: Colour; first: number }[] {
  const out: { colour: Colour; first: number }[] = [];
  shapes.forEach((s, first) => {
    const known = out.some((o) =>
      o.colour === null || s.colour === null
        ? o.colour === s.colour
        : o.colour.every((c, i) => c === (s.colour as readonly number[])[i]),
    );
    if (!known) out.push({ colour: s.colour, first });
  });
  return out;
}

/** For each item, for each of its characters, the drawn glyph it is (its index), or -1. */
function matched(items: readonly Item[], glyphs: readonly DrawnGlyph[]): number[][] {
  const chars: string[] = [];
  const owner: number[] = [];
  glyphs.forEach((g, k) => {
    for (const c of g.text) {
      chars.push(c);
      owner.push(k);
    }
  });
  let next = 0;
  return items.map((item) =>
    Array.from(item.text, (c) => {
      if (c === ' ' || /\s/.test(c)) return -1;
      const end = Math.min(chars.length, next + LOOK_AHEAD);
      for (let k = next; k < end; k++) {
        if (chars[k] === c) {
          next = k + 1;
          return owner[k] as number;
        }
      }
      return -1;
    }),
  );
}

export interface SeenText {
  /** The items with what does not show left out, and what may not show marked `unsure`. */
  items: Item[];
  /** The page's text is mostly drawn invisibly: an OCR layer over a scan, to be refused. */
  invisibleLayer: boolean;
  /** The page's text lies mostly under an image: an OCR layer under a scan, to be refused. */
  underImage: boolean;
}

/**
 * The page's items as a reader sees them. `pictures`: whether the file holds any picture,
 * which the operator list leaves out (pdfjs.ts maxImageSize), and which may be behind text.
 */
export function seenText(items: Item[], drawing: PageDrawing, pictures: boolean): SeenText {
  const lost = mayNotShow(drawing);
  const { glyphs, shapes } = drawing;
  // Shapes painted over text drawn before them may hide it (pdf-covers.ts).
  const covers = new Covers(shapes, glyphs[0]?.over ?? shapes.length, pictures);
  if (!lost && !covers.any) return { items, invisibleLayer: false, underImage: false };
  /** Why a character marked unsure is, where not for its colour: what is drawn over it. */
  const why = new Map<string, string>();
  const byItem = matched(items, glyphs);
  let invisible = 0;
  let shown = 0;
  let underImage = 0;
  let anyUnseen = false;
  const seen: Seen[][] = items.map((item, i) => {
    const chars = Array.from(item.text);
    const step = item.width / Math.max(1, chars.length);
    const y = item.y + item.size * 0.3;
    let last: Seen = 'shown';
    return chars.map((c, j) => {
      if (c === ' ' || /\s/.test(c)) return last;
      const k = byItem[i]?.[j] ?? -1;
      const glyph = glyphs[k];
      let s: Seen = 'unknown';
      if (glyph) {
        const x = item.x + (j + 0.5) * step;
        if (glyph.invisible) s = 'invisible';
        else if (glyph.colours.length === 0) s = 'hidden';
        else if (glyph.clip && !inside(glyph.clip, x, y, CLIP_SLACK)) s = 'hidden';
        else s = lost?.[k] ? showsOver(glyph, shapes, x, y, pictures) : 'shown';
        const box: Box = [x - step / 2, item.y, x + step / 2, item.y + item.size * 0.7];
        const covered = s === 'shown' || s === 'unsure' ? covers.of(box, glyph.over) : null;
        if (covered) s = covered.seen;
        if (covered?.seen === 'unsure') why.set(`${i}:${j}`, covered.why);
        if (covered?.seen === 'unsure' && covered.why === UNDER_IMAGE) underImage++;
      }
      if (s === 'invisible') invisible++;
      else if (s === 'shown') shown++;
      if (s !== 'shown' && s !== 'unknown') anyUnseen = true;
      last = s;
      return s;
    });
  });
  if (!anyUnseen) return { items, invisibleLayer: false, underImage: false };
  const out: Item[] = [];
  items.forEach((item, i) => {
    const chars = Array.from(item.text);
    // Where anything on the page is unseen, a character whose glyph was not found may be too.
    const marks: string[] = (seen[i] ?? []).map((s, j) =>
      s === 'unknown' ? 'unsure' : s === 'unsure' ? (why.get(`${i}:${j}`) ?? s) : s,
    );
    if (marks.every((s) => s === 'shown')) {
      out.push(item);
      return;
    }
    const step = item.width / Math.max(1, chars.length);
    for (let start = 0; start < chars.length; ) {
      let end = start;
      while (end < chars.length && marks[end] === marks[start]) end++;
      const text = chars.slice(start, end).join('');
      const part: Item = { ...item, text, x: item.x + start * step, width: (end - start) * step };
      if (text.trim() !== '' && marks[start] === 'shown') out.push(part);
      else if (text.trim() !== '' && marks[start] === 'unsure') out.push({ ...part, unsure: true });
      else if (text.trim() !== '' && marks[start] !== 'hidden' && marks[start] !== 'invisible')
        out.push({ ...part, unsure: true, why: marks[start] });
      start = end;
    }
  });
  return {
    items: out,
    invisibleLayer: invisible >= LAYER_LEAST && invisible > shown,
    underImage: underImage >= LAYER_LEAST && underImage > shown,
  };
}
