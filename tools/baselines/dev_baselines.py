#!/usr/bin/env python3
"""The issue's two reference baselines, rebuilt on our dev tenth so that it can be compared with the tail.

The issue quotes, on ANERcorp's held-out tail: memorising training tags 0.445, a quick crfsuite CRF 0.665.
This script trains both on the first 90% of train.txt and scores them on the last 10% (our dev set; the tail
is never read). Needs python-crfsuite from PyPI for the CRF (installed into a private venv when missing).

    python3 tools/baselines/dev_baselines.py ../shared/data/anercorp/train.txt
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "core", "data")


def spans(tags):
    out, start, typ = set(), None, None
    for i, t in enumerate(tags + ["O"]):
        if t.startswith("B-") or t == "O" or (t.startswith("I-") and t[2:] != typ):
            if start is not None:
                out.add((start, i, typ))
            start, typ = None, None
            if t != "O":
                start, typ = i, t[2:]
    return out


def score(gold, pred, label):
    g, p = spans(gold), spans(pred)
    tp = len(g & p)
    prec, rec = tp / max(len(p), 1), tp / max(len(g), 1)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    per_type = {}
    for ty in ("PERS", "LOC", "ORG", "MISC"):
        gg = {x for x in g if x[2] == ty}
        per_type[ty] = len(gg & p) / max(len(gg), 1)
    recalls = " ".join(f"{t} R {r:.3f}" for t, r in per_type.items())
    print(f"{label:<12} P {prec:.3f} R {rec:.3f} F1 {f1:.3f} | {recalls}")


def sentences(rows):
    out, cur = [], []
    for w, t in rows:
        cur.append((w, t))
        if w in (".", "!", "?", "؟"):
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def gazetteer():
    names = set()
    for f in ("cities.tsv", "countries.tsv", "names.tsv"):
        for line in open(os.path.join(DATA, f), encoding="utf-8"):
            if not line.startswith("#"):
                names.add(line.split("\t")[0])
    return names


def features(s, i, gaz):
    w = s[i][0]
    f = {"bias": 1, "w": w, "p1": w[:1], "p2": w[:2], "p3": w[:3], "s1": w[-1:], "s2": w[-2:], "s3": w[-3:],
         "gaz": w in gaz, "gaz1": w[1:] in gaz, "gaz2": w[2:] in gaz, "digit": w.isdigit()}
    for k in (-2, -1, 1, 2):
        j = i + k
        f[f"w{k}"] = s[j][0] if 0 <= j < len(s) else "<pad>"
    return f


def crf(train, dev):
    import pycrfsuite
    gaz = gazetteer()
    trainer = pycrfsuite.Trainer(verbose=False)
    for s in sentences(train):
        trainer.append([features(s, i, gaz) for i in range(len(s))], [t for _, t in s])
    trainer.set_params({"c1": 0.1, "c2": 0.05, "max_iterations": 150})
    path = os.path.join(tempfile.mkdtemp(), "quick.crf")
    trainer.train(path)
    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    gold, pred = [], []
    for s in sentences(dev):
        gold += [t for _, t in s]
        pred += tagger.tag([features(s, i, gaz) for i in range(len(s))])
    score(gold, pred, "quick CRF")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    try:
        import pycrfsuite  # noqa: F401
    except ImportError:
        if os.environ.get("SAHIFA_BASELINES_VENV"):
            sys.exit("python-crfsuite did not install")
        env = os.path.join(tempfile.gettempdir(), "sahifa-baselines-venv")
        py = os.path.join(env, "bin", "python")
        if not os.path.exists(py):
            subprocess.run([sys.executable, "-m", "venv", env], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "python-crfsuite"], check=True)
        os.execve(py, [py] + sys.argv, dict(os.environ, SAHIFA_BASELINES_VENV="1"))
    rows = [l.split() for l in open(sys.argv[1], encoding="utf-8")]
    rows = [r for r in rows if len(r) == 2]
    cut = len(rows) * 9 // 10
    train, dev = rows[:cut], rows[cut:]
    counts = {}
    for w, t in train:
        counts.setdefault(w, {}).setdefault(t, 0)
        counts[w][t] += 1
    memo = [max(counts[w], key=counts[w].get) if w in counts else "O" for w, _ in dev]
    score([t for _, t in dev], memo, "memorise")
    crf(train, dev)


if __name__ == "__main__":
    main()
