import { createInflate, createInflateRaw } from 'node:zlib';
/**
 * Hard limits on what one uploaded file may make the parser do. A real annual report is a
 * few pages and a few hundred table cells; these defaults are orders of magnitude above
 * that and far below what exhausts a server (a 1 MB DOCX that inflates to 300 MB, an HTML
 * table whose spans expand to millions of cells, a PDF of 20,000 pages).
 */

export interface InputLimits {
  /**
   * DOCX: total uncompressed size of all entries, checked from the ZIP directory and by
   * inflating them; PDF: what its compressed streams decode to, in all (pdf-streams.ts).
   */
  maxUncompressedBytes: number;
  /** DOCX: number of entries in the ZIP. */
  maxZipEntries: number;
  /** PDF: pages. */
  maxPdfPages: number;
  /**
   * PDF: pieces of text and drawn line segments on one page. Laying a page out compares them
   * with each other; a real page has a few hundred of each.
   */
  maxPdfPageObjects: number;
  /** HTML: elements in the page. */
  maxHtmlElements: number;
  /** HTML: how deep elements nest. */
  maxHtmlDepth: number;
  /**
   * HTML: stylesheet rules that hide elements (html-hidden.ts). Each is matched against the
   * elements its last part names; a real page has a handful.
   */
  maxHtmlHidingRules: number;
  /** HTML: grid cells of one table once rowspan and colspan are expanded; PDF: slots of a ruled table's grid. */
  maxGridCells: number;
  /** Text (and a Word 97 document's text): lines. */
  maxTextLines: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = {
  maxUncompressedBytes: 64 * 1024 * 1024,
  maxZipEntries: 2_000,
  maxPdfPages: 300,
  maxPdfPageObjects: 10_000,
  maxHtmlElements: 200_000,
  maxHtmlDepth: 256,
  maxHtmlHidingRules: 2_000,
  maxGridCells: 100_000,
  maxTextLines: 200_000,
};

/** The environment variable that sets each limit, named in every refusal. */
export const INPUT_LIMIT_VARIABLES: Record<keyof InputLimits, string> = {
  maxUncompressedBytes: 'INPUT_MAX_UNCOMPRESSED_BYTES',
  maxZipEntries: 'INPUT_MAX_ZIP_ENTRIES',
  maxPdfPages: 'INPUT_MAX_PDF_PAGES',
  maxPdfPageObjects: 'INPUT_MAX_PDF_PAGE_OBJECTS',
  maxHtmlElements: 'INPUT_MAX_HTML_ELEMENTS',
  maxHtmlDepth: 'INPUT_MAX_HTML_DEPTH',
  maxHtmlHidingRules: 'INPUT_MAX_HTML_HIDING_RULES',
  maxGridCells: 'INPUT_MAX_GRID_CELLS',
  maxTextLines: 'INPUT_MAX_TEXT_LINES',
};

/** A file that exceeds a limit; `limit` names which. */
export class InputLimitError extends Error {
  constructor(
    readonly limit: keyof InputLimits,
    what: string,
    readonly allowed: number,
  ) {
    super(
      `${what}; the limit is ${allowed.toLocaleString('en')} (${INPUT_LIMIT_VARIABLES[limit]}). A disclosure report is far smaller: check that this is the report itself, not an archive or a generated page.`,
    );
  }
}

/** The limits set in an environment (variables as above), the defaults elsewhere; a bad value is an error naming it. */
export function readInputLimits(env: Readonly<Record<string, string | undefined>>): InputLimits {
  const limits = { ...DEFAULT_INPUT_LIMITS };
  for (const [key, name] of Object.entries(INPUT_LIMIT_VARIABLES) as [keyof InputLimits, string][]) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new Error(`${name} must be a positive whole number, got "${raw}".`);
    }
    limits[key] = value;
  }
  return limits;
}

/**
 * How many bytes `data` inflates to, counted chunk by chunk and stopped once past `limit`: the
 * chunks are dropped as they come, so counting holds 16 kB, not the output. What inflated
 * before a corrupt part counts too, since the readers keep that much in memory before they fail
 * on it. `raw`: deflate data without the zlib header (ZIP entries); otherwise zlib data (a PDF's
 * FlateDecode streams), of which whatever follows the end is ignored.
 */
export function inflatedSize(data: Uint8Array, raw: boolean, limit: number): Promise<number> {
  return new Promise((resolve) => {
    let total = 0;
    const inflate = raw ? createInflateRaw() : createInflate();
    const done = () => resolve(total);
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) inflate.destroy();
    });
    inflate.on('end', done).on('close', done).on('error', done);
    inflate.end(data);
  });
}

/**
 * The bounds every parser of files from elsewhere runs under (uploads to the server, documents
 * a collector fetches, the CLI's folder imports), set by the same variables everywhere.
 */
export const DEFAULT_PARSE_LIMITS = { workers: 2, memoryMb: 512, timeoutMs: 30_000 } as const;

/**
 * Node's timers and PostgreSQL's statement_timeout hold a signed 32-bit count of milliseconds:
 * past it PostgreSQL refuses the connection's setting (serve died on its first query) and Node
 * fires the timer after 1 ms (PARSE_TIMEOUT_MS=99999999999 stopped every parse at once).
 */
export const MAX_MILLISECONDS = 2 ** 31 - 1;
