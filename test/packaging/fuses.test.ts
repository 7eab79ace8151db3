import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';
import { writeStubElectron } from './stub-electron.js';

interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { executableName: string; appInfo: { productFilename: string } };
}
type Hook = (context: PackContext) => Promise<void>;

/** The hook file electron-builder loads (by import(), as it does). */
async function hook(file: string): Promise<Hook> {
  const module = (await import(pathToFileURL(join(repoRoot, 'build', file)).href)) as { default: Hook };
  return module.default;
}
const releaseHook = await hook('after-pack.mjs');
const uiTestHook = await hook('after-pack-ui-test.mjs');

/** Runs an afterPack hook on a copy of the stub binary, as electron-builder would for Linux. */
async function fusesAfter(hook: Hook): Promise<Record<number, number>> {
  const stub = writeStubElectron(tempDir('pc-fuse-stub-'), '0.0.0');
  const appOutDir = tempDir('pc-fuse-out-');
  mkdirSync(appOutDir, { recursive: true });
  copyFileSync(join(stub, 'electron'), join(appOutDir, 'portcullis'));
  await hook({ appOutDir, electronPlatformName: 'linux', arch: 1, packager: { executableName: 'portcullis', appInfo: { productFilename: 'Portcullis' } } });
  return (await getCurrentFuseWire(join(appOutDir, 'portcullis'))) as unknown as Record<number, number>;
}

// FuseState in @electron/fuses (not exported): the ASCII digits Electron writes in the wire.
const on = '1'.charCodeAt(0);
const off = '0'.charCodeAt(0);

describe('the afterPack fuse hooks', () => {
  it('release: no run-as-node, no NODE_OPTIONS, no --inspect, asar only and verified, cookies encrypted', async () => {
    const wire = await fusesAfter(releaseHook);
    expect(wire[FuseV1Options.RunAsNode]).toBe(off);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(off);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(off);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(on);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(on);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(on);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(off);
  });

  it('UI-automation build: identical except that --inspect stays available', async () => {
    const release = await fusesAfter(releaseHook);
    const uiTest = await fusesAfter(uiTestHook);
    expect(uiTest[FuseV1Options.EnableNodeCliInspectArguments]).toBe(on);
    expect({ ...uiTest, [FuseV1Options.EnableNodeCliInspectArguments]: off }).toEqual(release);
  });
});
