/**
 * Any published report file to lines: plain text (UTF-8 or GBK, tab- or pipe-separated
 * tables), HTML pages, Word (.doc and .docx) and PDF. The format is detected from the bytes;
 * every format ends up as the same lines the text parser reads.
 */
import { decodeReport, type Encoding } from './decode.ts';
import { type Detected, detectFormat, looksLikeHtml, type SourceFormat } from './detect-format.ts';
import { DocFormattingError, docToText } from './doc.ts';
import { docxFailure, docxToHtml, libraryFailure } from './docx.ts';
import { htmlToLines } from './html.ts';
import { DEFAULT_INPUT_LIMITS, InputLimitError, type InputLimits } from './limits.ts';
import { type Line, toLines } from './lines.ts';
import { type ParseOptions, parseReportLines } from './parse-report.ts';
import { InvisibleTextError, pdfToLines } from './pdf.ts';
import { AnnotationsOverTextError } from './pdf-annotations.ts';
import { TextUnderImageError } from './pdf-covers.ts';
import { TableCutError } from './pdf-page.ts';
import { ScannedPagesError } from './pdf-scanned.ts';
import { TurnedPagesError } from './pdf-turned.ts';
import { printedCells } from './text.ts';
import type { ParseResult, Problem } from './types.ts';

export type { SourceFormat } from './detect-format.ts';

/** Text encoding of the source; 'binary' for PDF and Word files. */
export type SourceEncoding = Encoding | 'binary';

export type ExtractResult =
  | { ok: true; format: SourceFormat; encoding: SourceEncoding; lines: Line[] }
  | { ok: false; format: SourceFormat | null; problem: Problem };

export interface DocumentParseResult {
  /** Null when the file is not a format that can be read at all. */
  format: SourceFormat | null;
  encoding: SourceEncoding | null;
  result: ParseResult;
  /** With `withText`: the lines read, as `linesToText` gives them; line numbers refer to it. */
  text?: string;
}

const unreadable = (format: SourceFormat, message: string): ExtractResult => ({
  ok: false,
  format,
  problem: { code: 'UNREADABLE_DOCUMENT', severity: 'error', message },
});

const tooLarge = (format: SourceFormat | null, error: InputLimitError): ExtractResult => ({
  ok: false,
  format,
  problem: { code: 'TOO_LARGE', severity: 'error', message: error.message },
});

/** Counts lines without splitting, so an oversized text is refused before it is copied. */
function checkLineCount(text: string, limits: InputLimits) {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (++lines > limits.maxTextLines) {
      throw new InputLimitError(
        'maxTextLines',
        `The text has more than ${limits.maxTextLines.toLocaleString('en')} lines`,
        limits.maxTextLines,
      );
    }
  }
}

/**
 * A NUL (U+0000) anywhere in what was read: no report text holds one, PostgreSQL's text and
 * jsonb cannot store one (the import failed at the database with "unsupported Unicode escape
 * sequence", naming nothing), and the binary-file check samples only a text's first 8 KB, while
 * a PDF's text layer or a Word file can carry one anywhere. So it is refused here, for every
 * format, naming where it is.
 */
function nulRefusal(format: SourceFormat, lines: readonly Line[]): ExtractResult | null {
  for (const line of lines) {
    const at = line.text.indexOf('\0');
    if (at < 0 && !line.cells?.some((cell) => cell.includes('\0'))) continue;
    const where =
      format === 'text'
        ? `Line ${line.number}${at >= 0 ? `, column ${at + 1},` : ''}`
        : `Line ${line.number} of the text read from the file${at >= 0 ? ` (column ${at + 1})` : ''}`;
    return {
      ok: false,
      format,
      problem: {
        code: 'BINARY_FILE',
        severity: 'error',
        line: line.number,
        message: `${where} holds a NUL character (U+0000), which no report text has: the file is damaged there, or binary data was pasted into it. Remove the character (or save the file again from the program that made it) and send it again.`,
      },
    };
  }
  return null;
}

/** Bytes of any supported format to lines, within the input limits. */
export async function extractLines(
  bytes: Uint8Array,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): Promise<ExtractResult> {
  const detected = detectFormat(bytes);
  try {
    const extracted = await extractDetected(bytes, detected, limits);
    return (extracted.ok && nulRefusal(extracted.format, extracted.lines)) || extracted;
  } catch (error) {
    if (error instanceof InputLimitError) {
      return tooLarge(detected.kind === 'supported' ? detected.format : null, error);
    }
    throw error;
  }
}

async function extractDetected(
  bytes: Uint8Array,
  detected: Detected,
  limits: InputLimits,
): Promise<ExtractResult> {
  if (detected.kind === 'unsupported') {
    return {
      ok: false,
      format: null,
      problem: {
        code: 'UNSUPPORTED_FORMAT',
        severity: 'error',
        message: `The file is ${detected.name}, which cannot be read. ${detected.advice}`,
      },
    };
  }
  switch (detected.format) {
    case 'pdf': {
      try {
        const lines = await pdfToLines(bytes, limits);
        if (!lines.some((l) => l.text.trim() !== '')) {
          return {
            ok: false,
            format: 'pdf',
            problem: {
              code: 'NO_TEXT',
              severity: 'error',
              message:
                'The PDF has no text layer (it is probably a scan). Find the HTML or Word version of the report, or run OCR on it first.',
            },
          };
        }
        return { ok: true, format: 'pdf', encoding: 'binary', lines };
      } catch (error) {
        if (error instanceof InputLimitError) throw error;
        if (error instanceof AnnotationsOverTextError) return unreadable('pdf', error.message);
        if (
          error instanceof InvisibleTextError ||
          error instanceof TextUnderImageError ||
          error instanceof ScannedPagesError
        ) {
          return {
            ok: false,
            format: 'pdf',
            problem: { code: 'NO_TEXT', severity: 'error', message: error.message },
          };
        }
        if (error instanceof TurnedPagesError || error instanceof TableCutError)
          return unreadable('pdf', error.message);
        if ((error as { name?: string }).name === 'PasswordException') {
          return unreadable(
            'pdf',
            'The PDF is protected by a password, so its text cannot be read. Find the HTML or Word version of the report, or ask the agency for a copy without a password.',
          );
        }
        return unreadable(
          'pdf',
          `The PDF cannot be read (${libraryFailure(error)}). The file may be cut off or damaged; download it again.`,
        );
      }
    }
    case 'doc': {
      try {
        const text = await docToText(bytes);
        checkLineCount(text, limits);
        return { ok: true, format: 'doc', encoding: 'binary', lines: toLines(text) };
      } catch (error) {
        if (error instanceof InputLimitError) throw error;
        if (error instanceof DocFormattingError) return unreadable('doc', error.message);
        return unreadable(
          'doc',
          `The Word 97–2003 document cannot be read (${libraryFailure(error)}). The file may be cut off or damaged; download it again, or save it as .docx.`,
        );
      }
    }
    case 'docx': {
      try {
        return {
          ok: true,
          format: 'docx',
          encoding: 'binary',
          lines: htmlToLines(await docxToHtml(bytes, limits), limits),
        };
      } catch (error) {
        if (error instanceof InputLimitError) throw error;
        return unreadable('docx', docxFailure(error));
      }
    }
    default: {
      const decoded = decodeReport(bytes);
      if (!decoded.ok) return { ok: false, format: 'text', problem: decoded.problem };
      const html = looksLikeHtml(decoded.text);
      if (!html) {
        checkLineCount(decoded.text, limits);
        return { ok: true, format: 'text', encoding: decoded.encoding, lines: toLines(decoded.text) };
      }
      try {
        return {
          ok: true,
          format: 'html',
          encoding: decoded.encoding,
          lines: htmlToLines(decoded.text, limits),
        };
      } catch (error) {
        // The bytes alone said text; the refusal names the format the file was read as.
        if (error instanceof InputLimitError) return tooLarge('html', error);
        throw error;
      }
    }
  }
}

/** Parses a report file of any supported format. */
export async function parseDocument(
  bytes: Uint8Array,
  options: ParseOptions = {},
): Promise<DocumentParseResult> {
  const extracted = await extractLines(bytes, { ...DEFAULT_INPUT_LIMITS, ...options.limits });
  if (!extracted.ok) {
    return { format: extracted.format, encoding: null, result: { ok: false, problems: [extracted.problem] } };
  }
  return {
    format: extracted.format,
    encoding: extracted.encoding,
    ...(options.withText ? { text: linesToText(extracted.lines) } : {}),
    result: parseReportLines(extracted.lines, options),
  };
}

/** The lines as tab-separated text, to show what the parser saw in a PDF, Word or HTML file. */
export const linesToText = (lines: readonly Line[]) =>
  lines.map((l) => (l.cells ? printedCells(l.cells).join('\t') : l.text)).join('\n');
