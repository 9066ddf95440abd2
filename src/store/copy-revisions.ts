/**
 * The bulk import's writes through COPY: new revisions, their figures and findings go to the
 * same tables, with the same values, as insertRevisions and replaceFindings write them (the
 * bulk-import test compares every stored row with the one-by-one import), so whatever keeps
 * other tables in step with these (triggers, aggregates) sees COPY rows like any others.
 */
import { type CopyTransaction, copyBytea, copyRows } from './copy-rows.ts';
import { encodeFigures, intArrayLiteral, type WrittenFigures } from './figures.ts';
import { FINDING_COLUMNS, type Row as FindingRow } from './findings.ts';
import { baseName, type NewRevision } from './revisions.ts';

const REVISION_COLUMNS = [
  'id',
  'report_id',
  'number',
  'template_version',
  'agency_name_as_printed',
  'title',
  'published_on',
  'contact',
  'narrative',
  'gaps',
  'source_bytes',
  'source_sha256',
  'source_encoding',
  'source_format',
  'source_file_name',
  'source_url',
  'cell_sources',
];

/** The revisions copyRevisions stored: their ids in input order, and the figures row of each. */
export interface CopiedRevisions {
  ids: number[];
  /** By revision id, the revision_figures row as written, so the aggregates need not read it back. */
  figures: Map<number, WrittenFigures>;
}

/**
 * Stores the revisions (at most one per report), makes each its report's current revision
 * and returns their ids in input order. `labels[i]` names revision i in errors (its file).
 */
export async function copyRevisions(
  tx: CopyTransaction,
  revisions: readonly NewRevision[],
  labels: readonly string[],
): Promise<CopiedRevisions> {
  if (revisions.length === 0) return { ids: [], figures: new Map() };
  if (new Set(revisions.map((r) => r.reportId)).size !== revisions.length) {
    throw new Error('copyRevisions takes at most one new revision per report');
  }
  // Ids drawn first, so the figure rows can name their revision without a round trip per row.
  const drawn = await tx.$queryRaw<{ id: number }[]>`
    SELECT nextval(pg_get_serial_sequence('report_revision', 'id'))::int AS id
    FROM generate_series(1, ${revisions.length}::int)`;
  const ids = drawn.map((row) => row.id);
  const figures = revisions.map((x) => encodeFigures(x.report.cells));
  await copyRows(
    tx.client,
    'report_revision',
    REVISION_COLUMNS,
    revisions.map((x, i) => {
      const r = x.report;
      return [
        String(ids[i]),
        String(x.reportId),
        String(x.number),
        r.templateVersion,
        r.agencyName,
        r.title,
        r.publishedOn,
        JSON.stringify({ ...r.contact }),
        JSON.stringify(r.narrative),
        JSON.stringify(r.gaps),
        copyBytea(x.bytes),
        x.checksum,
        x.encoding,
        x.format,
        baseName(x.fileName),
        x.sourceUrl,
        JSON.stringify(figures[i]?.sources),
      ];
    }),
    labels,
  );
  await copyRows(
    tx.client,
    'revision_figures',
    ['revision_id', 'template_version', 'statuses', 'int_values', 'decimal_values'],
    revisions.map((x, i) => {
      const f = figures[i] as NonNullable<(typeof figures)[number]>;
      return [
        String(ids[i]),
        x.report.templateVersion,
        copyBytea(Buffer.from(f.statuses, 'latin1')),
        intArrayLiteral(f.intValues),
        JSON.stringify(f.decimalValues),
      ];
    }),
    labels,
  );
  await tx.$executeRaw`
    UPDATE report SET current_revision_id = t.revision_id
    FROM unnest(${revisions.map((x) => x.reportId)}::int[], ${ids}::int[]) AS t(report_id, revision_id)
    WHERE report.id = t.report_id`;
  const written = new Map<number, WrittenFigures>();
  revisions.forEach((x, i) => {
    const f = figures[i] as NonNullable<(typeof figures)[number]>;
    const { statuses, intValues, decimalValues } = f;
    const revisionId = ids[i] as number;
    written.set(revisionId, {
      revisionId,
      version: x.report.templateVersion,
      statuses,
      intValues,
      decimalValues,
    });
  });
  return { ids, figures: written };
}

/** Appends finding rows; `labels[i]` names the file of row i in errors. */
export async function copyFindings(
  tx: CopyTransaction,
  rows: readonly FindingRow[],
  labels: readonly string[],
): Promise<void> {
  await copyRows(
    tx.client,
    'finding',
    FINDING_COLUMNS,
    rows.map((r) => [
      String(r.revision_id),
      r.other_revision_id === null ? null : String(r.other_revision_id),
      r.rule_id,
      r.severity,
      r.status,
      r.scope,
      JSON.stringify(r.cells),
      r.expected,
      r.actual,
      r.difference,
      r.message_zh,
      r.message_en,
      r.evidence,
    ]),
    labels,
  );
}
