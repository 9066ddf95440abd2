import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
