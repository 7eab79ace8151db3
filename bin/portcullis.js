#!/usr/bin/env node
// The CLI entry: runs the bundle `npm install` built (the prepare script).
import { existsSync } from 'node:fs';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('portcullis: not built yet. Run `npm install` (or `npm run build`) in the repository first.\n');
  process.exit(1);
}
const { main } = await import(cli.href);
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Output is flushed by now; a stray handle must not keep a finished command alive.
setTimeout(() => process.exit(code), 1000).unref();
