/** Chart labels cut to their room: pure, so that they are tested without a browser. */

/** Width of a text in "CJK characters": Latin letters and digits count a little over half. */
export const textWidth = (text: string) =>
  [...text].reduce((n, c) => n + (c.charCodeAt(0) > 0x2e80 ? 1 : 0.6), 0);

/** A name cut to a width (in CJK characters), with an ellipsis when cut. */
export function shorten(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  let out = '';
  for (const c of text) {
    if (textWidth(`${out}${c}`) > width - 1) break;
    out += c;
  }
  return `${out}…`;
}

/**
 * Labels that tell their bars apart in `width` characters: where names would be cut, the start
 * they all share (宁夏回族自治区中卫市…) gives way to an ellipsis, so the cut leaves the part that
 * differs (a phone showed four bars all reading 宁夏回族自治…).
 */
export function distinctLabels(names: readonly string[], width: number): string[] {
  const chars = names.map((n) => [...n]);
  const [first = [], ...rest] = chars;
  let shared = 0;
  while (shared < first.length && rest.every((n) => n[shared] === first[shared])) shared++;
  // At least KEPT characters stay of every name: one that is the others' start (…人民政府 of
  // …人民政府办公室) is not cut to nothing.
  shared = Math.min(shared, Math.min(...chars.map((n) => n.length)) - KEPT);
  return names.map((n, i) =>
    shared > 1 && rest.length > 0 && textWidth(n) > width
      ? shorten(`…${(chars[i] ?? []).slice(shared).join('')}`, width)
      : shorten(n, width),
  );
}

/** Characters of a name a label keeps after the start the names share. */
const KEPT = 4;
