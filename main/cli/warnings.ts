import type { CliContext } from './context.js';

/** The engine's start-up warnings (a settings file moved aside), shown on stderr. */
export async function printWarnings(ctx: CliContext): Promise<void> {
  const info = await ctx.client.call('system.info', {});
  for (const warning of info.warnings) ctx.err(`warning: ${warning}`);
}
