/**
 * A page shown turned by its /Rotate (90, 180 or 270): a landscape table set on a portrait
 * sheet, its text drawn running up the sheet so that it reads upright once the viewer turns the
 * page. pdf.js gives text and rules in the sheet's own coordinates, where such a table's rows run
 * down the page: it was refused as "printed turned" though every reader sees it upright. Its text
 * and rules are put in the coordinates of the page as shown, and read as any other page; text
 * that is not upright as shown is still refused (pdf-turned.ts).
 */
import type { Box, PageDrawing } from './pdf-drawn.ts';
import type { Segment } from './pdf-rules.ts';
import type { Item } from './pdf-text.ts';

/** A baseline slanted by more than this (radians, about 1°) is not level: no row of a table runs so. */
export const SLANT = 0.02;

interface Rules {
  horizontal: Segment[];
  vertical: Segment[];
}

/** Where a point of the sheet is on the page as shown, and the shown page's height. */
function turning(rotate: number, view: readonly number[]) {
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = view;
  const width = x1 - x0;
  const height = y1 - y0;
  const turn = ((rotate % 360) + 360) % 360;
  const at = (x: number, y: number): [number, number] => {
    const u = x - x0;
    const v = y - y0;
    if (turn === 90) return [v, width - u];
    if (turn === 180) return [width - u, height - v];
    return [height - v, u];
  };
  return { turn, at, top: turn === 180 ? height : width };
}

/** The slant of a baseline turned clockwise by `turn` degrees, in (−π, π]. */
function turnedSlant(slant: number, turn: number): number {
  let angle = slant - (turn * Math.PI) / 180;
  while (angle <= -Math.PI) angle += 2 * Math.PI;
  while (angle > Math.PI) angle -= 2 * Math.PI;
  return angle;
}

/** Whatever has a place on the sheet, in the coordinates of the page as shown. */
export interface ShownPage {
  /** The shown page's top edge. */
  top: number;
  items(items: readonly Item[]): Item[];
  rules<R extends Rules>(rules: R): R;
  drawing(drawing: PageDrawing): PageDrawing;
  /** Annotations, their `rect` moved. */
  annotations<T extends { rect: number[] }>(annotations: readonly T[]): T[];
}

/** The page as its /Rotate shows it: the sheet itself where it is not turned. */
export function pageAsShown(rotate: number, view: readonly number[]): ShownPage {
  const { turn, at, top } = turning(rotate, view);
  if (turn === 0) {
    return {
      top: view[3] ?? 842,
      items: (items) => [...items],
      rules: (rules) => rules,
      drawing: (drawing) => drawing,
      annotations: (annotations) => [...annotations],
    };
  }
  const box = ([x0, y0, x1, y1]: Box | readonly number[]): Box => {
    const [ax, ay] = at(x0 ?? 0, y0 ?? 0);
    const [bx, by] = at(x1 ?? 0, y1 ?? 0);
    return [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)];
  };
  return {
    top,
    items: (items) =>
      items.map((item) => {
        const [x, y] = at(item.x, item.y);
        const slant = turnedSlant(item.rotation ?? 0, turn);
        const { rotation: _, ...rest } = item;
        return { ...rest, x, y, ...(Math.abs(slant) > SLANT ? { rotation: slant } : {}) };
      }),
    rules: (rules) => {
      const horizontal: Segment[] = [];
      const vertical: Segment[] = [];
      const add = ([ax, ay]: [number, number], [bx, by]: [number, number]) => {
        if (Math.abs(ay - by) < Math.abs(ax - bx))
          horizontal.push({ at: (ay + by) / 2, a: Math.min(ax, bx), b: Math.max(ax, bx) });
        else vertical.push({ at: (ax + bx) / 2, a: Math.min(ay, by), b: Math.max(ay, by) });
      };
      for (const s of rules.horizontal) add(at(s.a, s.at), at(s.b, s.at));
      for (const s of rules.vertical) add(at(s.at, s.a), at(s.at, s.b));
      const order = (a: Segment, b: Segment) => a.at - b.at || a.a - b.a;
      return { ...rules, horizontal: horizontal.sort(order), vertical: vertical.sort(order) };
    },
    drawing: ({ glyphs, shapes }) => ({
      glyphs: glyphs.map((glyph) => ({ ...glyph, clip: glyph.clip && box(glyph.clip) })),
      shapes: shapes.map((shape) => ({ ...shape, box: box(shape.box) })),
    }),
    annotations: (annotations) => annotations.map((a) => ({ ...a, rect: [...box(a.rect)] })),
  };
}
