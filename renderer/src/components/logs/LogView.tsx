import { Alert, Paper, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LogLine } from '../../../../main/core/api';
import { useServerLogs } from '../../state/use-server-logs';
import { copyText, downloadText } from '../../util/clipboard';
import { errorMessage } from '../../util/format';
import { LogRow, searchPattern } from './LogRow';
import { LogToolbar, type StreamFilter } from './LogToolbar';

const ROW = 20;

/**
 * A server's log: virtualized (only visible rows exist in the DOM), following the end until
 * the user scrolls up or pauses, searchable with highlights, filterable by stream, and
 * copyable or downloadable as shown.
 */
export function LogView({ name }: { name: string }) {
  const { buffer, version, error } = useServerLogs(name);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const [stream, setStream] = useState<StreamFilter>('all');
  const [queryInput, setQueryInput] = useState('');
  const [query] = useDebouncedValue(queryInput, 150);
  const [matchesOnly, setMatchesOnly] = useState(false);
  const [current, setCurrent] = useState(-1);
  const pattern = useMemo(() => searchPattern(query), [query]);

  const keep = useMemo(() => {
    if (stream === 'all' && !(matchesOnly && pattern)) return null;
    return (line: LogLine): boolean => {
      if (stream !== 'all' && line.stream !== stream) return false;
      if (matchesOnly && pattern) {
        pattern.lastIndex = 0;
        return pattern.test(line.text);
      }
      return true;
    };
  }, [stream, matchesOnly, pattern]);

  const shown = useMemo(() => (keep ? buffer.filter(keep) : null), [buffer, keep, version]);
  const count = shown ? shown.length : buffer.size;
  const lineAt = (i: number): LogLine | undefined => buffer.at(shown ? (shown[i] as number) : i);

  const matches = useMemo(() => {
    if (!pattern) return [];
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const line = lineAt(i);
      pattern.lastIndex = 0;
      if (line && pattern.test(line.text)) out.push(i);
    }
    return out;
  }, [pattern, shown, count, version]);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 12,
  });

  // Following: keep the end in view. Paused: when old lines fall off the front of the buffer,
  // move up by as many rows, so the line being read stays where it is.
  const droppedSeen = useRef(buffer.dropped);
  // Where we last scrolled to ourselves: the scroll event that follows is not the user's.
  const ownScroll = useRef<number | null>(null);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const dropped = buffer.dropped - droppedSeen.current;
    droppedSeen.current = buffer.dropped;
    if (!el) return;
    if (follow) el.scrollTop = el.scrollHeight;
    else if (dropped > 0 && !shown) el.scrollTop = Math.max(0, el.scrollTop - dropped * ROW);
    else return;
    ownScroll.current = el.scrollTop;
  }, [version, follow, count, buffer, shown]);

  // The user scrolling up pauses; scrolling back to the end follows again.
  const onScroll = (): void => {
    const el = scrollRef.current;
    if (!el) return;
    const ours = ownScroll.current !== null && Math.abs(el.scrollTop - ownScroll.current) < 1;
    ownScroll.current = null;
    if (ours) return;
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2;
    if (atEnd !== follow) setFollow(atEnd);
  };

  useEffect(() => setCurrent(-1), [pattern]);

  const jump = (step: 1 | -1): void => {
    if (matches.length === 0) return;
    const next = current === -1 ? (step === 1 ? 0 : matches.length - 1) : (current + step + matches.length) % matches.length;
    setCurrent(next);
    setFollow(false);
    virtualizer.scrollToIndex(matches[next] as number, { align: 'center' });
  };

  const text = (): string => buffer.toText(shown ?? undefined);
  const copy = async (): Promise<void> => {
    try {
      await copyText(text());
      notifications.show({ message: `Copied ${count.toLocaleString()} lines of ${name}'s log` });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not copy the log', message: errorMessage(err) });
    }
  };

  const currentRow = current >= 0 ? matches[current] : undefined;

  return (
    <Paper withBorder radius="md" p="sm">
      <LogToolbar
        follow={follow}
        onFollow={() => setFollow((f) => !f)}
        stream={stream}
        onStream={setStream}
        query={queryInput}
        onQuery={setQueryInput}
        onJump={jump}
        matchText={pattern ? `${current >= 0 ? current + 1 : 0} / ${matches.length.toLocaleString()}` : ''}
        hasMatches={matches.length > 0}
        matchesOnly={matchesOnly}
        onMatchesOnly={setMatchesOnly}
        onCopy={() => void copy()}
        onDownload={() => downloadText(`${name}.log`, text())}
      />
      {error && (
        <Alert color="red" mb="sm" title="Could not load the log">
          {error}
        </Alert>
      )}
      <div
        ref={scrollRef}
        onScroll={onScroll}
        className="log-scroll"
        role="log"
        aria-live="off"
        aria-label={`Log of ${name}`}
        tabIndex={0}
        data-testid="log-view"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const line = lineAt(item.index);
            return line ? (
              <LogRow key={line.seq} line={line} top={item.start} height={ROW} pattern={pattern} current={item.index === currentRow} />
            ) : null;
          })}
        </div>
        {count === 0 && (
          <Text size="sm" c="dimmed" p="sm" className="log-empty">
            {buffer.size === 0 ? 'No output yet.' : 'No line matches.'}
          </Text>
        )}
      </div>
      <Text size="xs" c="dimmed" mt={6} className="tabular" data-testid="log-count">
        {count.toLocaleString()} lines shown{buffer.dropped > 0 ? ` · older lines dropped (the view keeps the last ${buffer.capacity.toLocaleString()})` : ''}
      </Text>
    </Paper>
  );
}
