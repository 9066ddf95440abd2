/**
 * An import's manifest: each file's source address and, optionally, agency and year, as CSV
 * with a header row (file, source_url, agency, year) or JSON. A manifest that cannot be read as
 * meant (a field split at an unquoted comma, a quote left open, a misspelt column, a file listed
 * twice with other details) is refused naming the line, before anything is imported.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { invalidSourceUrl } from '../import/index.ts';
import { decodeReport, type Encoding } from '../ingest/decode.ts';
import { readOptionBytes, UsageError } from './usage.ts';

export interface ManifestEntry {
  file: string;
  sourceUrl?: string;
  agency?: string;
  year?: number;
}

const COLUMN_NAMES: Record<string, keyof ManifestEntry> = {
  file: 'file',
  filename: 'file',
  path: 'file',
  name: 'file',
  sourceurl: 'sourceUrl',
  url: 'sourceUrl',
  source: 'sourceUrl',
  agency: 'agency',
  agencyname: 'agency',
  year: 'year',
};

/**
 * RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. Each row with the line
 * it starts on. A quote left open swallowed the rest of the file into one field (the agency
 * `unterminated,2019`): it is refused, naming the line it opens on.
 */
function parseCsv(text: string, where: string): { fields: string[]; line: number }[] {
  const rows: { fields: string[]; line: number }[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    // A line ends at LF, CRLF or a lone CR (old Mac files), as the row breaks below take them.
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') {
        i++;
        line++;
      }
      row.push(field);
      rows.push({ fields: row, line: rowLine });
      row = [];
      field = '';
      rowLine = line;
    } else field += c;
  }
  if (quoted) {
    throw new UsageError(
      `${where}, line ${quoteLine}: a quoted field opens there and is never closed, so the rest of the file would be read as one field. Close the quote (a quote inside a field is written "").`,
    );
  }
  if (field !== '' || row.length > 0) rows.push({ fields: [...row, field], line: rowLine });
  return rows.filter((r) => r.fields.some((f) => f.trim() !== ''));
}

/** The columns a manifest may name, as a message lists them. */
const COLUMNS_SHOWN = 'file, source_url, agency and year (or filename, path, url, agency_name)';

/** A manifest column or key, or an error naming it: a misspelt one (souce_url) was dropped without a word. */
function manifestField(key: string, where: string): keyof ManifestEntry {
  const field = COLUMN_NAMES[key.toLowerCase().replace(/[^a-z]/g, '')];
  if (!field)
    throw new UsageError(`${where}: "${key}" is not a manifest column; the columns are ${COLUMNS_SHOWN}.`);
  return field;
}

function toEntry(record: Record<string, unknown>, where: string): ManifestEntry {
  const entry: Partial<ManifestEntry> = {};
  for (const [key, value] of Object.entries(record)) {
    const field = manifestField(key, where);
    if (value === null || value === undefined || String(value).trim() === '') continue;
    const text = String(value).trim();
    if (field === 'year') {
      const year = Number(text);
      if (!Number.isInteger(year)) throw new UsageError(`${where}: year "${text}" is not a whole number.`);
      entry.year = year;
    } else entry[field] = text;
  }
  if (!entry.file) throw new UsageError(`${where}: no file name (a "file" column or key).`);
  const badUrl = entry.sourceUrl === undefined ? null : invalidSourceUrl(entry.sourceUrl);
  if (badUrl)
    throw new UsageError(`${where}: the source address ${JSON.stringify(entry.sourceUrl)} ${badUrl}.`);
  return entry as ManifestEntry;
}

/** Reads a manifest: CSV with a header row (file, source_url, agency, year), or JSON. */
export function readManifest(path: string): ManifestEntry[] {
  return withoutRepeats(readManifestEntries(path), path);
}

/**
 * The entries, each file once. A file listed twice with other details (two addresses) was
 * imported with the last, and the summary then said it was not imported: which is meant cannot
 * be told, so the manifest is refused, naming both entries.
 */
function withoutRepeats(entries: (ManifestEntry & { where: string })[], path: string): ManifestEntry[] {
  const seen = new Map<string, ManifestEntry & { where: string }>();
  const kept: ManifestEntry[] = [];
  for (const { where, ...entry } of entries) {
    // The file as the lookup finds it: relative to the manifest's folder, or absolute.
    const key = resolve(dirname(resolve(path)), entry.file);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, { ...entry, where });
      kept.push(entry);
      continue;
    }
    const same =
      first.sourceUrl === entry.sourceUrl && first.agency === entry.agency && first.year === entry.year;
    if (!same) {
      throw new UsageError(
        `${where}: ${entry.file} is listed again with other details (first at ${first.where.replace(`Manifest ${path}, `, '')}); list each file once.`,
      );
    }
  }
  return kept;
}

const UTF16_NAMES: Partial<Record<Encoding, string>> = {
  'utf-16le': 'UTF-16 (little-endian)',
  'utf-16be': 'UTF-16 (big-endian)',
};

/**
 * A manifest's text, decoded as report text files are (UTF-8 with or without BOM, else
 * GBK/GB18030): Excel on Chinese Windows saves CSV in GBK, which read as UTF-8 turned every
 * agency name into U+FFFD, and every file was then rejected with a message blaming the report.
 * UTF-16 (Excel's "Unicode Text", a tab-separated file) is refused up front, naming it.
 */
function manifestText(path: string): string {
  const bytes = readOptionBytes(path, 'the manifest');
  const decoded = decodeReport(bytes);
  if (!decoded.ok) {
    // An empty manifest is told by the missing header row, as before.
    if (decoded.problem.code === 'EMPTY_FILE') return '';
    if (decoded.problem.code === 'BINARY_FILE')
      throw new UsageError(
        `Manifest ${path} is not a text file (an Excel workbook, say); save it as "CSV UTF-8 (comma delimited)" with the columns ${COLUMNS_SHOWN}, or write it as JSON.`,
      );
    throw new UsageError(
      `Manifest ${path} cannot be read as text: ${decoded.problem.message.replace(/^The file /, 'it ')}`,
    );
  }
  const utf16 = UTF16_NAMES[decoded.encoding];
  if (utf16) {
    throw new UsageError(
      `Manifest ${path} is ${utf16} text; save it as UTF-8 (in Excel: "CSV UTF-8 (comma delimited)").`,
    );
  }
  return decoded.text.replace(/^\ufeff/, '');
}

function readManifestEntries(path: string): (ManifestEntry & { where: string })[] {
  const text = manifestText(path);
  if (/^\s*[[{]/.test(text)) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`Manifest ${path} is not valid JSON: ${(error as Error).message}`);
    }
    // Either [{ file, sourceUrl, agency, year }] or { "file name": "url" | { sourceUrl, … } }.
    // Every form goes through toEntry, which checks each value (the map form's addresses
    // were stored unchecked, javascript: ones included) and names the entry at fault.
    const record = (value: unknown, where: string) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new UsageError(
          `${where} is ${JSON.stringify(value)}; give an object such as {"file": "report.pdf", "sourceUrl": "https://…"}.`,
        );
      }
      return value as Record<string, unknown>;
    };
    if (Array.isArray(data)) {
      return data.map((item, i) => {
        const where = `Manifest ${path}, entry ${i + 1}`;
        return { ...toEntry(record(item, where), where), where };
      });
    }
    return Object.entries(data as Record<string, unknown>).map(([file, value]) => {
      const where = `Manifest ${path}, "${file}"`;
      const entry = toEntry(
        typeof value === 'string' ? { file, sourceUrl: value } : { file, ...record(value, where) },
        where,
      );
      return { ...entry, where };
    });
  }
  const [head, ...rows] = parseCsv(text, `Manifest ${path}`);
  const header = head?.fields.map((h) => h.trim()) ?? [];
  if (!header.some((h) => COLUMN_NAMES[h.toLowerCase().replace(/[^a-z]/g, '')] === 'file')) {
    throw new UsageError(
      `Manifest ${path} needs a header row naming its columns, e.g. "file,source_url,agency,year".`,
    );
  }
  // A spreadsheet's export may end its rows with empty fields, under no column or an unnamed one.
  for (const h of header) if (h !== '') manifestField(h, `Manifest ${path}, line ${head?.line ?? 1}`);
  return rows.map(({ fields, line }) => {
    const where = `Manifest ${path}, line ${line}`;
    // An address with a comma, unquoted, split into the next columns: its agency became "b=2".
    // Empty fields past the header are refused too: r.txt,http://x/?a=1,b=2,, is that split.
    if (fields.length > header.length) {
      throw new UsageError(
        `${where}: ${fields.length} fields for the header's ${header.length} columns (${header.join(', ')}), so which is which cannot be told; quote a field that holds a comma ("https://x.gov.cn/list?a=1,b=2"), and give the header as many columns as the rows (empty ones a spreadsheet adds may stay empty in both).`,
      );
    }
    const named = header.flatMap((h, j) => (h === '' ? [] : [[h, fields[j]] as const]));
    return { ...toEntry(Object.fromEntries(named), where), where };
  });
}

/**
 * Which manifest entry applies to each file of a run. An entry applies to the file its path
 * names, read from the manifest's folder (or, as given on the command line, the same path).
 * Only an entry whose path names no file at all falls back to its base name, and only when
 * exactly one file of the run has that name: a fallback to the name alone gave b/2019.txt the
 * agency and address of an entry for a/2019.txt, storing another agency's report as a revision
 * of its own. A name several files share is applied to none of them, and the summary says so.
 */
export function manifestLookup(entries: ManifestEntry[], manifestPath: string, files: readonly string[]) {
  const folder = dirname(resolve(manifestPath));
  const byPath = new Map(entries.map((e) => [resolve(folder, e.file), e]));
  // The path as given on the command line read from the manifest's folder too, but only where
  // the entry's own path names no file: else it is that other file's entry.
  const pathEntry = (file: string) =>
    byPath.get(resolve(file)) ??
    (existsSync(resolve(folder, file)) ? undefined : byPath.get(resolve(folder, file)));
  const namedByPath = new Set(files.flatMap((file) => pathEntry(file) ?? []));
  const namesNoFile = (e: ManifestEntry) => !namedByPath.has(e) && !existsSync(resolve(folder, e.file));
  const runFilesNamed = new Map<string, string[]>();
  for (const file of files) {
    const name = basename(file);
    runFilesNamed.set(name, [...(runFilesNamed.get(name) ?? []), file]);
  }
  // Two entries of one base name, neither naming a file: which is meant cannot be told.
  const byBase = new Map<string, ManifestEntry | null>();
  for (const e of entries.filter(namesNoFile)) {
    const name = basename(e.file);
    byBase.set(name, byBase.has(name) ? null : e);
  }
  const used = new Set<ManifestEntry>();
  return {
    find(file: string): ManifestEntry | undefined {
      const name = basename(file);
      const entry = pathEntry(file) ?? (runFilesNamed.get(name)?.length === 1 ? byBase.get(name) : undefined);
      if (entry) used.add(entry);
      return entry ?? undefined;
    },
    /**
     * Entries no imported file matched; `missing` when no file is at the entry's path, and
     * `sharedBy` the files of the run with its base name when several have it.
     */
    unused: () =>
      entries
        .filter((e) => !used.has(e))
        .map((e) => {
          const sharing = runFilesNamed.get(basename(e.file)) ?? [];
          return {
            file: e.file,
            missing: !existsSync(resolve(folder, e.file)),
            ...(namesNoFile(e) && sharing.length > 1 ? { sharedBy: sharing } : {}),
          };
        }),
  };
}
