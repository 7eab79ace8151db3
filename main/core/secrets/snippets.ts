import type { SnippetKind } from '../contract/tokens.js';

/** Stands where the secret goes until the user reveals it. */
export const HIDDEN_TOKEN = '<token hidden: reveal to insert it>';

/** Single-quoted for POSIX shells: nothing inside is expanded. */
const sh = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** OpenAI-compatible servers answer under /v1; a URL that already names it is kept. */
const openAiBase = (url: string): string => (/\/v1\/?$/.test(url) ? url.replace(/\/$/, '') : `${url.replace(/\/$/, '')}/v1`);

/**
 * A ready client snippet for one server URL and token: curl, the OpenAI Python and JavaScript
 * clients, an MCP client configuration with its headers block, or shell exports.
 */
export function snippet(kind: SnippetKind, input: { url: string; token: string; name: string }): string {
  const { url, token, name } = input;
  switch (kind) {
    case 'curl':
      return `curl -H ${sh(`Authorization: Bearer ${token}`)} ${sh(url)}`;
    case 'python':
      return [
        'from openai import OpenAI',
        '',
        `client = OpenAI(base_url=${JSON.stringify(openAiBase(url))}, api_key=${JSON.stringify(token)})`,
      ].join('\n');
    case 'js':
      return [
        "import OpenAI from 'openai';",
        '',
        `const client = new OpenAI({ baseURL: ${JSON.stringify(openAiBase(url))}, apiKey: ${JSON.stringify(token)} });`,
      ].join('\n');
    case 'mcp':
      return JSON.stringify({ mcpServers: { [name]: { type: 'http', url, headers: { Authorization: `Bearer ${token}` } } } }, null, 2);
    case 'env':
      return [
        `export PORTCULLIS_URL=${sh(url)}`,
        `export PORTCULLIS_TOKEN=${sh(token)}`,
        `export OPENAI_BASE_URL=${sh(openAiBase(url))}`,
        `export OPENAI_API_KEY="$PORTCULLIS_TOKEN"`,
      ].join('\n');
  }
}

/** What a phone scans: the gateway exchanges `portcullis_token` for a cookie and drops it from the URL. */
export function qrTarget(url: string, token: string): string {
  const target = new URL(url);
  target.searchParams.set('portcullis_token', token);
  return target.toString();
}
