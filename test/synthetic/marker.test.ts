/**
 * A generated report says it is synthetic in its own text, so it is stored as synthetic however
 * it arrives: through `generate --database`, or written with `generate --out` and imported.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { storeSynthetic } from '../../src/cli/generate.ts';
import { importReport } from '../../src/import/index.ts';
import { parseReportText } from '../../src/ingest/parse-report.ts';
import { DEFAULT_SYNTHETIC, syntheticReports } from '../../src/synthetic/index.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));

describe('the synthetic marker', () => {
  it('survives a round trip through a file and the ordinary import', async () => {
    const [generated] = syntheticReports({
      ...DEFAULT_SYNTHETIC,
      agencies: 1,
      years: { from: 2022, to: 2022 },
    });
    if (!generated) throw new Error('nothing generated');
    const parsed = parseReportText(generated.text);
    expect(parsed.ok && parsed.report.synthetic).toBe(true);
    expect(
      (await importReport(db, { bytes: Buffer.from(generated.text), fileName: generated.fileName })).ok,
    ).toBe(true);
    expect(
      (await importReport(db, { bytes: Buffer.from(fixtureText(REAL_V2019)), fileName: 'real.txt' })).ok,
    ).toBe(true);
    const agencies = await db.agency.findMany({
      select: { name: true, synthetic: true },
      orderBy: { synthetic: 'asc' },
    });
    expect(agencies.map((a) => a.synthetic)).toEqual([false, true]);
    expect(agencies[0]?.name).toBe('中卫市科学技术局');
  });
});

describe('generated reports stored in the database', () => {
  it('are recorded in the audit log as generated, in their batch transactions', async () => {
    const { stored } = await storeSynthetic(db, {
      ...DEFAULT_SYNTHETIC,
      agencies: 2,
      years: { from: 2021, to: 2022 },
    });
    expect(stored).toBe(4);
    const log = await db.auditLog.findMany({ orderBy: { id: 'asc' } });
    expect(log.map((e) => [e.actor.startsWith('cli:'), e.action, e.outcome])).toEqual(
      Array.from({ length: 4 }, () => [true, 'generate', 'CREATED']),
    );
    const revisions = await db.reportRevision.findMany({ select: { reportId: true } });
    expect(new Set(log.map((e) => (e.detail as { reportId: number }).reportId))).toEqual(
      new Set(revisions.map((r) => r.reportId)),
    );
  });
});
