import { memo } from 'react';
import type { LogLine } from '../../../../main/core/api';

/** The search term, compiled once per change: a case-insensitive literal match. */
export function searchPattern(query: string): RegExp | null {
  const q = query.trim();
  return q ? new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi') : null;
}

function highlight(text: string, pattern: RegExp | null) {
  if (!pattern) return text;
  const parts: (string | React.JSX.Element)[] = [];
  let last = 0;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m[0].length === 0) break;
    parts.push(text.slice(last, m.index), <mark key={m.index}>{m[0]}</mark>);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

/** One line: time, stream and text, at a fixed height so the virtual list never measures. */
export const LogRow = memo(function LogRow({
  line,
  top,
  height,
  pattern,
  current,
}: {
  line: LogLine;
  top: number;
  height: number;
  pattern: RegExp | null;
  current: boolean;
}) {
  return (
    <div
      className="log-row"
      data-stream={line.stream}
      data-current={current || undefined}
      style={{ transform: `translateY(${top}px)`, height, lineHeight: `${height}px` }}
    >
      <span className="log-ts">{line.ts.slice(11, 23)}</span>
      <span className="log-stream">{line.stream === 'stdout' ? 'out' : line.stream === 'stderr' ? 'err' : 'sys'}</span>
      <span className="log-text">{highlight(line.text, pattern)}</span>
    </div>
  );
});
