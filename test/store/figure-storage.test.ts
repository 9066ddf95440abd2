import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { cellsOfVersion } from '../../src/catalogue/cells.ts';
import { CELL_CODES_BY_SLOT, cellSlot } from '../../src/catalogue/slots.ts';
import { importReport } from '../../src/import/index.ts';
import { parseReportBytes } from '../../src/ingest/parse-report.ts';
import type { ParsedCell } from '../../src/ingest/types.ts';
import {
  decodeFigures,
  encodeFigures,
  figureColumnsSql,
  type StoredFigures,
} from '../../src/store/figures.ts';
import { applyMigrations, defaultMigrationsDir, quoteIdent } from '../../src/store/migrations.ts';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
import { EXAMPLE_V2021, fixtureBytes, REAL_V2019 } from '../support/fixtures.ts';

const LAYOUT_MIGRATION = readdirSync(defaultMigrationsDir).find((name) => name.endsWith('_figure_arrays'));

function parsedCells(name: string) {
  const { result } = parseReportBytes(fixtureBytes(name));
  if (!result.ok) throw new Error(`${name} does not parse`);
  return result.report;
}

describe('storage slots', () => {
  it('keep the position every cell had when the array layout was created (append only)', () => {
    expect(LAYOUT_MIGRATION).toBeDefined();
    const sql = readFileSync(join(defaultMigrationsDir, LAYOUT_MIGRATION as string, 'migration.sql'), 'utf8');
    const recorded = [...sql.matchAll(/\('(T[234]\.[A-Z0-9_.]+)', (\d+)\)/g)].map((m) => [
      m[1],
      Number(m[2]),
    ]);
    expect(recorded.length).toBeGreaterThan(200);
    // Renumbering a cell would silently move every stored figure to another cell.
    expect(recorded).toEqual(recorded.map(([code]) => [code, cellSlot(code as string)]));
    expect(CELL_CODES_BY_SLOT.slice(0, recorded.length)).toEqual(recorded.map(([code]) => code));
  });
});

describe('figure arrays', () => {
  it.each([REAL_V2019, EXAMPLE_V2021])(
    'round-trip every cell of %s, with its printed text and line',
    (name) => {
      const report = parsedCells(name);
      const encoded = encodeFigures(report.cells);
      expect(encoded.statuses).toHaveLength(CELL_CODES_BY_SLOT.length);
      const decoded = decodeFigures(report.templateVersion, encoded, { sources: encoded.sources });
      expect(decoded).toEqual(report.cells);
    },
  );

  it('keep amounts, fractions and counts too large for an integer exactly, apart from 0 and "not reported"', () => {
    const version = 'V2021';
    const codes = cellsOfVersion(version).map((c) => c.code);
    const cell = (code: string, status: ParsedCell['status'], value: string | null): ParsedCell => ({
      code,
      status,
      value,
      rawText: value ?? (status === 'NOT_REPORTED' ? '/' : null),
      line: 7,
    });
    const cells = [
      cell(codes[0] as string, 'REPORTED', '12.3500'),
      cell(codes[1] as string, 'REPORTED', '9876543210'),
      cell(codes[2] as string, 'REPORTED', '-2147483648'),
      cell(codes[3] as string, 'REPORTED', '0'),
      cell(codes[4] as string, 'NOT_REPORTED', null),
      cell(codes[5] as string, 'MISSING', null),
    ];
    const encoded = encodeFigures(cells);
    const slots = codes.slice(0, 7).map((code) => cellSlot(code) - 1);
    expect(slots.map((i) => encoded.statuses[i]).join('')).toBe('DDDRNM.');
    expect(Object.values(encoded.decimalValues)).toEqual(['12.3500', '9876543210', '-2147483648']);
    // The 0 that fills slots without a value is never read as a figure.
    expect(slots.map((i) => encoded.intValues[i])).toEqual([0, 0, 0, 0, 0, 0, 0]);
    const decoded = new Map(
      decodeFigures(version, encoded, { sources: encoded.sources }).map((c) => [c.code, c]),
    );
    for (const original of cells) expect(decoded.get(original.code)).toEqual(original);
    // A cell the report does not have reads as missing, never as 0.
    expect(decoded.get(codes[6] as string)).toMatchObject({ status: 'MISSING', value: null });
  });
});

describe('the migration to figure arrays', () => {
  const schema = `figure_layout_${randomBytes(4).toString('hex')}`;
  const before = mkdtempSync(join(tmpdir(), 'migrations-'));
  const withSchema = () => {
    const url = new URL(databaseUrl());
    url.searchParams.set('schema', schema);
    return url.toString();
  };
  afterAll(async () => {
    rmSync(before, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: databaseUrl() });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    await client.end();
  });

  it('moves every stored figure, status, printed text and line into the arrays', async () => {
    for (const name of readdirSync(defaultMigrationsDir)) {
      if (name === LAYOUT_MIGRATION || name > (LAYOUT_MIGRATION as string)) continue;
      cpSync(join(defaultMigrationsDir, name), join(before, name), { recursive: true });
    }
    await applyMigrations(withSchema(), { migrationsDir: before });

    const report = parsedCells(REAL_V2019);
    // Every kind of figure the old table could hold (a 万元 amount with decimals among them),
    // and one cell without a row.
    const cells = report.cells
      .filter((c) => c.code !== 'T2.RULES.MADE')
      .map((c) =>
        c.code === 'T2.PROCUREMENT.AMOUNT'
          ? { ...c, status: 'REPORTED' as const, value: '12.5', rawText: '12.50', line: 3 }
          : c,
      );
    const client = new pg.Client({ connectionString: databaseUrl() });
    await client.connect();
    try {
      await client.query(`SET search_path TO ${quoteIdent(schema)}`);
      await client.query(`INSERT INTO agency (id, name) VALUES (1, 'x')`);
      await client.query(`INSERT INTO report (id, agency_id, year) VALUES (1, 1, 2020)`);
      await client.query(`INSERT INTO report_revision (id, report_id, number, template_version, agency_name_as_printed,
          source_bytes, source_sha256, source_encoding, source_format)
        VALUES (1, 1, 1, 'V2019', 'x', '\\x00', repeat('0', 64), 'utf-8', 'text')`);
      await client.query(
        `INSERT INTO cell_value (revision_id, cell_code, value, status, raw_text, source_line)
         SELECT 1, code, value::numeric, status::"CellStatus", raw, line
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[]) AS t(code, value, status, raw, line)`,
        [
          cells.map((c) => c.code),
          cells.map((c) => c.value),
          cells.map((c) => c.status),
          cells.map((c) => c.rawText),
          cells.map((c) => c.line),
        ],
      );
    } finally {
      await client.end();
    }

    await applyMigrations(withSchema());

    const moved = new pg.Client({ connectionString: databaseUrl() });
    await moved.connect();
    try {
      const { rows } = await moved.query(
        `SELECT f.statuses, f.int_values AS "intValues", f.decimal_values AS "decimalValues", rv.cell_sources AS sources
         FROM ${quoteIdent(schema)}.revision_figures f JOIN ${quoteIdent(schema)}.report_revision rv ON rv.id = f.revision_id`,
      );
      expect(rows).toHaveLength(1);
      const decoded = new Map(
        decodeFigures('V2019', rows[0], { sources: rows[0].sources }).map((c) => [c.code, c]),
      );
      for (const original of cells) expect(decoded.get(original.code)).toEqual(original);
      expect(decoded.get('T2.RULES.MADE')).toMatchObject({ status: 'MISSING', value: null, rawText: null });
      const tables = await moved.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'cell_value'`,
        [schema],
      );
      expect(tables.rows).toEqual([]);
    } finally {
      await moved.end();
    }
  }, 60_000);
});

describe('imported figures', () => {
  const db = testDb();
  afterAll(() => db.$disconnect());

  it('are one row per revision that reads back as the parsed cells', async () => {
    await resetDatabase(db);
    const bytes = fixtureBytes(REAL_V2019);
    const stored = await importReport(db, { bytes, fileName: REAL_V2019 });
    if (!stored.ok) throw new Error('import failed');
    const rows = await db.$queryRaw<(StoredFigures & { sources: unknown })[]>`
      SELECT ${figureColumnsSql('f')}, rv.cell_sources AS sources
      FROM revision_figures f JOIN report_revision rv ON rv.id = f.revision_id`;
    expect(rows).toHaveLength(1);
    expect(decodeFigures('V2019', rows[0] ?? null, { sources: rows[0]?.sources })).toEqual(
      parsedCells(REAL_V2019).cells,
    );
  });
});
