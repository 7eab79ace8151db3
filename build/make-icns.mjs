// Writes build/icon.icns from the PNGs in build/icons/. An .icns file is a header
// ('icns' + total length) followed by entries (4-byte type, length, PNG data); since
// macOS 10.7 these types may hold PNG data directly, so no Apple tool is needed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const entries = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

const chunks = entries.map(([type, size]) => {
  const png = readFileSync(join(here, 'icons', `${size}x${size}.png`));
  const head = Buffer.alloc(8);
  head.write(type, 0, 'ascii');
  head.writeUInt32BE(png.length + 8, 4);
  return Buffer.concat([head, png]);
});
const body = Buffer.concat(chunks);
const header = Buffer.alloc(8);
header.write('icns', 0, 'ascii');
header.writeUInt32BE(body.length + 8, 4);
writeFileSync(join(here, process.argv[2] ?? 'icon.icns'), Buffer.concat([header, body]));
