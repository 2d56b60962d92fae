#!/usr/bin/env python3
"""How ANERcorp-train annotates titles of works: quoted runs of one to six tokens right after
a MISC cue word of data/dict/quote_cues.tsv (برنامج « … », فيلم " … "; a proclitic و ف ب ل ك, the
article or a pronoun suffix on the cue word allowed), counted as tagged (the first word has an
entity tag) or left O, in the first 90 % of the sentences and in the dev split (the last 10 %).
Session 22's figures: the first 90 % tags 24 and leaves 11 untagged; the dev split tags all 14.

  python3 bench/ner_title_counts.py [../shared/data/anercorp/train.txt]
"""
import re
import sys

OPEN = {"«", '"', "''", "“"}
CLOSE = {"»", '"', "''", "”"}


def norm(w):
    return re.sub("[أإآ]", "ا", w).replace("ى", "ي")


def cues():
    out, header = set(), False
    for line in open("data/dict/quote_cues.tsv", encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        if not header:
            header = True
            continue
        f = line.rstrip("\n").split("\t")
        if len(f) > 1 and f[1] == "MISC":
            out.add(norm(f[0]))
    return out


def is_cue(word, cs):
    w = norm(word)
    for _ in range(2):
        if w in cs or re.sub("(ها|ه|هم|هن|ي)$", "", w) in cs:
            return True
        w = re.sub("^(و|ف)?(ب|ل|ك)?(ال)?", "", w, count=1) if len(w) > 4 else w
    return False


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/anercorp/train.txt"
    try:
        text = open(path, encoding="utf-8").read()
    except FileNotFoundError:
        sys.exit(f"{path} not found: ../shared (the training data) must sit beside the repository")
    sents = [[l.split() for l in b.split("\n") if len(l.split()) == 2] for b in text.strip().split("\n\n")]
    cut = len(sents) - len(sents) // 10
    cs = cues()
    for name, part in (("first 90 %", sents[:cut]), ("dev split", sents[cut:])):
        tagged, untagged, examples = 0, 0, []
        for t in part:
            for i in range(len(t) - 2):
                if not is_cue(t[i][0], cs) or t[i + 1][0] not in OPEN:
                    continue
                j = i + 2
                while j < len(t) and t[j][0] not in CLOSE and j - (i + 2) < 7:
                    j += 1
                if j >= len(t) or t[j][0] not in CLOSE or j == i + 2 or j - (i + 2) > 6:
                    continue
                if t[i + 2][1] != "O":
                    tagged += 1
                else:
                    untagged += 1
                    examples.append(" ".join(x[0] for x in t[i + 2 : j]))
        print(f"{name}: titles tagged {tagged}, left O {untagged}  {examples[:6]}")


if __name__ == "__main__":
    main()
