#!/usr/bin/env bash
# Runs every benchmark and prints ONE markdown table, also written to bench/results.md with the date and machine:
# core throughput (criterion, native) beside its tokenize floor, the same extraction as wasm in headless Chromium
# beside native, load to highlights beside a static pre-rendered page, scaling to 100k words, re-render after
# addAnnotation, the gzipped download, and the `sahifa` command's whole-process throughput (scripts/bench_cli.sh).
# Targets are reported, never enforced.
#   scripts/bench.sh          the full run (2–5 minutes; builds a release dist/ into bench/.out/dist)
#   scripts/bench.sh --smoke  every harness once on tiny inputs (scripts/test.sh runs this so none can rot);
#                             builds a debug dist with the bench hooks; figures are meaningless
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/build/node_modules/.bin:$PATH"
SMOKE=""
[ "${1:-}" = "--smoke" ] && SMOKE=1
step() { printf '\n\033[1;35m== bench: %s\033[0m\n' "$*" >&2; }

scripts/setup.sh --test >&2
OUT=bench/.out
mkdir -p "$OUT"
TARGET=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
MACHINE="$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo 'unknown CPU'), $(uname -sm), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -n "$SMOKE" ]; then
  PROFILE=()          # debug build of the example: test.sh has built its dependencies already
  INPUTS=(seed=$OUT/texts/seed.txt)
  MIN_MS=1
else
  PROFILE=(--release)
  INPUTS=(seed=$OUT/texts/seed.txt long=$OUT/texts/long.txt words-1k=$OUT/texts/words-1k.txt
          words-10k=$OUT/texts/words-10k.txt words-100k=$OUT/texts/words-100k.txt)
  MIN_MS=2000
fi

step "inputs (seed, ANERcorp running text or the seed repeated, 1k/10k/20k/100k words)"
cargo run -q "${PROFILE[@]}" -p sahifa-core --example bench_extract -- --write "$OUT/texts"

step "core throughput (criterion: extract and the tokenize floor)"
if [ -n "$SMOKE" ]; then
  cargo test -q -p sahifa-core --bench pipeline >&2      # Criterion's test mode: each benchmark once
else
  rm -rf "$TARGET/criterion/pipeline_extract" "$TARGET/criterion/pipeline_tokenize" "$TARGET/criterion/pipeline_tagger"
  cargo bench -p sahifa-core --bench pipeline -- --warm-up-time 1 --measurement-time 5 >&2
fi

step "native extraction (same inputs as the browser)"
cargo run -q "${PROFILE[@]}" -p sahifa-core --example bench_extract -- --min-ms "$MIN_MS" "${INPUTS[@]}" > "$OUT/native.jsonl"
cat "$OUT/native.jsonl" >&2

# The bench hooks (src/bench.rs) are a cargo feature, never in the production dist/: the harness builds its own.
DIST=$OUT/dist
if [ -n "$SMOKE" ]; then
  step "debug build with the bench hooks ($DIST; smoke figures are meaningless anyway)"
  trunk build --offline --features bench --dist "$DIST" >&2
else
  step "release build with the bench hooks ($DIST)"
  trunk build --release --offline --features bench --dist "$DIST" >&2
fi

step "browser (headless Chromium)"
node bench/browser.mjs --dist "$DIST" --texts "$OUT/texts" --out "$OUT/browser.json" ${SMOKE:+--smoke}

step "command line (sahifa tag and extract, 1 thread and all cores)"
scripts/bench_cli.sh ${SMOKE:+--smoke} > "$OUT/cli.md"
cat "$OUT/cli.md" >&2

step "report"
if [ -n "$SMOKE" ]; then
  node bench/report.mjs --smoke --criterion "$OUT/no-criterion-in-smoke" --native "$OUT/native.jsonl" --browser "$OUT/browser.json" \
    --machine "$MACHINE" > "$OUT/results-smoke.md"
  { echo; cat "$OUT/cli.md"; } >> "$OUT/results-smoke.md"
  echo "bench smoke: every harness ran (report in $OUT/results-smoke.md)" >&2
else
  node bench/report.mjs --criterion "$TARGET/criterion" --native "$OUT/native.jsonl" --browser "$OUT/browser.json" \
    --machine "$MACHINE" > bench/results.md
  { echo; cat "$OUT/cli.md"; } >> bench/results.md
  cat bench/results.md
fi
