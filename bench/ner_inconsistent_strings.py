#!/usr/bin/env python3
"""How often ANERcorp-train leaves a name untagged that it tags elsewhere: for each entity
string (its tokens as written) tagged at least --min-tagged times with one type, the
occurrences of the same tokens left all O, counted where the tagged share is at least
--min-share. Those occurrences are what training with partial labels (an untagged recurrence
of a name may take either label) would free. Session 23's figures, the first 90 % of the
sentences (the cross-validation's part): 82 strings, 159 tokens of 112,747, most of them
ordinary words that are names elsewhere (الخليج the gulf, مشهد a scene, نصر victory, مالي
financial), so such training was not built.

  python3 bench/ner_inconsistent_strings.py [../shared/data/anercorp/train.txt] [--top 40]
"""
import argparse
from collections import Counter, defaultdict

from conll_spans import spans, train_and_dev


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("train", nargs="?", default="../shared/data/anercorp/train.txt")
    ap.add_argument("--min-tagged", type=int, default=2)
    ap.add_argument("--min-share", type=float, default=0.5)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--all", action="store_true", help="all sentences, not the first 90 %%")
    a = ap.parse_args()
    first, dev = train_and_dev(a.train)
    sents = first + dev if a.all else first
    by_string = defaultdict(Counter)
    for s in sents:
        toks, tags = [w for w, _ in s], [t for _, t in s]
        for st, en, ty in spans(tags):
            by_string[tuple(toks[st:en])][ty] += 1
    longest = max((len(k) for k in by_string), default=0)
    untagged = Counter()
    for s in sents:
        toks, tags = [w for w, _ in s], [t for _, t in s]
        for i in range(len(toks)):
            for n in range(1, min(longest, len(toks) - i) + 1):
                k = tuple(toks[i : i + n])
                if k in by_string and all(t == "O" for t in tags[i : i + n]):
                    untagged[k] += 1
    rows = []
    for k, c in by_string.items():
        ty, tagged = c.most_common(1)[0]
        u = untagged[k]
        if tagged >= a.min_tagged and u and tagged / (tagged + u) >= a.min_share:
            rows.append((u, tagged, " ".join(k), ty))
    rows.sort(key=lambda r: (-r[0], -r[1], r[2]))
    tokens = sum(len(s) for s in sents)
    print(f"strings {len(rows)}  untagged tokens {sum(u * len(k.split()) for u, _, k, _ in rows)} of {tokens}")
    print("untagged\ttagged\ttype\tstring")
    for u, t, k, ty in rows[: a.top]:
        print(f"{u}\t{t}\t{ty}\t{k}")


if __name__ == "__main__":
    main()
