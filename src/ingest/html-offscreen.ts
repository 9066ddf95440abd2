/**
 * Text a browser lays out where no reader sees it: moved far off the page (position:absolute;
 * left:-9999px, text-indent:-9999px), clipped to nothing (clip:rect(0 0 0 0), clip-path:inset(50%),
 * a box of no width or height that hides its overflow), scaled or zoomed to nothing, or filtered
 * to nothing (filter:opacity(0)). Screen-reader-only classes and old image-replacement tricks
 * hide text so. Where the effect cannot be told here (a rotation, a large negative margin, a
 * length in % or calc()), the text is neither read nor dropped: it is refused.
 */
import type { Declarations } from './html-css.ts';

export type Offscreen = 'yes' | 'no' | 'maybe';

/** Further off than this the page is never scrolled to: the -9999px of hiding tricks. */
const FAR_PX = 999;

/** A length in px (em and rem as 16px), null where it cannot be told (%, calc(), var()). */
function px(value: string): number | null {
  const m = /^(-?\d*\.?\d+)(px|em|rem|pt|cm|mm|in|pc|vw|vh)?$/.exec(value);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? (n === 0 ? 'px' : '');
  const scale: Record<string, number> = {
    px: 1,
    em: 16,
    rem: 16,
    pt: 4 / 3,
    pc: 16,
    in: 96,
    cm: 96 / 2.54,
    mm: 96 / 25.4,
    vw: 12.8,
    vh: 8,
  };
  const s = scale[unit];
  return s === undefined ? null : n * s;
}

/** How far a length moves text back or up: far (hidden), near (shown), or unknown. */
function farBack(value: string | undefined): Offscreen {
  if (value === undefined || !value.startsWith('-')) return 'no';
  const n = px(value);
  return n === null ? 'maybe' : n <= -FAR_PX ? 'yes' : 'no';
}

const worst = (...all: Offscreen[]): Offscreen =>
  all.includes('yes') ? 'yes' : all.includes('maybe') ? 'maybe' : 'no';

/**
 * Whether an element's declarations (`get`) put its text where no reader sees it. `boxed` says
 * whether the element is laid out as a box (a block, an inline block: not a plain inline piece,
 * which width, height and transform do not size or move).
 */
export function offscreen(get: (p: keyof Declarations) => string | undefined, boxed: boolean): Offscreen {
  const position = get('position');
  const taken = position === 'absolute' || position === 'fixed';
  const found: Offscreen[] = [];
  // A relatively positioned piece is moved as far as its offsets say, from where it stood.
  if (taken || position === 'relative') found.push(farBack(get('left')), farBack(get('top')));
  // Taken out of the flow and moved up or left at all, it may be above or beside the page.
  if (taken)
    for (const side of [get('left'), get('top')])
      if (farBack(side) === 'no' && side?.startsWith('-')) found.push('maybe');
  if (get('unmodelled') !== undefined) found.push('maybe');
  if (boxed) found.push(farBack(get('textIndent')));
  // A negative margin moves an element and what follows: whether it leaves the page cannot be told.
  for (const margin of [get('marginLeft'), get('marginTop')]) {
    if (farBack(margin) !== 'no') found.push('maybe');
  }
  const clip = get('clip');
  if (taken && clip !== undefined && clip !== 'auto') {
    const sides = /^rect\((.*)\)$/
      .exec(clip)?.[1]
      ?.split(/[\s,]+/)
      .map(px);
    // rect(top right bottom left): nothing shown where right ≤ left or bottom ≤ top.
    if (sides?.length !== 4 || sides.some((n) => n === null)) found.push('maybe');
    else {
      const [t, r, b, l] = sides as number[];
      found.push((r ?? 0) - (l ?? 0) <= 1 || (b ?? 0) - (t ?? 0) <= 1 ? 'yes' : 'no');
    }
  }
  const clipPath = get('clipPath');
  if (clipPath !== undefined && clipPath !== 'none') {
    const inset = /^inset\(([^)]*)\)$/.exec(clipPath)?.[1]?.split(/\s+/);
    const at = inset?.map((v) => (v.endsWith('%') ? Number.parseFloat(v) : null));
    found.push(
      at?.some((n) => n !== null && n >= 50)
        ? 'yes'
        : /^(?:circle|ellipse)\(0/.test(clipPath)
          ? 'yes'
          : 'maybe',
    );
  }
  if (boxed && /hidden|clip/.test(get('overflow') ?? '')) {
    for (const side of [get('width'), get('height')]) {
      if (side === undefined) continue;
      const n = px(side);
      found.push(n === null ? 'maybe' : n <= 1 ? 'yes' : 'no');
    }
  }
  const scaled = get('scaled');
  if (boxed && scaled === 'zero') found.push('yes');
  else if (boxed && scaled === '?') found.push('maybe');
  const zoom = get('zoom');
  if (zoom !== undefined) {
    const n = Number.parseFloat(zoom) / (zoom.endsWith('%') ? 100 : 1);
    // zoom:0 is taken as zoom:1 by browsers.
    found.push(Number.isNaN(n) ? 'maybe' : n > 0 && n < 0.1 ? 'yes' : 'no');
  }
  const filter = get('filter');
  // Blurred, or darkened or flattened to one colour, text may be unreadable.
  if (/blur\(|brightness\(|contrast\(/.test(filter ?? '')) found.push('maybe');
  if (filter?.includes('opacity(')) {
    const m = /opacity\(\s*([\d.]+)(%?)\s*\)/.exec(filter);
    found.push(!m ? 'maybe' : Number(m[1]) / (m[2] ? 100 : 1) < 0.05 ? 'yes' : 'no');
  }
  return worst(...found);
}
