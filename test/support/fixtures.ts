import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REAL_V2019 = 'zhongwei-science-bureau-2020.txt';
export const EXAMPLE_V2021 = 'example-county-health-2022.txt';

/** The real sample report ships with the server (data/sample); other reports are test fixtures. */
export const fixturePath = (name: string) =>
  fileURLToPath(
    name === REAL_V2019
      ? new URL(`../../data/sample/${name}`, import.meta.url)
      : new URL(`../fixtures/reports/${name}`, import.meta.url),
  );
export const fixtureBytes = (name: string) => readFileSync(fixturePath(name));
export const fixtureText = (name: string) => readFileSync(fixturePath(name), 'utf8');

/** The same report with its tables written as "a | b | c" rows instead of tabs. */
export const toPipeTables = (text: string) =>
  text
    .split('\n')
    .map((line) => (line.includes('\t') ? `| ${line.split('\t').join(' | ')} |` : line))
    .join('\n');

/** Cells separated by one space, merged (empty) cells gone, as a PDF's text layer prints them. */
export const toSingleSpaceText = (text: string) =>
  text
    .split('\n')
    .map((line) =>
      line.includes('\t')
        ? line
            .split('\t')
            .filter((c) => c.trim() !== '')
            .join(' ')
        : line,
    )
    .join('\n');

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * The same report as a web page: each run of tab-separated lines one <table>, other lines <p>.
 * With `thead`, a table's rows before its first row of figures are its <thead>, which a
 * browser prints again at the top of every page the table runs onto.
 */
export function toHtmlTables(text: string, { thead = false } = {}): string {
  const out: string[] = ['<html><body>'];
  let rows: string[][] = [];
  const tr = (cells: string[]) => `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
  const endTable = () => {
    if (rows.length === 0) return;
    const figures = rows.findIndex((r) => r.filter((c) => /^\d+(\.\d+)?$/.test(c.trim())).length >= 2);
    const head = thead && figures > 0 ? figures : 0;
    out.push('<table>');
    if (head > 0) out.push(`<thead>${rows.slice(0, head).map(tr).join('')}</thead>`);
    out.push(`<tbody>${rows.slice(head).map(tr).join('\n')}</tbody></table>`);
    rows = [];
  };
  for (const line of text.split('\n')) {
    if (line.includes('\t')) rows.push(line.split('\t'));
    else {
      endTable();
      out.push(`<p>${escapeHtml(line)}</p>`);
    }
  }
  endTable();
  out.push('</body></html>');
  return out.join('\n');
}
