/** The progress line `import` keeps on stderr while it runs. */
import type { ImportIo } from './import.ts';

const duration = (seconds: number) => {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
};

export class Progress {
  private done = 0;
  private readonly started = performance.now();
  private lastPlain = 0;
  private shown = false;

  constructor(
    private readonly io: ImportIo,
    private readonly total: number,
    private readonly enabled: boolean,
  ) {}

  private text(): string {
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
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
    if (!this.enabled) return;
    if (this.io.stderrIsTTY) {
      this.io.err(`\r\x1b[K${this.text()}`);
      this.shown = true;
    } else if (performance.now() - this.lastPlain > 1000 || this.done === this.total) {
      // Not a terminal (--progress into a log): a plain line at most once a second.
      this.io.err(`progress: ${this.text()}\n`);
      this.lastPlain = performance.now();
    }
  }
}
