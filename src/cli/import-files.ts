/**
 * What `import` reads before it stores anything: the files named on the command line
 * (folders walked, globs expanded) and what the run knows about each file on its way to being
 * stored (the manifest saying where each was downloaded from is manifest.ts's).
 */
import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  createInlineTextPool,
  createParsePool,
  type DocumentParseResult,
  type ParsePool,
  readParseLimits,
  type StoredSource,
} from '../import/index.ts';

/** A mistake in the command line or a manifest: reported with exit code 2, nothing imported. */
import type { ManifestEntry } from './manifest.ts';
import { UsageError } from './usage.ts';

export { UsageError };

// ---------------------------------------------------------------------------
// Files, folders and globs
// ---------------------------------------------------------------------------

/** Files bigger than this are not reports (a report is well under 10 MB even as PDF). */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

/**
 * Files a folder walk found under a name that is not UTF-8 (an archive unpacked on Windows names
 * them in GBK): the name shown and stored, decoded as GB18030, and the bytes the system knows
 * the file by. Without them such a file was reported missing ("no such file").
 */
const systemPaths = new Map<string, Buffer>();
const systemPath = (path: string): string | Buffer => systemPaths.get(path) ?? path;
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const GB18030 = new TextDecoder('gb18030');

/** A folder entry's path as shown, its system bytes kept where its name (or its folder's) is not UTF-8. */
function entryPath(folder: string, raw: Buffer): string {
  let name: string;
  let utf8 = true;
  try {
    name = UTF8.decode(raw);
  } catch {
    name = GB18030.decode(raw);
    utf8 = false;
  }
  const path = join(folder, name);
  const parent = systemPaths.get(folder);
  if (!utf8 || parent) {
    const base = parent ?? Buffer.from(folder);
    systemPaths.set(path, Buffer.concat([base, Buffer.from(sep), raw]));
  }
  return path;
}

/** A named file's bytes, or why they cannot be had (too big to be a report, or the system's reason). */
export function readReportFile(shown: string): { bytes: Uint8Array } | { error: string } {
  const file = systemPath(shown);
  try {
    const stat = statSync(file);
    // A named pipe or a device would block the read for ever (a FIFO held import past SIGTERM).
    const unlisted = unlistedFolders.get(shown);
    if (unlisted !== undefined) {
      return {
        error: `The folder cannot be read (${unlisted}), so none of its files were imported; give this user access to it (chmod) or leave it out, and run the import again.`,
      };
    }
    if (!stat.isFile()) {
      return {
        error: `It is not a regular file (${stat.isFIFO() ? 'a named pipe' : stat.isDirectory() ? 'a folder' : 'a device or socket'}); save the report to a file and name that.`,
      };
    }
    const size = stat.size;
    if (size > MAX_FILE_BYTES) {
      return {
        // Bytes, not rounded megabytes: 50 MB and one byte read "The file is 50 MB".
        error: `The file is ${size.toLocaleString('en')} bytes, over the ${MAX_FILE_BYTES.toLocaleString('en')} (50 MB) a report file may have; published reports, scanned pages and all, are far smaller, so this is not one. Check that the path names the report itself, not an archive or a folder's bundle.`,
      };
    }
    return { bytes: readFileSync(file) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const link = lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()
      ? readlinkSync(file, 'utf8')
      : null;
    if (link !== null && code === 'ENOENT') {
      return { error: `It is a link to ${link}, which does not exist; fix the link or remove it.` };
    }
    if (code === 'ELOOP') {
      return {
        error: 'It is a link that leads back to itself (a loop of links); fix the link or remove it.',
      };
    }
    return { error: `The file cannot be read: ${(error as Error).message}` };
  }
}

/**
 * Where a command's files are parsed: on up to `workers` threads (PARSE_WORKERS unless given),
 * where a file past the heap or time limit (PARSE_MEMORY_MB, PARSE_TIMEOUT_MS) is refused and
 * the rest go on: a folder of downloads may hold a file that would hold the run up for minutes.
 * With fewer than 3 files (starting workers would take longer than parsing) or 0 workers, text
 * and web pages are parsed on this thread and PDF and Word files still on a worker under the
 * same limits (createInlineTextPool).
 */
export function filesParser(files: number, workers?: number): ParsePool {
  const limits = readParseLimits(process.env);
  const threads = Math.min(workers ?? limits.workers, files);
  return files < 3 || threads === 0 ? createInlineTextPool(limits) : createParsePool(threads, limits);
}

const GLOB_MAGIC = /[*?[{]/;

/** A glob (`*`, `**`, `?`, `[abc]`, `{a,b}`) as a regular expression over '/'-separated paths. */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slash = pattern[i + 2] === '/';
        out += slash ? '(?:[^/]*/)*' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        out += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * What a folder walk leaves out by name: manifests and download lists kept beside the reports,
 * and what a crawl or a download folder also holds (pictures, archives, spreadsheets, notes). A
 * file named on the command line is read whatever its name; any other name is read and its
 * format told from its bytes.
 */
const NOT_REPORTS =
  /\.(?:csv|json|md|log|jpe?g|png|gif|bmp|tiff?|webp|svg|ico|zip|rar|7z|gz|tgz|tar|bz2|xz|xlsx?|et|pptx?|css|js)$/i;

/** What a link points at; undefined when it points nowhere. */
const linkTarget = (path: string | Buffer) => {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined; // a loop of links: reading it says so
  }
};

/**
 * Every file under a folder, in name order, except hidden ones and those NOT_REPORTS names (into
 * `skipped`), and what is under hidden folders. Symbolic links are followed, as a shell's `reports/*` would: a folder of links to
 * downloads kept elsewhere was read as empty. A folder already walked is not walked again
 * through a link (a link to `..` would never end), and a broken link is kept, so that reading
 * it says which target is missing.
 */
/** A folder's real path, as bytes (in latin1, one character a byte), to tell folders already walked. */
const realKey = (folder: string) => realpathSync.native(systemPath(folder), 'buffer').toString('latin1');

/**
 * Folders a walk could not list, with the system's reason. Each is kept in the run as an entry
 * that readReportFile rejects, saying so: an unreadable subfolder stopped the whole import with
 * a stack trace, where an unreadable file is one rejection and the run goes on.
 */
const unlistedFolders = new Map<string, string>();

function listed(folder: string) {
  try {
    return readdirSync(systemPath(folder), { withFileTypes: true, encoding: 'buffer' });
  } catch (error) {
    unlistedFolders.set(folder, (error as Error).message);
    return null;
  }
}

function walk(folder: string, skipped: string[], walked = new Set([realKey(folder)])): string[] {
  const entries = listed(folder);
  if (!entries) return [folder];
  return entries
    .map((entry) => ({ entry, path: entryPath(folder, entry.name) }))
    .sort((a, b) => byName(a.path, b.path))
    .flatMap(({ entry, path }) => {
      const target = entry.isSymbolicLink() ? linkTarget(systemPath(path)) : entry;
      // Hidden folders are a tool's (.git, .svn), never walked; a hidden file (.DS_Store, an
      // editor's ._2020.txt) is left out, but counted with the others: silently, a report
      // saved with a leading dot went missing from the run unsaid.
      if (basename(path).startsWith('.')) {
        if (target?.isFile()) skipped.push(path);
        return [];
      }
      if (target?.isDirectory()) {
        const real = realKey(path);
        if (walked.has(real)) return [];
        walked.add(real);
        return walk(path, skipped, walked);
      }
      if (target && !target.isFile()) return [];
      if (NOT_REPORTS.test(path)) {
        skipped.push(path);
        return [];
      }
      return [path];
    });
}

/** "3 files (.jpg ×2, hidden)": what a walk left out, by extension (hidden ones apart), for the import's output. */
export function describeSkipped(skipped: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const path of skipped) {
    const extension = basename(path).startsWith('.')
      ? 'hidden'
      : (/\.[^./\\]+$/.exec(path)?.[0].toLowerCase() ?? '');
    counts.set(extension, (counts.get(extension) ?? 0) + 1);
  }
  const kinds = [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([extension, n]) => (n > 1 ? `${extension} ×${n}` : extension))
    .join(', ');
  return `${skipped.length} ${skipped.length === 1 ? 'file' : 'files'} (${kinds})`;
}

function expandGlob(pattern: string, skipped: string[]): string[] {
  const normalised = pattern.split(sep).join('/');
  const parts = normalised.split('/');
  const magicAt = parts.findIndex((p) => GLOB_MAGIC.test(p));
  const base = parts.slice(0, magicAt).join('/') || (normalised.startsWith('/') ? '/' : '.');
  if (!statSync(base, { throwIfNoEntry: false })?.isDirectory()) return [];
  const regex = globToRegExp(parts.slice(magicAt).join('/'));
  const matches = (file: string) => regex.test(relative(base, file).split(sep).join('/'));
  const left: string[] = [];
  const found = walk(base, left).filter(matches);
  // Only what the pattern asked for counts as left out; a pattern that names pictures gets them,
  // but not hidden files, which a shell's `*.txt` does not match either.
  const asked = left.filter(matches);
  const named = asked.filter((path) => !basename(path).startsWith('.'));
  if (named.length > 0 && found.length === 0) {
    skipped.push(...asked.filter((path) => !named.includes(path)));
    return named;
  }
  skipped.push(...asked);
  return found;
}

/**
 * Where a relative path was looked for, when npm ran the command from another folder than the
 * one it was typed in (npm runs scripts in the project's folder; INIT_CWD is where it was typed).
 */
function whereLooked(path: string): string {
  const typedIn = process.env.INIT_CWD;
  if (isAbsolute(path) || !typedIn || resolve(typedIn) === process.cwd()) return '';
  const there = resolve(typedIn, path);
  return ` (looked for in ${process.cwd()}, where npm runs commands${existsSync(there) ? `; it is in ${typedIn}, where you typed it: give "${there}"` : ''}; a relative path starts at the project's folder)`;
}

/**
 * Files named on the command line: files as given, folders walked, globs expanded. What the
 * walks leave out by name (NOT_REPORTS) goes into `skipped`. A path that does not exist is a
 * usage error, unless `missing` is given: then it is kept among the files, in its place, and
 * `missing` says why it cannot be read (validate --json reports it as one of its files).
 */
export function collectFiles(
  paths: readonly string[],
  skipped: string[] = [],
  missing?: Map<string, string>,
): string[] {
  const seen = new Set<string>();
  const files: string[] = [];
  for (const path of paths) {
    const stat = statSync(path, { throwIfNoEntry: false });
    let found: string[];
    if (stat) found = stat.isDirectory() ? walk(path, skipped) : [path];
    else if (GLOB_MAGIC.test(path)) {
      found = expandGlob(path, skipped);
      if (found.length === 0) throw new UsageError(`No files match "${path}".`);
    } else {
      const reason = `No such file or folder: ${path}${whereLooked(path)}`;
      if (!missing) throw new UsageError(reason);
      missing.set(path, reason);
      found = [path];
    }
    for (const file of found) {
      const key = resolve(file);
      if (!seen.has(key)) {
        seen.add(key);
        files.push(file);
      }
    }
  }
  return files;
}

// ---------------------------------------------------------------------------
// A file on its way through the run
// ---------------------------------------------------------------------------

export type Outcome = 'CREATED' | 'NEW_REVISION' | 'RESTORED' | 'UNCHANGED' | 'REJECTED' | 'READABLE';

/** One file of the run, as read and checked before it is stored. */
export interface Prepared {
  index: number;
  file: string;
  bytes: Uint8Array | null;
  sha: string | null;
  /** Why the file could not even be read. */
  readError?: string;
  /** The same bytes appeared earlier in this run. */
  duplicateOf?: Prepared;
  /** The same bytes are already stored (and the overrides agree). */
  stored?: StoredSource;
  manifest?: ManifestEntry;
  parse?: Promise<DocumentParseResult>;
  outcome?: Outcome;
}

/** A parsed report waiting for its batch (--batch), with the notes to print when it is stored. */
export interface Batched {
  entry: Prepared;
  parsed: DocumentParseResult;
  notes: string[];
}
