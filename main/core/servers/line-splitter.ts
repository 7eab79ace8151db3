/**
 * Turns a stream of text chunks into lines. A line longer than `maxLength` is cut into pieces
 * so one runaway line cannot grow memory without bound. Cuts fall on whitespace when there is
 * some near the limit: a token cut in two could not be recognised and redacted.
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
      const at = this.cutAt(text);
      this.onLine(text.slice(0, at));
      text = text.slice(at);
    }
    this.pending = text;
  }

  /** Emits what is left when the stream ends without a final newline. */
  flush(): void {
    if (this.pending) this.emit(this.pending);
    this.pending = '';
  }

  private emit(line: string): void {
    let clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (clean.length === 0) return this.onLine('');
    while (clean.length > this.maxLength) {
      const at = this.cutAt(clean);
      this.onLine(clean.slice(0, at));
      clean = clean.slice(at);
    }
    if (clean.length > 0) this.onLine(clean);
  }

  /** Where to cut a too-long line: after the last whitespace in the final 1/8 of the limit, else at the limit. */
  private cutAt(text: string): number {
    const floor = this.maxLength - (this.maxLength >> 3);
    for (let i = this.maxLength - 1; i >= floor; i--) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9) return i + 1;
    }
    return this.maxLength;
  }
}
