/**
 * A cell whose digits a space parts (`4 1`, `１ ２ ６ ８`) or a comma parts where no thousands
 * place is (`4,1`). A PDF's reader puts a space where a gap between pieces of text is wide: a
 * figure set with letter spacing or distributed alignment (分散对齐), or kerned apart, shows 41 to
 * a reader but comes out `4 1`, and was refused only as "not a number; expected a number", with
 * no word of why a figure the reader sees plainly is none. Which it is cannot be told from the
 * text: one figure spaced out, or two cells' figures in one where a rule between them is missing.
 */

const SPACED = /^[+\-－]?[0-9０-９]+(?:[ \u00a0\u3000]+[0-9０-９]+)+$/;
/** Digits a comma parts, a group after it not of three digits: not a thousands separator. */
const MISPLACED_COMMA = /^[0-9０-９]+(?:[,，][0-9０-９]+)+$/;
const THOUSANDS = /^[0-9０-９]{1,3}(?:[,，][0-9０-９]{3})+$/;

/** Why such a cell is not a number, for its refusal (table-reading.ts); null for any other text. */
export function spacedFigureRefusal(raw: string): string | null {
  const text = raw.trim();
  if (SPACED.test(text)) {
    const joined = text.replace(/[ \u00a0\u3000]+/g, '');
    return `is not a number: its digits are set apart by spaces, so it may be one figure spaced out (${joined}, printed with letter spacing, distributed alignment or kerning) or the figures of two cells in one, and which cannot be told. Check the figure the agency published, print it without spaces inside and import again.`;
  }
  if (MISPLACED_COMMA.test(text) && !THOUSANDS.test(text)) {
    return `is not a number: a comma parts its digits where no thousands separator stands (one comma every three digits), so it may be one figure, a decimal written with a comma or two figures, and which cannot be told. Check the figure the agency published, print it plainly and import again.`;
  }
  return null;
}
