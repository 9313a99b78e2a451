#!/usr/bin/env bash
# Runs every fuzz target of the core (core/fuzz, cargo-fuzz + libFuzzer) for a while each and prints how many
# inputs each ran and the total. Exits non-zero if any target crashes, hangs or runs out of memory; the input
# that did it is in core/fuzz/artifacts/<target>/ (reproduce: scripts/fuzz.sh repro <target> <file>).
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   default 60 s, every target (`cargo fuzz list`)
#   scripts/fuzz.sh repro TARGET FILE                  runs one input through one target
# Each target starts from its committed seeds (core/fuzz/seeds/<target>, never written to) and the
# git-ignored corpus it has grown so far (core/fuzz/corpus/<target>). Works on stable Rust: cargo-fuzz
# needs nightly flags, which RUSTC_BOOTSTRAP=1 allows. Runs at `nice -n 10` (FUZZ_NICE to change).
# Built without a sanitizer (safe Rust needs none; several times the speed) and with debug assertions,
# so integer overflow is a crash too. FUZZ_BIN_DIR=DIR runs already built target binaries from DIR.
set -euo pipefail
cd "$(dirname "$0")/../core"
export RUSTC_BOOTSTRAP=1
NICE=${FUZZ_NICE:-10}
FLAGS=(--sanitizer none --debug-assertions)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: scripts/setup.sh --fuzz installs it" >&2
  exit 2
fi

say() { printf '\033[1;34m[fuzz]\033[0m %s\n' "$*"; }

if [ -n "${FUZZ_BIN_DIR:-}" ]; then
  BIN_DIR=$FUZZ_BIN_DIR # already built (a long run from a copy of the binaries, while the tree changes)
else
  nice -n "$NICE" cargo fuzz build "${FLAGS[@]}" >/dev/null 2>fuzz/build.log || { cat fuzz/build.log >&2; exit 2; }
  BIN_DIR=fuzz/target/$(rustc -vV | sed -n 's/^host: //p')/release
fi

if [ "${1:-}" = repro ]; then
  exec "$BIN_DIR/$2" "$3"
fi

SECS=${1:-60}
shift || true
if [ $# -gt 0 ]; then TARGETS=("$@"); else mapfile -t TARGETS < <(cargo fuzz list); fi

mkdir -p fuzz/logs
total=0
failed=()
printf '%-14s %12s %8s  %s\n' target inputs "inputs/s" result
for t in "${TARGETS[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t" "fuzz/seeds/$t"
  log="fuzz/logs/$t.log"
  set +e
  nice -n "$NICE" "$BIN_DIR/$t" "fuzz/corpus/$t" "fuzz/seeds/$t" \
    -max_total_time="$SECS" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="fuzz/artifacts/$t/" >"$log" 2>&1
  rc=$?
  set -e
  n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [ -n "$n" ] || n=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  n=${n:-0}
  total=$((total + n))
  if [ "$rc" = 0 ]; then result=ok; else result="FAILED (exit $rc, see core/$log)"; failed+=("$t"); fi
  printf '%-14s %12s %8s  %s\n' "$t" "$n" "$((n / (SECS > 0 ? SECS : 1)))" "$result"
done
printf '%-14s %12s\n' total "$total"
if [ ${#failed[@]} -gt 0 ]; then
  say "crashed: ${failed[*]}; inputs in core/fuzz/artifacts/<target>/"
  for t in "${failed[@]}"; do grep -m3 -E 'panicked|ERROR|SUMMARY' "fuzz/logs/$t.log" >&2 || true; done
  exit 1
fi
