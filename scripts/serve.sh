#!/usr/bin/env bash
# Builds the widget in release mode and serves it, with the seed article, on http://127.0.0.1:8080/
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/build/node_modules/.bin:$PATH"
scripts/setup.sh
exec trunk serve --release --offline "$@"
