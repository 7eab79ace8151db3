import { crc32, deflateSync } from 'node:zlib';

/**
 * The tray icon, drawn in code (no image files to package): a portcullis grid, grey while
 * everything is local, orange with the gate raised while anything is exposed. 32×32 RGBA,
 * encoded as PNG and shown at scale 2 (16 points).
 */
export const TRAY_ICON_SIZE = 32;

type Rgb = readonly [number, number, number];
const LOCAL: Rgb = [0x86, 0x8e, 0x96];
const EXPOSED: Rgb = [0xf7, 0x67, 0x07];

/** Raw RGBA pixels, row by row. */
export function trayIconPixels(exposed: boolean): Buffer {
  const n = TRAY_ICON_SIZE;
  const [r, g, b] = exposed ? EXPOSED : LOCAL;
  const buf = Buffer.alloc(n * n * 4);
  for (let y = 2; y < n - 2; y++) {
    for (let x = 4; x < n - 4; x++) {
      const frame = y < 5 || x < 7 || x >= n - 7;
      const bar = (x - 4) % 6 < 2;
      const rail = y % 8 < 2;
      // Down (bars to the bottom) when local; raised (bars stop short) when exposed.
      const reach = exposed ? y < n - 12 : true;
      if (!(frame || (reach && (bar || rail)))) continue;
      const at = (y * n + x) * 4;
      buf[at] = r;
      buf[at + 1] = g;
      buf[at + 2] = b;
      buf[at + 3] = 0xff;
    }
  }
  return buf;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** The icon as a PNG file's bytes (for nativeImage.createFromBuffer). */
export function trayIconPng(exposed: boolean): Buffer {
  const n = TRAY_ICON_SIZE;
  const pixels = trayIconPixels(exposed);
  // Each scanline starts with filter type 0 (none).
  const raw = Buffer.alloc(n * (n * 4 + 1));
  for (let y = 0; y < n; y++) pixels.copy(raw, y * (n * 4 + 1) + 1, y * n * 4, (y + 1) * n * 4);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(n, 0);
  ihdr.writeUInt32BE(n, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(6, 9); // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
