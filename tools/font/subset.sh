#!/usr/bin/env bash
# Regenerates www/fonts/noto-naskh-arabic-arabic-400-normal.woff2, the widget's one bundled font.
#
# Why a subset of a subset: fontsource's "arabic" file (npm @fontsource/noto-naskh-arabic, pinned in
# package.json) covers the Arabic Supplement and Extended blocks and presentation forms A (Persian, Urdu and
# Quranic forms, large ligatures such as U+FDFD): 52.7 kB that every page view downloads. News in Arabic uses
# the basic block: in ANERcorp, the seed article and 40 million characters of arwiki, 32 characters of 32
# million fall outside U+0600–06FF (U+FD3E/FD3F ornate parentheses, a few presentation forms B). Those are
# kept; anything else falls back to the reader's own fonts, glyph by glyph. Shaping is untouched: every
# OpenType layout feature is kept, and pyftsubset keeps the glyphs the features reach from the kept
# characters (lam-alef ligatures, joining forms, marks).
#
# Usage: tools/font/subset.sh   (needs npm and python3; installs into tools/font/node_modules and tools/.venv)
set -euo pipefail
cd "$(dirname "$0")"
root=../..
npm ci --silent --no-audit --no-fund
[ -x "$root/tools/.venv/bin/pip" ] || python3 -m venv "$root/tools/.venv"
"$root/tools/.venv/bin/pip" install --quiet -r requirements.txt
src=node_modules/@fontsource/noto-naskh-arabic/files/noto-naskh-arabic-arabic-400-normal.woff2
out="$root/www/fonts/noto-naskh-arabic-arabic-400-normal.woff2"
# The space, no-break space and the two control characters the source maps are kept too: without them the
# browser sets spaces in a fallback font, and lines break elsewhere. Rendered in Chromium, the seed article and
# 6,000 words of ANERcorp give a screenshot identical to the source font's.
RANGE="U+0000,U+000D,U+0020,U+00A0,U+0600-06FF,U+200C-200E,U+2010-2011,U+FD3E-FD3F,U+FE70-FE74,U+FE76-FEFC"
"$root/tools/.venv/bin/pyftsubset" "$src" --unicodes="$RANGE" --layout-features='*' --flavor=woff2 \
  --output-file="$out"
cp node_modules/@fontsource/noto-naskh-arabic/LICENSE "$root/www/fonts/OFL.txt"
echo "$out: $(stat -c %s "$out") bytes (source $(stat -c %s "$src"))"
