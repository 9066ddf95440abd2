import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { collectFiles, globToRegExp, type ImportIo, readManifest, runImport } from '../../src/cli/import.ts';
import { describeSkipped } from '../../src/cli/import-files.ts';
import { main } from '../../src/cli/main.ts';
import { bulkImport } from '../../src/import/index.ts';
import type { Db } from '../../src/store/db.ts';
import { figureValueSql } from '../../src/store/figures.ts';
import { databaseUrl, refuseRevisions, resetDatabase, tableCounts, testDb } from '../support/db.ts';
import { EXAMPLE_V2021, fixturePath, fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { slowPdf } from '../support/hostile-files.ts';
import { tempDir } from '../support/temp-dir.ts';
import { setFigures, v2021 } from '../validation/variants.ts';

/** The agency the formats fixture's title line names. */
const HEALTH_2022 = '宁夏回族自治区中卫市沙坡头区卫生健康局';
const formats = (name: string) => fileURLToPath(new URL(`../fixtures/formats/${name}`, import.meta.url));

/** Runs the import command in-process against the test database, capturing what it prints. */
async function run(args: string[], { tty = false, env = {} as Record<string, string> } = {}) {
  const out: string[] = [];
  let err = '';
  const io: ImportIo = { out: (line) => out.push(line), err: (text) => (err += text), stderrIsTTY: tty };
  const settings = { DATABASE_URL: databaseUrl(), ...env };
  const previous = Object.fromEntries(Object.keys(settings).map((name) => [name, process.env[name]]));
  Object.assign(process.env, settings);
  try {
    const code = await runImport(args, io);
    return { code, out, err, summary: out.slice(out.indexOf('') + 1) };
  } finally {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** "  imported   2  …" → 2 */
const count = (summary: string[], label: string) => {
  const line = summary.find((l) => l.trimStart().startsWith(`${label} `));
  return line ? Number(line.trim().slice(label.length).trim().split(/\s+/)[0]) : Number.NaN;
};

describe('import of a folder of mixed formats, damaged files and duplicates', () => {
  let db: Db;
  let folder: string;

  beforeAll(() => {
    db = testDb();
    folder = mkdtempSync(join(tmpdir(), 'disclosure-import-'));
    // Good: the same 2022 report in four formats, and the real 2020 report in a subfolder.
    copyFileSync(formats('report.tab.txt'), join(folder, '01-health.txt'));
    copyFileSync(formats('report.html'), join(folder, '02-health.html'));
    copyFileSync(formats('report.pdf'), join(folder, '03-health.pdf'));
    copyFileSync(formats('report.docx'), join(folder, '04-health.docx'));
    mkdirSync(join(folder, '2020'));
    copyFileSync(fixturePath(REAL_V2019), join(folder, '2020', 'science.txt'));
    // Duplicate: the same bytes as 01 under another name.
    copyFileSync(formats('report.tab.txt'), join(folder, '05-health-copy.txt'));
    // Damaged or not a report at all.
    const example = fixtureText(EXAMPLE_V2021);
    writeFileSync(join(folder, '06-cut.txt'), example.slice(0, example.indexOf('三、收到和处理')));
    writeFileSync(join(folder, '07-cut.pdf'), readFileSync(formats('report.pdf')).subarray(0, 5000));
    writeFileSync(
      join(folder, '08-scan.pdf'), // a picture saved under a report's name
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
    );
    writeFileSync(join(folder, '09-notes.txt'), '下载清单\n');
    writeFileSync(join(folder, '10-bad-number.txt'), example.replace('行政许可\t1268', '行政许可\t12б68'));
    writeFileSync(join(folder, '.hidden.txt'), 'never read');
    writeFileSync(
      join(folder, 'manifest.csv'),
      'file,source_url,agency,year\n01-health.txt,http://www.spt.gov.cn/zwgk/ndbg/1.html,,\n"2020/science.txt","http://www.nxzw.gov.cn/a,b.html",,\n04-health.docx,http://www.spt.gov.cn/4.docx,,\nnot-there.pdf,http://x/,,\n.hidden.txt,http://y/,,\n',
    );
  });

  beforeEach(async () => {
    await resetDatabase(db);
  });

  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await db.$disconnect();
  });

  it('loads every readable report, explains every rejected one, and never stops on a bad file', async () => {
    const { code, out, summary } = await run([
      folder,
      '--manifest',
      join(folder, 'manifest.csv'),
      '--jobs',
      '2',
    ]);
    expect(code).toBe(1);
    expect(count(summary, 'imported')).toBe(2);
    expect(count(summary, 'new revisions')).toBe(3);
    expect(count(summary, 'unchanged')).toBe(1);
    expect(count(summary, 'rejected')).toBe(5);
    expect(summary[0]).toMatch(/^11 files in [\d.]+ s \([\d.]+ files\/s\):$/);
    const rejectedAt = summary.findIndex((l) => l.trimStart().startsWith('rejected '));
    const reasons = summary
      .slice(rejectedAt + 1, rejectedAt + 6)
      .filter((l) => l.startsWith('    '))
      .map((l) => l.trim());
    expect(reasons).toEqual([
      expect.stringMatching(/06-cut\.txt: INCOMPLETE_REPORT: \d+ gaps, e\.g\. .*Use --allow-partial/),
      expect.stringMatching(/07-cut\.pdf: UNREADABLE_DOCUMENT: The PDF cannot be read .*download it again\./),
      expect.stringMatching(/08-scan\.pdf: UNSUPPORTED_FORMAT: The file is a PNG image/),
      expect.stringMatching(/09-notes\.txt: NO_TITLE: /),
      expect.stringMatching(/10-bad-number\.txt: NOT_A_NUMBER: .*"12б68" is not a number/),
    ]);
    // The four formats of one report became its revisions 1 to 4: the summary says so, and how to undo it.
    expect(summary.slice(rejectedAt + 6).map((l) => l.replaceAll(folder, ''))).toEqual([
      '  1 report was read from more than one file; each later file became a new revision, the last one current:',
      `    ${HEALTH_2022} 2022: /01-health.txt (revision 1), /02-health.html (revision 2), /03-health.pdf (revision 3), /04-health.docx (revision 4, current)`,
      '  If they are different reports, give each file its own agency and year (--agency, --year or a manifest); `revision use <agency> <year> <n>` makes another revision current.',
      '  The manifest lists 1 file that does not exist (its paths are relative to its folder): not-there.pdf',
      '  The manifest lists 1 file that was not among the files imported (not under the paths given, hidden, or left out by its name): .hidden.txt',
    ]);
    // Per-file lines in file order, with format and outcome.
    expect(out.filter((l) => /^[✔=✘] /.test(l)).map((l) => l.replace(folder, ''))).toEqual([
      expect.stringMatching(/^✔ \[1\/11\] \/01-health\.txt: CREATED .* 2022 \(V2021, text, revision 1\)/),
      expect.stringMatching(/^✔ \[2\/11\] \/02-health\.html: NEW_REVISION .*/),
      expect.stringMatching(/^✔ \[3\/11\] \/03-health\.pdf: NEW_REVISION .*/),
      expect.stringMatching(/^✔ \[4\/11\] \/04-health\.docx: NEW_REVISION .*/),
      expect.stringMatching(/^= \[5\/11\] \/05-health-copy\.txt: UNCHANGED, same bytes as/),
      expect.stringMatching(/^✘ \[6\/11\] \/06-cut\.txt: rejected/),
      expect.stringMatching(/^✘ \[7\/11\] \/07-cut\.pdf: rejected/),
      expect.stringMatching(/^✘ \[8\/11\] \/08-scan\.pdf: rejected/),
      expect.stringMatching(/^✘ \[9\/11\] \/09-notes\.txt: rejected/),
      expect.stringMatching(/^✘ \[10\/11\] \/10-bad-number\.txt: rejected/),
      expect.stringMatching(/^✔ \[11\/11\] \/2020\/science\.txt: CREATED 中卫市科学技术局 2020 \(V2019/),
    ]);

    expect(await tableCounts(db)).toMatchObject({ agency: 2, report: 2, report_revision: 5 });
    const revisions = await db.$queryRaw<
      {
        file: string;
        format: string;
        encoding: string;
        url: string | null;
        number: number;
        licensing: string | null;
      }[]
    >`SELECT rr.source_file_name AS file, rr.source_format AS format, rr.source_encoding AS encoding,
             rr.source_url AS url, rr.number,
             (SELECT trim_scale(${figureValueSql('f', 'T2.LICENSING.DECISIONS')})::text FROM revision_figures f WHERE f.revision_id = rr.id) AS licensing
      FROM report_revision rr ORDER BY rr.id`;
    // Only base names are stored: the folders of the importing machine are never served.
    expect(revisions).toEqual([
      {
        file: '01-health.txt',
        format: 'text',
        encoding: 'utf-8',
        url: 'http://www.spt.gov.cn/zwgk/ndbg/1.html',
        number: 1,
        licensing: '1268',
      },
      { file: '02-health.html', format: 'html', encoding: 'utf-8', url: null, number: 2, licensing: '1268' },
      { file: '03-health.pdf', format: 'pdf', encoding: 'binary', url: null, number: 3, licensing: '1268' },
      {
        file: '04-health.docx',
        format: 'docx',
        encoding: 'binary',
        url: 'http://www.spt.gov.cn/4.docx',
        number: 4,
        licensing: '1268',
      },
      {
        file: 'science.txt',
        format: 'text',
        encoding: 'utf-8',
        url: 'http://www.nxzw.gov.cn/a,b.html',
        number: 1,
        licensing: '0',
      },
    ]);
    // Every format stored the same figures.
    const differing = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM (
        SELECT f.int_values, f.decimal_values, f.statuses FROM revision_figures f JOIN report_revision rr ON rr.id = f.revision_id WHERE rr.number = 1 AND rr.source_format = 'text' AND rr.source_file_name LIKE '%01-health.txt'
        EXCEPT
        SELECT f.int_values, f.decimal_values, f.statuses FROM revision_figures f JOIN report_revision rr ON rr.id = f.revision_id WHERE rr.source_format = 'pdf'
      ) d`;
    expect(Number(differing[0]?.n)).toBe(0);
    // Every write is in the audit log, attributed to the operating-system user (files rejected
    // before reaching the database wrote nothing and are reported in the summary instead).
    const audit = await db.auditLog.groupBy({
      by: ['actor', 'outcome'],
      _count: true,
      orderBy: { outcome: 'asc' },
    });
    expect(audit.map((a) => [a.actor.startsWith('cli:'), a.outcome, a._count])).toEqual([
      [true, 'CREATED', 2],
      [true, 'NEW_REVISION', 3],
    ]);
  }, 120_000);

  it('revision list shows the revisions `revision use` chooses among, the current one marked', async () => {
    await run([join(folder, '01-health.txt'), join(folder, '02-health.html')]);
    const printed: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = databaseUrl();
    try {
      // The agency as it prints its name without its province, as revision use finds it.
      expect(await main(['revision', 'list', '中卫市沙坡头区卫生健康局', '2022'])).toBe(0);
      expect(await main(['revision', 'list', HEALTH_2022, '2019'])).toBe(2);
      expect(error).toHaveBeenLastCalledWith(`Error: No stored report of ${HEALTH_2022} for 2019.`);
      // A name no agency has is told apart from a year without a report, with what the search finds.
      expect(await main(['revision', 'list', '沙坡头卫健局', '2022'])).toBe(2);
      expect(error).toHaveBeenLastCalledWith(
        'Error: No stored agency is named "沙坡头卫健局", with or without the places above it. The name search (agencies find 沙坡头卫健局) finds 宁夏回族自治区中卫市沙坡头区卫生健康局 (2022); give the agency\'s name as one of those.',
      );
      expect(await main(['revision', 'use', '沙坡头卫健局', '2022', '1'])).toBe(2);
      expect(error.mock.lastCall?.[0]).toMatch(/^Error: No stored agency is named "沙坡头卫健局"/);
    } finally {
      write.mockRestore();
      error.mockRestore();
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
    }
    const rows = printed
      .join('')
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows[0]).toEqual([
      '',
      'revision',
      'imported at',
      'template',
      'format',
      'errors',
      'sha256',
      'file',
      'source address',
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[3], r[4], r[7]])).toEqual([
      ['', '1', 'V2021', 'text', '01-health.txt'],
      ['current', '2', 'V2021', 'html', '02-health.html'],
    ]);
  }, 60_000);

  it('a file that takes longer than PARSE_TIMEOUT_MS to parse is rejected, naming it, and the rest are stored', async () => {
    const downloads = mkdtempSync(join(tmpdir(), 'disclosure-import-slow-'));
    try {
      copyFileSync(formats('report.tab.txt'), join(downloads, '01-health.txt'));
      copyFileSync(fixturePath(REAL_V2019), join(downloads, '02-science.txt'));
      // 12 MB of drawing in 40 kB: pdf.js alone reads it for several seconds.
      writeFileSync(join(downloads, '03-heavy.pdf'), slowPdf(12));
      const { code, out, summary } = await run([downloads, '--jobs', '1'], {
        env: { PARSE_TIMEOUT_MS: '1500' },
      });
      expect(code, out.join('\n')).toBe(1);
      expect(out.join('\n')).toMatch(
        /✘ \[3\/3\] .*03-heavy\.pdf: rejected, nothing stored\n {4}.*Parsing the file took longer than 1500 ms \(PARSE_TIMEOUT_MS\) and was stopped\./,
      );
      expect(count(summary, 'imported')).toBe(2);
      expect(count(summary, 'rejected')).toBe(1);
    } finally {
      rmSync(downloads, { recursive: true, force: true });
    }
  });

  it('a PDF is parsed under the limits however the files are given: alone, or with --jobs 0 and --batch', async () => {
    const downloads = mkdtempSync(join(tmpdir(), 'disclosure-import-slow-'));
    try {
      const heavy = join(downloads, '02-heavy.pdf');
      writeFileSync(heavy, slowPdf(12));
      const alone = await run([heavy], { env: { PARSE_TIMEOUT_MS: '1500' } });
      expect(alone.code, alone.out.join('\n')).toBe(1);
      expect(alone.out.join('\n')).toContain(
        'Parsing the file took longer than 1500 ms (PARSE_TIMEOUT_MS) and was stopped.',
      );
      copyFileSync(formats('report.tab.txt'), join(downloads, '01-health.txt'));
      const inline = await run([downloads, '--jobs', '0', '--batch', '10'], {
        env: { PARSE_TIMEOUT_MS: '1500' },
      });
      expect(inline.code, inline.out.join('\n')).toBe(1);
      expect(inline.out.join('\n')).toMatch(
        /02-heavy\.pdf: rejected, nothing stored\n {4}.*PARSE_TIMEOUT_MS/,
      );
      expect(count(inline.summary, 'imported')).toBe(1);
    } finally {
      rmSync(downloads, { recursive: true, force: true });
    }
  });

  it('resumes: a second run skips every stored file without parsing it and writes nothing', async () => {
    await run([folder, '--jobs', '0']);
    const before = await tableCounts(db);
    const { code, summary, out } = await run([folder, '--jobs', '0']);
    expect(code).toBe(1);
    expect([
      count(summary, 'imported'),
      count(summary, 'new revisions'),
      count(summary, 'unchanged'),
    ]).toEqual([0, 0, 6]);
    expect(out.filter((l) => l.includes('UNCHANGED, already stored as'))).toHaveLength(6);
    expect(await tableCounts(db)).toEqual(before);
  }, 120_000);

  it('a file skipped as stored under another source address says the new address is not recorded', async () => {
    const science = join(folder, '2020', 'science.txt');
    const first = await run([science, '--source-url', 'http://www.nxzw.gov.cn/old.html']);
    expect(count(first.summary, 'imported')).toBe(1);
    const notes = async (args: string[]) =>
      (await run(args)).out.filter((l) => l.startsWith('    ! ')).map((l) => l.trim());
    expect(await notes([science, '--source-url', 'http://www.nxzw.gov.cn/moved.html'])).toEqual([
      "! The source address given, http://www.nxzw.gov.cn/moved.html, is not recorded: these bytes are stored already, with http://www.nxzw.gov.cn/old.html, and a stored revision's source is never changed.",
    ]);
    // The same address, or none: nothing to say.
    expect(await notes([science, '--source-url', 'http://www.nxzw.gov.cn/old.html'])).toEqual([]);
    expect(await notes([science])).toEqual([]);
    // Two copies in one run, each with its own address in the manifest: the second is skipped.
    const copies = mkdtempSync(join(tmpdir(), 'disclosure-copies-'));
    try {
      copyFileSync(formats('report.tab.txt'), join(copies, 'a.txt'));
      copyFileSync(formats('report.tab.txt'), join(copies, 'b.txt'));
      writeFileSync(
        join(copies, 'urls.csv'),
        'file,url,agency\na.txt,http://x.gov.cn/a.txt,\nb.txt,http://x.gov.cn/b.txt,中卫市某局\n',
      );
      const { out } = await run([copies, '--manifest', join(copies, 'urls.csv')]);
      expect(out.filter((l) => /^[=✔] |^ {4}!/.test(l)).map((l) => l.replaceAll(copies, ''))).toEqual([
        expect.stringMatching(/^✔ \[1\/2\] \/a\.txt: CREATED /),
        '= [2/2] /b.txt: UNCHANGED, same bytes as /a.txt',
        "    ! The source address given, http://x.gov.cn/b.txt, is not recorded: the same bytes came first as /a.txt, with http://x.gov.cn/a.txt, and a stored revision's source is never changed.",
        '    ! the agency and year given for this file (中卫市某局, the year printed) are not used: the same bytes came first as /a.txt, given the agency printed, the year printed',
      ]);
    } finally {
      rmSync(copies, { recursive: true, force: true });
    }
  }, 60_000);

  it('--dry-run parses and checks every file but writes nothing', async () => {
    const { code, summary, out } = await run([folder, '--dry-run', '--jobs', '0']);
    expect(code).toBe(1);
    expect(summary[0]).toMatch(/^Dry run \(nothing written\): 11 files/);
    expect(count(summary, 'readable')).toBe(6);
    expect(count(summary, 'rejected')).toBe(5);
    expect(out.find((l) => l.includes('03-health.pdf'))).toMatch(/readable, .* 2022 \(V2021, pdf\)$/);
    expect(summary.slice(-3).map((l) => l.replaceAll(folder, ''))).toEqual([
      '  1 report is read from more than one file; stored, each later file would become a new revision and the last one current:',
      `    ${HEALTH_2022} 2022: /01-health.txt, /02-health.html, /03-health.pdf, /04-health.docx`,
      '  If they are different reports, give each file its own agency and year (--agency, --year or a manifest).',
    ]);
    expect(await tableCounts(db)).toMatchObject({
      agency: 0,
      report: 0,
      report_revision: 0,
      revision_figures: 0,
    });
  }, 120_000);

  it('one agency printed with and without its province is one report: a dry run says so, the import stores one agency', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'disclosure-names-'));
    try {
      writeFileSync(join(dir, 'a.txt'), fixtureText(EXAMPLE_V2021));
      writeFileSync(
        join(dir, 'b.txt'),
        fixtureText(EXAMPLE_V2021).replace(HEALTH_2022, '中卫市沙坡头区卫生健康局'),
      );
      const dry = await run([dir, '--dry-run', '--jobs', '0']);
      expect(dry.summary.slice(-3, -1).map((l) => l.replaceAll(dir, ''))).toEqual([
        '  1 report is read from more than one file; stored, each later file would become a new revision and the last one current:',
        `    ${HEALTH_2022} 2022: /a.txt, /b.txt`,
      ]);
      expect((await run([dir, '--jobs', '0'])).code).toBe(0);
      expect(await db.$queryRaw`SELECT name FROM agency`).toEqual([{ name: HEALTH_2022 }]);
      expect(await tableCounts(db)).toMatchObject({ agency: 1, report: 1, report_revision: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('expands globs, applies --agency/--year/--source-url overrides, and shows progress on a terminal', async () => {
    const { code, err, summary } = await run(
      [
        join(folder, '**', 'sci*.{txt,htm}'),
        '--agency',
        '中卫市科技局',
        '--year',
        '2020',
        '--source-url',
        'http://example.test/r',
      ],
      { tty: true },
    );
    expect(code).toBe(0);
    expect(count(summary, 'imported')).toBe(1);
    // The progress line is redrawn in place: carriage return, erase line, bar, count, rate, ETA.
    expect(err).toContain('\r\u001b[K[########################] 1/1 files, ');
    expect(err).toMatch(/1\/1 files, [\d.]+ files\/s, ETA 0s/);
    const [row] = await db.$queryRaw<{ name: string; year: number; url: string }[]>`
      SELECT a.name, r.year, rr.source_url AS url FROM report r JOIN agency a ON a.id = r.agency_id JOIN report_revision rr ON rr.report_id = r.id`;
    expect(row).toEqual({ name: '中卫市科技局', year: 2020, url: 'http://example.test/r' });
  }, 60_000);

  it('--allow-partial says on each report’s line how many gaps it has, and counts the partial reports', async () => {
    const cut = join(folder, '..', `partial-${Date.now()}.txt`);
    const example = fixtureText(EXAMPLE_V2021);
    writeFileSync(cut, example.slice(0, example.indexOf('四、政府信息公开行政复议')));
    try {
      for (const args of [['--dry-run'], []]) {
        const { code, out, summary } = await run([cut, '--allow-partial', ...args]);
        expect(code).toBe(0);
        const line = out.find((l) => l.startsWith('✔ '));
        const gaps = Number(/; (\d+) gaps?\b/.exec(line ?? '')?.[1]);
        expect(gaps).toBeGreaterThan(0);
        // Each gap is said under the line.
        expect(out.filter((l) => l.startsWith('    ! ')).length).toBeGreaterThanOrEqual(gaps);
        expect(count(summary, 'partial')).toBe(1);
        expect(summary.find((l) => l.trimStart().startsWith('partial '))).toMatch(
          /of them with gaps: cells (to be )?stored MISSING or UNREADABLE \(--allow-partial\)$/,
        );
      }
    } finally {
      rmSync(cut, { force: true });
    }
  }, 60_000);

  it('a dry run lists the checks a report breaks that are not errors too (its text against its tables)', async () => {
    const claim = join(folder, '..', `claim-${Date.now()}.txt`);
    writeFileSync(
      claim,
      readFileSync(formats('report.tab.txt'), 'utf8').replace(
        '我局共收到政府信息公开申请 49 件',
        '我局未收到政府信息公开申请',
      ),
    );
    try {
      const { out } = await run([claim, '--dry-run']);
      const line = out.findIndex((l) => l.includes('readable,'));
      expect(out[line]).toMatch(/; findings: 1 other$/);
      expect(out[line + 1]).toMatch(/^ {4}\? NARRATIVE_NO_REQUESTS: The text says .*未收到.* = 49\.$/);
    } finally {
      rmSync(claim, { force: true });
    }
  }, 60_000);

  it('counts each unchecked identity once, says why, and how many would fail with blanks as 0', async () => {
    const files = join(folder, '..', `unchecked-${Date.now()}`);
    mkdirSync(files);
    // (一) 予以公开 printed blank for 商业企业 (2) and 科研机构 (0): three identities unchecked, two
    // of them still off with the blanks as 0. Each was counted twice, as "figures missing".
    const blanks = setFigures(v2021(), '(一) 予以公开', [null, '', '']);
    writeFileSync(join(files, 'blanks.txt'), blanks);
    // And 部分公开 for 商业企业 marked not reported: one identity has a blank and a "/".
    writeFileSync(join(files, 'mixed.txt'), setFigures(blanks, '(二) 部分公开', [null, '/']));
    try {
      const dry = await run([files, '--dry-run']);
      expect(dry.out.find((l) => l.includes('blanks.txt'))).toMatch(
        /; findings: 3 not checked \(cells blank; 2 would fail with blanks as 0\)$/,
      );
      expect(dry.out.find((l) => l.includes('mixed.txt'))).toMatch(
        /; findings: 4 not checked \(2 blank, 2 not reported; 1 would fail with blanks as 0\)$/,
      );
      const stored = await run([join(files, 'blanks.txt')]);
      expect(stored.out.find((l) => l.includes(': CREATED '))).toMatch(
        /revision 1\); findings: 3 not checked \(cells blank; 2 would fail with blanks as 0\)$/,
      );
    } finally {
      rmSync(files, { recursive: true, force: true });
    }
  }, 60_000);

  it('--strict stores nothing for a report whose figures do not add up', async () => {
    const broken = join(folder, '..', `strict-${Date.now()}.txt`);
    // Row 一 of table 3 now says 50 new requests in its total column; the columns add up to 49.
    writeFileSync(
      broken,
      fixtureText(EXAMPLE_V2021).replace(
        '一、本年新收政府信息公开申请数量\t\t41\t6\t0\t0\t2\t0\t49',
        '一、本年新收政府信息公开申请数量\t\t41\t6\t0\t0\t2\t0\t50',
      ),
    );
    try {
      const strict = await run([broken, '--strict']);
      expect(strict.code).toBe(1);
      expect(strict.summary.join('\n')).toMatch(/rejected\s+1[\s\S]*FAILED_CHECK/);
      expect(await tableCounts(db)).toMatchObject({ report_revision: 0 });
      // Without --strict a dry run says what the checks find, and nothing of blocking.
      const dry = await run([broken, '--dry-run']);
      const line = dry.out.findIndex((l) => l.includes('readable,'));
      expect(dry.out[line]).toMatch(/; findings: 2 errors$/);
      expect(dry.out.slice(line + 1, line + 3)).toContainEqual(
        expect.stringMatching(/^ {4}\? T3_TOTAL_COLUMN: .*50/),
      );
      expect(dry.out.join('\n')).not.toContain('blocking');
      const lenient = await run([broken]);
      expect(lenient.code).toBe(0);
      expect(await tableCounts(db)).toMatchObject({ report_revision: 1 });
      // The stored line counts the findings it lists: the error, not the parser's notes.
      const stored = lenient.out.findIndex((l) => l.includes(': CREATED '));
      expect(lenient.out[stored]).toMatch(/revision 1\); findings: 2 errors$/);
      expect(lenient.out.slice(stored + 1, stored + 3)).toEqual(dry.out.slice(line + 1, line + 3));
    } finally {
      rmSync(broken, { force: true });
    }
  }, 60_000);

  it("--batch says each stored report's findings as the one-by-one import does", async () => {
    const files = join(folder, '..', `findings-${Date.now()}`);
    mkdirSync(files);
    // Row 一 of table 3 says 50 in its total column; the columns add up to 49: two errors.
    writeFileSync(
      join(files, 'broken.txt'),
      fixtureText(EXAMPLE_V2021).replace(
        '一、本年新收政府信息公开申请数量\t\t41\t6\t0\t0\t2\t0\t49',
        '一、本年新收政府信息公开申请数量\t\t41\t6\t0\t0\t2\t0\t50',
      ),
    );
    copyFileSync(fixturePath(REAL_V2019), join(files, 'science.txt'));
    try {
      const fileLines = (out: string[]) => out.slice(0, out.indexOf(''));
      const single = await run([files, '--jobs', '0']);
      expect(fileLines(single.out).join('\n')).toMatch(
        /broken\.txt: CREATED .*; findings: 2 errors\n {4}\? T3_/,
      );
      await resetDatabase(db);
      // The batch's lines ended at the revision: its findings were stored but never said.
      const batched = await run([files, '--jobs', '0', '--batch', '10']);
      expect(fileLines(batched.out)).toEqual(fileLines(single.out));
    } finally {
      rmSync(files, { recursive: true, force: true });
    }
  }, 60_000);

  /** What the import stored, in a form two runs can be compared by. */
  const stored = () =>
    db.$queryRaw<Record<string, unknown>[]>`
      SELECT a.name, r.year, rr.number, rr.source_file_name, rr.source_url, rr.source_sha256,
             rr.template_version::text, f.statuses, f.int_values, f.decimal_values,
             (r.current_revision_id = rr.id) AS current,
             (SELECT count(*)::int FROM finding x WHERE x.revision_id = rr.id) AS findings
      FROM report_revision rr JOIN report r ON r.id = rr.report_id JOIN agency a ON a.id = r.agency_id
      JOIN revision_figures f ON f.revision_id = rr.id
      ORDER BY a.name, r.year, rr.number`;

  it('--batch stores what the one-by-one import stores, through the bulk path', async () => {
    const single = await run([folder, '--jobs', '0']);
    const one = await stored();
    const audit = await db.auditLog.count();
    await resetDatabase(db);
    const batched = await run([folder, '--jobs', '0', '--batch', '2']);
    expect(batched.code).toBe(single.code);
    for (const label of ['imported', 'new revisions', 'unchanged', 'rejected']) {
      expect(count(batched.summary, label)).toBe(count(single.summary, label));
    }
    expect(await stored()).toEqual(one);
    expect(one).toHaveLength(5);
    expect(await db.auditLog.count()).toBe(audit);
    // Each file says what happened to it, as without --batch.
    expect(batched.out.find((l) => l.includes('04-health.docx'))).toMatch(
      /✔ \[4\/11\] .*04-health\.docx: NEW_REVISION .* 2022 \(V2021, docx, revision 4\)/,
    );
    expect(batched.out.find((l) => l.includes('10-bad-number.txt'))).toMatch(/✘ .*rejected/);
  }, 120_000);

  it('--batch: a report the database refuses is rejected with its reason, and the rest of its batch is stored', async () => {
    const undo = await refuseRevisions(db, `NEW.source_format = 'docx'`, 'docx refused (simulated)');
    try {
      const { code, out, summary } = await run([folder, '--jobs', '0', '--batch', '4']);
      expect(code).toBe(1);
      expect(out.join('\n')).toMatch(
        /! a batch of 4 reports could not be stored \(nothing of it was kept\): .*docx refused \(simulated\)/,
      );
      expect(out.find((l) => l.startsWith('✘') && l.includes('04-health.docx'))).toMatch(
        /✘ .*04-health\.docx: rejected, nothing stored/,
      );
      expect(summary.join('\n')).toMatch(/04-health\.docx: .*docx refused \(simulated\)/);
      expect([count(summary, 'imported'), count(summary, 'new revisions')]).toEqual([2, 2]);
      const rows = await stored();
      expect(rows.map((r) => r.source_file_name).sort()).toEqual([
        '01-health.txt',
        '02-health.html',
        '03-health.pdf',
        'science.txt',
      ]);
    } finally {
      await undo();
    }
  }, 120_000);

  it('usage errors exit 2 and say what is wrong', async () => {
    expect(await run([])).toMatchObject({ code: 2 });
    expect((await run([join(folder, 'nope')])).err).toContain('No such file or folder');
    expect((await run([join(folder, '*.nothing')])).err).toContain('No files match');
    const pictures = mkdtempSync(join(tmpdir(), 'disclosure-pictures-'));
    writeFileSync(join(pictures, 'scan.jpg'), 'JFIF');
    try {
      expect(await run([pictures])).toMatchObject({
        code: 2,
        err: expect.stringContaining(
          'No files to import: the folders hold nothing but what is not a report by its name, 1 file (.jpg). Name a file on the command line to import it anyway.',
        ),
      });
    } finally {
      rmSync(pictures, { recursive: true, force: true });
    }
    expect((await run([folder, '--year', 'last'])).err).toContain('--year must be a whole number');
    expect((await run([folder, '--bogus'])).code).toBe(2);
    expect((await run([folder, '--batch', '0'])).err).toContain('--batch must be 1 or more');
    expect((await run([folder, '--batch', '50', '--strict'])).err).toContain('leave out --batch');
  });

  it('a database the server does not have is named, with what to do, and nothing else is said', async () => {
    const url = new URL(databaseUrl());
    url.pathname = '/disclosure_no_such_database';
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = url.toString();
    const errors: string[] = [];
    const error = vi
      .spyOn(console, 'error')
      .mockImplementation((text: unknown) => void errors.push(String(text)));
    try {
      expect(await main(['import', formats('report.tab.txt')])).toBe(3);
      expect(errors.at(-1)).toBe(
        `Error: PostgreSQL at ${url.hostname}:${url.port || '5432'}/disclosure_no_such_database refused the connection: database "disclosure_no_such_database" does not exist. Create the database (createdb disclosure_no_such_database) or point DATABASE_URL at one that exists.`,
      );
    } finally {
      error.mockRestore();
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
    }
  });
});

describe('file lists and manifests', () => {
  it('globs match like a shell: *, **, ?, [..] and {a,b}', () => {
    const cases: [string, string, boolean][] = [
      ['*.txt', 'a.txt', true],
      ['*.txt', 'x/a.txt', false],
      ['**/*.txt', 'a.txt', true],
      ['**/*.txt', 'x/y/a.txt', true],
      ['x/**', 'x/y/a.pdf', true],
      ['report-?.pdf', 'report-1.pdf', true],
      ['report-?.pdf', 'report-10.pdf', false],
      ['[ab]*.html', 'b1.html', true],
      ['[!ab]*.html', 'b1.html', false],
      ['*.{pdf,docx}', 'a.docx', true],
      ['*.{pdf,docx}', 'a.doc', false],
      ['a+b(1).txt', 'a+b(1).txt', true],
    ];
    for (const [glob, path, matches] of cases)
      expect({ glob, path, matches: globToRegExp(glob).test(path) }).toEqual({ glob, path, matches });
  });

  it('folders are walked in natural name order, hidden files skipped, each file once', () => {
    const folder = mkdtempSync(join(tmpdir(), 'disclosure-walk-'));
    try {
      for (const name of ['r10.txt', 'r2.txt', '.hidden', 'sub/r1.txt']) {
        mkdirSync(join(folder, name, '..'), { recursive: true });
        writeFileSync(join(folder, name), '');
      }
      const files = collectFiles([folder, join(folder, 'r2.txt')]).map((f) => f.replace(folder, ''));
      expect(files).toEqual(['/r2.txt', '/r10.txt', '/sub/r1.txt']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a walk follows links to files and folders, walks each folder once, and names a broken link', async () => {
    const root = mkdtempSync(join(tmpdir(), 'disclosure-links-'));
    try {
      mkdirSync(join(root, 'downloads', 'science'), { recursive: true });
      copyFileSync(formats('report.tab.txt'), join(root, 'downloads', 'health.txt'));
      copyFileSync(fixturePath(REAL_V2019), join(root, 'downloads', 'science', 'science.txt'));
      const linked = join(root, 'linked');
      mkdirSync(linked);
      symlinkSync('../downloads/health.txt', join(linked, 'a-report.txt'));
      symlinkSync('../downloads/science', join(linked, 'b-more'));
      symlinkSync('.', join(linked, 'c-loop'));
      symlinkSync('../downloads/missing.txt', join(linked, 'd-gone.txt'));
      symlinkSync('e-self', join(linked, 'e-self'));
      expect(collectFiles([linked]).map((f) => f.replace(linked, ''))).toEqual([
        '/a-report.txt',
        '/b-more/science.txt',
        '/d-gone.txt',
        '/e-self',
      ]);
      const { code, out } = await run([linked, '--dry-run', '--jobs', '0']);
      expect(code).toBe(1);
      const fileLines = out.slice(0, out.indexOf(''));
      expect(fileLines.filter((l) => /^[✔✘] |^ {4}\S/.test(l)).map((l) => l.replaceAll(linked, ''))).toEqual([
        expect.stringMatching(
          /^✔ \[1\/4\] \/a-report\.txt: readable, 宁夏回族自治区中卫市沙坡头区卫生健康局 2022/,
        ),
        expect.stringMatching(/^✔ \[2\/4\] \/b-more\/science\.txt: readable, 中卫市科学技术局 2020/),
        '✘ [3/4] /d-gone.txt: rejected',
        '    It is a link to ../downloads/missing.txt, which does not exist; fix the link or remove it.',
        '✘ [4/4] /e-self: rejected',
        '    It is a link that leads back to itself (a loop of links); fix the link or remove it.',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);

  it('a walk leaves out what a download folder holds beside the reports, and says so; named files are read', () => {
    const folder = mkdtempSync(join(tmpdir(), 'disclosure-walk-'));
    try {
      const reports = ['a.txt', 'b.HTML', 'c.pdf', 'd.docx', 'e.doc', 'f.wps', 'g.ofd', 'no-extension'];
      const others = [
        'README.md',
        'list.csv',
        'm.json',
        'scan.JPG',
        'logo.png',
        'all.zip',
        'sheet.xlsx',
        'x/y.jpeg',
      ];
      for (const name of [...reports, ...others]) {
        mkdirSync(join(folder, name, '..'), { recursive: true });
        writeFileSync(join(folder, name), '');
      }
      const skipped: string[] = [];
      const files = collectFiles([folder, join(folder, 'scan.JPG')], skipped);
      expect(files.map((f) => f.replace(`${folder}/`, '')).sort()).toEqual([...reports, 'scan.JPG'].sort());
      expect(describeSkipped(skipped)).toBe('8 files (.csv, .jpeg, .jpg, .json, .md, .png, .xlsx, .zip)');
      // A glob that asks for them by name gets them.
      expect(collectFiles([join(folder, '*.png')]).map((f) => f.replace(`${folder}/`, ''))).toEqual([
        'logo.png',
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('reads CSV (quoted fields, BOM, CRLF) and both JSON shapes', () => {
    const folder = mkdtempSync(join(tmpdir(), 'disclosure-manifest-'));
    try {
      writeFileSync(
        join(folder, 'm.csv'),
        '\ufeffFile Name,Source URL,Agency,Year\r\n"a, b.pdf","http://x/?q=""1""",某某局,2021\r\nc.html,http://y/,,\r\n',
      );
      expect(readManifest(join(folder, 'm.csv'))).toEqual([
        { file: 'a, b.pdf', sourceUrl: 'http://x/?q="1"', agency: '某某局', year: 2021 },
        { file: 'c.html', sourceUrl: 'http://y/' },
      ]);
      writeFileSync(
        join(folder, 'a.json'),
        JSON.stringify([{ file: 'a.pdf', sourceUrl: 'http://a/', year: 2020 }]),
      );
      expect(readManifest(join(folder, 'a.json'))).toEqual([
        { file: 'a.pdf', sourceUrl: 'http://a/', year: 2020 },
      ]);
      writeFileSync(
        join(folder, 'o.json'),
        JSON.stringify({ 'a.pdf': 'http://a/', 'b.pdf': { url: 'http://b/', agency: '乙局' } }),
      );
      expect(readManifest(join(folder, 'o.json'))).toEqual([
        { file: 'a.pdf', sourceUrl: 'http://a/' },
        { file: 'b.pdf', sourceUrl: 'http://b/', agency: '乙局' },
      ]);
      writeFileSync(join(folder, 'bad.csv'), 'a.pdf,http://a/\n');
      expect(() => readManifest(join(folder, 'bad.csv'))).toThrow(/needs a header row/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('reads a GBK manifest (Excel on Chinese Windows) as GBK, and refuses UTF-16 or a workbook naming what it is', () => {
    const folder = tempDir('disclosure-manifest-');
    const csv = 'file,source_url,agency,year\r\na.pdf,https://x.gov.cn/a,中卫市科学技术局,2020\r\n';
    const entry = { file: 'a.pdf', sourceUrl: 'https://x.gov.cn/a', agency: '中卫市科学技术局', year: 2020 };
    writeFileSync(join(folder, 'gbk.csv'), iconv.encode(csv, 'gbk'));
    expect(readManifest(join(folder, 'gbk.csv'))).toEqual([entry]);
    writeFileSync(join(folder, 'utf8.csv'), csv);
    expect(readManifest(join(folder, 'utf8.csv'))).toEqual([entry]);
    writeFileSync(
      join(folder, 'utf16.csv'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]),
    );
    expect(() => readManifest(join(folder, 'utf16.csv'))).toThrow(
      `Manifest ${join(folder, 'utf16.csv')} is UTF-16 (little-endian) text; save it as UTF-8 (in Excel: "CSV UTF-8 (comma delimited)").`,
    );
    writeFileSync(join(folder, 'm.xlsx'), Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 1, 2, 0, 0]));
    expect(() => readManifest(join(folder, 'm.xlsx'))).toThrow(
      `Manifest ${join(folder, 'm.xlsx')} is not a text file (an Excel workbook, say)`,
    );
  });

  it.each([
    [
      'an address with an unquoted comma, which split it into the agency column',
      'file,source_url,agency,year\nr.txt,http://x.gov.cn/list?a=1,b=2,,\n',
      "line 2: 5 fields for the header's 4 columns (file, source_url, agency, year), so which is which cannot be told; quote a field that holds a comma",
    ],
    [
      'a quote left open, which swallowed the rest of the file',
      'file,source_url,agency,year\n\nr.txt,http://x/3,"unterminated,2019\ns.txt,http://x/4,,\n',
      'line 3: a quoted field opens there and is never closed',
    ],
    [
      'a misspelt column, which was dropped',
      'file,souce_url\nr.txt,http://x/\n',
      'line 1: "souce_url" is not a manifest column',
    ],
    [
      'a comma split, in a file whose lines end with a lone CR',
      'file,source_url\ra.pdf,https://x.gov.cn/a\rb.pdf,https://x.gov.cn/?a=1,b=2\r',
      "line 3: 3 fields for the header's 2 columns",
    ],
    [
      'a file listed twice with other addresses, the last of which won',
      'file,source_url\nc.txt,http://x/c1\n"a\nb.txt",http://x/ab\nc.txt,http://x/c2\n',
      'line 5: c.txt is listed again with other details (first at line 2); list each file once.',
    ],
    [
      'a misspelt key in JSON',
      JSON.stringify([{ file: 'a.pdf', souceUrl: 'http://a/' }]),
      'entry 1: "souceUrl" is not a manifest column',
    ],
  ])('refuses %s, naming the line', (_, text, message) => {
    const folder = mkdtempSync(join(tmpdir(), 'disclosure-manifest-'));
    try {
      const file = join(folder, text.startsWith('[') ? 'm.json' : 'm.csv');
      writeFileSync(file, text);
      expect(() => readManifest(file)).toThrow(`Manifest ${file}, ${message}`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('reads a file listed twice with the same details once, and a spreadsheet’s trailing empty fields', () => {
    const folder = mkdtempSync(join(tmpdir(), 'disclosure-manifest-'));
    try {
      writeFileSync(join(folder, 'm.csv'), 'file,source_url\nc.txt,http://x/c\n./c.txt,http://x/c\n');
      expect(readManifest(join(folder, 'm.csv'))).toEqual([{ file: 'c.txt', sourceUrl: 'http://x/c' }]);
      // Named once relative to the manifest and once absolute, with other addresses: refused.
      writeFileSync(
        join(folder, 'a.csv'),
        `file,source_url\nc.txt,http://x/c\n${join(folder, 'c.txt')},http://x/d\n`,
      );
      expect(() => readManifest(join(folder, 'a.csv'))).toThrow(
        /line 3: .*c\.txt is listed again with other details \(first at line 2\)/,
      );
      writeFileSync(
        join(folder, 't.csv'),
        'file,source_url,agency,year,,\r\na.pdf,https://x.gov.cn/a,甲局,2019,,\r\n',
      );
      expect(readManifest(join(folder, 't.csv'))).toEqual([
        { file: 'a.pdf', sourceUrl: 'https://x.gov.cn/a', agency: '甲局', year: 2019 },
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('a manifest entry applies to the file it names', () => {
  const db = testDb();
  beforeEach(() => resetDatabase(db));
  afterAll(() => db.$disconnect());

  /** m/a/2019.txt and m/b/2019.txt, two agencies' reports under one name, and m/urls.csv. */
  function twoAgencies(manifest: string) {
    const m = tempDir('disclosure-manifest-');
    mkdirSync(join(m, 'a'));
    mkdirSync(join(m, 'b'));
    copyFileSync(fixturePath(REAL_V2019), join(m, 'a', '2019.txt'));
    copyFileSync(formats('report.tab.txt'), join(m, 'b', '2019.txt'));
    writeFileSync(join(m, 'urls.csv'), manifest);
    return m;
  }

  it("not to another file of the same name: b/2019.txt is not stored under a/2019.txt's agency and address", async () => {
    const m = twoAgencies(
      'file,source_url,agency,year\na/2019.txt,https://a.gov.cn/2019.html,中卫市科学技术局,2020\n',
    );
    const { code, out } = await run([join(m, 'a'), join(m, 'b'), '--manifest', join(m, 'urls.csv')]);
    expect(code).toBe(0);
    expect(out.filter((l) => l.startsWith('✔ ')).map((l) => l.replaceAll(m, ''))).toEqual([
      expect.stringMatching(/^✔ \[1\/2\] \/a\/2019\.txt: CREATED 中卫市科学技术局 2020 /),
      expect.stringMatching(new RegExp(`^✔ \\[2/2\\] /b/2019\\.txt: CREATED ${HEALTH_2022} 2022 `)),
    ]);
    expect(
      await db.$queryRaw`SELECT a.name, r.year, rv.source_url AS url FROM report r JOIN agency a ON a.id = r.agency_id JOIN report_revision rv ON rv.report_id = r.id ORDER BY r.year`,
    ).toEqual([
      { name: '中卫市科学技术局', year: 2020, url: 'https://a.gov.cn/2019.html' },
      { name: HEALTH_2022, year: 2022, url: null },
    ]);
  }, 60_000);

  it('by its name alone only when its path names no file and one file of the run has that name', async () => {
    const entry = 'file,source_url\n2019.txt,https://x.gov.cn/2019.html\n';
    const m = twoAgencies(entry);
    const both = await run([join(m, 'a'), join(m, 'b'), '--manifest', join(m, 'urls.csv'), '--dry-run']);
    expect(both.code).toBe(0);
    expect(both.summary.at(-1)?.replaceAll(m, '')).toBe(
      "  The manifest lists 2019.txt, which does not exist, and 2 files imported have its name (/a/2019.txt, /b/2019.txt): which one it is meant for cannot be told, so it was applied to none. Give its path relative to the manifest's folder.",
    );
    // One file of that name: the entry is its.
    const one = await run([join(m, 'b'), '--manifest', join(m, 'urls.csv')]);
    expect(one.code).toBe(0);
    expect(await db.$queryRaw`SELECT source_url AS url FROM report_revision`).toEqual([
      { url: 'https://x.gov.cn/2019.html' },
    ]);
  }, 60_000);

  it("nor to a file of the working folder that has its path: the path given is read from the manifest's folder only where the entry's own path names no file", async () => {
    const m = twoAgencies('file,source_url\na/2019.txt,https://a.gov.cn/2019.html\n');
    // The working folder's a/2019.txt is another agency's report than the manifest's.
    const here = tempDir('disclosure-cwd-');
    mkdirSync(join(here, 'a'));
    copyFileSync(formats('report.tab.txt'), join(here, 'a', '2019.txt'));
    const cwd = process.cwd();
    process.chdir(here);
    try {
      const { code } = await run(['a/2019.txt', '--manifest', join(m, 'urls.csv')]);
      expect(code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(
      await db.$queryRaw`SELECT a.name, r.year, rv.source_url AS url FROM report r JOIN agency a ON a.id = r.agency_id JOIN report_revision rv ON rv.report_id = r.id`,
    ).toEqual([{ name: HEALTH_2022, year: 2022, url: null }]);
  }, 60_000);

  it('a warning that the title names another agency blames the manifest that gave it, not --agency', async () => {
    const m = twoAgencies('file,source_url,agency\na/2019.txt,https://a.gov.cn/2019.html,中卫市科委\n');
    const { out } = await run([join(m, 'a'), '--manifest', join(m, 'urls.csv'), '--dry-run']);
    expect(out.filter((l) => l.startsWith('    ! '))).toEqual([
      `    ! The title names 中卫市科学技术局; the report is stored as 中卫市科委, the agency the manifest ${join(m, 'urls.csv')} gives. Reports of different agencies given one name become revisions of one report, the last one current: check that the name given is this agency's.`,
    ]);
  });
});

describe('an audit log the database refuses to write (a full disk)', () => {
  const db = testDb();
  afterAll(() => db.$disconnect());

  /** Runs the import with every audit_log insert failing as on a full disk. */
  async function withoutAudit(files: Record<string, string>, args: string[]) {
    await resetDatabase(db);
    const folder = mkdtempSync(join(tmpdir(), 'disclosure-audit-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
    await db.$executeRawUnsafe(
      "CREATE FUNCTION no_audit_cli() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; END $$ LANGUAGE plpgsql",
    );
    await db.$executeRawUnsafe(
      'CREATE TRIGGER no_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION no_audit_cli()',
    );
    try {
      return await run([folder, ...args]);
    } finally {
      await db.$executeRawUnsafe('DROP TRIGGER no_audit ON audit_log');
      await db.$executeRawUnsafe('DROP FUNCTION no_audit_cli()');
      rmSync(folder, { recursive: true, force: true });
    }
  }
  const REFUSED =
    /✘ \[\d\/\d\] .*a\.txt: rejected, nothing stored\n {4}The database refused this report \(nothing of it was stored\): could not extend file: No space left on device/;
  const UNRECORDED = /the audit log does not record this rejection: .*No space left on device/;

  it('one report per transaction: a report whose entry cannot be written is not stored, and says why; no crash', async () => {
    // The entry is written in the report's transaction. It used to be written after, and a
    // full disk left stored reports the log did not record. b.txt is refused by --strict.
    const broken = setFigures(v2021(), '四、结转下年度继续办理', [5, null, null, null, null, null, 6]);
    const { code, out, summary } = await withoutAudit({ 'a.txt': fixtureText(REAL_V2019), 'b.txt': broken }, [
      '--strict',
    ]);
    expect(code).toBe(1);
    expect([count(summary, 'imported'), count(summary, 'rejected')]).toEqual([0, 2]);
    expect(out.join('\n')).toMatch(REFUSED);
    expect(out.join('\n')).toMatch(UNRECORDED);
    expect(await db.reportRevision.count()).toBe(0);
  });

  it('--batch: the batch is kept whole or not at all, then each file is refused alone', async () => {
    const { code, out, summary } = await withoutAudit({ 'a.txt': fixtureText(REAL_V2019) }, [
      '--batch',
      '10',
    ]);
    expect(code).toBe(1);
    expect(count(summary, 'rejected')).toBe(1);
    expect(out.join('\n')).toMatch(/could not be stored \(nothing of it was kept\)/);
    expect(out.join('\n')).toMatch(REFUSED);
    expect(await db.reportRevision.count()).toBe(0);
  });
});

describe('--batch and a published report naming a generated agency', () => {
  const db = testDb();
  afterAll(() => db.$disconnect());

  it('rejects that file with its reason and stores the rest (the run stopped: "The bulk import said nothing about …")', async () => {
    await resetDatabase(db);
    const demo = '宁夏回族自治区中卫市沙坡头区财政局';
    const named = fixtureText(REAL_V2019).replace('中卫市科学技术局', demo);
    await bulkImport(db, [{ bytes: new TextEncoder().encode(named), fileName: 'demo.txt' }], {
      synthetic: true,
    });
    const folder = mkdtempSync(join(tmpdir(), 'disclosure-kind-'));
    try {
      writeFileSync(join(folder, 'a.txt'), `${named}\n`);
      writeFileSync(join(folder, 'b.txt'), fixtureText(REAL_V2019));
      const { code, out, summary } = await run([folder, '--batch', '10']);
      expect(code).toBe(1);
      expect([count(summary, 'imported'), count(summary, 'rejected')]).toEqual([1, 1]);
      expect(out.join('\n')).toMatch(/✘ \[1\/2\] .*a\.txt: rejected/);
      expect(out.join('\n')).toContain('is stored as a generated demo agency');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
