/**
 * Turns a stream of text chunks into lines. A line longer than `maxLength` is cut into pieces
 * so one runaway line cannot grow memory without bound.
 */
export class LineSplitter {
  private pending = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLength = 16_384,
  ) {}

  push(chunk: string): void {
    let text = this.pending + chunk;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      this.emit(text.slice(0, newline));
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
    }
    while (text.length > this.maxLength) {
      this.onLine(text.slice(0, this.maxLength));
      text = text.slice(this.maxLength);
    }
    this.pending = text;
  }

  /** Emits what is left when the stream ends without a final newline. */
  flush(): void {
    if (this.pending) this.emit(this.pending);
    this.pending = '';
  }

  private emit(line: string): void {
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    for (let i = 0; i < clean.length; i += this.maxLength) this.onLine(clean.slice(i, i + this.maxLength));
    if (clean.length === 0) this.onLine('');
  }
}
