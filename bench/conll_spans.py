"""Helpers shared by the bench scripts: conlleval spans of a tag sequence (for the `token gold
predicted` lines of `marsad ner eval --output` and `ner train --cv-output`), and ANERcorp-train
read as sentences and cut where `ner train --dev-split` cuts it."""
import sys


def spans(tags):
    """(start, end, type) of each span, in order; an I- after O or another type starts one"""
    out, cur = [], None
    for i, t in enumerate(list(tags) + ["O"]):
        if t == "O" or t.startswith("B-") or (t.startswith("I-") and (cur is None or cur[1] != t[2:])):
            if cur:
                out.append((cur[0], i, cur[1]))
                cur = None
            if t != "O":
                cur = (i, t[2:])
    return out


def train_and_dev(path="../shared/data/anercorp/train.txt"):
    """The sentences of a `token TAG` file as lists of (token, tag), cut as
    `marsad_ner::conll::dev_split` cuts them: (the first 90 %, the dev split)."""
    try:
        text = open(path, encoding="utf-8").read()
    except FileNotFoundError:
        sys.exit(f"{path} not found: ../shared (the training data) must sit beside the repository")
    sents = [[tuple(l.split()) for l in b.split("\n") if len(l.split()) == 2] for b in text.strip("\n").split("\n\n")]
    cut = len(sents) * 9 // 10
    return sents[:cut], sents[cut:]
