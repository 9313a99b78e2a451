#!/usr/bin/env bash
# Installs what building and testing Sahifa needs, skipping whatever is already there.
# Everything comes from crates.io, npm or Debian: nothing is downloaded from release pages or CDNs.
#   scripts/setup.sh          build tools (wasm target, Trunk, wasm-bindgen-cli)
#   scripts/setup.sh --test   also Chromium + ChromeDriver (Debian), the end-to-end npm packages and cargo-fuzz
#   scripts/setup.sh --fuzz   only cargo-fuzz (for scripts/fuzz.sh; it runs on stable Rust)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

install_cargo_fuzz() {
  if ! cargo fuzz --version >/dev/null 2>&1; then
    say "installing cargo-fuzz (a few minutes, once)"
    cargo install cargo-fuzz --locked
  fi
}

# Fuzzing needs only cargo-fuzz, none of the widget's build tools.
if [ "${1:-}" = "--fuzz" ]; then
  install_cargo_fuzz
  exit 0
fi

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock, or Trunk tries a download and fails (the post-build
# hook runs it too, with wasm-opt, on the first-highlight module paint/).
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' Cargo.lock)

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (a few minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WBG_VERSION" ]; then
  say "installing wasm-bindgen-cli $WBG_VERSION (a few minutes, once)"
  # Not --locked: for 0.2.130 a locked dependency is missing from the registry.
  cargo install wasm-bindgen-cli --version "$WBG_VERSION" --force
fi

# wasm-opt from npm's binaryen; callers put tools/build/node_modules/.bin on PATH.
if [ ! -x tools/build/node_modules/.bin/wasm-opt ] || [ tools/build/package-lock.json -nt tools/build/node_modules/.package-lock.json ]; then
  say "installing build tools from npm (binaryen's wasm-opt)"
  (cd tools/build && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "${1:-}" = "--test" ]; then
  install_cargo_fuzz
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Chromium and ChromeDriver from Debian"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  if [ ! -d tests/e2e/node_modules/playwright-core ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
    say "installing end-to-end test packages (npm ci)"
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
