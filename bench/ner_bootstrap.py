#!/usr/bin/env python3
"""How much of a tagger's F1 is the luck of the test sentences: a bootstrap over sentences.

Reads conlleval lines (`token gold predicted`, as `marsad ner eval --output` and `ner train
--cv-output` write them), draws the sentences with replacement --samples times, and prints the
micro F1 of the file, the mean and standard deviation of the resampled F1s, and their central
95 % interval. On the dev split (398 sentences, 969 entities) the standard deviation is about
1.6 points: two models whose dev F1 differ by less than that may not differ at all.

  cargo run --release -- ner eval --test ../shared/data/anercorp/train.txt --dev-split \\
      --model /tmp/dev.bin --output /tmp/dev.out
  python3 bench/ner_bootstrap.py /tmp/dev.out [--samples N] [--seed S]
"""
import argparse
import random
import statistics

import conll_spans
from ner_error_kinds import read


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("output", help="conlleval lines (ner eval --output, ner train --cv-output)")
    ap.add_argument("--samples", type=int, default=2000, help="bootstrap samples (default 2000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = ap.parse_args()
    counts = []
    for s in read(args.output):
        gold = set(conll_spans.spans([g for _, g, _ in s]))
        pred = set(conll_spans.spans([p for _, _, p in s]))
        counts.append((len(gold), len(pred), len(gold & pred)))

    def f1(sample):
        g = sum(c[0] for c in sample)
        p = sum(c[1] for c in sample)
        c = sum(c[2] for c in sample)
        return 200 * c / (g + p) if g + p else 0.0

    rnd = random.Random(args.seed)
    f1s = sorted(f1([counts[rnd.randrange(len(counts))] for _ in counts]) for _ in range(args.samples))
    lo, hi = f1s[int(0.025 * len(f1s))], f1s[int(0.975 * len(f1s)) - 1]
    print(f"{len(counts)} sentences, {sum(c[0] for c in counts)} gold spans: F1 {f1(counts):.2f}")
    print(f"bootstrap ({args.samples} samples): mean {statistics.mean(f1s):.2f}, sd {statistics.stdev(f1s):.2f}, 95% interval {lo:.2f}-{hi:.2f}")


if __name__ == "__main__":
    main()
