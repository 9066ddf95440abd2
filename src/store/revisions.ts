/**
 * Writes new revisions — source bytes, metadata, figures — and makes each its report's
 * current revision, in three set-based statements whatever the number of revisions. Both
 * the one-report import and the bulk import store revisions through here, so the two write
 * exactly the same rows.
 */
import type { ParsedReport } from '../ingest/types.ts';
import type { SqlTransaction } from './db.ts';
import { encodeFigures, intArrayLiteral } from './figures.ts';

export interface NewRevision {
  reportId: number;
  /** 1 for the report's first revision. */
  number: number;
  report: ParsedReport;
  bytes: Uint8Array;
  checksum: string;
  encoding: string;
  format: string;
  fileName: string | null;
  sourceUrl: string | null;
}

/** Stores the revisions (at most one per report) and returns their ids in input order. */
/**
 * Only a file's own name is kept: a CLI import's path names folders on the importing machine,
 * and the API serves the stored name to anyone.
 */
export const baseName = (fileName: string | null): string | null =>
  fileName === null ? null : (fileName.split(/[\\/]/).pop() ?? fileName);

export async function insertRevisions(
  tx: SqlTransaction,
  revisions: readonly NewRevision[],
): Promise<number[]> {
  if (revisions.length === 0) return [];
  if (new Set(revisions.map((r) => r.reportId)).size !== revisions.length) {
    throw new Error('insertRevisions takes at most one new revision per report');
  }
  const r = revisions.map((x) => x.report);
  const figures = r.map((x) => encodeFigures(x.cells));
  const inserted = await tx.$queryRaw<{ id: number; report_id: number }[]>`
    INSERT INTO report_revision (report_id, number, template_version, agency_name_as_printed, title,
      published_on, contact, narrative, gaps, source_bytes, source_sha256, source_encoding, source_format,
      source_file_name, source_url, cell_sources)
    SELECT report_id, number, template_version::"TemplateVersion", agency, title, published_on::date,
           contact::jsonb, narrative::jsonb, gaps::jsonb, decode(source, 'base64'), sha, encoding, format,
           file_name, url, sources::jsonb
    FROM unnest(${revisions.map((x) => x.reportId)}::int[], ${revisions.map((x) => x.number)}::int[],
                ${r.map((x) => x.templateVersion)}::text[], ${r.map((x) => x.agencyName)}::text[],
                ${r.map((x) => x.title)}::text[], ${r.map((x) => x.publishedOn)}::text[],
                ${r.map((x) => JSON.stringify({ ...x.contact }))}::text[],
                ${r.map((x) => JSON.stringify(x.narrative))}::text[], ${r.map((x) => JSON.stringify(x.gaps))}::text[],
                ${revisions.map((x) => Buffer.from(x.bytes).toString('base64'))}::text[],
                ${revisions.map((x) => x.checksum)}::text[], ${revisions.map((x) => x.encoding)}::text[],
                ${revisions.map((x) => x.format)}::text[], ${revisions.map((x) => baseName(x.fileName))}::text[],
                ${revisions.map((x) => x.sourceUrl)}::text[],
                ${figures.map((f) => JSON.stringify(f.sources))}::text[])
      AS t(report_id, number, template_version, agency, title, published_on, contact, narrative, gaps,
           source, sha, encoding, format, file_name, url, sources)
    RETURNING id, report_id`;
  const idOf = new Map(inserted.map((x) => [x.report_id, x.id]));
  const ids = revisions.map((x) => idOf.get(x.reportId) as number);
  await tx.$executeRaw`
    INSERT INTO revision_figures (revision_id, template_version, statuses, int_values, decimal_values)
    SELECT revision_id, template_version::"TemplateVersion", convert_to(statuses, 'UTF8'), int_values::int[],
           decimal_values::jsonb
    FROM unnest(${ids}::int[], ${r.map((x) => x.templateVersion)}::text[], ${figures.map((f) => f.statuses)}::text[],
                ${figures.map((f) => intArrayLiteral(f.intValues))}::text[],
                ${figures.map((f) => JSON.stringify(f.decimalValues))}::text[])
      AS t(revision_id, template_version, statuses, int_values, decimal_values)`;
  await tx.$executeRaw`
    UPDATE report SET current_revision_id = t.revision_id
    FROM unnest(${revisions.map((x) => x.reportId)}::int[], ${ids}::int[]) AS t(report_id, revision_id)
    WHERE report.id = t.report_id`;
  return ids;
}
