/**
 * Progress of a long command on stderr: one redrawn bar on a terminal, a line every 10% otherwise
 * (logs, CI), so an operator always sees that work is moving and how much is left.
 */
export class ProgressLine {
  private readonly started = Date.now();
  private lastDecile = -1;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update({ done, total }: { done: number; total: number }): void {
    const ratio = total === 0 ? 1 : Math.min(1, done / total);
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? Math.ceil((total - done) / rate) : 0;
    const summary = `${done}/${total} (${Math.floor(ratio * 100)}%), ${Math.round(rate)}/s, ${eta}s left`;
    if (this.stream.isTTY) {
      const width = 30;
      const bar = '#'.repeat(Math.round(ratio * width)).padEnd(width, '.');
      this.stream.write(`\r${this.label} [${bar}] ${summary}   `);
    } else if (Math.floor(ratio * 10) > this.lastDecile) {
      this.lastDecile = Math.floor(ratio * 10);
      this.stream.write(`${this.label}: ${summary}\n`);
    }
  }

  finish(message: string): void {
    if (this.stream.isTTY) this.stream.write('\n');
    this.stream.write(`${message}\n`);
  }
}
