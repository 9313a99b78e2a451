#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/screenshots/*.png) from a release build: the standalone page
# on a desktop (1280×900) and a phone (390×844), the widget embedded in the demo news page, and the English
# interface. Headless Chromium (Debian's) driven by playwright-core from tests/e2e; nothing is fetched.
#   scripts/screenshots.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/build/node_modules/.bin:$PATH"
scripts/setup.sh --test
if [ "${1:-}" != "--no-build" ]; then
  trunk build --release --offline
fi
node tests/e2e/screenshots.mjs docs/screenshots
ls -l docs/screenshots
