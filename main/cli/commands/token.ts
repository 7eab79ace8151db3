import type { Command } from '../context.js';
import { UsageError } from '../context.js';
import { tokenCreate } from './token/create.js';
import { tokenKeychain } from './token/keychain.js';
import { tokenLs } from './token/ls.js';
import { tokenQr } from './token/qr.js';
import { tokenRevoke } from './token/revoke.js';
import { tokenRotate } from './token/rotate.js';
import { tokenShow } from './token/show.js';
import { tokenSnippet } from './token/snippet.js';
import { tokenUpstream } from './token/upstream.js';

const subcommands: Command[] = [tokenCreate, tokenLs, tokenShow, tokenRotate, tokenRevoke, tokenSnippet, tokenQr, tokenUpstream, tokenKeychain];

export function tokenUsage(): string {
  const width = Math.max(...subcommands.map((c) => c.usage.length));
  return [
    'usage: portcullis token SUBCOMMAND ...',
    '',
    ...subcommands.map((c) => `  token ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'DURATION is a number and a unit (s, m, h, d, w), such as 90m, 12h, 30d or 1h30m.',
    'Secrets are printed alone on stdout (show, --show, --reveal) so scripts can capture them.',
  ].join('\n');
}

export const token: Command = {
  name: 'token',
  usage: 'token create|ls|show|rotate|revoke|snippet|qr|upstream|keychain ...',
  summary: 'client tokens kept in the OS keychain (`portcullis token` for details)',
  async run(argv, ctx) {
    const [name, ...rest] = argv;
    if (name === undefined || name === 'help') {
      ctx.out(tokenUsage());
      return name === undefined ? 2 : 0;
    }
    const sub = subcommands.find((c) => c.name === name);
    if (!sub) throw new UsageError(`unknown token subcommand: ${name} (one of ${subcommands.map((c) => c.name).join(', ')})`);
    try {
      return await sub.run(rest, ctx);
    } catch (err) {
      // The usage printed for a mistake is the sub-command's, not the whole token family's.
      if (err instanceof UsageError) throw new UsageError(`${err.message}\nusage: portcullis token ${sub.usage}`);
      throw err;
    }
  },
};
