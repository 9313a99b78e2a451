#!/usr/bin/env bash
# Runs every test: native core and widget tests, browser component tests (wasm-bindgen-test in headless
# Chromium), a release build of dist/, a short run of every fuzz target, and end-to-end tests in Chromium
# against that build.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/build/node_modules/.bin:$PATH"
scripts/setup.sh --test

step() { printf '\n\033[1;32m== %s\033[0m\n' "$*"; }

step "native tests (core, CLI, widget logic)"
cargo test --workspace

step "core without its embedded tagger data (rules only until data::install, then the full pipeline)"
cargo test -p sahifa-core --no-default-features --lib data

step "browser component tests (wasm-bindgen-test, headless Chromium)"
CHROMEDRIVER=/usr/bin/chromedriver cargo test -p sahifa-widget --target wasm32-unknown-unknown

step "release build (dist/; the post-build hook builds the first-highlight module, paint/, with it)"
trunk build --release --offline

step "benchmark harnesses, smoke mode (each once on a tiny input; no timings checked)"
scripts/bench.sh --smoke

# So the fuzz targets cannot rot: each runs 5 s from its seeds (about a minute in all, niced). A crash fails
# the run; the input is in core/fuzz/artifacts/. Longer runs: scripts/fuzz.sh SECONDS_PER_TARGET.
step "fuzz targets, smoke run (cargo-fuzz, 5 s each)"
scripts/fuzz.sh 5

# Last, so the run closes on the test runner's own summary.
step "end-to-end tests (Chromium + playwright-core)"
(cd tests/e2e && npm test)
