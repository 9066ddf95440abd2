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

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** The same report as a web page: each run of tab-separated lines one <table>, other lines <p>. */
export function toHtmlTables(text: string): string {
  const out: string[] = ['<html><body>'];
  let inTable = false;
  for (const line of text.split('\n')) {
    if (line.includes('\t')) {
      if (!inTable) out.push('<table>');
      inTable = true;
      out.push(
        `<tr>${line
          .split('\t')
          .map((c) => `<td>${escapeHtml(c)}</td>`)
          .join('')}</tr>`,
      );
    } else {
      if (inTable) out.push('</table>');
      inTable = false;
      out.push(`<p>${escapeHtml(line)}</p>`);
    }
  }
  if (inTable) out.push('</table>');
  out.push('</body></html>');
  return out.join('\n');
}
