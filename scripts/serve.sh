#!/usr/bin/env bash
# Builds the widget in release mode (dist/) and serves it, with the seed article, on http://127.0.0.1:8080/
# from a plain static server: dist/ is exactly what any static server would serve (no live-reload script).
#   scripts/serve.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/build/node_modules/.bin:$PATH"
scripts/setup.sh
trunk build --release --offline
exec node tools/serve/serve.mjs dist "${1:-8080}"
