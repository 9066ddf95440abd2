/**
 * What a running-text row's figures that do not fit its columns most likely are, said after the
 * refusal so the reader knows what to change: a CSV export, thousands set apart by a space, a page
 * number read into the row.
 */

/** The hints that apply to a row's printed figures, each a sentence, in one string ('' for none). */
export const figuresHints = (figures: string, columns: number, signed: boolean) =>
  `${commaSeparatedHint(figures, columns)}${spacedThousandsHint(figures)}${pageNumberHint(figures, columns)}${signHint(figures, signed)}`;

/**
 * A minus sign on a row with no signed column: "-7816" for a fee was refused as figures that
 * "cannot be split", which sends the reader looking at the digits.
 */
function signHint(figures: string, signed: boolean): string {
  if (signed || !/(?:^|[\s\u4E00-\u9FFF])[-－−]\d/.test(figures)) return '';
  return " A minus sign belongs only in a 本年增/减 column, and this row has none: its figures are 0 or more, so a negative one is a slip in the document (or a blank cell's dash run into a figure). Check the row against the document.";
}

/**
 * A figure with a leading zero after a short one (3 001) is most likely one number whose
 * thousands are set apart by a space, as some typesetting does: say so, since "a leading zero"
 * alone sends the reader looking for a typing slip.
 */
function spacedThousandsHint(figures: string): string {
  const m = /(?:^|\s)(\d{1,3}(?:\s+0\d\d|\s+\d{3})*\s+0\d\d)(?=\s|$)/.exec(figures);
  if (!m?.[1]) return '';
  const spaced = m[1].replace(/\s+/g, ' ');
  return ` "${spaced}" looks like one number with a space between its thousands (${spaced.replace(/ /g, '')}): a space separates columns in this text, so print it as ${spaced.replace(/ /g, '')} or ${spaced.replace(/ /g, ',')}, or separate the columns with tabs.`;
}

/** One figure too many, the last a short one: a page number at a page break read into the row. */
function pageNumberHint(figures: string, columns: number): string {
  const numbers = figures.trim().split(/\s+/);
  const last = numbers.at(-1) ?? '';
  if (numbers.length !== columns + 1 || !/^\d{1,3}$/.test(last)) return '';
  return ` The last, "${last}", may be a page number printed at a page break inside the table; if so, remove it (or print the page number as "- ${last} -" or "第${last}页") and import again.`;
}

/**
 * Figures that split on commas into exactly the row's columns were most likely a CSV export.
 * They are not read as columns, since a comma also separates thousands ("1,268" is one
 * figure), and a reading that could be either is never guessed; the message says what to do.
 */
function commaSeparatedHint(figures: string, columns: number): string {
  const cells = figures.split(/[,，]/).map((cell) => cell.trim());
  const figureLike = /^(?:[+-]?\d+(?:\.\d+)?|\/|-|—|无|)$/;
  if (columns < 2 || cells.length !== columns || !cells.every((cell) => figureLike.test(cell))) return '';
  return ' They look comma-separated (CSV): tables in text are read with their columns separated by tabs or "|", since a comma also separates thousands (1,268). Save the table with tabs, or give the HTML, Word or PDF version.';
}
