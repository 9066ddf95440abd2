/** The progress line `import` keeps on stderr while it runs. */
import type { ImportIo } from './import.ts';

const duration = (seconds: number) => {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
};

/** How far back the rate looks: long enough to smooth a batch's pause, short enough to follow a change. */
const RATE_WINDOW_MS = 30_000;
const MIN_SPAN_MS = 3_000;

/**
 * Items a second over the last RATE_WINDOW_MS, from samples of (time, items done) about once
 * a second, not since the start: opening the database, starting parser threads and the first
 * batch (or a crawl's robots.txt and listing pages) made the first ETAs several times too long.
 */
export class RecentRate {
  private readonly started: number;
  private done = 0;
  private readonly samples: { at: number; done: number }[] = [];

  constructor(private readonly now: () => number = () => performance.now()) {
    this.started = now();
  }

  /** Records that `done` items are done by now. */
  observe(done: number) {
    this.done = done;
    const now = this.now();
    const last = this.samples.at(-1);
    if (!last || now - last.at >= 1000) this.samples.push({ at: now, done });
    while (this.samples.length > 2 && now - (this.samples[1]?.at ?? now) >= RATE_WINDOW_MS)
      this.samples.shift();
  }

  /**
   * Over the recent samples once they span a few seconds (with --batch, files are done 500 at
   * a time, so a shorter span would swing from nothing to thousands a second), since the start
   * before that.
   */
  perSecond(): number {
    const now = this.now();
    const oldest = this.samples[0];
    if (oldest && this.done > oldest.done && now - oldest.at >= MIN_SPAN_MS) {
      return (this.done - oldest.done) / ((now - oldest.at) / 1000);
    }
    const seconds = (now - this.started) / 1000;
    return seconds > 0 ? this.done / seconds : 0;
  }
}

export class Progress {
  private done = 0;
  private lastPlain = Number.NEGATIVE_INFINITY;
  private shown = false;
  private readonly recent: RecentRate;

  constructor(
    private readonly io: ImportIo,
    private readonly total: number,
    private readonly enabled: boolean,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.recent = new RecentRate(now);
  }

  rate(): number {
    return this.recent.perSecond();
  }

  text(): string {
    const rate = this.rate();
    const eta = rate > 0 ? (this.total - this.done) / rate : Number.POSITIVE_INFINITY;
    const width = 24;
    const filled = Math.round((this.done / Math.max(1, this.total)) * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} files, ${rate.toFixed(1)} files/s, ETA ${this.done === this.total ? '0s' : duration(eta)}`;
  }

  /** Clears the progress line so a report line can be printed. */
  clear() {
    if (this.shown && this.io.stderrIsTTY) this.io.err('\r\x1b[K');
    this.shown = false;
  }

  tick() {
    this.done++;
    this.recent.observe(this.done);
    if (!this.enabled) return;
    const now = this.now();
    if (this.io.stderrIsTTY) {
      this.io.err(`\r\x1b[K${this.text()}`);
      this.shown = true;
    } else if (now - this.lastPlain > 1000 || this.done === this.total) {
      // Not a terminal (--progress into a log): a plain line at most once a second.
      this.io.err(`progress: ${this.text()}\n`);
      this.lastPlain = now;
    }
  }
}
