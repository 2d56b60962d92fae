#!/usr/bin/env python3
"""Compare two cross-validation outputs of `marsad ner train --cv K --cv-output FILE`.

Prints the correct entity spans (conlleval exact spans, an I- after O starts a span) that the
second run finds and the first misses, and the reverse; with --near WORDS (one token per line),
also how many of them lie within two tokens of one of those words, e.g. the words whose
segmentation a change altered:

  python3 bench/ner_cv_diff.py old.out new.out [--near words.txt]
"""
import argparse
import sys


def spans(tags):
    out, cur = [], None
    for i, t in enumerate(tags + ["O"]):
        if t == "O" or t.startswith("B-") or (t.startswith("I-") and (cur is None or cur[0] != t[2:])):
            if cur:
                out.append((cur[0], cur[1], i))
                cur = None
            if t != "O":
                cur = (t[2:], i)
    return set(out)


def read(path):
    toks, gold, pred = [], [], []
    for line in open(path, encoding="utf-8"):
        f = line.split()
        if not f:
            f = ["", "O", "O"]
        toks.append(f[0])
        gold.append(f[1])
        pred.append(f[2])
    return toks, gold, pred


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old", help="the first run's --cv-output")
    ap.add_argument("new", help="the second run's --cv-output")
    ap.add_argument("--near", metavar="WORDS", help="a file of words, one a line")
    opt = ap.parse_args()
    near_words = set(open(opt.near, encoding="utf-8").read().split()) if opt.near else None
    toks, gold, p1 = read(opt.old)
    toks2, _, p2 = read(opt.new)
    if toks != toks2:
        sys.exit("the two files hold different tokens: compare outputs of the same training file")
    g, a, b = spans(gold), spans(p1), spans(p2)
    gained, lost = (b & g) - a, (a & g) - b
    print(f"correct spans found only by the second run\t{len(gained)}")
    print(f"correct spans found only by the first run\t{len(lost)}")
    if near_words is not None:
        def near(s):
            return any(toks[k] in near_words for k in range(max(0, s[1] - 2), min(len(toks), s[2] + 2)))
        print(f"of them near the listed words (second, first)\t{sum(map(near, gained))}\t{sum(map(near, lost))}")
        for s in sorted(gained, key=lambda s: s[1]):
            if near(s):
                print("+", s[0], " ".join(toks[s[1]:s[2]]))
        for s in sorted(lost, key=lambda s: s[1]):
            if near(s):
                print("-", s[0], " ".join(toks[s[1]:s[2]]))


if __name__ == "__main__":
    main()
