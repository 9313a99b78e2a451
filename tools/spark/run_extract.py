#!/usr/bin/env python3
"""`sahifa extract` over a JSONL of articles under Apache Spark: each partition of the input's lines is piped
through the CLI (`sahifa extract --jsonl --threads T -`), one process a partition, and the output lines
(`{"id", "annotations"}`) are saved as text under --output. With --check, the result is compared with one
`sahifa extract --jsonl` over the whole file, both sorted by id, and the job fails on any difference.

Local (what scripts/spark_extract.sh runs):
    tools/.venv/bin/python tools/spark/run_extract.py --binary target/release/sahifa \\
        --input articles.jsonl --output /tmp/out --partitions 8 --check
On a cluster, ship the binary with --files (it lands in each executor's SparkFiles directory):
    spark-submit --master spark://HOST:7077 --files target/release/sahifa tools/spark/run_extract.py \\
        --input hdfs:///news/articles.jsonl --output hdfs:///news/entities
"""
import argparse
import json
import os
import subprocess
import sys


def pipe_partition(threads):
    def run(lines):
        from pyspark import SparkFiles

        lines = [l for l in lines if l.strip()]
        if not lines:
            return
        exe = SparkFiles.get("sahifa")
        if not os.access(exe, os.X_OK):
            os.chmod(exe, 0o755)
        p = subprocess.run(
            [exe, "extract", "--jsonl", "--threads", str(threads), "-"],
            input="\n".join(lines) + "\n",
            capture_output=True,
            text=True,
        )
        if p.returncode != 0:
            # Line numbers in the message count within this partition.
            raise RuntimeError(f"sahifa failed on a partition: {p.stderr.strip()}")
        yield from p.stdout.splitlines()

    return run


def by_id(lines):
    rows = [json.loads(l) for l in lines if l.strip()]
    rows.sort(key=lambda r: json.dumps(r["id"], ensure_ascii=False))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", required=True, help="JSONL of {id, text}, any Hadoop path")
    ap.add_argument("--output", required=True, help="directory for the result (must not exist)")
    ap.add_argument("--binary", help="the sahifa binary to ship (leave out when spark-submit --files ships it)")
    ap.add_argument("--master", help="default: spark-submit's, or local[*] when run directly")
    ap.add_argument("--partitions", type=int, default=0, help="minimum input partitions (default: Spark's)")
    ap.add_argument("--threads", type=int, default=1, help="threads of each sahifa process (one task a core: 1)")
    ap.add_argument("--check", action="store_true", help="compare with one local sahifa run, sorted by id")
    a = ap.parse_args()

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("sahifa-extract").config("spark.ui.showConsoleProgress", "false")
    if a.master or "SPARK_ENV_LOADED" not in os.environ:
        builder = builder.master(a.master or "local[*]")
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    sc.setLogLevel("WARN")
    if a.binary:
        sc.addFile(os.path.abspath(a.binary))
    lines = sc.textFile(a.input, minPartitions=a.partitions or None)
    out = lines.mapPartitions(pipe_partition(a.threads)).cache()  # --check reads it again
    out.saveAsTextFile(a.output)
    print(f"spark: {lines.getNumPartitions()} partitions, master {sc.master}, output in {a.output}", file=sys.stderr)

    status = 0
    if a.check:
        if not a.binary:
            sys.exit("--check needs --binary (the local run uses it)")
        got = by_id(out.collect())
        ref = subprocess.run(
            [os.path.abspath(a.binary), "extract", "--jsonl", a.input], capture_output=True, text=True, check=True
        )
        want = by_id(ref.stdout.splitlines())
        if got == want:
            n = sum(len(r["annotations"]) for r in got)
            print(f"check: OK, {len(got)} articles and {n} annotations, same as one sahifa process", file=sys.stderr)
        else:
            diff = sum(1 for g, w in zip(got, want) if g != w) + abs(len(got) - len(want))
            print(f"check: DIFFERENT ({len(got)} vs {len(want)} articles, {diff} differ)", file=sys.stderr)
            status = 1
    spark.stop()
    sys.exit(status)


if __name__ == "__main__":
    main()
