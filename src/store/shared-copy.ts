import { renameSync, rmSync } from 'node:fs';

/**
 * Puts in place at `root` a folder that several processes may set out to make at once (vitest's
 * workers, each starting an embedded PostgreSQL): each builds its own beside it, under its
 * process id, and renames it in. A usable folder at `root`, including one another process put
 * there while this one was building, is never removed: others may already be running programs
 * from it. (A later builder that removed the first one's copy before renaming its own left a
 * test's PostgreSQL "not found" in between.) An unusable one (its links lead into a deleted
 * clone) is moved aside first, then deleted.
 */
export function installShared(
  root: string,
  usable: (dir: string) => boolean,
  build: (dir: string) => void,
): void {
  if (usable(root)) return;
  const building = `${root}.${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  build(building);
  if (!usable(root)) {
    const stale = `${root}.stale.${process.pid}`;
    try {
      renameSync(root, stale);
    } catch {
      // Nothing there, or another process moved it aside.
    }
    try {
      renameSync(building, root);
    } catch {
      // Another process's copy went in first; ours goes below.
    }
    rmSync(stale, { recursive: true, force: true });
  }
  rmSync(building, { recursive: true, force: true });
}
