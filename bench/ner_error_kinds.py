#!/usr/bin/env python3
"""Sort a tagger's span errors by kind, from conlleval lines (`token gold predicted`, as
`marsad ner eval --output` and `ner train --cv-output` write them):

  missed-T      a gold span of type T that no predicted span overlaps
  boundary-T    a gold span of type T overlapped by predicted spans none of which is exact
  type-T->U     a gold span of type T predicted with exactly its extent as type U
  spurious-U    a predicted span of type U that overlaps no gold span

Each kind is printed with its count and up to --show examples. With a second file (the same
sentences tagged by another model), it also counts how many of the first file's missed or
wrong spans the second model gets exactly right (an oracle bound on combining the two).

  cargo run --release -- ner eval --test ../shared/data/anercorp/train.txt --dev-split \\
      --model /tmp/dev.bin --output /tmp/dev.out
  python3 bench/ner_error_kinds.py /tmp/dev.out [OTHER.out] [--show N]
"""
import argparse
import sys
from collections import Counter

import conll_spans


def spans(tags):
    return set(conll_spans.spans(tags))


def read(path):
    sents, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) < 3:
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            cur.append(p[:3])
    if cur:
        sents.append(cur)
    return sents


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("output", help="conlleval lines (ner eval --output, ner train --cv-output)")
    ap.add_argument("other", nargs="?", help="the same sentences tagged by another model")
    ap.add_argument("--show", type=int, default=12, help="examples shown per kind")
    args = ap.parse_args()
    show = args.show
    a = read(args.output)
    b = read(args.other) if args.other else None
    if b is not None and [[w for w, _, _ in s] for s in a] != [[w for w, _, _ in s] for s in b]:
        sys.exit("the two files do not hold the same sentences")
    kinds, examples, oracle = Counter(), {}, Counter()
    for k, s in enumerate(a):
        toks = [w for w, _, _ in s]
        gold, pred = spans([g for _, g, _ in s]), spans([p for _, _, p in s])
        other = spans([p for _, _, p in b[k]]) if b else set()

        def note(kind, sp):
            kinds[kind] += 1
            examples.setdefault(kind, []).append(" ".join(toks[sp[0] : sp[1]]))

        for sp in sorted(gold - pred):
            over = [q for q in pred if q[0] < sp[1] and sp[0] < q[1]]
            exact = [q for q in over if (q[0], q[1]) == (sp[0], sp[1])]
            if not over:
                note("missed-" + sp[2], sp)
            elif exact:
                note("type-%s->%s" % (sp[2], exact[0][2]), sp)
            else:
                note("boundary-" + sp[2], sp)
            oracle["gold spans missed"] += 1
            oracle["of which the other model gets right"] += sp in other
        for sp in sorted(pred - gold):
            if not any(q[0] < sp[1] and sp[0] < q[1] for q in gold):
                note("spurious-" + sp[2], sp)
        for sp in pred & gold:
            oracle["right spans the other model gets wrong"] += sp not in other
    for kind, n in kinds.most_common():
        print("%4d  %-16s %s" % (n, kind, " | ".join(examples[kind][:show])))
    if b:
        for k, v in oracle.items():
            print("%s: %d" % (k, v))


if __name__ == "__main__":
    main()
