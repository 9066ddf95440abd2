import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres.ts';

describe.runIf(process.getuid?.() === 0)('the embedded PostgreSQL started as root', () => {
  it('says which folder the postgres user cannot enter, instead of failing with a bare EACCES', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'private-'));
    chmodSync(parent, 0o700);
    try {
      await expect(startEmbeddedPostgres({ dataDir: join(parent, 'pg'), database: 'x' })).rejects.toThrow(
        `cannot enter ${parent} (mode 700). Run \`chmod o+x ${parent}\``,
      );
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe.runIf(process.getuid?.() === 0)(
  'binaries inside a private folder (a clone made in `mktemp -d`)',
  () => {
    it('are run from a copy the postgres user can enter', async () => {
      const { embeddedPostgresModule } = await import('../../src/store/embedded-postgres.ts');
      const { binaries: installed } = embeddedPostgresModule();
      if (!installed) throw new Error('the embedded-postgres binaries are not installed');
      const parent = mkdtempSync(join(tmpdir(), 'private-clone-'));
      chmodSync(parent, 0o700);
      const privateCopy = join(parent, 'linux-x64');
      cpSync(installed, privateCopy, { recursive: true, verbatimSymlinks: true });
      const asPostgres = (dir: string) =>
        spawnSync('runuser', ['-u', 'postgres', '--', join(dir, 'native', 'bin', 'postgres'), '--version']);
      try {
        expect(asPostgres(privateCopy).status).not.toBe(0);
        const { specifier, binaries } = embeddedPostgresModule(privateCopy);
        expect(binaries).not.toBe(privateCopy);
        expect(specifier).toMatch(/^file:/);
        const run = asPostgres(binaries as string);
        expect(run.status, run.stderr.toString()).toBe(0);
        expect(run.stdout.toString()).toMatch(/postgres \(PostgreSQL\) \d+/);
        // The copy links the clone's pg; once that clone is deleted, the next one makes it again.
        const pg = join(dirname(dirname(binaries as string)), 'pg');
        rmSync(pg);
        symlinkSync(join(parent, 'deleted-clone', 'node_modules', 'pg'), pg, 'dir');
        expect(existsSync(pg)).toBe(false);
        expect(embeddedPostgresModule(privateCopy).binaries).toBe(binaries);
        expect(existsSync(join(pg, 'package.json'))).toBe(true);
      } finally {
        rmSync(parent, { recursive: true, force: true });
      }
    });
  },
);
