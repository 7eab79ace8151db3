// The Electron fuses Portcullis ships with: switches compiled into the Electron binary that
// no command-line flag or environment variable can turn back on. One definition, used by the
// release hook (after-pack.mjs), the UI-automation build (after-pack-ui-test.mjs) and tests.
import path from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

/**
 * @param {{ keepInspect?: boolean }} [options] keepInspect: leave `--inspect` working, only
 *   for the separate UI-automation build that drives the app over the DevTools protocol.
 */
export function fuseConfig(options = {}) {
  return {
    version: FuseVersion.V1,
    // Not strict: a newer Electron may carry fuses this @electron/fuses cannot name yet, and
    // strict mode would then refuse every release build; those keep Electron's default.
    strictlyRequireAllFuses: false,
    // ELECTRON_RUN_AS_NODE would turn the signed app into a general Node interpreter.
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    // NODE_OPTIONS=--require … would inject code into the process holding the keys.
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: options.keepInspect === true,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    // The window uses app://portcullis, so file:// needs no extra privileges.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

/** Where the fuse wire lives in what electron-builder just packed (before signing). */
export function electronBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
  }
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return path.join(appOutDir, packager.executableName);
}

/** afterPack runs before signing, so flipping here leaves the signature valid. */
export async function flipPackagedFuses(context, options = {}) {
  // electron-builder's Arch enum: arm64 is 3. Unsigned arm64 macOS binaries must be
  // re-signed ad hoc after the bytes change, or they will not launch.
  const resetAdHocDarwinSignature = context.electronPlatformName === 'darwin' && context.arch === 3;
  await flipFuses(electronBinary(context), { ...fuseConfig(options), resetAdHocDarwinSignature });
}
