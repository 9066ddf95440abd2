/**
 * A folder whose files (or subfolders) are named in GBK, as an archive unpacked on Windows
 * names them: a folder walk read their names as UTF-8, got U+FFFD, and reported each file
 * missing ("ENOENT: no such file or directory, stat '…/����.txt'"). They are read, under their
 * names decoded as GB18030.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
