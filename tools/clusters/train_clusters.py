"""Word clusters for the tagger from unlabeled Arabic Wikipedia (build time only).

Reads arwiki-2017.txt.gz (one paragraph a line), normalises every word the way the core's keys are
(hamza seats and wasla -> bare alef, ؤ -> و, ئ/ى -> ي, ة -> ه, harakat and tatweel dropped; punctuation
at either end stripped), trains word2vec (gensim, skip-gram) on the result, clusters the unit-length vectors
of the most frequent words with k-means (scikit-learn) and writes `word<TAB>count<TAB>cluster` lines,
most frequent first. `core/examples/build_clusters.rs` turns that into `core/models/clusters.bin`
(stems, not words: the tagger's own stemmer decides).

    PYTHONHASHSEED=0 tools/.venv/bin/python tools/clusters/train_clusters.py \
        ../shared/data/arwiki/arwiki-2017.txt.gz /tmp/clusters.tsv

One worker thread and fixed seeds, so a rerun with the same library versions gives the same file.
"""
import gzip
import re
import sys

import numpy as np
from gensim.models import Word2Vec
from sklearn.cluster import KMeans

K = 256          # clusters
TOP = 60000      # words clustered (most frequent first)
FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ى": "ي", "ة": "ه",
                      "ک": "ك", "ی": "ي"})
DROP = re.compile("[\u064b-\u065f\u0670\u0640\u06d6-\u06ed\u200c-\u200f\ufeff]")
LETTERS = re.compile("[\u0621-\u064a]+")


def words(line):
    line = DROP.sub("", line).translate(FOLD)
    # Runs of Arabic letters: punctuation and Latin text split words off and are dropped.
    return LETTERS.findall(line)


class Corpus:
    def __init__(self, path):
        self.path = path

    def __iter__(self):
        with gzip.open(self.path, "rt", encoding="utf-8") as f:
            for line in f:
                w = words(line)
                if w:
                    yield w


def main():
    src, out = sys.argv[1], sys.argv[2]
    model = Word2Vec(Corpus(src), vector_size=100, window=3, min_count=5, sg=1, negative=5,
                     epochs=4, workers=1, seed=1, sample=1e-4)
    vocab = model.wv.index_to_key[:TOP]
    counts = [model.wv.get_vecattr(w, "count") for w in vocab]
    vecs = np.array([model.wv[w] for w in vocab], dtype=np.float64)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    km = KMeans(n_clusters=K, n_init=1, random_state=1, max_iter=100).fit(vecs)
    with open(out, "w", encoding="utf-8") as f:
        for w, c, k in zip(vocab, counts, km.labels_):
            f.write(f"{w}\t{c}\t{k}\n")
    print(f"{len(model.wv.index_to_key)} words in the vocabulary, {len(vocab)} clustered into {K}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
