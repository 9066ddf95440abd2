/**
 * The rules (drawn lines) of a PDF page, read from its operator list: stroked paths,
 * rectangle edges and thin filled bars, in page coordinates, with collinear pieces joined.
 * Tables are rebuilt from these (pdf-tables.ts).
 */

export interface Segment {
  /** Horizontal: y fixed, x from a to b. Vertical: x fixed, y from a to b. */
  at: number;
  a: number;
  b: number;
}

export const TOLERANCE = 2;
/** Filled rectangles thinner than this are rules (Word draws borders this way). */
const RULE_THICKNESS = 3;

export type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
/** The product of two PDF transformation matrices: `m` applied after `n`'s space, as `cm` is. */
export const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];
const apply = (m: Matrix, x: number, y: number): [number, number] => [
  m[0] * x + m[2] * y + m[4],
  m[1] * x + m[3] * y + m[5],
];

/**
 * Horizontal and vertical rules drawn on a page (stroked lines, rectangle edges, thin filled
 * bars), and how many segments were drawn before collinear pieces were joined. Past `limit`
 * drawn segments nothing is joined and no rule is returned: the caller refuses the page.
 */
export function rulesOf(
  list: { fnArray: number[]; argsArray: unknown[] },
  OPS: Record<string, number>,
  limit = Number.POSITIVE_INFINITY,
): { horizontal: Segment[]; vertical: Segment[]; drawn: number } {
  const horizontal: Segment[] = [];
  const vertical: Segment[] = [];
  let ctm: Matrix = IDENTITY;
  const stack: Matrix[] = [];
  let pending: { lines: [number, number, number, number][]; rects: [number, number, number, number][] } = {
    lines: [],
    rects: [],
  };
  // Past the limit segments are only counted, not kept.
  let drawn = 0;
  const addLine = (x1: number, y1: number, x2: number, y2: number) => {
    const across = Math.abs(y1 - y2) <= 0.5 && Math.abs(x1 - x2) > TOLERANCE;
    const down = !across && Math.abs(x1 - x2) <= 0.5 && Math.abs(y1 - y2) > TOLERANCE;
    if (!across && !down) return;
    if (++drawn > limit) return;
    if (across) horizontal.push({ at: (y1 + y2) / 2, a: Math.min(x1, x2), b: Math.max(x1, x2) });
    else vertical.push({ at: (x1 + x2) / 2, a: Math.min(y1, y2), b: Math.max(y1, y2) });
  };
  const commit = (stroked: boolean, filled: boolean) => {
    for (const [x1, y1, x2, y2] of pending.lines) addLine(x1, y1, x2, y2);
    for (const [x1, y1, x2, y2] of pending.rects) {
      const w = x2 - x1;
      const h = y2 - y1;
      if (filled && !stroked && h <= RULE_THICKNESS && w > h) addLine(x1, (y1 + y2) / 2, x2, (y1 + y2) / 2);
      else if (filled && !stroked && w <= RULE_THICKNESS && h > w)
        addLine((x1 + x2) / 2, y1, (x1 + x2) / 2, y2);
      else if (stroked) {
        addLine(x1, y1, x2, y1);
        addLine(x1, y2, x2, y2);
        addLine(x1, y1, x1, y2);
        addLine(x2, y1, x2, y2);
      }
    }
    pending = { lines: [], rects: [] };
  };
  list.fnArray.forEach((fn, index) => {
    const args = list.argsArray[index] as unknown[] | null;
    switch (fn) {
      case OPS.save:
        stack.push(ctm);
        break;
      case OPS.restore:
        ctm = stack.pop() ?? IDENTITY;
        break;
      case OPS.transform:
        ctm = multiply(ctm, args as Matrix);
        break;
      case OPS.paintFormXObjectBegin:
        stack.push(ctm);
        if (Array.isArray(args?.[0])) ctm = multiply(ctm, args[0] as Matrix);
        break;
      case OPS.paintFormXObjectEnd:
        ctm = stack.pop() ?? IDENTITY;
        break;
      case OPS.constructPath: {
        const ops = (args?.[0] ?? []) as number[];
        const coords = (args?.[1] ?? []) as number[];
        let j = 0;
        let current: [number, number] = [0, 0];
        let start: [number, number] = [0, 0];
        for (const op of ops) {
          if (op === OPS.rectangle) {
            const [x, y, w, h] = coords.slice(j, j + 4) as [number, number, number, number];
            j += 4;
            const [ax, ay] = apply(ctm, x, y);
            const [bx, by] = apply(ctm, x + w, y + h);
            pending.rects.push([Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)]);
          } else if (op === OPS.moveTo) {
            current = apply(ctm, coords[j] ?? 0, coords[j + 1] ?? 0);
            start = current;
            j += 2;
          } else if (op === OPS.lineTo) {
            const next = apply(ctm, coords[j] ?? 0, coords[j + 1] ?? 0);
            pending.lines.push([current[0], current[1], next[0], next[1]]);
            current = next;
            j += 2;
          } else if (op === OPS.curveTo) {
            current = apply(ctm, coords[j + 4] ?? 0, coords[j + 5] ?? 0);
            j += 6;
          } else if (op === OPS.curveTo2 || op === OPS.curveTo3) {
            current = apply(ctm, coords[j + 2] ?? 0, coords[j + 3] ?? 0);
            j += 4;
          } else if (op === OPS.closePath) {
            pending.lines.push([current[0], current[1], start[0], start[1]]);
            current = start;
          }
        }
        break;
      }
      case OPS.stroke:
      case OPS.closeStroke:
        commit(true, false);
        break;
      case OPS.fill:
      case OPS.eoFill:
        commit(false, true);
        break;
      case OPS.fillStroke:
      case OPS.eoFillStroke:
      case OPS.closeFillStroke:
      case OPS.closeEOFillStroke:
        commit(true, true);
        break;
      case OPS.endPath:
        pending = { lines: [], rects: [] };
        break;
    }
  });
  if (drawn > limit) return { horizontal: [], vertical: [], drawn };
  return { horizontal: mergeSegments(horizontal), vertical: mergeSegments(vertical), drawn };
}

/** Joins collinear pieces of one rule (tables are often drawn one cell edge at a time). */
function mergeSegments(segments: Segment[]): Segment[] {
  const sorted = [...segments].sort((s, t) => s.at - t.at || s.a - t.a);
  const merged: Segment[] = [];
  for (const s of sorted) {
    const last = merged.findLast(
      (m) => Math.abs(m.at - s.at) <= 1 && s.a <= m.b + TOLERANCE && s.b >= m.a - TOLERANCE,
    );
    if (last) {
      last.a = Math.min(last.a, s.a);
      last.b = Math.max(last.b, s.b);
    } else merged.push({ ...s });
  }
  return merged;
}
