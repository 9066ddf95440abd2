import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { findSchemaDrift } from '../../scripts/schema-drift.ts';
import { RANK_INDEXES } from '../../src/store/aggregates.ts';
import { applyMigrations, pendingMigrations, quoteIdent } from '../../src/store/migrations.ts';
import { databaseUrl as testDatabaseUrl } from '../support/db.ts';

let databaseUrl = '';

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function withSchema(databaseUrl: string, schema: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('schema', schema);
  return url.toString();
}

function scratchName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

beforeAll(() => {
  // test/support/global-setup.ts migrates this worker's database.
  databaseUrl = testDatabaseUrl();
});

describe('schema drift', () => {
  it('the database built by prisma/migrations matches prisma/schema.prisma', async () => {
    // Otherwise every missing table below would be reported, hiding the actual cause.
    expect(await pendingMigrations(databaseUrl), 'migrations not applied to the database').toEqual([]);
    expect(await findSchemaDrift(databaseUrl)).toEqual([]);
  });

  it('reports a dropped column and an extra table', async () => {
    // A scratch schema in the same database: no CREATEDB needed, and it shows the check
    // works outside `public`.
    const schema = scratchName('schema_drift_check');
    const url = withSchema(databaseUrl, schema);
    try {
      await applyMigrations(url);
      expect(await findSchemaDrift(url)).toEqual([]);

      await withClient(databaseUrl, async (client) => {
        await client.query(`ALTER TABLE ${quoteIdent(schema)}.agency DROP COLUMN synthetic`);
        await client.query(`CREATE TABLE ${quoteIdent(schema)}.stray (id integer PRIMARY KEY)`);
        // Rank indexes are expressions, which schema.prisma cannot state: held to RANK_INDEXES.
        await client.query(`DROP INDEX ${quoteIdent(schema)}.report_fact_rank_3`);
        await client.query(
          `CREATE INDEX report_fact_rank_99 ON ${quoteIdent(schema)}.report_fact (year, (n[99]))`,
        );
        // The right name on the wrong value: rankings would sort instead of walking it.
        await client.query(`DROP INDEX ${quoteIdent(schema)}.report_fact_rank_35`);
        await client.query(
          `CREATE INDEX report_fact_rank_35 ON ${quoteIdent(schema)}.report_fact (year, (n[34]))`,
        );
      });

      // Sorted: the catalog lists indexes in no fixed order.
      const differences = (await findSchemaDrift(url)).sort();
      const ratio = RANK_INDEXES.find((index) => index.name === 'report_fact_rank_35');
      expect(ratio?.base.ratio).toBe(true);
      expect(differences).toEqual(
        [
          `Column ${schema}.agency.synthetic (Agency.synthetic) is missing.`,
          `Unexpected table ${schema}.stray (no model in schema.prisma).`,
          'Rank index "report_fact_rank_3" on report_fact (year, value of T3_GRANTED) is missing or built on another expression: CREATE INDEX "report_fact_rank_3" ON "report_fact"("year", (n[3]));',
          `Rank index "report_fact_rank_35" on report_fact (year, value of ${ratio?.base.metric.name}) is missing or built on another expression: ${ratio?.definition}`,
          `Unexpected index "report_fact_rank_99" on ${schema}.report_fact (year, <expression>).`,
          `Unexpected index "report_fact_rank_35" on ${schema}.report_fact (year, <expression>).`,
        ].sort(),
      );
    } finally {
      await withClient(databaseUrl, (client) =>
        client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`),
      );
    }
  }, 30_000);
});
