import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { WRITER_FILE, writerBuildOptions } from '../main/core/audit/writer-thread.js';

const root = new URL('..', import.meta.url).pathname;

/**
 * The bench roles as one plain ES module, run by `node` with no loader: the code measured is
 * compiled as the app's build compiles it, not through tsx, whose runtime helpers (it names
 * every function a request creates) would tax each case's per-request closures. It is written
 * under node_modules/.cache so its packages (ws, http-proxy-3) resolve as usual —
 * also for `entry` in another checkout (a baseline to compare against). Each bundle gets its
 * own folder with the journal's writer thread of its own checkout beside it, so a baseline
 * runs its own writer, not this one's.
 */
export async function bundleRoles(entry = join(root, 'bench', 'gateway-roles.ts'), name = 'gateway-roles'): Promise<string> {
  const dir = join(root, 'node_modules', '.cache', 'portcullis-bench', name);
  const checkout = dirname(dirname(entry));
  const writerEntry = [join(checkout, 'main', 'core', 'audit', 'writer-worker.ts'), join(root, 'main', 'core', 'audit', 'writer-worker.ts')].find((f) => existsSync(f)) as string;
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    logLevel: 'error',
  });
  // The audit journal's writer thread, found beside the bundle as the app finds it beside out/main.
  await build({ ...writerBuildOptions(writerEntry), outfile: join(dir, WRITER_FILE) });
  return outfile;
}
