import { Button, Group, SegmentedControl, Switch, Text, TextInput } from '@mantine/core';

export type StreamFilter = 'all' | 'stdout' | 'stderr';

/** The log view's controls: follow/pause, stream filter, search and its matches, copy, download. */
export function LogToolbar(p: {
  follow: boolean;
  onFollow: () => void;
  stream: StreamFilter;
  onStream: (s: StreamFilter) => void;
  query: string;
  onQuery: (q: string) => void;
  onJump: (step: 1 | -1) => void;
  /** "2 / 17" while searching. */
  matchText: string;
  hasMatches: boolean;
  matchesOnly: boolean;
  onMatchesOnly: (on: boolean) => void;
  onCopy: () => void;
  onDownload: () => void;
}) {
  const { follow, onFollow, stream, onStream, query, onQuery, onJump, matchText, hasMatches, matchesOnly, onMatchesOnly, onCopy, onDownload } = p;
  return (
    <Group gap="sm" mb="sm" wrap="wrap" justify="space-between">
      <Group gap="sm" wrap="wrap">
        <Button
          size="xs"
          variant={follow ? 'filled' : 'default'}
          onClick={onFollow}
          aria-pressed={follow}
          data-testid="log-follow"
        >
          {follow ? 'Following' : 'Paused — follow'}
        </Button>
        <SegmentedControl
          size="xs"
          value={stream}
          onChange={(v) => onStream(v as StreamFilter)}
          data={[
            { value: 'all', label: 'All' },
            { value: 'stdout', label: 'stdout' },
            { value: 'stderr', label: 'stderr' },
          ]}
          aria-label="Show streams"
        />
      </Group>
      <Group gap="xs" wrap="wrap">
        <TextInput
          size="xs"
          placeholder="Search the log"
          aria-label="Search the log"
          value={query}
          onChange={(e) => onQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onJump(e.shiftKey ? -1 : 1);
          }}
          data-search-target
          w={200}
        />
        <Text size="xs" className="tabular" w={90} data-testid="log-matches">
          {matchText}
        </Text>
        <Button size="xs" variant="default" onClick={() => onJump(-1)} disabled={!hasMatches} aria-label="Previous match">
          ↑
        </Button>
        <Button size="xs" variant="default" onClick={() => onJump(1)} disabled={!hasMatches} aria-label="Next match">
          ↓
        </Button>
        <Switch size="xs" label="Matches only" checked={matchesOnly} onChange={(e) => onMatchesOnly(e.currentTarget.checked)} />
        <Button size="xs" variant="default" onClick={onCopy}>
          Copy
        </Button>
        <Button size="xs" variant="default" onClick={onDownload}>
          Download
        </Button>
      </Group>
    </Group>
  );
}
