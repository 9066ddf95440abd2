/**
 * Compares a live PostgreSQL schema with prisma/schema.prisma.
 *
 * Migrations are hand-reviewed SQL, so nothing but a check like this notices when they and
 * schema.prisma disagree (a forgotten migration, an edited one, a manual hotfix). The Prisma
 * CLI's own drift check needs the native schema engine; this one reads the DMMF from the
 * WebAssembly schema parser and the catalog from pg_catalog, which both work offline.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import prismaSchemaWasm from '@prisma/prisma-schema-wasm';
import pg from 'pg';
import { narrowValueSql, RANK_INDEXES } from '../src/store/aggregates.ts';
import { parseDatabaseUrl } from '../src/store/migrations.ts';

export interface SchemaDriftOptions {
  /** PostgreSQL schema of the tables. Default: the URL's `?schema=` parameter, else `public`. */
  schema?: string;
  /** Defaults to the project's prisma/schema.prisma. */
  prismaSchemaPath?: string;
  /** Schema source text; takes precedence over `prismaSchemaPath`. */
  prismaSchema?: string;
}

// Only the parts of Prisma's DMMF this check reads.
interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  isList: boolean;
  isRequired: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
  hasDefaultValue: boolean;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  schema?: string | null;
  fields: DmmfField[];
}

interface DmmfEnum {
  name: string;
  dbName?: string | null;
  schema?: string | null;
  values: { name: string; dbName?: string | null }[];
}

interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string; sortOrder?: 'asc' | 'desc' }[];
}

export interface Datamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  indexes: DmmfIndex[];
}

const defaultPrismaSchemaPath = fileURLToPath(new URL('../prisma/schema.prisma', import.meta.url));

/** Tables that exist without a model on purpose: Prisma's history, and PostGIS' own tables. */
const IGNORED_TABLES = /^(_prisma_migrations|spatial_ref_sys|geometry_columns)$/i;

/** PostgreSQL's identifier limit, which Prisma's default constraint names are cut to. */
const MAX_IDENTIFIER_LENGTH = 63;

export function loadDatamodel(prismaSchema: string): Datamodel {
  let json: string;
  try {
    json = prismaSchemaWasm.get_dmmf(JSON.stringify({ prismaSchema, noColor: true }));
  } catch (error) {
    // The Wasm module throws a JSON document ({error_code, message}) rather than an Error.
    const raw = error instanceof Error ? error.message : String(error);
    let message = raw;
    try {
      message = (JSON.parse(raw) as { message?: string }).message ?? raw;
    } catch {}
    throw new Error(`schema.prisma is invalid:\n${message}`);
  }
  const { models, enums, indexes } = (JSON.parse(json) as { datamodel: Partial<Datamodel> }).datamodel;
  if (!models || !enums || !indexes) {
    throw new Error(
      'Unexpected DMMF from @prisma/prisma-schema-wasm: models, enums and indexes are required.',
    );
  }
  return { models, enums, indexes };
}

/**
 * Lists every way the database differs from schema.prisma, one readable sentence each;
 * an empty list means they are in sync.
 */
export async function findSchemaDrift(
  db: string | pg.ClientBase,
  options: SchemaDriftOptions = {},
): Promise<string[]> {
  const source =
    options.prismaSchema ?? readFileSync(options.prismaSchemaPath ?? defaultPrismaSchemaPath, 'utf8');
  const datamodel = loadDatamodel(source);
  // The DMMF omits `map:` of @relation, so a custom foreign key name cannot be told from a
  // wrong one; only check the names when the schema uses none.
  const checkForeignKeyNames = !/@relation\([^)]*\bmap\s*:/.test(source);
  if (typeof db !== 'string') {
    const catalog = await readCatalog(db, schemasOf(datamodel, options.schema ?? 'public'));
    return compare(datamodel, catalog, checkForeignKeyNames);
  }
  const parsed = parseDatabaseUrl(db);
  const defaultSchema = options.schema ?? parsed.schema;
  const client = new pg.Client({ connectionString: parsed.connectionString });
  client.on('error', () => {});
  await client.connect();
  try {
    const catalog = await readCatalog(client, schemasOf(datamodel, defaultSchema));
    return compare(datamodel, catalog, checkForeignKeyNames);
  } finally {
    await client.end();
  }
}

interface Schemas {
  defaultSchema: string;
  all: string[];
}

function schemasOf(datamodel: Datamodel, defaultSchema: string): Schemas {
  const all = new Set([defaultSchema]);
  for (const item of [...datamodel.models, ...datamodel.enums]) if (item.schema) all.add(item.schema);
  return { defaultSchema, all: [...all] };
}

// ---------------------------------------------------------------------------
// What the database has

interface ActualColumn {
  schema: string;
  table: string;
  column: string;
  notNull: boolean;
  /** format_type() output, e.g. `character varying(12)`, `timestamp(3) with time zone`. */
  formatted: string;
  typeName: string;
  typeSchema: string;
  isEnum: boolean;
  /** Element type of an array column, else null. */
  elementTypeName: string | null;
  elementTypeSchema: string | null;
  elementIsEnum: boolean;
  defaultExpr: string | null;
  identity: string;
}

interface ActualIndex {
  schema: string;
  table: string;
  name: string;
  unique: boolean;
  primary: boolean;
  partial: boolean;
  method: string;
  /** Key columns; `null` for an expression. */
  columns: (string | null)[];
  /** Each key column as PostgreSQL prints it (an expression's text, e.g. `(n[1])`). */
  definitions: string[];
  descending: boolean[];
}

interface ActualForeignKey {
  schema: string;
  table: string;
  name: string;
  columns: string[];
  refSchema: string;
  refTable: string;
  refColumns: string[];
  onDelete: string;
  onUpdate: string;
}

interface Catalog {
  schemas: Schemas;
  tables: { schema: string; table: string }[];
  columns: ActualColumn[];
  enums: { schema: string; name: string; values: string[] }[];
  indexes: ActualIndex[];
  foreignKeys: ActualForeignKey[];
}

async function readCatalog(client: pg.ClientBase, schemas: Schemas): Promise<Catalog> {
  const params = [schemas.all];
  const tables = await client.query<{ schema: string; table: string }>(
    `SELECT n.nspname AS schema, c.relname AS table
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p') AND NOT c.relispartition`,
    params,
  );
  const columns = await client.query<ActualColumn>(
    `SELECT n.nspname AS schema, c.relname AS table, a.attname AS column, a.attnotnull AS "notNull",
            format_type(a.atttypid, a.atttypmod) AS formatted,
            t.typname AS "typeName", tn.nspname AS "typeSchema", t.typtype = 'e' AS "isEnum",
            et.typname AS "elementTypeName", etn.nspname AS "elementTypeSchema",
            COALESCE(et.typtype = 'e', false) AS "elementIsEnum",
            pg_get_expr(d.adbin, d.adrelid) AS "defaultExpr", a.attidentity::text AS identity
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_type t ON t.oid = a.atttypid
     JOIN pg_namespace tn ON tn.oid = t.typnamespace
     LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
     LEFT JOIN pg_namespace etn ON etn.oid = et.typnamespace
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND a.attnum > 0 AND NOT a.attisdropped`,
    params,
  );
  const enums = await client.query<{ schema: string; name: string; values: string[] }>(
    `SELECT n.nspname AS schema, t.typname AS name,
            array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
     WHERE n.nspname = ANY($1::text[])
     GROUP BY n.nspname, t.typname`,
    params,
  );
  const indexes = await client.query<ActualIndex>(
    `SELECT n.nspname AS schema, t.relname AS table, i.relname AS name,
            ix.indisunique AS unique, ix.indisprimary AS primary, ix.indpred IS NOT NULL AS partial,
            am.amname AS method,
            ARRAY(SELECT a.attname::text
                  FROM generate_subscripts(ix.indkey::int2[], 1) AS k(pos)
                  LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = (ix.indkey::int2[])[k.pos]
                  WHERE k.pos < ix.indnkeyatts ORDER BY k.pos) AS columns,
            ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k.pos + 1, true)
                  FROM generate_subscripts(ix.indkey::int2[], 1) AS k(pos)
                  WHERE k.pos < ix.indnkeyatts ORDER BY k.pos) AS definitions,
            ARRAY(SELECT ((ix.indoption::int2[])[k.pos] & 1) = 1
                  FROM generate_subscripts(ix.indoption::int2[], 1) AS k(pos)
                  WHERE k.pos < ix.indnkeyatts ORDER BY k.pos) AS descending
     FROM pg_index ix
     JOIN pg_class i ON i.oid = ix.indexrelid
     JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     JOIN pg_am am ON am.oid = i.relam
     WHERE n.nspname = ANY($1::text[]) AND t.relkind IN ('r', 'p') AND NOT t.relispartition`,
    params,
  );
  const foreignKeys = await client.query<ActualForeignKey>(
    `SELECT n.nspname AS schema, t.relname AS table, con.conname AS name,
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
            fn.nspname AS "refSchema", ft.relname AS "refTable",
            ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS "refColumns",
            con.confdeltype::text AS "onDelete", con.confupdtype::text AS "onUpdate"
     FROM pg_constraint con
     JOIN pg_class t ON t.oid = con.conrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     JOIN pg_class ft ON ft.oid = con.confrelid
     JOIN pg_namespace fn ON fn.oid = ft.relnamespace
     WHERE con.contype = 'f' AND n.nspname = ANY($1::text[]) AND con.conparentid = 0`,
    params,
  );
  return {
    schemas,
    tables: tables.rows,
    columns: columns.rows,
    enums: enums.rows,
    indexes: indexes.rows,
    foreignKeys: foreignKeys.rows,
  };
}

// ---------------------------------------------------------------------------
// What schema.prisma asks for

type ExpectedType =
  | { kind: 'builtin'; formatted: string }
  | { kind: 'named'; name: string; schema: string | null; isEnum: boolean };

/** Prisma's default PostgreSQL type per scalar when no @db attribute is given. */
const SCALAR_DEFAULT_TYPES: Record<string, string> = {
  String: 'text',
  Boolean: 'boolean',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

/** @db.<Type>(args) as PostgreSQL's format_type() spells it. */
function nativeTypeToPostgres(name: string, args: string[]): ExpectedType {
  const withArgs = (base: string, fallback: string) =>
    args.length ? `${base}(${args.join(',')})` : fallback;
  const withPrecision = (base: string, suffix: string) =>
    args.length ? `${base}(${args.join(',')}) ${suffix}` : `${base} ${suffix}`;
  const builtin = (formatted: string): ExpectedType => ({ kind: 'builtin', formatted });
  switch (name) {
    case 'Text':
      return builtin('text');
    case 'VarChar':
      return builtin(withArgs('character varying', 'character varying'));
    // Without a length, PostgreSQL's CHAR and BIT mean a length of 1.
    case 'Char':
      return builtin(withArgs('character', 'character(1)'));
    case 'Bit':
      return builtin(withArgs('bit', 'bit(1)'));
    case 'VarBit':
      return builtin(withArgs('bit varying', 'bit varying'));
    case 'Uuid':
      return builtin('uuid');
    case 'Xml':
      return builtin('xml');
    case 'Inet':
      return builtin('inet');
    // An extension type: compared by name, since format_type() would add its schema.
    case 'Citext':
      return { kind: 'named', name: 'citext', schema: null, isEnum: false };
    case 'Boolean':
      return builtin('boolean');
    case 'Integer':
      return builtin('integer');
    case 'SmallInt':
      return builtin('smallint');
    case 'Oid':
      return builtin('oid');
    case 'BigInt':
      return builtin('bigint');
    case 'DoublePrecision':
      return builtin('double precision');
    case 'Real':
      return builtin('real');
    case 'Decimal':
      return builtin(withArgs('numeric', 'numeric'));
    case 'Money':
      return builtin('money');
    case 'Timestamp':
      return builtin(withPrecision('timestamp', 'without time zone'));
    case 'Timestamptz':
      return builtin(withPrecision('timestamp', 'with time zone'));
    case 'Date':
      return builtin('date');
    case 'Time':
      return builtin(withPrecision('time', 'without time zone'));
    case 'Timetz':
      return builtin(withPrecision('time', 'with time zone'));
    case 'Json':
      return builtin('json');
    case 'JsonB':
      return builtin('jsonb');
    case 'ByteA':
      return builtin('bytea');
    default:
      throw new Error(
        `schema-drift does not know the PostgreSQL type for @db.${name}; add it to nativeTypeToPostgres.`,
      );
  }
}

function describeExpected(type: ExpectedType, isList: boolean): string {
  const base = type.kind === 'builtin' ? type.formatted : `"${type.name}"${type.isEnum ? ' (enum)' : ''}`;
  return isList ? `${base}[]` : base;
}

function describeActual(column: ActualColumn): string {
  if (column.isEnum) return `"${column.typeName}" (enum)`;
  if (column.elementIsEnum) return `"${column.elementTypeName}" (enum)[]`;
  return column.formatted;
}

function typeMatches(expected: ExpectedType, isList: boolean, actual: ActualColumn): boolean {
  if (expected.kind === 'builtin') {
    return actual.formatted === (isList ? `${expected.formatted}[]` : expected.formatted);
  }
  const name = isList ? actual.elementTypeName : actual.typeName;
  const schema = isList ? actual.elementTypeSchema : actual.typeSchema;
  const isEnum = isList ? actual.elementIsEnum : actual.isEnum;
  return (
    name === expected.name &&
    isEnum === expected.isEnum &&
    (expected.schema === null || schema === expected.schema)
  );
}

/**
 * Whether PostgreSQL should hold a column default. Prisma evaluates uuid()/cuid()/... in
 * the client and @updatedAt on write, so only these end up in the database.
 */
function expectsDatabaseDefault(field: DmmfField): 'sequence' | boolean {
  if (!field.hasDefaultValue) return false;
  const value = field.default;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'name' in value) {
    const fn = (value as { name: string }).name;
    if (fn === 'autoincrement' || fn === 'sequence') return 'sequence';
    return fn === 'now' || fn === 'dbgenerated';
  }
  return true;
}

/**
 * Prisma's default constraint names, cut to PostgreSQL's identifier length the way Prisma
 * cuts them (keep the suffix). Null when a non-ASCII name makes byte and character counts
 * differ, in which case only an explicit `map:` name is checked.
 */
function defaultConstraintName(table: string, columns: string[], suffix: string): string | null {
  const base = columns.length > 0 ? `${table}_${columns.join('_')}` : table;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: checking for plain ASCII on purpose
  if (!/^[\x00-\x7f]*$/.test(base)) return null;
  const full = `${base}_${suffix}`;
  return full.length <= MAX_IDENTIFIER_LENGTH
    ? full
    : `${base.slice(0, MAX_IDENTIFIER_LENGTH - suffix.length - 1)}_${suffix}`;
}

const REFERENTIAL_ACTIONS: Record<string, string> = {
  a: 'NoAction',
  r: 'Restrict',
  c: 'Cascade',
  n: 'SetNull',
  d: 'SetDefault',
};

// ---------------------------------------------------------------------------
// The comparison

function compare(datamodel: Datamodel, catalog: Catalog, checkForeignKeyNames: boolean): string[] {
  const differences: string[] = [];
  const { defaultSchema } = catalog.schemas;
  const key = (...parts: string[]) => parts.join('\u0000');
  const qualified = (schema: string, name: string) => `${schema}.${name}`;

  const modelsByName = new Map(datamodel.models.map((model) => [model.name, model]));
  const enumsByName = new Map(datamodel.enums.map((e) => [e.name, e]));
  const tableOf = (model: DmmfModel) => ({
    schema: model.schema ?? defaultSchema,
    table: model.dbName ?? model.name,
  });
  const columnOf = (model: DmmfModel, fieldName: string) => {
    const field = model.fields.find((f) => f.name === fieldName);
    return field?.dbName ?? fieldName;
  };

  // Enums
  const actualEnums = new Map(catalog.enums.map((e) => [key(e.schema, e.name), e]));
  const expectedEnumKeys = new Set<string>();
  for (const e of datamodel.enums) {
    const schema = e.schema ?? defaultSchema;
    const name = e.dbName ?? e.name;
    expectedEnumKeys.add(key(schema, name));
    const actual = actualEnums.get(key(schema, name));
    if (!actual) {
      differences.push(`Enum ${qualified(schema, name)} (enum ${e.name}) is missing.`);
      continue;
    }
    // Order is not compared: `ALTER TYPE ... ADD VALUE` appends, and Prisma ignores order too.
    const expectedValues = e.values.map((v) => v.dbName ?? v.name);
    const missing = expectedValues.filter((v) => !actual.values.includes(v));
    const extra = actual.values.filter((v) => !expectedValues.includes(v));
    if (missing.length)
      differences.push(`Enum ${qualified(schema, name)} lacks value(s) ${quoteList(missing)}.`);
    if (extra.length)
      differences.push(`Enum ${qualified(schema, name)} has unexpected value(s) ${quoteList(extra)}.`);
  }
  for (const e of catalog.enums) {
    if (!expectedEnumKeys.has(key(e.schema, e.name))) {
      differences.push(`Unexpected enum ${qualified(e.schema, e.name)} (not in schema.prisma).`);
    }
  }

  // Tables and columns
  const actualTables = new Set(catalog.tables.map((t) => key(t.schema, t.table)));
  const columnsByTable = new Map<string, Map<string, ActualColumn>>();
  for (const column of catalog.columns) {
    const tableKey = key(column.schema, column.table);
    if (!columnsByTable.has(tableKey)) columnsByTable.set(tableKey, new Map());
    columnsByTable.get(tableKey)?.set(column.column, column);
  }
  const expectedTableKeys = new Set<string>();
  for (const model of datamodel.models) {
    const { schema, table } = tableOf(model);
    const tableName = qualified(schema, table);
    expectedTableKeys.add(key(schema, table));
    if (!actualTables.has(key(schema, table))) {
      differences.push(`Table ${tableName} (model ${model.name}) is missing.`);
      continue;
    }
    const actualColumns = columnsByTable.get(key(schema, table)) ?? new Map<string, ActualColumn>();
    const expectedColumns = new Set<string>();
    for (const field of model.fields) {
      if (field.kind !== 'scalar' && field.kind !== 'enum') continue;
      const columnName = field.dbName ?? field.name;
      expectedColumns.add(columnName);
      const where = `${tableName}.${columnName} (${model.name}.${field.name})`;
      const actual = actualColumns.get(columnName);
      if (!actual) {
        differences.push(`Column ${where} is missing.`);
        continue;
      }
      let expected: ExpectedType;
      if (field.kind === 'enum') {
        const e = enumsByName.get(field.type);
        expected = {
          kind: 'named',
          name: e?.dbName ?? field.type,
          schema: e?.schema ?? defaultSchema,
          isEnum: true,
        };
      } else if (field.nativeType) {
        expected = nativeTypeToPostgres(field.nativeType[0], field.nativeType[1]);
      } else {
        const formatted = SCALAR_DEFAULT_TYPES[field.type];
        if (!formatted)
          throw new Error(`schema-drift does not know the PostgreSQL type for Prisma type ${field.type}.`);
        expected = { kind: 'builtin', formatted };
      }
      if (!typeMatches(expected, field.isList, actual)) {
        differences.push(
          `Column ${where} has type ${describeActual(actual)}, schema.prisma expects ${describeExpected(expected, field.isList)}.`,
        );
      }
      // Prisma creates list columns without NOT NULL, whatever the field says.
      const shouldBeNotNull = field.isRequired && !field.isList;
      if (actual.notNull !== shouldBeNotNull) {
        differences.push(
          `Column ${where} is ${actual.notNull ? 'NOT NULL' : 'nullable'}, schema.prisma expects it ${shouldBeNotNull ? 'NOT NULL' : 'nullable'}.`,
        );
      }
      const wantsDefault = expectsDatabaseDefault(field);
      const hasSequence = actual.identity !== '' || /^nextval\(/i.test(actual.defaultExpr ?? '');
      if (wantsDefault === 'sequence' && !hasSequence) {
        differences.push(
          `Column ${where} should take its default from a sequence (@default(autoincrement())).`,
        );
      } else if (wantsDefault === true && actual.defaultExpr === null) {
        differences.push(`Column ${where} has no database default, schema.prisma declares one.`);
      } else if (wantsDefault === false && (actual.defaultExpr !== null || actual.identity !== '')) {
        differences.push(
          `Column ${where} has database default ${actual.defaultExpr ?? 'GENERATED AS IDENTITY'}, schema.prisma declares none.`,
        );
      }
    }
    for (const columnName of actualColumns.keys()) {
      if (!expectedColumns.has(columnName)) {
        differences.push(`Unexpected column ${tableName}.${columnName} (not in model ${model.name}).`);
      }
    }
  }
  for (const t of catalog.tables) {
    if (!expectedTableKeys.has(key(t.schema, t.table)) && !IGNORED_TABLES.test(t.table)) {
      differences.push(`Unexpected table ${qualified(t.schema, t.table)} (no model in schema.prisma).`);
    }
  }

  // Primary keys, unique constraints and indexes. Matched by table, kind and columns, because
  // PostgreSQL can enforce a unique constraint through any unique index; names are checked after.
  const remainingIndexes = catalog.indexes.filter((index) =>
    expectedTableKeys.has(key(index.schema, index.table)),
  );
  for (const index of datamodel.indexes) {
    const model = modelsByName.get(index.model);
    if (!model || index.type === 'fulltext') continue;
    const { schema, table } = tableOf(model);
    if (!actualTables.has(key(schema, table))) continue;
    const columns = index.fields.map((f) => columnOf(model, f.name));
    const descending = index.fields.map((f) => f.sortOrder === 'desc');
    const method = (index.algorithm ?? 'BTree').toLowerCase();
    const kind = index.type === 'id' ? 'Primary key' : index.type === 'unique' ? 'Unique index' : 'Index';
    const suffix = index.type === 'id' ? 'pkey' : index.type === 'unique' ? 'key' : 'idx';
    const expectedName =
      index.dbName ?? defaultConstraintName(table, index.type === 'id' ? [] : columns, suffix);
    const using = method === 'btree' ? '' : ` USING ${method}`;
    const description = `${kind} on ${qualified(schema, table)} (${describeColumns(columns, descending)})${using}`;

    const matchIndex = remainingIndexes.findIndex(
      (actual) =>
        actual.schema === schema &&
        actual.table === table &&
        actual.primary === (index.type === 'id') &&
        actual.unique === (index.type !== 'normal') &&
        !actual.partial &&
        actual.method === method &&
        sameList(actual.columns, columns) &&
        sameList(actual.descending, descending),
    );
    if (matchIndex < 0) {
      differences.push(`${description} is missing.`);
      continue;
    }
    const [actual] = remainingIndexes.splice(matchIndex, 1);
    if (actual && expectedName !== null && actual.name !== expectedName) {
      differences.push(`${description} is named "${actual.name}", schema.prisma expects "${expectedName}".`);
    }
  }
  // Expression indexes, which schema.prisma cannot state: report_fact's rank indexes, one per
  // narrow base (RANK_INDEXES, from the catalogue), on the year and an expression.
  for (const expected of RANK_INDEXES) {
    const at = remainingIndexes.findIndex(
      (actual) =>
        actual.table === 'report_fact' &&
        actual.name === expected.name &&
        !actual.unique &&
        !actual.partial &&
        actual.method === 'btree' &&
        sameList(actual.columns, ['year', null]) &&
        sameExpression(actual.definitions[1] ?? '', narrowValueSql(expected.base)),
    );
    if (at < 0) {
      differences.push(
        `Rank index "${expected.name}" on report_fact (year, value of ${expected.base.metric.name}) is missing or built on another expression: ${expected.definition}`,
      );
    } else remainingIndexes.splice(at, 1);
  }
  for (const actual of remainingIndexes) {
    const kind = actual.primary ? 'primary key' : actual.unique ? 'unique index' : 'index';
    const columns = describeColumns(
      actual.columns.map((c) => c ?? '<expression>'),
      actual.descending,
    );
    const details = [
      actual.method !== 'btree' ? ` USING ${actual.method}` : '',
      actual.partial ? ' (partial)' : '',
    ];
    differences.push(
      `Unexpected ${kind} "${actual.name}" on ${qualified(actual.schema, actual.table)} (${columns})${details.join('')}.`,
    );
  }

  // Foreign keys, with Prisma's default referential actions.
  const remainingForeignKeys = catalog.foreignKeys.filter((fk) =>
    expectedTableKeys.has(key(fk.schema, fk.table)),
  );
  for (const model of datamodel.models) {
    const { schema, table } = tableOf(model);
    if (!actualTables.has(key(schema, table))) continue;
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.relationFromFields?.length) continue;
      const target = modelsByName.get(field.type);
      if (!target) continue;
      const ref = tableOf(target);
      const columns = field.relationFromFields.map((name) => columnOf(model, name));
      const refColumns = (field.relationToFields ?? []).map((name) => columnOf(target, name));
      const onDelete = field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull');
      const onUpdate = field.relationOnUpdate ?? 'Cascade';
      const description =
        `Foreign key ${qualified(schema, table)} (${columns.join(', ')}) -> ` +
        `${qualified(ref.schema, ref.table)} (${refColumns.join(', ')}) (${model.name}.${field.name})`;
      const matchIndex = remainingForeignKeys.findIndex(
        (fk) =>
          fk.schema === schema &&
          fk.table === table &&
          sameList(fk.columns, columns) &&
          fk.refSchema === ref.schema &&
          fk.refTable === ref.table &&
          sameList(fk.refColumns, refColumns),
      );
      if (matchIndex < 0) {
        differences.push(`${description} is missing.`);
        continue;
      }
      const [actual] = remainingForeignKeys.splice(matchIndex, 1);
      if (!actual) continue;
      const actualDelete = REFERENTIAL_ACTIONS[actual.onDelete] ?? actual.onDelete;
      const actualUpdate = REFERENTIAL_ACTIONS[actual.onUpdate] ?? actual.onUpdate;
      if (actualDelete !== onDelete || actualUpdate !== onUpdate) {
        differences.push(
          `${description} is ON DELETE ${actualDelete} ON UPDATE ${actualUpdate}, ` +
            `schema.prisma expects ON DELETE ${onDelete} ON UPDATE ${onUpdate}.`,
        );
      }
      const expectedName = checkForeignKeyNames ? defaultConstraintName(table, columns, 'fkey') : null;
      if (expectedName !== null && actual.name !== expectedName) {
        differences.push(
          `${description} is named "${actual.name}", schema.prisma expects "${expectedName}".`,
        );
      }
    }
  }
  for (const fk of remainingForeignKeys) {
    differences.push(
      `Unexpected foreign key "${fk.name}" on ${qualified(fk.schema, fk.table)} (${fk.columns.join(', ')}) -> ` +
        `${qualified(fk.refSchema, fk.refTable)} (${fk.refColumns.join(', ')}).`,
    );
  }

  return differences;
}

/** Whether two expressions are the same once PostgreSQL's brackets, spaces and casts of constants are set aside. */
function sameExpression(printed: string, written: string): boolean {
  const plain = (text: string) => text.replace(/::numeric/g, '').replace(/[\s()]/g, '');
  return plain(printed) === plain(written);
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function describeColumns(columns: string[], descending: boolean[]): string {
  return columns.map((column, i) => (descending[i] ? `${column} DESC` : column)).join(', ');
}

function quoteList(values: string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}
