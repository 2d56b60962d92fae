#!/usr/bin/env python3
"""Count the predicted PERS spans that run on across a word the segmenter reads as و + word,
split by what the gold says there: a new span begins (the span should have ended) or the span
goes on. The README's figure for the conjunction rule (Named entities), from the out-of-fold
predictions of a cross-validation run made without the rule (at commit efe79e8):

  cargo run --release -- ner train … --cv 5 --cv-output /tmp/cv.out   # the README's CV command
  python3 bench/ner_conjunction_spans.py /tmp/cv.out [path/to/marsad] [--proclitic ب]

`--proclitic` counts another one-letter proclitic instead of و (ب ف ك ل: session 22's
figures, on the CV output of the shipped settings, which have the rule for و).
"""
import argparse
import subprocess
import sys

from conll_spans import spans


ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("cv_output", help="conlleval lines of a cross-validation run (--cv-output)")
ap.add_argument("marsad", nargs="?", default="target/release/marsad", help="the marsad binary (segments the words)")
ap.add_argument("--proclitic", default="و", help="the one-letter proclitic to count (default و)")
args = ap.parse_args()
letter = args.proclitic
marsad = args.marsad
sents, cur = [], []
for line in open(args.cv_output, encoding="utf-8"):
    p = line.split()
    if not p:
        if cur:
            sents.append(cur)
        cur = []
    elif len(p) == 3:
        cur.append(p)
if cur:
    sents.append(cur)
words = sorted({t[0] for s in sents for t in s if t[0].startswith(letter)})
seg = subprocess.run([marsad, "lexicon", "segment", *words], capture_output=True, text=True, check=True)
conj = {l.split("\t")[0] for l in seg.stdout.splitlines() if l.split("\t")[1].startswith(letter + "+")}
ended = went_on = 0
for s in sents:
    for a, b, t in spans([x[2] for x in s]):
        if t != "PERS":
            continue
        for i in range(a + 1, b):
            if s[i][0] in conj:
                gold = s[i][1]
                ended += gold.startswith("B-")
                went_on += gold.startswith("I-")
print(f"PERS spans across a {letter} + word: gold begins a new span there {ended}, gold goes on {went_on}")
