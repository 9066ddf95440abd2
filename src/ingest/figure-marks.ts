/**
 * A figure with a footnote mark after it in a table cell (41[1] as a web page's <sup>1</sup>
 * reads, 41[[1]] as mammoth prints Word's footnote or endnote reference, 41¹, 41①, 41*): the
 * cell is refused, as in running text (running-rows.ts), since the note may qualify the figure;
 * the message says it is a mark, where "not a number" alone sent the reader looking for a typo.
 */
import { readCell } from './text.ts';

/** A footnote mark as cells print one: brackets (as the readers render raised marks), stars, raised, circled or bracketed numbers. */
const MARK =
  /^(?:\[+[^[\]]*\]+|【[^【】]*】|[*※#†‡△▲★☆]+|[\u00B9\u00B2\u00B3\u2070-\u2089]+|[\u2460-\u24FF\u2776-\u2793\u3251-\u325F\u32B1-\u32BF]|[(（]注?\d{1,2}[)）]|注\d{1,2})+$/;
const FIGURE_THEN_REST =
  /^([+-]?[\d\uFF10-\uFF19][\d\uFF10-\uFF19,，]*(?:[.．][\d\uFF10-\uFF19]+)?)[\s\u3000]*(.+)$/;

/** Why `raw` is refused where it is a figure followed by a footnote mark, or a raised mark alone; null otherwise. */
export function footnoteMarkRefusal(raw: string): string | null {
  // A mark with no figure (Word's note reference in an empty cell): the note may give the figure
  // or say why there is none, so the cell is no blank either.
  if (/^\[+[^[\]]*\]+$/.test(raw.trim()))
    return `is not a number: the cell holds a footnote mark (${raw.trim()}) and no figure, so whether it is blank or its figure is in the note cannot be told: check what the footnote says, then print the figure (or leave the cell blank) and import again.`;
  const m = FIGURE_THEN_REST.exec(raw.trim());
  const figure = m?.[1];
  const mark = m?.[2];
  if (!figure || !mark || !MARK.test(mark) || readCell(figure).kind !== 'number') return null;
  return `is not a number: ${figure} has a footnote mark (${mark}) after it, which is neither read as part of the figure nor dropped: check what the footnote says of the figure, then remove the mark and import again.`;
}
