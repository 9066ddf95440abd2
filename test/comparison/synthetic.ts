/** Many generated agencies and reports in one go, for statement counts and timings (marked synthetic). */
import { cellsOfVersion } from '../../src/catalogue/cells.ts';
import { CELL_CODES_BY_SLOT, cellSlot } from '../../src/catalogue/slots.ts';
import { TEMPLATE_VERSIONS } from '../../src/catalogue/template.ts';
import { flushAggregates } from '../../src/store/aggregate-maintenance.ts';
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
    cellsOfVersion(version).map((cell, i) => ({ slot: cellSlot(cell.code), version, i })),
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
        INSERT INTO revision_figures (revision_id, template_version, int_values, statuses)
        SELECT rv.id, rv.template_version,
               array_agg(CASE WHEN c.version IS NOT NULL THEN (rv.id * 7 + c.i) % 10 ELSE 0 END ORDER BY s.slot),
               convert_to(string_agg(CASE WHEN c.version IS NOT NULL THEN 'R' ELSE '.' END, '' ORDER BY s.slot), 'UTF8')
        FROM report_revision rv
        CROSS JOIN generate_series(1, ${CELL_CODES_BY_SLOT.length}::int) AS s(slot)
        LEFT JOIN unnest(${cells.map((c) => c.slot)}::int[], ${cells.map((c) => c.version)}::text[], ${cells.map((c) => c.i)}::int[])
          AS c(slot, version, i) ON c.slot = s.slot AND c.version = rv.template_version::text
        WHERE NOT EXISTS (SELECT 1 FROM revision_figures x WHERE x.revision_id = rv.id)
        GROUP BY rv.id, rv.template_version`;
      await flushAggregates(tx);
    },
    { timeout: 600_000 },
  );
  await db.$executeRawUnsafe('ANALYZE');
}
