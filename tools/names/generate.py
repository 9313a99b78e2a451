"""Typed name lists for the tagger's features (build time only).

Writes `word<TAB>bits` lines: for every word of a listed name, which kinds of list it occurs in
(1 given name, 2 surname, 4 a word of a person's full name, 8 a word of a place name, 16 a word of a sports
club's name, 32 a nationality adjective). `core/examples/build_clusters.rs --lists` turns them into
`core/models/names.bin` (stems as the tagger strips them, the bits of all their forms OR-ed).

Sources, installed from PyPI into tools/.venv (see tools/names/README.md):
- arabic-name-romanizer 0.2.0, its `names.sqlite3` (Wikidata rows only: CC0): given names and surnames
  (`units`, by role), full names (`full_names`), kept when seen at least --min-count times;
- arwikicats 0.2.3 (MIT): Arabic Wikipedia labels of places (cities, regions, countries), people, sports
  clubs and nationalities.

Words that are very common in Arabic Wikipedia (the --common most frequent words of the cluster
generator's output, e.g. نادي, مدينة, عبد) are left out: a list feature on them says nothing about a name.

    tools/.venv/bin/python tools/names/generate.py /tmp/clusters.tsv /tmp/names.tsv
"""
import argparse
import json
import re
import sqlite3
from pathlib import Path

from importlib.util import find_spec


def package_dir(name):
    # The packages' data only: importing ArWikiCats would pull in its logging dependencies.
    return Path(find_spec(name).submodule_search_locations[0])

FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ى": "ي", "ة": "ه"})
DROP = re.compile("[\u064b-\u065f\u0670\u0640]")
LETTERS = re.compile("[\u0621-\u064a]+")
GIVEN, SURNAME, PERSON, PLACE, CLUB, NAT = 1, 2, 4, 8, 16, 32


def words(text):
    return LETTERS.findall(DROP.sub("", text).translate(FOLD))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("clusters_tsv")
    ap.add_argument("out")
    ap.add_argument("--common", type=int, default=1500)
    ap.add_argument("--min-count", type=int, default=2)
    a = ap.parse_args()
    common = set()
    with open(a.clusters_tsv, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= a.common:
                break
            common.add(line.split("\t")[0])
    bits = {}

    def add(text, b):
        for w in words(text):
            if len(w) >= 2 and w not in common:
                bits[w] = bits.get(w, 0) | b

    db = package_dir("arabic_name_romanizer") / "resources" / "names.sqlite3"
    con = sqlite3.connect(db)
    q = "select arabic_key, role, sum(count) from units where source = 'wikidata' group by arabic_key, role"
    for key, role, n in con.execute(q):
        if n >= a.min_count:
            add(key, {"given": GIVEN, "surname": SURNAME}.get(role, PERSON))
    q = "select arabic_key, sum(count) from full_names where source = 'wikidata' group by arabic_key"
    for key, n in con.execute(q):
        if n >= a.min_count:
            add(key, PERSON)
    js = package_dir("ArWikiCats") / "jsons"

    def values(d):
        if isinstance(d, dict):
            for v in d.values():
                yield from values(v)
        elif isinstance(d, list):
            for v in d:
                yield from values(v)
        elif isinstance(d, str):
            yield d

    for name, b in [("people/peoples.json", PERSON), ("cities/cities_full.json", PLACE),
                    ("geography/P17_2_final_ll.json", PLACE), ("geography/regions.json", PLACE),
                    ("geography/New_Keys.json", PLACE), ("geography/P17_PP.json", PLACE),
                    ("sports/Clubs_key.json", CLUB)]:
        for v in values(json.load(open(js / name, encoding="utf-8"))):
            add(v, b)
    nat = json.load(open(js / "nationalities/nationalities_data.json", encoding="utf-8"))
    for forms in nat.values():
        for k in ("male", "female", "males", "the_male", "the_female"):
            if isinstance(forms, dict) and isinstance(forms.get(k), str):
                for w in words(forms[k]):
                    bits[w] = bits.get(w, 0) | NAT
    with open(a.out, "w", encoding="utf-8") as f:
        for w in sorted(bits):
            f.write(f"{w}\t{bits[w]}\n")
    print(f"{len(bits)} words")


if __name__ == "__main__":
    main()
