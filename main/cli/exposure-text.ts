import type { ExposeResult, ExposureView } from '../core/api.js';

/** The `exposure` part of `status --json` (scripts depend on it): local servers have no URLs. */
export function exposureJson(views: ExposureView[], name: string): { mode: ExposureView['mode']; urls: string[]; expiresAt: string | null } {
  const v = views.find((e) => e.server === name);
  return { mode: v?.mode ?? 'local', urls: v?.urls ?? [], expiresAt: v?.expiresAt ?? null };
}

/** The EXPOSURE column of `status`: local, or the mode and the first URL (its scheme says whether it is encrypted). */
export function exposureCell(v: ExposureView | undefined): string {
  if (!v || v.mode === 'local') return 'local';
  const more = v.urls.length > 1 ? ` +${v.urls.length - 1}` : '';
  return `${v.mode} ${v.urls[0] ?? `port ${v.port ?? '?'}`}${more}`;
}

export function describeExposure(v: ExposureView): string {
  if (v.mode === 'local') return `${v.server} is local: reachable only from this machine's loopback`;
  const until = v.expiresAt ? `until ${v.expiresAt} (then local again)` : 'until locked down';
  return `${v.server} is exposed (${v.mode}, ${v.encrypted ? 'HTTPS' : 'plain HTTP'}) ${until}`;
}

/** What `expose` prints: the URLs, and a token minted for the occasion, shown this once. */
export function exposeText(result: ExposeResult): string[] {
  const lines = [describeExposure(result.exposure)];
  if (result.kept) lines.push('Only the time box changed: the listener stayed open, and so did every client\'s connection.');
  lines.push('', 'URLs:', ...result.exposure.urls.map((u) => `  ${u}`));
  const created = result.createdToken;
  if (created) {
    lines.push(
      '',
      `${result.exposure.server} had no client token, so one was created (label "${created.label}", id ${created.id}).`,
      'It is shown only this once; keep it somewhere safe:',
      `  ${created.secret}`,
    );
  }
  for (const warning of result.warnings) lines.push('', `Warning: ${warning}.`);
  lines.push(
    '',
    'Clients send the token as "Authorization: Bearer <token>" or "X-Portcullis-Token: <token>";',
    'a browser opens the URL once with ?portcullis_token=<token> and gets a cookie instead.',
  );
  return lines;
}
