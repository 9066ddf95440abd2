/**
 * The sample report's web page (also with its tables printed as paragraphs) and Word's web page
 * with one figure cell replaced, for the tests of how pieces of a cell are placed and sized
 * (raised marks, smaller digits).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDocument } from '../../src/ingest/document.ts';
import type { ParseResult } from '../../src/ingest/types.ts';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/formats/${name}`, import.meta.url)), 'utf8');
const html = fixture('report.html');
const word = fixture('report.word.html');

/** The cell parsePage replaces: 自然人 of 一、本年新收 (41). */
export const CELL = 'T3.NEW_REQUESTS.NATURAL_PERSON';
/** The cell parseWordPage replaces: 行政许可 处理决定数量 (1268). */
export const WORD_CELL = 'T2.LICENSING.DECISIONS';
/** How Word's page prints that cell's figure: 9pt runs split by its grammar marks. */
export const WORD_FIGURE =
  "<span lang=EN-US style='font-size:9.0pt'>&nbsp;<span class=GramE>12</span>68</span>";

/** Replaces the one occurrence of `what` in `page` with `by`. */
function replaceOnce(page: string, what: string, by: string): string {
  const at = page.indexOf(what);
  if (at < 0 || page.indexOf(what, at + 1) >= 0) throw new Error(`"${what}" must occur once`);
  return page.slice(0, at) + by + page.slice(at + what.length);
}
const parse = async (page: string) => (await parseDocument(new TextEncoder().encode(page), {})).result;

/** The report page with its CELL holding `cell`, under `style`. */
export const parsePage = (cell: string, style = ''): Promise<ParseResult> =>
  parsePageReplacing('<td>41</td>', `<td>${cell}</td>`, style);

/** The report page with the one occurrence of `what` replaced by `by`, under `style`. */
export const parsePageReplacing = (what: string, by: string, style = ''): Promise<ParseResult> =>
  parse(`<style>${style}</style>${replaceOnce(html, what, by)}`);

/**
 * A page with its tables printed as paragraphs, one a row, the cells set apart by spaces, as
 * content systems and pages copied from documents give them (the table's class and style kept
 * on a div around them): read as running text.
 */
const asParagraphs = (page: string) =>
  page
    .replace(/table\.report-table/g, 'div.report-table')
    .replace(/<table([^>]*)>([\s\S]*?)<\/table>/g, (_, table: string, rows: string) =>
      `<div${table}>${rows}</div>`
        .replace(/<\/?(?:tbody|thead|tfoot)[^>]*>/g, '')
        .replace(
          /<tr[^>]*>([\s\S]*?)<\/tr>/g,
          (__, cells: string) => `<p>${cells.replace(/<\/?t[dh][^>]*>/g, ' ').trim()}</p>`,
        ),
    );

/** As parsePage, with the page's tables printed as paragraphs (asParagraphs). */
export const parseParagraphPage = (cell: string, style = ''): Promise<ParseResult> =>
  parseParagraphPageReplacing('<td>41</td>', `<td>${cell}</td>`, style);

/** The page with the one occurrence of `what` replaced by `by`, its tables printed as paragraphs. */
export const parseParagraphPageReplacing = (what: string, by: string, style = ''): Promise<ParseResult> =>
  parse(`<style>${style}</style>${asParagraphs(replaceOnce(html, what, by))}`);

/** Word's page (every run 9pt in 10.5pt paragraphs) with its WORD_CELL holding `runs`. */
export const parseWordPage = (runs: string): Promise<ParseResult> =>
  parse(replaceOnce(word, WORD_FIGURE, runs));

/** A Word run of 9pt with more style. */
export const run = (text: string, style = '') =>
  `<span lang=EN-US style='font-size:9.0pt${style}'>${text}</span>`;
