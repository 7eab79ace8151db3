// Builds the three runtimes: main (CLI and Electron shell, ESM), preload (one sandbox-safe
// CommonJS file) and the renderer (Vite).
import { readFileSync, rmSync } from 'node:fs';
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const define = { __PORTCULLIS_VERSION__: JSON.stringify(pkg.version) };

// Stale chunks from an earlier build would otherwise be packed into the app.
rmSync('out', { recursive: true, force: true });

const common = { bundle: true, platform: 'node', target: 'node20', define, logLevel: 'warning', legalComments: 'none' };

await Promise.all([
  esbuild({
    ...common,
    entryPoints: { cli: 'main/cli/index.ts', shell: 'main/shell/main.ts' },
    outdir: 'out/main',
    format: 'esm',
    // Dependencies stay in node_modules (keytar is native); electron is the host.
    packages: 'external',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  }),
  // The audit journal's writer thread: one self-contained script the journal hands to a
  // Worker as text (so it loads from inside an asar too); main/core/audit/writer-thread.ts
  // compiles the same entry the same way when running from source.
  esbuild({
    ...common,
    entryPoints: ['main/core/audit/writer-worker.ts'],
    outfile: 'out/main/audit-writer.cjs',
    format: 'cjs',
  }),
  esbuild({
    ...common,
    entryPoints: ['preload/index.ts'],
    outfile: 'out/preload/preload.cjs',
    format: 'cjs',
    // A sandboxed preload may require only 'electron': everything else is bundled in.
    external: ['electron'],
    platform: 'browser',
  }),
  vite({ configFile: 'vite.config.ts', logLevel: 'warn' }),
]);
