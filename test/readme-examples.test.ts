/**
 * Every ```graphql example of the README runs against the data `npm start` loads (regions,
 * the sample report, the synthetic demo) and answers something: no errors and a non-empty
 * result. An example changed to ask about a region the demo has no data for fails here.
 */
import { readFileSync } from 'node:fs';
import { Kind, type OperationDefinitionNode, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoData, storeSynthetic } from '../src/cli/generate.ts';
import { importReport } from '../src/import/index.ts';
import { ensureRegionsLoaded } from '../src/store/regions.ts';
import { DEMO_INCONSISTENCIES, demoFocusAgencies } from '../src/synthetic/demo.ts';
import { DEFAULT_SYNTHETIC } from '../src/synthetic/index.ts';
import { resetDatabase, testDb } from './support/db.ts';
import { fixtureBytes, fixtureText, REAL_V2019 } from './support/fixtures.ts';
import { graphqlClient } from './support/graphql.ts';

// biome-ignore lint/suspicious/noExplicitAny: the checks walk arbitrary response JSON.
type Json = any;

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m, i) => {
  const query = m[1] ?? '';
  const operation = parse(query).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const fields = (operation?.selectionSet.selections ?? []).flatMap((s) =>
    s.kind === Kind.FIELD ? [s.alias?.value ?? s.name.value] : [],
  );
  return { n: i + 1, query, operation: operation?.operation ?? 'query', fields };
});

/**
 * Variables for the README's mutations. importReport runs with the sample report's own text,
 * which is already stored: the outcome is UNCHANGED and nothing is written. A mutation that
 * cannot run harmlessly must be listed in SKIPPED_MUTATIONS with the reason.
 */
const MUTATION_VARIABLES: Record<string, () => Record<string, unknown>> = {
  importReport: () => ({ text: fixtureText(REAL_V2019) }),
};
/** Mutations of the README that are not run, each with why. None at present. */
const SKIPPED_MUTATIONS: Record<string, string> = {};

const some = (list: Json[] | undefined, test: (x: Json) => boolean) => (list ?? []).some(test);

/** What a useful answer looks like, per root field; an example with another root field fails until one is added. */
const CHECKS: Record<string, (value: Json) => void> = {
  report: (v) => {
    expect(v?.current, 'report has a current revision').toBeTruthy();
    expect(v.current.table3?.rows?.length ?? 0).toBeGreaterThan(0);
  },
  agencies: (v) => {
    expect(v.totalCount).toBeGreaterThan(0);
    expect(v.edges.length).toBeGreaterThan(0);
  },
  series: (v) => {
    expect(v.message, 'series answered an error').toBeUndefined();
    expect(v.series.length).toBeGreaterThan(0);
    expect(
      some(v.series, (s) => some(s.points, (p) => p.value !== null)),
      'some point of the series has a value',
    ).toBe(true);
    expect(
      some(v.totals, (t) => t.value !== null),
      'some total has a value',
    ).toBe(true);
  },
  ranking: (v) => {
    expect(v.message, 'ranking answered an error').toBeUndefined();
    expect(v.populationSize).toBeGreaterThan(0);
    expect(v.entries.length).toBeGreaterThan(0);
  },
  change: (v) => {
    expect(v.message, 'change answered an error').toBeUndefined();
    expect(v.entries.length).toBeGreaterThan(0);
    expect(
      some(v.entries, (e) => e.difference.value !== null),
      'some agency has a value in both years',
    ).toBe(true);
    expect(
      some(v.entries, (e) => ['HOLDS', 'VIOLATED'].includes(e.toReport?.reconciliation?.status)),
      'some report could be reconciled',
    ).toBe(true);
  },
  findings: (v) => {
    expect(v.message, 'findings answered an error').toBeUndefined();
    expect(v.totalCount).toBeGreaterThan(0);
    expect(v.edges.length).toBeGreaterThan(0);
  },
  findingCountsByRegion: (v) => {
    expect(v.message, 'findingCountsByRegion answered an error').toBeUndefined();
    expect(v.counts.length).toBeGreaterThan(0);
    expect(
      some(v.counts, (r) => r.findings > 0),
      'some region has findings',
    ).toBe(true);
  },
  importReport: (v) => {
    expect(v, 'the import was not refused').toMatchObject({ __typename: 'ImportReportPayload' });
    expect(v.report?.agency?.name).toBeTruthy();
  },
};

const db = testDb();
const unexpected: unknown[] = [];
const gql = graphqlClient(db, unexpected);
const loaded: string[] = [];

/** What `npm start` (serve --sample --demo) loads, through the same functions. */
beforeAll(async () => {
  await resetDatabase(db);
  await ensureRegionsLoaded(db);
  // serve --sample imports this same file (data/sample/zhongwei-science-bureau-2020.txt).
  const sample = await importReport(db, { bytes: fixtureBytes(REAL_V2019), fileName: REAL_V2019 });
  expect(sample.ok).toBe(true);
  await ensureDemoData(db, DEFAULT_SYNTHETIC.agencies, (m) => loaded.push(m));
}, 120_000);
afterAll(() => db.$disconnect());

describe('README examples on the npm start data', () => {
  it('loads the demo with the agencies the examples ask about', async () => {
    expect(loaded).toEqual([
      expect.stringMatching(/^Loaded the demo dataset: 200 SYNTHETIC agencies, 1200 reports/),
    ]);
    const focus = demoFocusAgencies().map((a) => a.name);
    const stored = await db.agency.count({ where: { synthetic: true, name: { in: focus } } });
    expect(stored).toBe(focus.length);
    expect(await db.agency.count({ where: { synthetic: true } })).toBe(200);
    expect(DEMO_INCONSISTENCIES.length).toBeGreaterThan(0);
  });

  it('has GraphQL examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((e) => [e.n, e.fields.join(', '), e] as const))(
    'example %i (%s) answers without errors and with data',
    async (_n, _fields, example) => {
      let variables: Record<string, unknown> = {};
      if (example.operation === 'mutation') {
        const skipped = example.fields.filter((f) => f in SKIPPED_MUTATIONS);
        if (skipped.length === example.fields.length) return;
        for (const field of example.fields) {
          const make = MUTATION_VARIABLES[field];
          if (!make) throw new Error(`No variables for the README mutation ${field}: add them or skip it.`);
          variables = { ...variables, ...make() };
        }
      }
      // As written: a placeholder the API refuses (a sourceUrl of "http://…") fails here.
      const result = await gql(example.query, variables);
      expect(result.errors).toBeUndefined();
      expect(unexpected).toEqual([]);
      for (const field of example.fields) {
        const check = CHECKS[field];
        if (!check) throw new Error(`No check for the README's ${field} example: add one to CHECKS.`);
        const value = result.data?.[field];
        expect(value, `${field} is not null`).not.toBeNull();
        check(value);
      }
      if (example.fields.includes('importReport')) {
        expect(result.data?.importReport.outcome).toBe('UNCHANGED');
      }
    },
  );

  it.each(
    examples.filter((e) => e.operation === 'mutation').map((e) => [e.n, e.fields.join(', '), e] as const),
  )('mutation example %i (%s) says it needs an import token, which it does', async (_n, _fields, example) => {
    const before = readme.slice(0, readme.indexOf(`\`\`\`graphql\n${example.query}`)).trimEnd();
    const paragraph = before.slice(before.lastIndexOf('\n\n'));
    expect(paragraph).toContain('`import` scope');
    expect(paragraph).toContain('token create --name me --scopes import');
    expect(paragraph).toContain('`UNAUTHENTICATED`');
    const variables = Object.assign({}, ...example.fields.map((f) => MUTATION_VARIABLES[f]?.() ?? {}));
    const anonymous = await gql(example.query, variables, { token: null });
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('ensureDemoData loads nothing the second time', async () => {
    const messages: string[] = [];
    await ensureDemoData(db, DEFAULT_SYNTHETIC.agencies, (m) => messages.push(m));
    expect(messages).toEqual([]);
  });
});

describe('an older demo without the examples’ agencies', () => {
  it('gets just those agencies added', async () => {
    await resetDatabase(db);
    await ensureRegionsLoaded(db);
    await storeSynthetic(db, { ...DEFAULT_SYNTHETIC, agencies: 5 });
    const messages: string[] = [];
    await ensureDemoData(db, DEFAULT_SYNTHETIC.agencies, (m) => messages.push(m));
    const focus = demoFocusAgencies().length;
    expect(messages).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Added the README examples' ${focus} SYNTHETIC agencies to the stored demo: ${focus * 6} reports`,
        ),
      ),
    ]);
    expect(await db.agency.count({ where: { synthetic: true } })).toBe(5 + focus);
  });
});

describe('a database holding a published report of a demo agency’s exact name', () => {
  it('loads the demo without it and says so; the published report keeps its agency', async () => {
    await resetDatabase(db);
    await ensureRegionsLoaded(db);
    // A department, as the sample is (a government's name over a 我局 text is refused).
    const name = demoFocusAgencies().find((a) => a.name.endsWith('局'))?.name ?? '';
    const text = fixtureText(REAL_V2019).replace('中卫市科学技术局', name);
    const real = await importReport(db, { bytes: new TextEncoder().encode(text), fileName: 'r.txt' });
    expect(real.ok ? [] : real.problems.map((p) => p.message)).toEqual([]);
    const messages: string[] = [];
    await ensureDemoData(db, 20, (m) => messages.push(m));
    expect(messages).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Loaded the demo dataset: 20 SYNTHETIC agencies, \\d+ reports \\(\\d+ ms\\)\\. 6 left out, of 1 agency name that published agencies here hold \\(${name}\\): generated figures are never filed with published ones\\.$`,
        ),
      ),
    ]);
    // And nothing the next start: the published agency stands for that example's.
    const again: string[] = [];
    await ensureDemoData(db, 20, (m) => again.push(m));
    expect(again).toEqual([]);
    const agency = await db.agency.findUniqueOrThrow({ where: { name }, include: { reports: true } });
    expect(agency.synthetic).toBe(false);
    expect(agency.reports.map((r) => r.year)).toEqual([2020]);
  });
});
