import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../main/core/servers/line-splitter.js';
import { redact, REDACTED } from '../../main/core/servers/redact.js';

const collect = (max?: number) => {
  const lines: string[] = [];
  return { lines, splitter: new LineSplitter((l) => lines.push(l), max) };
};

describe('line splitting', () => {
  it('joins chunks into lines, drops \\r, keeps empty lines and flushes the rest', () => {
    const { lines, splitter } = collect();
    splitter.push('one\r\ntw');
    splitter.push('o\n\nthr');
    splitter.flush();
    expect(lines).toEqual(['one', 'two', '', 'thr']);
  });

  it('cuts runaway lines at the limit, on whitespace when it can, so a token is never cut in two', () => {
    const { lines, splitter } = collect(100);
    const token = 'T'.repeat(40);
    const line = `${'word '.repeat(18)}?token=${token} tail`; // the token straddles the 100th character
    splitter.push(`${line}\n`);
    expect(lines.every((l) => l.length <= 100)).toBe(true);
    expect(lines.join('')).toBe(line);
    expect(lines.map((l) => redact(l, [])).join('')).not.toContain(token);
    expect(lines.map((l) => redact(l, [])).join('')).toContain(REDACTED);
  });

  it('bounds a line with no newline and no whitespace at all', () => {
    const { lines, splitter } = collect(100);
    splitter.push('x'.repeat(350));
    expect(lines).toEqual(['x'.repeat(100), 'x'.repeat(100), 'x'.repeat(100)]);
    splitter.flush();
    expect(lines.at(-1)).toBe('x'.repeat(50));
  });
});
