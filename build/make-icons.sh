#!/usr/bin/env bash
# Regenerates every icon from build/icon.svg (the one source): Linux PNG sizes in
# build/icons/, build/icon.png, the Windows .ico and the macOS .icns. The outputs are
# committed, so packaging needs no image tools; run this only after changing the SVG.
# Needs ImageMagick 6 (`apt-get install imagemagick`) with the librsvg delegate.
set -euo pipefail
cd "$(dirname "$0")"
# /usr/local/bin/convert may be a stand-in on some machines; use the real one.
convert=/usr/bin/convert
[ -x "$convert" ] || convert=$(command -v magick || command -v convert)
mkdir -p icons
for size in 16 24 32 48 64 128 256 512 1024; do
  "$convert" -background none -density 300 icon.svg -resize "${size}x${size}" -depth 8 "PNG32:icons/${size}x${size}.png"
done
cp icons/1024x1024.png icon.png
"$convert" icons/16x16.png icons/24x24.png icons/32x32.png icons/48x48.png icons/64x64.png icons/128x128.png icons/256x256.png icon.ico
node make-icns.mjs icon.icns
