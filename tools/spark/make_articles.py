#!/usr/bin/env python3
"""Cuts a CoNLL token file (ANERcorp's train.txt: `token tag` a line) into N articles of running text and writes
them as JSONL, one {"id", "text"} a line: the input of `sahifa extract --jsonl`, its benchmark and the Spark job.

Sentences end at `.`-like tokens; each article gets an equal share of sentences, three sentences a paragraph.
Without the corpus (`--data` missing) the core's seed article is repeated N times instead.

    python3 tools/spark/make_articles.py --articles 1000 --out /tmp/articles.jsonl
"""
import argparse
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
ENDS = {".", "!", "?", "؟", "…", "...", "۔"}


def sentences(path):
    out, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if not fields:
                continue
            cur.append(fields[0])
            if fields[0] in ENDS:
                out.append(cur)
                cur = []
    if cur:
        out.append(cur)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.environ.get("SAHIFA_ANERCORP", "/work/shared/data/anercorp/train.txt"))
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if os.path.exists(a.data):
        sents = sentences(a.data)
        n = min(a.articles, len(sents))
        texts = []
        for k in range(n):
            part = sents[k * len(sents) // n:(k + 1) * len(sents) // n]
            paras = [" ".join(" ".join(s) for s in part[i:i + 3]) for i in range(0, len(part), 3)]
            texts.append("\n\n".join(paras))
        source = a.data
    else:
        with open(os.path.join(ROOT, "core", "assets", "seed-article-ar.txt"), encoding="utf-8") as f:
            texts = [f.read()] * a.articles
        source = "the seed article (no corpus at --data)"
    with open(a.out, "w", encoding="utf-8") as f:
        for k, t in enumerate(texts):
            f.write(json.dumps({"id": f"a{k:05d}", "text": t}, ensure_ascii=False) + "\n")
    print(f"{len(texts)} articles from {source} -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
