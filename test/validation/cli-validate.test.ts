import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { type FileResult, runValidate } from '../../src/cli/validate.ts';
import { fixturePath, REAL_V2019 } from '../support/fixtures.ts';
import { slowPdf } from '../support/hostile-files.ts';
import { tempDir } from '../support/temp-dir.ts';
import { setFigures, v2021, v2021Of } from './variants.ts';

function files(contents: Record<string, string>): string {
  const dir = tempDir('validate-');
  for (const [name, text] of Object.entries(contents)) writeFileSync(join(dir, name), text);
  return dir;
}

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runValidate(
    args,
    (t) => out.push(t),
    (t) => err.push(t),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const broken = () => setFigures(v2021(), '四、结转下年度继续办理', [5, null, null, null, null, null, 6]);

describe('disclosure validate', () => {
  it('exits 0 for the real report and says it has no findings', async () => {
    const { code, out } = await run([fixturePath(REAL_V2019)]);
    expect(code).toBe(0);
    expect(out).toContain('中卫市科学技术局 2020 (V2019): no findings');
    expect(out).toContain('1 file(s): 1 pass, 0 with errors, 0 unreadable');
  });

  it('prints error findings as a table and exits 1', async () => {
    const dir = files({ 'broken.txt': broken() });
    const { code, out } = await run([dir]);
    expect(code).toBe(1);
    const lines = out.split('\n');
    expect(lines[0]).toBe(
      `✘ ${join(dir, 'broken.txt')}: 宁夏回族自治区中卫市沙坡头区卫生健康局 2022 (V2021): 2 error(s), 0 other finding(s)`,
    );
    expect(lines[1]).toMatch(/^ {4}severity {2}rule {8}scope {11}expected {2}actual {2}diff {2}message$/);
    expect(lines[2]).toBe(
      '    error     T3_BALANCE  NATURAL_PERSON        44      47    +3  自然人：一 + 二 = 44，而三（七）总计 + 四 = 47，相差 +3。',
    );
    expect(lines[3]?.trim()).toBe(
      'Natural persons: new requests + carried over from last year = 44, but total outcomes + carried forward to next year = 47 (difference +3).',
    );
  });

  it('--json prints every result with exact figures', async () => {
    const dir = files({ 'broken.txt': broken() });
    const { code, out } = await run(['--json', dir]);
    expect(code).toBe(1);
    const results = JSON.parse(out) as FileResult[];
    expect(results).toHaveLength(1);
    const [result] = results;
    if (!result?.readable) throw new Error('expected a readable file');
    expect(result.findings.map((f) => [f.ruleId, f.scope, f.expected, f.actual, f.difference])).toEqual([
      ['T3_BALANCE', 'NATURAL_PERSON', '44', '47', '3'],
      ['T3_BALANCE', 'TOTAL', '53', '56', '3'],
    ]);
  });

  it('--json says "ok": false for a file with error-level findings and for one that cannot be read', async () => {
    const dir = files({
      'a-broken.txt': broken(),
      'b-clean.txt': v2021(),
      'c-notes.txt': 'meeting notes',
    });
    const { code, out } = await run(['--json', dir]);
    expect(code).toBe(2);
    expect(JSON.parse(out)).toEqual([
      expect.objectContaining({ file: join(dir, 'a-broken.txt'), ok: false, readable: true, errors: 2 }),
      expect.objectContaining({ file: join(dir, 'b-clean.txt'), ok: true, readable: true, errors: 0 }),
      expect.objectContaining({ file: join(dir, 'c-notes.txt'), ok: false, readable: false }),
    ]);
    // The exit code and "ok" agree file by file.
    const alone = await run(['--json', join(dir, 'a-broken.txt')]);
    expect(alone.code).toBe(1);
    expect(JSON.parse(alone.out)).toMatchObject([{ ok: false, errors: 2 }]);
  });

  it('checks consecutive years given together; warnings alone exit 0', async () => {
    const dir = files({
      '2021.txt': v2021Of(2021),
      '2022.txt': v2021(),
    });
    const { code, out } = await run(['--json', dir]);
    expect(code).toBe(0);
    const results = JSON.parse(out) as FileResult[];
    const y2022 = results.find((r) => r.readable && r.year === 2022);
    expect(y2022?.ok).toBe(true); // warnings only
    expect(
      y2022?.readable && y2022.findings.map((f) => [f.ruleId, f.scope, f.expected, f.actual, f.otherYear]),
    ).toEqual([
      ['T3_CARRY_OVER', 'NATURAL_PERSON', '2', '3', 2021],
      ['T3_CARRY_OVER', 'TOTAL', '3', '4', 2021],
    ]);
  });

  it('checks consecutive years of one agency printed under two names (with and without its province)', async () => {
    const dir = files({
      '2021.txt': v2021Of(2021).replace('宁夏回族自治区中卫市沙坡头区卫生健康局', '中卫市沙坡头区卫生健康局'),
      '2022.txt': v2021(),
    });
    const results = JSON.parse((await run(['--json', dir])).out) as FileResult[];
    const y2021 = results.find((r) => r.readable && r.year === 2021);
    expect(y2021?.readable && y2021.agencyName).toBe('中卫市沙坡头区卫生健康局');
    const y2022 = results.find((r) => r.readable && r.year === 2022);
    expect(y2022?.readable && y2022.findings.map((f) => [f.ruleId, f.otherYear])).toEqual([
      ['T3_CARRY_OVER', 2021],
      ['T3_CARRY_OVER', 2021],
    ]);
  });

  it('exits 2 when a file cannot be read, even next to files with errors', async () => {
    const dir = files({ 'broken.txt': broken(), 'notes.txt': 'meeting notes' });
    const { code, out } = await run([dir]);
    expect(code).toBe(2);
    expect(out).toContain(`✘ ${join(dir, 'notes.txt')}: cannot be read`);
    expect(out).toContain('2 file(s): 0 pass, 1 with errors, 1 unreadable');
  });

  it('an incomplete report is said to be incomplete, not unreadable, with the way to check what is there', async () => {
    const text = v2021();
    const cut = text.slice(0, text.indexOf('四、政府信息公开行政复议'));
    const dir = files({ 'cut.txt': cut });
    const { code, out } = await run([dir]);
    expect(code).toBe(2);
    expect(out).toContain(
      `✘ ${join(dir, 'cut.txt')}: incomplete, so not checked (--allow-partial checks what is there)`,
    );
    expect(out).toContain(
      '1 file(s): 0 pass, 0 with errors, 1 incomplete (--allow-partial checks them), 0 unreadable',
    );
    expect((await run([dir, '--allow-partial'])).out).not.toContain('not checked');
  });

  it('reads files as import does: one past PARSE_TIMEOUT_MS, one too big to be a report, the rest checked', async () => {
    const dir = files({
      'a-broken.txt': broken(),
      'b-real.txt': readFileSync(fixturePath(REAL_V2019), 'utf8'),
    });
    // 12 MB of drawing in 40 kB: pdf.js alone reads it for several seconds.
    writeFileSync(join(dir, 'c-heavy.pdf'), slowPdf(12));
    // 60 MB as the file system states it, without writing them.
    writeFileSync(join(dir, 'd-huge.pdf'), '');
    truncateSync(join(dir, 'd-huge.pdf'), 60 * 1024 * 1024);
    vi.stubEnv('PARSE_TIMEOUT_MS', '1500');
    try {
      const { code, out } = await run(['--json', dir]);
      expect(code).toBe(2);
      const results = JSON.parse(out) as FileResult[];
      expect(results.map((r) => [r.file.slice(dir.length + 1), r.ok, r.readable])).toEqual([
        ['a-broken.txt', false, true],
        ['b-real.txt', true, true],
        ['c-heavy.pdf', false, false],
        ['d-huge.pdf', false, false],
      ]);
      const problem = (name: string) => {
        const result = results.find((r) => r.file.endsWith(name));
        return result && !result.readable ? result.problems[0] : undefined;
      };
      expect(problem('c-heavy.pdf')).toMatchObject({
        code: 'TOO_LARGE',
        message: 'Parsing the file took longer than 1500 ms (PARSE_TIMEOUT_MS) and was stopped.',
      });
      expect(problem('d-huge.pdf')?.message).toBe(
        "The file is 62,914,560 bytes, over the 52,428,800 (50 MB) a report file may have; published reports, scanned pages and all, are far smaller, so this is not one. Check that the path names the report itself, not an archive or a folder's bundle.",
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('parses a PDF named alone under PARSE_TIMEOUT_MS too, and a real one as before', async () => {
    const dir = files({});
    writeFileSync(join(dir, 'heavy.pdf'), slowPdf(12));
    vi.stubEnv('PARSE_TIMEOUT_MS', '1500');
    try {
      const { code, out } = await run(['--json', join(dir, 'heavy.pdf')]);
      expect(code).toBe(2);
      expect((JSON.parse(out) as FileResult[])[0]).toMatchObject({
        readable: false,
        problems: [{ code: 'TOO_LARGE', message: expect.stringContaining('PARSE_TIMEOUT_MS') }],
      });
    } finally {
      vi.unstubAllEnvs();
    }
    // Under the default limit (a cold worker loading pdf.js can take over 1.5 s on a busy machine).
    const pdf = fileURLToPath(new URL('../fixtures/formats/report.pdf', import.meta.url));
    const real = await run(['--json', pdf]);
    expect(real.code, real.out).toBe(0);
    expect((JSON.parse(real.out) as FileResult[])[0]).toMatchObject({ readable: true, ok: true });
  });

  it('takes folders and globs as import does, leaving out what is not a report by name', async () => {
    const dir = files({ 'report.txt': broken(), 'README.md': '# notes', 'scan.jpg': 'JFIF' });
    const { code, out, err } = await run([dir]);
    expect(code).toBe(1);
    expect(out).toContain('1 file(s): 0 pass, 1 with errors, 0 unreadable');
    expect(err).toBe(
      'Left out 2 files (.jpg, .md): not reports by their names. Name a file to check it anyway.',
    );
    expect((await run([join(dir, '*.txt')])).out).toContain('1 file(s)');
    expect(await run([join(dir, '*.pdf')])).toMatchObject({
      code: 2,
      err: expect.stringContaining('No files match'),
    });
  });

  it('counts the hidden files a folder walk leaves out; a hidden folder is not walked', async () => {
    const dir = files({ 'report.txt': broken(), '.DS_Store': 'Bud1', '.2020.txt': broken() });
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main');
    const { out, err } = await run([dir]);
    expect(out).toContain('1 file(s): 0 pass, 1 with errors, 0 unreadable');
    expect(err).toBe(
      'Left out 2 files (hidden ×2): not reports by their names. Name a file to check it anyway.',
    );
    // Named, a hidden file is read; matched by a pattern, it is left out as a shell leaves it.
    expect((await run([join(dir, '.2020.txt')])).out).toContain('1 file(s): 0 pass, 1 with errors');
    const matched = await run([join(dir, '*.txt')]);
    expect(matched.out).toContain('1 file(s): 0 pass, 1 with errors');
    expect(matched.err).toContain('Left out 1 file (hidden)');
  });

  it('--allow-partial passes a report on what it has and says what it lacks', async () => {
    const partial = v2021()
      .split('\n')
      .filter((line) => !line.startsWith('四、结转下年度继续办理'))
      .join('\n');
    const dir = files({ 'partial.txt': partial });
    const refused = await run([dir]);
    expect(refused.code).toBe(2);
    const text = await run(['--allow-partial', dir]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^! .*partial\.txt: .*; 1 gap\(s\) read as missing \(--allow-partial\)\n/);
    expect(text.out).toMatch(
      /\n {4}line \d+: Table 3: row "四、结转下年度继续办理" of the V2021 template is missing/,
    );
    const json = JSON.parse((await run(['--allow-partial', '--json', dir])).out) as FileResult[];
    expect(json[0]).toMatchObject({
      ok: true,
      readable: true,
      gaps: [{ table: 'T3', row: '四、结转下年度继续办理', severity: 'gap' }],
      warnings: [],
    });
  });

  it('--json reports a missing file as one of its results, not readable, and checks the others; exit 2', async () => {
    const { code, out, err } = await run(['--json', fixturePath(REAL_V2019), '/no/such/file.txt']);
    expect(code).toBe(2);
    expect(err).toBe('');
    expect(JSON.parse(out)).toEqual([
      expect.objectContaining({ file: fixturePath(REAL_V2019), ok: true, readable: true }),
      {
        file: '/no/such/file.txt',
        ok: false,
        readable: false,
        problems: [
          {
            code: 'UNREADABLE_DOCUMENT',
            severity: 'error',
            message: 'No such file or folder: /no/such/file.txt',
          },
        ],
      },
    ]);
  });

  it('usage errors exit 2 with a message; main routes the command', async () => {
    expect(await run([])).toMatchObject({ code: 2, err: expect.stringContaining('at least one file') });
    expect(await run(['/no/such/file.txt'])).toMatchObject({
      code: 2,
      err: 'Error: No such file or folder: /no/such/file.txt',
    });
    // Typed in another folder than the project's (npm runs commands in the project's folder):
    // the message says where the path was looked for, and where the file is.
    const typedIn = fileURLToPath(new URL('../../data/sample', import.meta.url));
    vi.stubEnv('INIT_CWD', typedIn);
    try {
      expect((await run(['zhongwei-science-bureau-2020.txt'])).err).toBe(
        `Error: No such file or folder: zhongwei-science-bureau-2020.txt (looked for in ${process.cwd()}, where npm runs commands; it is in ${typedIn}, where you typed it: give "${typedIn}/zhongwei-science-bureau-2020.txt"; a relative path starts at the project's folder)`,
      );
      expect((await run(['not-there.txt'])).err).toBe(
        `Error: No such file or folder: not-there.txt (looked for in ${process.cwd()}, where npm runs commands; a relative path starts at the project's folder)`,
      );
    } finally {
      vi.unstubAllEnvs();
    }
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await main(['validate', fixturePath(REAL_V2019), '--json'])).toBe(0);
    expect(JSON.parse(String(log.mock.calls[0]?.[0]))).toMatchObject([
      { ok: true, readable: true, year: 2020, errors: 0, findings: [] },
    ]);
    log.mockRestore();
  });
});
