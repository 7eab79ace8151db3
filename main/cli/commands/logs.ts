import type { LogLine } from '../../core/api.js';
import type { Command } from '../context.js';
import { intOption, parse } from '../parse.js';

const format = (line: LogLine): string => `${line.ts} ${line.stream.padEnd(6)} ${line.text}`;

export const logs: Command = {
  name: 'logs',
  usage: 'logs NAME [--tail N] [--follow]',
  summary: "a server's recent output (secrets redacted); --follow keeps printing new lines",
  async run(argv, ctx) {
    const { values, positionals } = parse(
      argv,
      { tail: { type: 'string' }, follow: { type: 'boolean', short: 'f' } },
      { min: 1, max: 1, names: 'NAME' },
    );
    const name = positionals[0] ?? '';
    const tail = intOption(values.tail, 'tail') ?? 200;
    if (!values.follow) {
      for (const line of await ctx.client.call('servers.logs', { name, tail })) ctx.out(format(line));
      return 0;
    }
    // Subscribe first, then read the tail: lines printed in between come by event, and the
    // sequence numbers drop the ones seen twice.
    let last = 0;
    const buffered: LogLine[] = [];
    let live = false;
    const print = (line: LogLine): void => {
      if (line.seq <= last) return;
      last = line.seq;
      ctx.out(format(line));
    };
    const closed = new Promise<number>((resolve) => {
      void ctx.client
        .subscribe(
          (message) => {
            if (message.event !== 'server.log' || message.payload.name !== name) return;
            for (const line of message.payload.lines) (live ? print : (l: LogLine) => buffered.push(l))(line);
          },
          () => resolve(1),
        )
        .then(async () => {
          for (const line of await ctx.client.call('servers.logs', { name, tail })) print(line);
          live = true;
          for (const line of buffered.splice(0)) print(line);
        })
        .catch((err: Error) => {
          ctx.err(`portcullis: ${err.message}`);
          resolve(1);
        });
      process.once('SIGINT', () => resolve(0));
    });
    return closed;
  },
};
