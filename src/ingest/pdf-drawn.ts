/**
 * How a PDF page draws each glyph of its text, read from its operator list: whether the glyph
 * is painted at all (text render mode 3 or 7 paints nothing; a fill with alpha 0, or a pattern
 * with no colour, neither), in which colours, inside which clip, and over which filled shapes.
 * pdf.js's text content gives every glyph a page holds, drawn or not: a 2 drawn invisibly after
 * 26 read as 262, and a scanned page's OCR layer (drawn in mode 3 over the scan, OCR misreads
 * and all) as if printed. Which text a reader does not see is decided from this in pdf-unseen.ts.
 */
import { type Layers, MarkedContent, NO_LAYERS } from './pdf-layers.ts';
import { type Matrix, multiply } from './pdf-rules.ts';

/** A colour as pdf.js gives it (0–255 a channel); null where it cannot be told (a pattern, a shading). */
export type Colour = readonly [number, number, number] | null;

/** A box in page coordinates: left, bottom, right, top. */
export type Box = readonly [number, number, number, number];

/** A filled area: its bounding box and its colour. */
export interface Shape {
  box: Box;
  colour: Colour;
  /**
   * Painted at full opacity with normal blending, so that it hides what was drawn under it
   * (text painted before it, pdf-covers.ts); `image` where it may be a picture pdf.js left out.
   */
  opaque?: true | 'image';
}

export interface DrawnGlyph {
  /** The glyph's text as pdf.js's text content gives it, whitespace left out. */
  text: string;
  /** Render mode 3 or 7: not painted at all (an OCR layer, or text hidden on purpose). */
  invisible: boolean;
  /** The colours it is painted in (fill, stroke); empty where nothing is painted. */
  colours: Colour[];
  /** Each colour's opacity (0–1): its alpha times that of the groups it is drawn in. */
  alphas: number[];
  /** The clip it is drawn in; null where nothing clips it but the page. */
  clip: Box | null;
  /** How many of the page's shapes were drawn before it (those it may stand on). */
  over: number;
}

export interface PageDrawing {
  glyphs: DrawnGlyph[];
  shapes: Shape[];
}

interface State {
  ctm: Matrix;
  fill: Colour;
  stroke: Colour;
  fillAlpha: number;
  strokeAlpha: number;
  mode: number;
  clip: Box | null;
  /** Painted with normal blending (pdf.js's name for it): a cover hides what is under it. */
  normal: boolean;
  /** The opacity of the transparency groups drawn in (Chromium draws `opacity` so), multiplied. */
  groupAlpha: number;
}

const BLACK: Colour = [0, 0, 0];

/** A box in user space (x0, y0, x1, y1) as the bounding box of its corners on the page. */
function boxOn(m: Matrix, x0: number, y0: number, x1: number, y1: number): Box | null {
  if (![x0, y0, x1, y1].every(Number.isFinite)) return null;
  const xs = [x0, x1, x0, x1].map((x, i) => m[0] * x + m[2] * (i < 2 ? y0 : y1) + m[4]);
  const ys = [x0, x1, x0, x1].map((x, i) => m[1] * x + m[3] * (i < 2 ? y0 : y1) + m[5]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

const union = (a: Box | null, b: Box | null): Box | null =>
  a && b
    ? [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]
    : (a ?? b);

/** Where two clips overlap; an empty overlap is kept as an empty box (nothing drawn in it shows). */
const intersect = (a: Box | null, b: Box | null): Box | null =>
  a && b
    ? [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])]
    : (a ?? b);

/** A colour from pdf.js's setFillRGBColor arguments (three bytes). */
function rgb(args: unknown): Colour {
  const channels = (args ?? []) as ArrayLike<number>;
  const [r, g, b] = [channels[0], channels[1], channels[2]];
  return typeof r === 'number' && typeof g === 'number' && typeof b === 'number' ? [r, g, b] : null;
}

/**
 * The glyphs and filled shapes of a page, in the order drawn. Clips are followed as their
 * bounding boxes (a path clipped to is never larger than its box, so text outside the box is
 * outside the clip); text drawn as a clip (modes 4–7) is not followed as one.
 */
export function drawingOf(
  list: { fnArray: number[]; argsArray: unknown[] },
  OPS: Record<string, number>,
  normalize: (text: string) => string,
  layers: Layers = NO_LAYERS,
): PageDrawing {
  const glyphs: DrawnGlyph[] = [];
  const shapes: Shape[] = [];
  let state: State = {
    ctm: [1, 0, 0, 1, 0, 0],
    fill: BLACK,
    stroke: BLACK,
    fillAlpha: 1,
    strokeAlpha: 1,
    mode: 0,
    clip: null,
    normal: true,
    groupAlpha: 1,
  };
  const stack: State[] = [];
  const marked = new MarkedContent(layers);
  /**
   * The unit square of the last `cm`, where nothing has been drawn since: pdf.js leaves images
   * out (pdfjs.ts maxImageSize), and `q <w 0 0 h x y> cm /Im Do Q` comes out as save, transform,
   * restore, a picture's place the only trace of it.
   */
  let placed: Box | null = null;
  let path: Box | null = null;
  let clipping: Box | null = null;
  /** The path painted (filled where `filled`), then gone; a clip set on it applies from now. */
  const paint = (filled: boolean) => {
    if (filled && path && state.fillAlpha > 0 && !marked.hidden) {
      const shape: Shape = { box: intersect(path, state.clip) ?? path, colour: state.fill };
      if (state.fillAlpha >= 1 && state.normal) shape.opaque = true;
      shapes.push(shape);
    }
    if (clipping) state.clip = intersect(state.clip, clipping);
    path = null;
    clipping = null;
  };
  list.fnArray.forEach((fn, index) => {
    const args = list.argsArray[index] as unknown[] | null;
    if (fn === OPS.restore && placed && !marked.hidden)
      shapes.push({ box: intersect(placed, state.clip) ?? placed, colour: null, opaque: 'image' });
    placed = null;
    switch (fn) {
      case OPS.save:
        stack.push({ ...state });
        break;
      case OPS.restore:
        state = stack.pop() ?? state;
        break;
      case OPS.transform:
        state.ctm = multiply(state.ctm, args as Matrix);
        placed = boxOn(state.ctm, 0, 0, 1, 1);
        break;
      case OPS.paintFormXObjectBegin: {
        stack.push({ ...state });
        if (Array.isArray(args?.[0])) state.ctm = multiply(state.ctm, args[0] as Matrix);
        // A form draws nothing outside its bounding box.
        const bbox = args?.[1] as number[] | null | undefined;
        if (Array.isArray(bbox) && bbox.length === 4) {
          const [x0, y0, x1, y1] = bbox as [number, number, number, number];
          state.clip = intersect(state.clip, boxOn(state.ctm, x0, y0, x1, y1));
        }
        break;
      }
      case OPS.paintFormXObjectEnd:
        state = stack.pop() ?? state;
        break;
      case OPS.beginGroup:
        // A group is composited with the fill alpha current where it is painted: all it draws is that faint.
        stack.push({ ...state });
        state.groupAlpha *= state.fillAlpha;
        break;
      case OPS.endGroup:
        state = stack.pop() ?? state;
        break;
      case OPS.setFillRGBColor:
        state.fill = rgb(args);
        break;
      case OPS.setStrokeRGBColor:
        state.stroke = rgb(args);
        break;
      case OPS.setFillColorN:
        // A pattern (the colours were turned to RGB by pdf.js otherwise): its colour is not told.
        state.fill = null;
        break;
      case OPS.setStrokeColorN:
        state.stroke = null;
        break;
      case OPS.setFillTransparent:
        state.fillAlpha = 0;
        break;
      case OPS.setStrokeTransparent:
        state.strokeAlpha = 0;
        break;
      case OPS.setGState:
        for (const [key, value] of (args?.[0] ?? []) as [string, unknown][]) {
          if (key === 'ca' && typeof value === 'number') state.fillAlpha = value;
          if (key === 'CA' && typeof value === 'number') state.strokeAlpha = value;
          if (key === 'BM') state.normal = value === 'source-over';
        }
        break;
      case OPS.setTextRenderingMode:
        state.mode = typeof args?.[0] === 'number' ? args[0] : 0;
        break;
      case OPS.constructPath: {
        const minMax = args?.[2] as number[] | undefined;
        if (Array.isArray(minMax) || ArrayBuffer.isView(minMax)) {
          const [x0, y0, x1, y1] = minMax as unknown as [number, number, number, number];
          path = union(path, boxOn(state.ctm, x0, y0, x1, y1));
        }
        break;
      }
      case OPS.clip:
      case OPS.eoClip:
        clipping = path;
        break;
      case OPS.fill:
      case OPS.eoFill:
      case OPS.fillStroke:
      case OPS.eoFillStroke:
      case OPS.closeFillStroke:
      case OPS.closeEOFillStroke:
        paint(true);
        break;
      case OPS.stroke:
      case OPS.closeStroke:
      case OPS.endPath:
        paint(false);
        break;
      case OPS.shadingFill:
        // `sh` paints the whole clip, in colours not told here.
        if (!marked.hidden) shapes.push({ box: state.clip ?? [-1e9, -1e9, 1e9, 1e9], colour: null });
        break;
      case OPS.beginMarkedContent:
      case OPS.beginMarkedContentProps:
      case OPS.endMarkedContent:
        marked.next(fn, OPS, args);
        break;
      case OPS.showText:
        addGlyphs(glyphs, (args?.[0] ?? []) as unknown[], state, shapes.length, normalize, marked.hidden);
        break;
    }
  });
  return { glyphs, shapes };
}

function addGlyphs(
  glyphs: DrawnGlyph[],
  drawn: readonly unknown[],
  state: State,
  over: number,
  normalize: (text: string) => string,
  hidden: boolean,
) {
  const mode = state.mode & 3;
  const invisible = mode === 3;
  const colours: Colour[] = [];
  // Text in a layer that is off (optional content) is not painted: no colour, as `3 Tr`'s none.
  const alphas: number[] = [];
  const fill = state.fillAlpha * state.groupAlpha;
  const stroke = state.strokeAlpha * state.groupAlpha;
  if (!hidden && (mode === 0 || mode === 2) && fill > 0) {
    colours.push(state.fill);
    alphas.push(fill);
  }
  if (!hidden && (mode === 1 || mode === 2) && stroke > 0) {
    colours.push(state.stroke);
    alphas.push(stroke);
  }
  for (const glyph of drawn) {
    const unicode = (glyph as { unicode?: unknown } | null)?.unicode;
    if (typeof unicode !== 'string') continue;
    // Most glyphs are one character that pdf.js's normalisation leaves as it is (below U+00A0,
    // or CJK text after the ideographic space U+3000 and before U+FB00): taken as they are, at a fraction of the cost.
    const code = unicode.charCodeAt(0);
    const plain = unicode.length === 1 && (code < 0xa0 || (code > 0x3000 && code < 0xfb00));
    const text = plain ? (code <= 0x20 ? '' : unicode) : normalize(unicode).replace(/\s/g, '');
    if (text !== '') glyphs.push({ text, invisible, colours, alphas, clip: state.clip, over });
  }
}
