import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { join } from 'node:path';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { getCurrentFuseWire } from '@electron/fuses';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';
import { STOCK_FUSES, writeStubElectron } from './stub-electron.js';

const require = createRequire(import.meta.url);
const electronVersion = (require('electron/package.json') as { version: string }).version;

/** Runs the real electron-builder CLI on the real electron-builder.yml; only the Electron binary is a stub. */
function electronBuilder(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'node_modules/electron-builder/cli.js'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** A fuse wire as '1'/'0' per fuse, in FuseV1Options order. */
function wireString(wire: Record<string, unknown>): string {
  return Object.keys(wire)
    .filter((key) => key !== 'version')
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => String.fromCharCode(wire[key] as number))
    .join('');
}

describe('electron-builder --dir --linux with a stub Electron', () => {
  const work = tempDir('pc-pack-');
  const appOut = join(work, 'release', 'linux-unpacked');
  const asarPath = join(appOut, 'resources', 'app.asar');
  let files: string[] = [];

  beforeAll(async () => {
    for (const built of ['out/main/shell.js', 'out/preload/preload.cjs', 'out/renderer/index.html']) {
      if (!existsSync(join(repoRoot, built))) throw new Error(`${built} is missing: run \`npm run build\` first`);
    }
    const stub = writeStubElectron(join(work, 'electron-dist'), electronVersion);
    const result = await electronBuilder([
      '--dir',
      '--linux',
      '--x64',
      `-c.electronDist=${stub}`,
      `-c.directories.output=${join(work, 'release')}`,
      // Rebuilding keytar for Electron downloads Electron's headers; not possible offline.
      '-c.npmRebuild=false',
    ]);
    if (result.code !== 0) throw new Error(`electron-builder exited with ${result.code}:\n${result.output}`);
    files = listPackage(asarPath, { isPack: false }).map((p) => p.replaceAll('\\', '/'));
  }, 240_000);

  it('packs the built main, preload and renderer and a package.json whose main is inside', () => {
    const pkg = JSON.parse(extractFile(asarPath, 'package.json').toString()) as { main: string; name: string; productName: string };
    expect(pkg.name).toBe('portcullis');
    // Electron names the user-data folder after productName: the same home the CLI looks in.
    expect(pkg.productName).toBe('Portcullis');
    // The audit journal's writer thread is its own file, started from its text.
    for (const path of ['/package.json', `/${pkg.main}`, '/out/main/audit-writer.cjs', '/out/preload/preload.cjs', '/out/renderer/index.html']) {
      expect(files).toContain(path);
    }
    expect(files.some((p) => /^\/out\/renderer\/assets\/[^/]+\.js$/.test(p))).toBe(true);
    expect(files).toContain('/node_modules/electron-store/package.json');
  });

  it('packs every package the built main process imports (dependencies, not devDependencies)', () => {
    const mainFiles = files.filter((p) => p.startsWith('/out/main/') && p.endsWith('.js'));
    const imported = new Set<string>();
    for (const file of mainFiles) {
      const code = extractFile(asarPath, file.slice(1)).toString();
      // esbuild writes static imports one per line, and dynamic ones as import("name").
      const statics = code.matchAll(/^(?:import|export)\b[^;]*?(?:from\s*)?"([^"./][^"]*)";/gm);
      const dynamics = code.matchAll(/\bimport\(\s*"([^"./][^"]*)"\s*\)/g);
      for (const match of [...statics, ...dynamics]) {
        const specifier = match[1] ?? '';
        if (specifier.startsWith('node:') || builtinModules.includes(specifier) || specifier === 'electron') continue;
        const parts = specifier.split('/');
        imported.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier));
      }
    }
    expect(imported.size).toBeGreaterThan(0);
    const missing = [...imported].filter((name) => !files.includes(`/node_modules/${name}/package.json`));
    expect(missing, 'imported by out/main but not in app.asar: make them dependencies').toEqual([]);
  });

  it('holds no tests, no TypeScript sources and no source maps', () => {
    const offenders = files.filter(
      (p) =>
        /\.(ts|tsx|mts|cts|map)$/.test(p) ||
        /\/(test|tests|__tests__)(\/|$)/.test(p) ||
        /^\/(main|preload|renderer|test|scripts|bench|docs|build)(\/|$)/.test(p),
    );
    expect(offenders).toEqual([]);
  });

  it('unpacks keytar\'s native module outside the archive', () => {
    const inArchive = 'node_modules/keytar/build/Release/keytar.node';
    expect(statFile(asarPath, inArchive)).toMatchObject({ unpacked: true });
    const onDisk = join(appOut, 'resources', 'app.asar.unpacked', inArchive);
    expect(statSync(onDisk).size).toBeGreaterThan(0);
    // ELF magic: a loadable shared object, not a pointer or an empty placeholder.
    expect(readFileSync(onDisk).subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  });

  it('names the executable portcullis and flips the release fuses on it', async () => {
    const binary = join(appOut, 'portcullis');
    expect(existsSync(binary)).toBe(true);
    // RunAsNode off, cookie encryption on, NODE_OPTIONS off, --inspect off, asar integrity on,
    // only app.asar, no browser V8 snapshot, no extra file:// privileges.
    expect(STOCK_FUSES).not.toBe('01001100');
    expect(wireString(await getCurrentFuseWire(binary))).toBe('01001100');
  });
});

describe('the UI-automation build (build/electron-builder.ui-test.yml)', () => {
  const work = tempDir('pc-pack-ui-');

  it('is the release build except that --inspect stays on', async () => {
    const stub = writeStubElectron(join(work, 'electron-dist'), electronVersion);
    const result = await electronBuilder([
      '--dir',
      '--linux',
      '--x64',
      '--config',
      'build/electron-builder.ui-test.yml',
      `-c.electronDist=${stub}`,
      `-c.directories.output=${join(work, 'release')}`,
      '-c.npmRebuild=false',
    ]);
    if (result.code !== 0) throw new Error(`electron-builder exited with ${result.code}:\n${result.output}`);
    const appOut = join(work, 'release', 'linux-unpacked');
    // As the release wire ('01001100') but EnableNodeCliInspectArguments (the 4th) on.
    expect(wireString(await getCurrentFuseWire(join(appOut, 'portcullis')))).toBe('01011100');
    expect(statFile(join(appOut, 'resources', 'app.asar'), 'node_modules/keytar/build/Release/keytar.node')).toMatchObject({ unpacked: true });
  }, 240_000);
});

