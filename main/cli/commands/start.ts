import type { ServerView } from '../../core/api.js';
import type { CliContext, Command } from '../context.js';
import { intOption, parse } from '../parse.js';

export const start: Command = {
  name: 'start',
  usage: 'start NAME [--wait] [--timeout SECONDS]',
  summary: 'start a server; with --wait, exit 0 once healthy and 1 if it fails',
  async run(argv, ctx) {
    const { values, positionals } = parse(
      argv,
      { wait: { type: 'boolean' }, timeout: { type: 'string' } },
      { min: 1, max: 1, names: 'NAME' },
    );
    const name = positionals[0] ?? '';
    if (!values.wait) {
      const view = await ctx.client.call('servers.start', { name });
      ctx.out(`${view.name} ${view.state} (pid ${view.pid})`);
      return 0;
    }
    const timeoutMs = (intOption(values.timeout, 'timeout') ?? 60) * 1000;
    return waitUntilHealthy(ctx, name, timeoutMs);
  },
};

type Outcome = { done: true; code: number; message: string } | { done: false };

function judge(view: ServerView): Outcome {
  const healthy = view.state === 'running' && (view.health.status === 'healthy' || !view.definition.health);
  if (healthy) return { done: true, code: 0, message: `${view.name} is healthy (pid ${view.pid})` };
  if (view.state === 'failed' || view.state === 'stopped' || view.state === 'succeeded') {
    return { done: true, code: 1, message: `${view.name} ${view.state}: ${view.lastExit?.reason ?? 'no reason given'}` };
  }
  return { done: false };
}

/** Subscribes before starting, so a fast server's healthy event cannot be missed. */
async function waitUntilHealthy(ctx: CliContext, name: string, timeoutMs: number): Promise<number> {
  let settle: (outcome: Extract<Outcome, { done: true }>) => void = () => {};
  const finished = new Promise<Extract<Outcome, { done: true }>>((resolve) => (settle = resolve));
  const unsubscribe = await ctx.client.subscribe(
    (message) => {
      if (message.event !== 'server.changed' || message.payload.name !== name) return;
      const outcome = judge(message.payload);
      if (outcome.done) settle(outcome);
    },
    () => settle({ done: true, code: 1, message: 'the connection to Portcullis closed while waiting' }),
  );
  const timer = setTimeout(
    () => settle({ done: true, code: 1, message: `${name} did not become healthy within ${timeoutMs / 1000} s` }),
    timeoutMs,
  );
  try {
    const view = await ctx.client.call('servers.start', { name });
    const now = judge(view);
    if (now.done) settle(now);
    const outcome = await finished;
    (outcome.code === 0 ? ctx.out : ctx.err)(outcome.message);
    return outcome.code;
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}
