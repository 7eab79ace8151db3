/**
 * Reads a Content-Security-Policy and lists what would let remote or inline code run. Kept
 * apart from the test so the test can prove it catches each kind of hole.
 */
const keyword = /^'(self|none|strict-dynamic|report-sample)'$/;
const unsafe = /^'(unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval)'$|^'(nonce|sha256|sha384|sha512)-/;

export function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/).filter(Boolean);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

export function cspProblems(policy: string): string[] {
  const directives = parseCsp(policy);
  const problems: string[] = [];
  const scripts = directives.get('script-src') ?? directives.get('default-src');
  if (!scripts) problems.push('no script-src or default-src: scripts from anywhere would run');
  for (const source of scripts ?? []) {
    if (!keyword.test(source)) problems.push(`script-src allows ${source}`);
  }
  const objects = directives.get('object-src') ?? directives.get('default-src');
  if (!objects?.length) problems.push('no object-src or default-src: plugins could load from anywhere');
  for (const [name, sources] of directives) {
    for (const source of sources) {
      if (/^'unsafe-eval'$|^'wasm-unsafe-eval'$/.test(source)) problems.push(`${name} allows eval (${source})`);
      else if (unsafe.test(source) && name !== 'style-src') problems.push(`${name} allows ${source}`);
      else if (!keyword.test(source) && !unsafe.test(source) && !(source === 'data:' && ['img-src', 'font-src'].includes(name))) {
        // Anything else names a scheme, host or wildcard: a remote origin.
        problems.push(`${name} allows the remote source ${source}`);
      }
    }
  }
  return problems;
}

/** Inline scripts, inline event handlers, and anything the page loads from elsewhere. */
export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attrs = match[1] ?? '';
    if (!/\bsrc\s*=/.test(attrs)) problems.push(`inline script: ${(match[2] ?? '').trim().slice(0, 60)}`);
  }
  for (const match of html.matchAll(/\s(on[a-z]+)\s*=/gi)) problems.push(`inline event handler ${match[1]}`);
  for (const match of html.matchAll(/\b(?:src|href|action|formaction)\s*=\s*["']?([^"'\s>]+)/gi)) {
    const url = match[1] ?? '';
    if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(url)) problems.push(`loads from elsewhere: ${url}`);
  }
  return problems;
}

/** The policy a page's <meta http-equiv="Content-Security-Policy"> sets, if any. */
export function metaCsp(html: string): string | undefined {
  const tag = html.match(/<meta\b[^>]*http-equiv\s*=\s*["']content-security-policy["'][^>]*>/i)?.[0];
  return tag?.match(/content\s*=\s*"([^"]*)"/i)?.[1];
}
