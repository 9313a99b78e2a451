#!/usr/bin/env bash
# Runs `sahifa extract` over a JSONL of articles under Apache Spark in local mode, one sahifa process a
# partition, and checks the result equals one sahifa process over the whole file (sorted by id).
# Not part of scripts/test.sh (it installs pyspark, ~400 MB, and starts a JVM).
#   scripts/spark_extract.sh                       1,000 articles cut from ANERcorp (tools/spark/make_articles.py)
#   scripts/spark_extract.sh ARTICLES.jsonl [N]    your articles, at least N partitions (default 8)
# Installs what is missing: Java (Debian default-jre-headless), pyspark from PyPI in tools/.venv (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1;35m== spark: %s\033[0m\n' "$*" >&2; }

if ! command -v java >/dev/null; then
  step "Java (default-jre-headless)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >&2
fi
if ! tools/.venv/bin/python -c 'import pyspark' 2>/dev/null; then
  step "pyspark in tools/.venv"
  python3 -m venv tools/.venv
  tools/.venv/bin/pip install -q pyspark >&2
fi

step "sahifa (release)"
cargo build -q --release -p sahifa-cli
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
BIN="$TARGET/release/sahifa"

WORK=$(mktemp -d /tmp/sahifa-spark.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
INPUT=${1:-}
if [ -z "$INPUT" ]; then
  INPUT=$WORK/articles.jsonl
  python3 tools/spark/make_articles.py --articles 1000 --out "$INPUT"
fi

step "extract under Spark (local mode)"
START=$(date +%s.%N)
tools/.venv/bin/python tools/spark/run_extract.py --binary "$BIN" --input "$INPUT" --output "$WORK/out" \
  --partitions "${2:-8}" --check
echo "spark job with the check: $(python3 -c "print(round($(date +%s.%N) - $START, 1))") s" >&2
