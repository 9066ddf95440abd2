/**
 * installShared: the copy of the embedded PostgreSQL that every test process runs its binaries
 * from is made by whichever process gets there first, and never pulled from under another.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installShared } from '../../src/store/shared-copy.ts';

let dir: string;
let root: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shared-copy-'));
  root = join(dir, 'copy');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A copy is usable when it says who made it (the real one: when its links lead somewhere). */
const usable = (d: string) => existsSync(join(d, 'made-by'));
const make = (d: string, by: string) => {
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'made-by'), by);
};
const madeBy = () => readFileSync(join(root, 'made-by'), 'utf8');

describe('installShared', () => {
  it('makes the copy when there is none, and leaves nothing of its own beside it', () => {
    installShared(root, usable, (d) => make(d, 'us'));
    expect(madeBy()).toBe('us');
    expect(readdirSync(dir)).toEqual(['copy']);
  });

  it('keeps a usable copy: nothing is built', () => {
    make(root, 'before');
    installShared(root, usable, () => {
      throw new Error('built again');
    });
    expect(madeBy()).toBe('before');
  });

  it('keeps the copy another process put in place while this one built, and drops its own', () => {
    installShared(root, usable, (d) => {
      make(d, 'us');
      // Meanwhile another process finished first; a test may already run PostgreSQL from it.
      make(root, 'them');
    });
    expect(madeBy()).toBe('them');
    expect(readdirSync(dir)).toEqual(['copy']);
  });

  it('replaces a copy that is no longer usable', () => {
    mkdirSync(root);
    writeFileSync(join(root, 'dangling'), '');
    installShared(root, usable, (d) => make(d, 'us'));
    expect(madeBy()).toBe('us');
    expect(existsSync(join(root, 'dangling'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['copy']);
  });
});
