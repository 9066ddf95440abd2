/**
 * Real documents through the whole path: import into PostgreSQL, read back through GraphQL.
 * Unreadable cells keep their status and candidates; decoded figures and printed units keep
 * their provenance.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { importReport } from '../../../src/import/index.ts';
import { resetDatabase, testDb } from '../../support/db.ts';
import { graphqlClient, testConfig } from '../../support/graphql.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));

const CELLS = /* GraphQL */ `
  query Cells($name: String!, $year: Int!) {
    report(agencyName: $name, year: $year) {
      current {
        table2 { blocks { rows { labelZh cells { code status exactValue printedText candidates orNotReported decodedFrom printedUnit } } } }
        table3 { rows { code total { status exactValue printedText decodedFrom } } }
      }
    }
  }
`;

describe.runIf(existsSync(SHARED))('real documents stored', () => {
  const db = testDb();
  const unexpected: unknown[] = [];
  const gql = graphqlClient(db, unexpected);
  afterAll(() => db.$disconnect());
  beforeEach(() => resetDatabase(db));

  it('refuses a report with unreadable cells unless partial imports are allowed, naming the cells', async () => {
    const bytes = readFileSync(`${SHARED}pingtan-2021.pagetxt.txt`);
    const refused = await importReport(db, { bytes, fileName: 'pingtan-2021.pagetxt.txt' });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.problems.map((p) => p.code)).toEqual([
      'UNREADABLE_CELL',
      'UNREADABLE_CELL',
      'UNREADABLE_CELL',
      'INCOMPLETE_REPORT',
    ]);
    // Each gap names its table, row and column, as a refused cell does.
    expect(refused.problems[0]).toMatchObject({
      table: 'T2',
      column: '本年制发件数',
      cellCode: 'T2.NORMATIVE_DOCUMENTS.ISSUED',
    });
    expect(refused.problems[0]?.message).toMatch(
      /Line 10, table 2 .*"693665".*T2\.NORMATIVE_DOCUMENTS\.ISSUED could be 6 or 69 or 693 or 6936/,
    );
  });

  it('stores an unreadable cell that may also be a blank cell as such ("1—10": 1 | — | 10 or 1 | −1 | 0)', async () => {
    const text = readFileSync(`${SHARED}pingtan-bgs-2020.pagetxt.txt`, 'utf8');
    expect(text).toContain('行政许可1-10');
    const stored = await importReport(
      db,
      { bytes: new TextEncoder().encode(text.replace('行政许可1-10', '行政许可1—10')), fileName: 'bgs.txt' },
      { allowPartial: true },
    );
    expect(stored.ok).toBe(true);
    const { data, errors } = await gql(CELLS, { name: '平潭综合实验区管委会办公室', year: 2020 });
    expect(errors).toBeUndefined();
    const rows = data?.report.current.table2.blocks.flatMap((b: { rows: unknown[] }) => b.rows);
    const licensing = rows.find((r: { labelZh: string }) => r.labelZh === '行政许可');
    expect(
      licensing.cells.map(
        (c: { status: string; candidates: string[] | null; orNotReported: boolean | null }) => [
          c.status,
          c.candidates,
          c.orNotReported,
        ],
      ),
    ).toEqual([
      ['REPORTED', null, null],
      ['UNREADABLE', ['-1'], true],
      ['UNREADABLE', ['0', '10'], false],
    ]);
  });

  it('stores unreadable cells as UNREADABLE with their candidates, and decoded figures with the run they came from', async () => {
    const bytes = readFileSync(`${SHARED}pingtan-2021.pagetxt.txt`);
    const stored = await importReport(
      db,
      { bytes, fileName: 'pingtan-2021.pagetxt.txt' },
      { allowPartial: true },
    );
    expect(stored.ok).toBe(true);
    const { data, errors } = await gql(CELLS, { name: '平潭综合实验区', year: 2021 });
    expect(errors).toBeUndefined();
    const rows = data?.report.current.table2.blocks.flatMap((b: { rows: unknown[] }) => b.rows);
    const normative = rows.find(
      (r: { labelZh: string }) => r.labelZh === '行政规范性文件' || r.labelZh === '规范性文件',
    );
    expect(normative.cells[0]).toEqual({
      code: 'T2.NORMATIVE_DOCUMENTS.ISSUED',
      status: 'UNREADABLE',
      exactValue: null,
      printedText: '693665',
      candidates: ['6', '69', '693', '6936'],
      orNotReported: false,
      decodedFrom: null,
      printedUnit: null,
    });
    const newRequests = data?.report.current.table3.rows.find(
      (r: { code: string }) => r.code === 'NEW_REQUESTS',
    );
    expect(newRequests.total).toEqual({
      status: 'REPORTED',
      exactValue: '70',
      printedText: '640020470',
      decodedFrom: '640020470',
    });
    expect(unexpected).toEqual([]);
  });

  it('keeps a unit printed in a cell as provenance, and an amount printed in 元 in the column’s 万元', async () => {
    const bytes = readFileSync(`${SHARED}shanghai-bgt-2019.html`);
    const stored = await importReport(db, { bytes, fileName: 'shanghai-bgt-2019.html' });
    expect(stored.ok).toBe(true);
    const { data } = await gql(CELLS, { name: '上海市人民政府办公厅', year: 2019 });
    const rows = data?.report.current.table2.blocks.flatMap((b: { rows: unknown[] }) => b.rows);
    const procurement = rows.find((r: { labelZh: string }) => r.labelZh === '政府集中采购');
    expect(procurement.cells[1]).toMatchObject({
      status: 'REPORTED',
      exactValue: '25.1',
      printedText: '251000元',
      printedUnit: '元',
    });
    // Blank is stored as blank: not reported, printed "", never 0.
    const total = data?.report.current.table3.rows.find((r: { code: string }) => r.code === 'GRANTED').total;
    expect(total).toMatchObject({ status: 'NOT_REPORTED', exactValue: null, printedText: '' });
  });

  it('tells an auditor which identities would hold if the blanks were 0', async () => {
    const bytes = readFileSync(`${SHARED}shanghai-bgt-2019.html`);
    expect((await importReport(db, { bytes, fileName: 'shanghai-bgt-2019.html' })).ok).toBe(true);
    const { data, errors } = await gql(
      /* GraphQL */ `
        query {
          findings(filter: { rules: [BLANKS_AS_ZERO] }, first: 100) {
            ... on QueryFindingsConnection {
              totalCount
              edges { node { scopeLabelZh expected actual difference messageEn } }
            }
          }
        }
      `,
    );
    expect(errors).toBeUndefined();
    const nodes = data?.findings.edges.map((e: { node: Record<string, string> }) => e.node);
    // 予以公开: 258 + 12 + 1 + 1 = 272 in the applicant columns, 总计 printed blank.
    type Node = {
      scopeLabelZh: string;
      expected: number;
      actual: number;
      difference: number;
      messageEn: string;
    };
    const granted = nodes.find(
      (n: Node) => /予以公开/.test(n.scopeLabelZh) && Math.abs(n.difference) === 272,
    );
    expect(granted.messageEn).toMatch(/would still not hold \(difference [+-]?272\)/);
    // 商业企业: 一 + 二 = （七） + 四 holds with blanks as 0: 35 + 0 = 35 + 0.
    const balance = nodes.find(
      (n: Node) => n.scopeLabelZh === '商业企业' && n.messageEn.includes('new requests + carried over'),
    );
    expect(balance).toMatchObject({ expected: 35, actual: 35, difference: 0 });
    expect(balance.messageEn).toMatch(/would hold/);
  });

  it('gives the text every line number counts, for a web page and a PDF, and no mis-decoded PDF bytes', async () => {
    const READ = /* GraphQL */ `
      query Read($name: String!, $year: Int!) {
        report(agencyName: $name, year: $year) {
          current {
            sourceText readText
            table3 { rows { code cells { code printedText sourceLine } } }
          }
        }
      }
    `;
    const readInline = graphqlClient(db, unexpected, testConfig({ PARSE_WORKERS: '0' }));
    for (const [file, name, year, format] of [
      ['shanghai-bgt-2019.html', '上海市人民政府办公厅', 2019, 'html'],
      ['huaian-szf-2024.pdf', '淮安市人民政府', 2024, 'pdf'],
    ] as const) {
      const stored = await importReport(db, { bytes: readFileSync(SHARED + file), fileName: file });
      expect(stored.ok, file).toBe(true);
      const { data, errors } = await readInline(READ, { name, year });
      expect(errors, file).toBeUndefined();
      const { sourceText, readText, table3 } = data?.report.current ?? {};
      // The web page as published; a PDF's bytes are not text (they came back as lone surrogates).
      if (format === 'html')
        expect(sourceText).toMatch(/^<p style='text-align: center;font-weight: bold;'>2019年上海市/);
      else expect(sourceText).toBeNull();
      // Each figure's printed text stands on the line of readText its sourceLine names.
      const lines = (readText as string).split('\n');
      const cells = table3.rows.flatMap((r: { cells: unknown[] }) => r.cells) as {
        code: string;
        printedText: string | null;
        sourceLine: number | null;
      }[];
      const placed = cells.filter((c) => c.printedText && c.sourceLine);
      expect(placed.length, file).toBeGreaterThan(30);
      for (const cell of placed) {
        expect(lines[(cell.sourceLine ?? 0) - 1]?.split('\t'), `${file} ${cell.code}`).toContain(
          cell.printedText,
        );
      }
    }
    // Saved again as UTF-16 (Notepad's "Unicode"): stored as sent, given back as the text it holds.
    const text = readFileSync(`${SHARED}pingtan-gaj-2021.pagetxt.txt`, 'utf8');
    for (const [encoding, bom] of [
      ['utf-16le', [0xff, 0xfe]],
      ['utf-16be', [0xfe, 0xff]],
    ] as const) {
      await resetDatabase(db);
      const le = Buffer.from(text, 'utf16le');
      const bytes = Buffer.concat([Buffer.from(bom), encoding === 'utf-16le' ? le : le.swap16()]);
      const stored = await importReport(db, { bytes, fileName: 'gaj.txt' });
      expect(stored.ok, encoding).toBe(true);
      const { data } = await readInline(
        `{ report(agencyName: "平潭综合实验区公安局", year: 2021) { current { sourceEncoding sourceText readText } } }`,
      );
      expect(data?.report.current.sourceEncoding).toBe(encoding);
      expect(data?.report.current.sourceText).toBe(text);
      expect(data?.report.current.readText).toContain('（一）予以公开');
    }
    expect(unexpected).toEqual([]);
  });
});
