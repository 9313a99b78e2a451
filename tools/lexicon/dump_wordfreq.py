#!/usr/bin/env python3
"""Writes wordfreq's Arabic word list as `word<TAB>frequency` lines for core/examples/build_lexicon.rs.

Needs wordfreq 3.1.1 from PyPI (Apache-2.0 code, CC BY-SA 4.0 data); installs it into a private venv.
Usage: python3 tools/lexicon/dump_wordfreq.py OUT.tsv [--work DIR]
"""
import os
import subprocess
import sys
import tempfile

WORDFREQ = "wordfreq==3.1.1"


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    out = args[0]
    work = args[args.index("--work") + 1] if "--work" in args else tempfile.mkdtemp(prefix="sahifa-lex-")
    env = os.path.join(work, "venv")
    py = os.path.join(env, "bin", "python")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", env], check=True)
    subprocess.run([py, "-m", "pip", "install", "-q", WORDFREQ], check=True)
    code = (
        "import sys, wordfreq\n"
        "d = wordfreq.get_frequency_dict('ar', 'large')\n"
        "arabic = lambda w: any('\\u0621' <= c <= '\\u064a' for c in w)\n"
        "with open(sys.argv[1], 'w', encoding='utf-8') as f:\n"
        "    for w, v in d.items():\n"
        "        if arabic(w):\n"
        "            f.write(f'{w}\\t{v:.4e}\\n')\n"
    )
    subprocess.run([py, "-c", code, out], check=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
