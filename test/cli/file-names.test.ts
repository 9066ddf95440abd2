/**
 * A folder whose files (or subfolders) are named in GBK, as an archive unpacked on Windows
 * names them: a folder walk read their names as UTF-8, got U+FFFD, and reported each file
 * missing ("ENOENT: no such file or directory, stat '…/����.txt'"). They are read, under their
 * names decoded as GB18030.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { collectFiles, readReportFile } from '../../src/cli/import-files.ts';
import { runValidate } from '../../src/cli/validate.ts';
import { fixtureBytes, REAL_V2019 } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';

const gbk = (name: string) =>
  Buffer.from(
    {
      '报告.txt': [0xb1, 0xa8, 0xb8, 0xe6, 0x2e, 0x74, 0x78, 0x74],
      年报: [0xc4, 0xea, 0xb1, 0xa8],
      '中卫.txt': [0xd6, 0xd0, 0xce, 0xc0, 0x2e, 0x74, 0x78, 0x74],
    }[name] ?? [],
  );
const bytesPath = (dir: string, ...names: Buffer[]) =>
  Buffer.concat([Buffer.from(dir), ...names.flatMap((n) => [Buffer.from('/'), n])]);

describe('files named in GBK', () => {
  const sample = fixtureBytes(REAL_V2019);
  const folder = () => {
    const dir = tempDir('gbk-names-');
    writeFileSync(bytesPath(dir, gbk('报告.txt')), sample);
    mkdirSync(bytesPath(dir, gbk('年报')));
    writeFileSync(bytesPath(dir, gbk('年报'), gbk('中卫.txt')), sample);
    writeFileSync(join(dir, 'utf8.txt'), sample);
    return dir;
  };

  it('a folder walk finds them under their names decoded, and reads them', () => {
    const dir = folder();
    const files = collectFiles([dir]);
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(
      ['utf8.txt', '年报/中卫.txt', '报告.txt'].sort(),
    );
    for (const file of files) expect(readReportFile(file)).toEqual({ bytes: sample });
  });

  it('validate reads each, naming it as a reader of the archive would', async () => {
    const dir = folder();
    const out: string[] = [];
    const code = await runValidate(
      [dir],
      (t) => out.push(t),
      () => {},
    );
    const text = out.join('\n');
    expect(text).not.toContain('\uFFFD');
    expect(text).toContain('3 file(s): 3 pass');
    expect(text).toContain('报告.txt');
    expect(text).toContain(join('年报', '中卫.txt'));
    expect(code).toBe(0);
  });
});

const PROJECT = fileURLToPath(new URL('../..', import.meta.url));
/** As root, the command runs as nobody (setpriv): root reads a folder of mode 000. */
const AS_NOBODY =
  process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
/** Whether the command can run so: nobody cannot run a project cloned into a private folder (mktemp -d). */
const canLockOut =
  AS_NOBODY.length === 0 ||
  spawnSync(AS_NOBODY[0] ?? '', [...AS_NOBODY.slice(1), 'test', '-r', join(PROJECT, 'src/cli/main.ts')])
    .status === 0;

describe('a folder that cannot be listed', () => {
  it.runIf(canLockOut)(
    'is one rejection naming it, and the files beside it are read, where the walk stopped with a stack trace',
    () => {
      const dir = tempDir('locked-');
      chmodSync(dir, 0o755);
      for (const name of ['locked', 'ok']) {
        mkdirSync(join(dir, name));
        writeFileSync(join(dir, name, 'report.txt'), fixtureBytes(REAL_V2019));
      }
      chmodSync(join(dir, 'locked'), 0);
      onTestFinished(() => chmodSync(join(dir, 'locked'), 0o755));
      const command = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', 'validate', dir];
      const asNobody =
        process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
      const [program = '', ...args] = [...asNobody, ...command];
      const run = spawnSync(program, args, {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        env: { ...process.env, HOME: tmpdir() },
        encoding: 'utf8',
      });
      const output = `${run.stdout}${run.stderr}`;
      expect(output).not.toMatch(/\n\s+at /);
      expect(output).toContain(
        `${join(dir, 'locked')}: cannot be read\n    The folder cannot be read (EACCES: permission denied, scandir '${join(dir, 'locked')}'), so none of its files were imported`,
      );
      expect(output).toContain(`${join(dir, 'ok', 'report.txt')}: 中卫市科学技术局 2020`);
      // validate's code for a file it cannot read.
      expect(run.status).toBe(2);
    },
  );
});
