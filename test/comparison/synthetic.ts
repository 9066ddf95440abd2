/** Many generated agencies and reports in one go, for statement counts and timings (marked synthetic). */
import { cellsOfVersion } from '../../src/catalogue/cells.ts';
import { TEMPLATE_VERSIONS } from '../../src/catalogue/template.ts';
import type { Db } from '../../src/store/db.ts';

/** Real county codes of 宁夏, so region filters and rollups have something to group. */
const NINGXIA_COUNTIES = [
  '640104',
  '640105',
  '640106',
  '640121',
  '640122',
  '640181',
  '640502',
  '640521',
  '640522',
];

/**
 * Adds agencies 合成机构NNNNN (numbered after those already there) with reports for
 * 2019–2024, V2019 up to 2020 and V2021 after, every cell reported with a small number.
 */
export async function seedSynthetic(db: Db, upTo: number) {
  const cells = TEMPLATE_VERSIONS.flatMap((version) =>
    cellsOfVersion(version).map((cell, i) => ({ code: cell.code, version, i })),
  );
  await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`
        INSERT INTO agency (name, kind, region_code, level, synthetic)
        SELECT '合成机构' || lpad(i::text, 5, '0'),
               (CASE WHEN i % 2 = 0 THEN 'GOVERNMENT' ELSE 'DEPARTMENT' END)::"AgencyKind",
               (${NINGXIA_COUNTIES}::text[])[1 + i % ${NINGXIA_COUNTIES.length}], 'COUNTY', true
        FROM generate_series((SELECT count(*) FROM agency WHERE synthetic) + 1, ${upTo}) AS i`;
      await tx.$executeRaw`
        INSERT INTO report (agency_id, year)
        SELECT a.id, y FROM agency a CROSS JOIN generate_series(2019, 2024) AS y
        WHERE a.synthetic AND NOT EXISTS (SELECT 1 FROM report r WHERE r.agency_id = a.id)`;
      await tx.$executeRaw`
        INSERT INTO report_revision (report_id, number, template_version, agency_name_as_printed, source_bytes,
                                     source_sha256, source_encoding, source_format)
        SELECT r.id, 1, (CASE WHEN r.year <= 2020 THEN 'V2019' ELSE 'V2021' END)::"TemplateVersion", a.name,
               convert_to(a.name || r.year, 'UTF8'), md5(r.id::text) || md5(a.name), 'utf-8', 'text'
        FROM report r JOIN agency a ON a.id = r.agency_id
        WHERE r.current_revision_id IS NULL`;
      await tx.$executeRaw`
        UPDATE report r SET current_revision_id = rv.id FROM report_revision rv
        WHERE rv.report_id = r.id AND r.current_revision_id IS NULL`;
      await tx.$executeRaw`
        INSERT INTO cell_value (revision_id, cell_code, value, status, raw_text)
        SELECT rv.id, c.code, (rv.id * 7 + c.i) % 10, 'REPORTED', ((rv.id * 7 + c.i) % 10)::text
        FROM report_revision rv
        JOIN unnest(${cells.map((c) => c.code)}::text[], ${cells.map((c) => c.version)}::text[], ${cells.map((c) => c.i)}::int[])
          AS c(code, version, i) ON c.version = rv.template_version::text
        WHERE NOT EXISTS (SELECT 1 FROM cell_value x WHERE x.revision_id = rv.id)`;
    },
    { timeout: 600_000 },
  );
  await db.$executeRawUnsafe('ANALYZE');
}
