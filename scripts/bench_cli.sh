#!/usr/bin/env bash
# Whole-process throughput of the `sahifa` command (start, model load, reading, work, writing), as a markdown
# table on stdout: `sahifa tag` over ANERcorp's train.txt, and `sahifa extract` over 1,000 articles cut from it
# (JSONL), on 1 thread and on every core. Best (and median) of 5 runs, output to /dev/null; the load average
# is printed since the machine is shared and wall time counts other people's work too.
#   scripts/bench_cli.sh          release build, the full inputs
#   scripts/bench_cli.sh --smoke  debug build, the seed as 5 articles and as CoNLL: checks the harness runs
# scripts/bench.sh appends this table to its report.
set -euo pipefail
cd "$(dirname "$0")/.."
SMOKE=""
[ "${1:-}" = "--smoke" ] && SMOKE=1
OUT=bench/.out/cli
mkdir -p "$OUT"
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
DATA=${SAHIFA_ANERCORP:-/work/shared/data/anercorp/train.txt}
if [ -n "$SMOKE" ]; then
  cargo build -q -p sahifa-cli >&2
  BIN=$TARGET/debug/sahifa
  N=5 RUNS=1 DATA=/nonexistent   # make_articles.py repeats the seed
  tr -s ' \n' '\n' < core/assets/seed-article-ar.txt > "$OUT/tokens.txt"
  TAG_IN=$OUT/tokens.txt
else
  cargo build -q --release -p sahifa-cli >&2
  BIN=$TARGET/release/sahifa
  N=1000 RUNS=5
  TAG_IN=$DATA
  [ -f "$TAG_IN" ] || { tr -s ' \n' '\n' < core/assets/seed-article-ar.txt > "$OUT/tokens.txt"; TAG_IN=$OUT/tokens.txt; }
fi
python3 tools/spark/make_articles.py --data "$DATA" --articles "$N" --out "$OUT/articles.jsonl" 2>/dev/null

python3 - "$BIN" "$TAG_IN" "$OUT/articles.jsonl" "$RUNS" "$(nproc)" <<'PY'
import json, os, statistics, subprocess, sys, time
bin_, tag_in, articles, runs, cores = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])

def timed(args):
    """(best, median) wall seconds and the least CPU seconds (user + system) of `runs` runs."""
    times, cpus = [], []
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.Popen([bin_] + args, stdout=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        times.append(time.perf_counter() - t)
        assert os.waitstatus_to_exitcode(status) == 0, args
        cpus.append(ru.ru_utime + ru.ru_stime)
    return min(times), statistics.median(times), min(cpus)

tag_tokens = sum(1 for l in open(tag_in, encoding="utf-8") if l.split())
texts = [json.loads(l)["text"] for l in open(articles, encoding="utf-8") if l.strip()]
art_tokens = sum(len(t.split()) for t in texts)
rows = []
for label, args, tokens, what in [
    ("sahifa tag", ["tag", tag_in], tag_tokens, f"{tag_in.split('/')[-1]}: {tag_tokens:,} tokens"),
    ("sahifa extract --jsonl", ["extract", "--jsonl", articles], art_tokens,
     f"{len(texts):,} articles, {art_tokens:,} tokens"),
]:
    (one, one_med, one_cpu), (alln, all_med, all_cpu) = timed(args + ["--threads", "1"]), timed(args)
    rate = lambda s: f"{tokens / s / 1e3:,.0f} k tokens/s"
    rows.append(f"| {label} | {what} | {rate(one)} ({one * 1e3:,.0f} ms; median {rate(one_med)}; CPU {one_cpu * 1e3:,.0f} ms) | "
                f"{rate(alln)} ({alln * 1e3:,.0f} ms; median {rate(all_med)}; CPU {all_cpu * 1e3:,.0f} ms) | {one / alln:.2f}× |")
load = open("/proc/loadavg").read().split()[:3]
print(f"`sahifa` as a whole process, best of {runs} wall times (load average at the end {' '.join(load)} on {cores} CPUs; "
      "CPU: the least user + system time of the runs, what the work costs whatever else runs):")
print()
print(f"| Command | Input | 1 thread | {cores} threads (default) | Speed-up |")
print("|---|---|---|---|---|")
print("\n".join(rows))
PY
