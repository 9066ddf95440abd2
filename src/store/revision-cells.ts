/**
 * A revision's content for readers that must not know how it is stored: its cells (decoded
 * from the revision_figures row and cell_sources), its source text (decoded from the stored
 * bytes), and the shapes of what the parser gave it. Each reader loads the columns named by
 * a select together with the revision, so reading them adds no query.
 */
import iconv from 'iconv-lite';
import type { TemplateVersion } from '../catalogue/template.ts';
import type { ParsedCell } from '../ingest/types.ts';
import { decodeFigures, type StoredFigures } from './figures.ts';

export type { Contact, NarrativeSection, Problem } from '../ingest/types.ts';

/** One stored cell: status, value, printed text and source line. */
export type StoredCell = ParsedCell;

/** The revision columns `revisionCells` reads, as a Prisma select. */
export const REVISION_CELLS_SELECT = {
  templateVersion: true,
  cellSources: true,
  figures: { select: { statuses: true, intValues: true, decimalValues: true } },
} as const;

/** Every cell of the revision's template version; a cell the row does not hold is MISSING. */
export function revisionCells(revision: {
  templateVersion: string;
  cellSources: unknown;
  figures: StoredFigures | null;
}): { templateVersion: TemplateVersion; cells: StoredCell[] } {
  const templateVersion = revision.templateVersion as TemplateVersion;
  return {
    templateVersion,
    cells: decodeFigures(templateVersion, revision.figures, { sources: revision.cellSources }),
  };
}

/** The revision columns `revisionSourceText` reads, as a Prisma select. */
export const REVISION_SOURCE_SELECT = {
  sourceBytes: true,
  sourceEncoding: true,
  sourceFormat: true,
} as const;

/**
 * The stored source as text, in the encoding it was read with at import; null for a PDF or Word
 * file, whose bytes are not text (decoded anyway, they came out as lone surrogates that strict
 * JSON readers refuse).
 */
export function revisionSourceText(revision: {
  sourceBytes: Uint8Array;
  sourceEncoding: string;
}): string | null {
  if (revision.sourceEncoding === 'binary') return null;
  // As the parser read it: the byte-order mark dropped, a damaged pair as U+FFFD.
  if (revision.sourceEncoding === 'utf-16le' || revision.sourceEncoding === 'utf-16be') {
    return new TextDecoder(revision.sourceEncoding).decode(revision.sourceBytes);
  }
  return iconv.decode(
    Buffer.from(revision.sourceBytes),
    revision.sourceEncoding === 'utf-8' ? 'utf-8' : 'gb18030',
  );
}
