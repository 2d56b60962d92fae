#!/usr/bin/env python3
"""How ANERcorp-train annotates quoted names: quoted runs of one to six tokens right after a
cue word of data/dict/quote_cues.tsv with the given label (MISC, the default: titles, برنامج
« … », فيلم " … "; or ORG: صحيفة " … "; a proclitic و ف ب ل ك, the article or a pronoun suffix on
the cue word allowed), counted as tagged (the first word has an entity tag) or left O, in the
first 90 % of the sentences and in the dev split (the last 10 %), and by cue word. Session 22's
figures: titles, the first 90 % tags 24 and leaves 10 untagged, the dev split tags all 14; of
the cue words added in effbbd8 (مجموعة دار مركز معهد مستشفى صندوق) only مستشفى occurs, twice,
both tagged, once ORG (« سانت توماس ») and once MISC (" شهداء الأقصى ") (`--label ORG`).

  python3 bench/ner_title_counts.py [../shared/data/anercorp/train.txt] [--label ORG]
"""
import argparse
import re
from collections import Counter

from conll_spans import train_and_dev

OPEN = {"«", '"', "''", "“"}
CLOSE = {"»", '"', "''", "”"}


def norm(w):
    return re.sub("[أإآ]", "ا", w).replace("ى", "ي")


def cues(label):
    out, header = set(), False
    for line in open("data/dict/quote_cues.tsv", encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        if not header:
            header = True
            continue
        f = line.rstrip("\n").split("\t")
        if len(f) > 1 and f[1] == label:
            out.add(norm(f[0]))
    return out


def cue_of(word, cs):
    """The cue word `word` is a form of, or None."""
    w = norm(word)
    for _ in range(2):
        for c in (w, re.sub("(ها|ه|هم|هن)$", "", w)):
            if c in cs:
                return c
        w = re.sub("^(و|ف)?(ب|ل|ك)?(ال)?", "", w, count=1) if len(w) > 4 else w
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("train", nargs="?", default="../shared/data/anercorp/train.txt")
    ap.add_argument("--label", default="MISC", choices=["MISC", "ORG"])
    args = ap.parse_args()
    path, label = args.train, args.label
    first, dev = train_and_dev(path)
    cs = cues(label)
    for name, part in (("first 90 %", first), ("dev split", dev)):
        tagged, untagged, examples, by_cue = 0, 0, [], Counter()
        for t in part:
            for i in range(len(t) - 2):
                cue = cue_of(t[i][0], cs)
                if cue is None or t[i + 1][0] not in OPEN:
                    continue
                j = i + 2
                while j < len(t) and t[j][0] not in CLOSE and j - (i + 2) < 7:
                    j += 1
                if j >= len(t) or t[j][0] not in CLOSE or j == i + 2 or j - (i + 2) > 6:
                    continue
                by_cue[cue] += 1
                if t[i + 2][1] != "O":
                    tagged += 1
                else:
                    untagged += 1
                    examples.append(" ".join(x[0] for x in t[i + 2 : j]))
        print(f"{name}: {label} runs tagged {tagged}, left O {untagged}  {examples[:6]}")
        print(f"  by cue word: {dict(by_cue.most_common())}")


if __name__ == "__main__":
    main()
