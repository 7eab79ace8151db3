import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The fuse sentinel @electron/fuses looks for in an Electron binary. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's own defaults, in FuseV1Options order ('1' on, '0' off). */
export const STOCK_FUSES = '10010001';

/**
 * An unpacked "Electron distribution" with what electron-builder copies for Linux: the
 * `electron` executable (renamed to the app's), resources/, locales/, LICENSE and version.
 * The executable is a shell script that refuses to run, carrying a real fuse wire (sentinel,
 * version 1, length, states) so the afterPack hook flips fuses exactly as in a real binary.
 */
export function writeStubElectron(dir: string, version: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  mkdirSync(join(dir, 'locales'), { recursive: true });
  const wire = Buffer.concat([
    Buffer.from(SENTINEL, 'ascii'),
    Buffer.from([1, STOCK_FUSES.length]),
    Buffer.from(STOCK_FUSES, 'ascii'),
  ]);
  const script = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stub Electron: packaging tests only" >&2\nexit 1\n# '),
    wire,
    Buffer.from('\n'),
  ]);
  writeFileSync(join(dir, 'electron'), script);
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'version'), `v${version}`);
  writeFileSync(join(dir, 'LICENSE'), 'Electron stub license\n');
  writeFileSync(join(dir, 'locales', 'en-US.pak'), '');
  return dir;
}
