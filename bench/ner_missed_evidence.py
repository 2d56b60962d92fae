#!/usr/bin/env python3
"""How many of a tagger's missed entities (gold spans that no predicted span overlaps) the
tagger found elsewhere in the same file: the same words (a one-letter proclitic on the first
word ignored) predicted as a span within --window sentences, with the gold type or another.
What is left has no evidence in the output at all, so no copying step (the discourse step's
one sense per discourse, or a wider window) can find it. Session 22's figure, on the dev
model's output: 2 of 120 missed spans (ORG 58, MISC 29, PERS 19, LOC 12 with none), for
any window.

  cargo run --release -- ner eval --test ../shared/data/anercorp/train.txt --dev-split \\
      --model /tmp/dev.bin --output /tmp/dev.out
  python3 bench/ner_missed_evidence.py /tmp/dev.out [--window N]
"""
import argparse
from collections import Counter, defaultdict

import conll_spans
from ner_error_kinds import read


def key(words):
    return " ".join(w[1:] if j == 0 and len(w) > 2 and w[0] in "وفبلك" else w for j, w in enumerate(words))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("output", help="conlleval lines: token gold predicted")
    ap.add_argument("--window", type=int, default=10**9, help="sentences either side (default: the whole file)")
    args = ap.parse_args()
    window = args.window
    sents = read(args.output)
    found = defaultdict(list)  # key -> [(sentence, type)]
    for i, s in enumerate(sents):
        toks = [w for w, _, _ in s]
        for a, b, t in conll_spans.spans([x[2] for x in s]):
            found[key(toks[a:b])].append((i, t))
    right, other, none = Counter(), Counter(), Counter()
    for i, s in enumerate(sents):
        toks = [w for w, _, _ in s]
        gold = set(conll_spans.spans([x[1] for x in s]))
        pred = set(conll_spans.spans([x[2] for x in s]))
        for a, b, t in gold - pred:
            if any(not (q[1] <= a or q[0] >= b) for q in pred):
                continue  # a boundary or type error, not a miss
            near = [u for k, u in found.get(key(toks[a:b]), []) if abs(k - i) <= window]
            if not near:
                none[t] += 1
            elif Counter(near).most_common(1)[0][0] == t:
                right[key(toks[a:b])] += 1
            else:
                other[key(toks[a:b])] += 1
    total = sum(right.values()) + sum(other.values()) + sum(none.values())
    print(f"missed spans: {total}")
    print(f"  found elsewhere with the gold type: {sum(right.values())}  {dict(right.most_common(10))}")
    print(f"  found elsewhere with another type:  {sum(other.values())}  {dict(other.most_common(10))}")
    print(f"  not found anywhere: {sum(none.values())}  {dict(none)}")


if __name__ == "__main__":
    main()
