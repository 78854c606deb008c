import { visibleControls } from './terminalText';

/**
 * A progress bar for long CLI work: redrawn in place on a TTY, silent otherwise
 * (so piped/`--json` output stays clean); per-item messages still go to stderr.
 */
export class ProgressBar {
  private done = 0;
  private readonly started = Date.now();
  private lastDraw = 0;
  private readonly tty: boolean;

  constructor(
    private total: number,
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(stream.isTTY) && !process.env.CI;
  }

  setTotal(total: number): void {
    this.total = total;
    this.draw(true);
  }

  tick(n = 1, note = ''): void {
    this.done += n;
    this.draw(this.done >= this.total, note);
  }

  /** Prints a line above the bar without garbling it (control characters in file names or text shown escaped). */
  log(line: string): void {
    if (this.tty) this.stream.write('\r\x1b[2K');
    this.stream.write(visibleControls(line) + '\n');
    this.draw(true);
  }

  finish(): void {
    if (this.tty) this.stream.write('\r\x1b[2K');
  }

  private draw(force: boolean, note = ''): void {
    if (!this.tty) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const frac = this.total > 0 ? Math.min(1, this.done / this.total) : 0;
    const width = 28;
    const filled = Math.round(frac * width);
    const elapsed = (now - this.started) / 1000;
    const eta = frac > 0 && frac < 1 ? elapsed / frac - elapsed : 0;
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const text = `${this.label} ${bar} ${this.done}/${this.total} ${Math.round(frac * 100)}% ${eta ? `ETA ${eta.toFixed(0)}s` : ''} ${note}`;
    const cols = this.stream.columns ?? 100;
    this.stream.write('\r\x1b[2K' + text.slice(0, cols - 1));
  }
}
