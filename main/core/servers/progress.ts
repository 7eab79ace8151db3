/**
 * A job's progress from the words it prints: tqdm bars (`37%|███`), `step 120/1000`,
 * `epoch 3/10`, `iter 5 of 20`. Returns a fraction in [0, 1], or null when the line says none.
 * The last match on a line wins (tqdm redraws several bars on one line with `\r`).
 */
const PATTERNS: ReadonlyArray<{ re: RegExp; read: (m: RegExpExecArray) => [number, string] | null }> = [
  { re: /(\d{1,3}(?:\.\d+)?)%\|/g, read: (m) => [Number(m[1]) / 100, `${m[1]}%`] },
  {
    re: /\b(step|epoch|iter(?:ation)?|batch|it)\s*[:=]?\s*(\d+)\s*(?:\/|of)\s*(\d+)/gi,
    read: (m) => {
      const total = Number(m[3]);
      return total > 0 ? [Number(m[2]) / total, `${(m[1] as string).toLowerCase()} ${m[2]}/${m[3]}`] : null;
    },
  },
];

export function parseProgress(line: string): { fraction: number; text: string } | null {
  let best: { fraction: number; text: string; index: number } | null = null;
  for (const { re, read } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      const got = read(m);
      if (got && Number.isFinite(got[0]) && (!best || m.index >= best.index)) {
        best = { fraction: Math.min(1, Math.max(0, got[0])), text: got[1], index: m.index };
      }
    }
  }
  return best && { fraction: best.fraction, text: best.text };
}
